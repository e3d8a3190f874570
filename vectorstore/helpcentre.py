"""The demo shop's help centre (Jinja templates rendered with settings.policy) and product pages.

Numbers that tools enforce (return window, cancellation statuses, discount caps...) live once in
`core.config.Policy` and are rendered into the articles, so docs and tools never disagree.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from core.config import Policy

TEMPLATES = Path(__file__).parent / "helpcentre"
LANGS = ("en", "zh")  # en: TEMPLATES/*.md.j2; other languages: TEMPLATES/<lang>/*.md.j2 (translations of en)
ZH_STATUS = {"pending": "待处理", "processed": "已处理", "delivered": "已送达", "cancelled": "已取消",
             "return requested": "已申请退货", "exchange requested": "已申请换货"}
ZH_CATEGORY = {"Food & Drink": "食品饮料", "Personal Care": "个人护理用品", "Gift Cards": "礼品卡"}
TAU_PRODUCTS = Path(__file__).resolve().parent.parent / "shop" / "demo_data" / "tau_products.json.gz"


def _money(symbol: str) -> Any:
    def fmt(x: float) -> str:
        return f"{symbol}{x:,.2f}" if x != int(x) else f"{symbol}{int(x):,}"
    return fmt


def render_articles(policy: Policy, lang: str = "en") -> dict[str, str]:
    """{article id: markdown} for every template of a language, rendered with the policy (StrictUndefined).

    English articles get doc_id help/<slug>; a translation gets help/<lang>/<slug> with `lang` and
    `translation_of: help/<slug>` in its front matter, so retrieval can tell the versions apart and the eval
    can count either version of an article as the same answer.
    """
    import jinja2

    if lang not in LANGS:
        raise ValueError(f"help centre language must be one of {LANGS}, not {lang!r}")
    folder = TEMPLATES if lang == "en" else TEMPLATES / lang
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    env.filters["money"] = _money(policy.currency_symbol)
    env.filters["zh_status"] = lambda xs: [ZH_STATUS.get(x, x) for x in xs]
    env.filters["zh_category"] = lambda xs: [ZH_CATEGORY.get(x, x) for x in xs]
    out = {}
    for t in sorted(folder.glob("*.md.j2")):
        slug = t.name.removesuffix(".md.j2")
        body = env.get_template(t.name).render(p=policy)
        if lang == "en":
            out[slug] = f"---\ndoc_id: help/{slug}\ndoc_type: article\nlang: en\nurl: /help/{slug}\n---\n{body}"
        else:
            out[slug] = (f"---\ndoc_id: help/{lang}/{slug}\ndoc_type: article\nlang: {lang}\n"
                         f"translation_of: help/{slug}\nurl: /{lang}/help/{slug}\n---\n{body}")
    return out


def _join(values: list[str]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def product_page(pid: str, name: str, category: str, variants: list[dict[str, Any]], symbol: str) -> str:
    """A markdown product page: overview, options, prices and availability of every variant."""
    opts: dict[str, list[str]] = {}
    for v in variants:
        for k, val in (v.get("options") or {}).items():
            if str(val) not in opts.setdefault(k, []):
                opts[k].append(str(val))
    prices = [float(v["price"]) for v in variants if v.get("price") is not None]
    price = (f"{symbol}{min(prices):.2f} to {symbol}{max(prices):.2f}" if prices and min(prices) != max(prices)
             else f"{symbol}{prices[0]:.2f}" if prices else "see the shop")
    lines = [f"# {name}", "", "## Overview",
             f"The {name} is sold in our {category} range. It comes in {len(variants)} variants "
             f"priced {price}."]
    if opts:
        lines += ["", "## Options"]
        lines += [f"Available {k}: {_join(vals)}." for k, vals in opts.items()]
    avail = [v for v in variants if v.get("available", True)]
    lines += ["", "## Variants, prices and stock"]
    for v in variants:
        desc = ", ".join(f"{k} {val}" for k, val in (v.get("options") or {}).items()) or "standard"
        stock = "in stock" if v.get("available", True) else "out of stock"
        p = f"{symbol}{float(v['price']):.2f}" if v.get("price") is not None else ""
        lines.append(f"{name} ({desc}): {p}, {stock}.")
    lines.append(f"{len(avail)} of {len(variants)} variants are in stock.")
    meta = f"---\ndoc_id: product/{pid}\ndoc_type: product\nproduct_id: {pid}\nurl: /products/{pid}\n---\n"
    return meta + "\n".join(lines) + "\n"


def tau_product_pages(symbol: str = "£", path: Path = TAU_PRODUCTS) -> dict[str, str]:
    """Product pages for the fixed catalogue shipped in the repo (read directly: the eval needs no store)."""
    from shop.importers.tau import CATEGORY

    cat_of = {n: c for c, names in CATEGORY.items() for n in names}
    data = json.loads(gzip.decompress(path.read_bytes()))
    return {pid: product_page(pid, p["name"], cat_of.get(p["name"], "general"), list(p["variants"].values()), symbol)
            for pid, p in data.items()}


def store_product_pages(con: Any, symbol: str = "£", limit: int = 400) -> dict[str, str]:
    """Product pages from the store's catalogue (products + product_variants): products with options
    (the tau catalogue) first, then others by id, at most `limit` products (keeps the demo build quick)."""
    rows = con.execute(
        "SELECT p.product_id, p.name, coalesce(p.category, 'general'), v.options, v.price, v.available "
        "FROM products p JOIN product_variants v USING (product_id) "
        "WHERE p.product_id IN (SELECT product_id FROM products "
        "ORDER BY CASE WHEN source = 'tau_retail' THEN 0 ELSE 1 END, product_id LIMIT ?) "
        "ORDER BY p.product_id, v.item_id", [limit]).fetchall()
    by: dict[str, tuple[str, str, list[dict[str, Any]]]] = {}
    for pid, name, cat, options, price, available in rows:
        if isinstance(options, str):
            try:
                options = json.loads(options)
            except ValueError:
                options = {}
        entry = by.setdefault(str(pid), (str(name or pid), str(cat), []))
        entry[2].append({"options": options or {}, "price": price,
                         "available": True if available is None else bool(available)})
    return {pid: product_page(pid, n, c, vs, symbol) for pid, (n, c, vs) in by.items()}


def page_path(out_dir: Path, slug: str) -> Path | None:
    """out_dir/slug.md, or None when the slug (a product id from imported data) is not a plain file name or
    would land anywhere but directly in out_dir: '../x', an absolute path, a sub/dir, a dotfile, a newline."""
    if (not slug or slug.startswith(".") or any(c in slug for c in "/\\") or Path(slug).is_absolute()
            or not slug.isprintable()):
        return None
    p = out_dir / f"{slug}.md"
    return p if p.resolve().parent == out_dir.resolve() else None


def write_pages(pages: dict[str, str], out_dir: Path, skipped: list[dict[str, str]] | None = None) -> list[Path]:
    """Write {slug: markdown} as out_dir/slug.md (only files whose text changed); remove stale .md files. A slug
    that is not a safe file name is skipped, and reported in `skipped` ({"path", "reason"}) when given."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for slug, text in pages.items():
        p = page_path(out_dir, slug)
        if p is None:
            if skipped is not None:
                skipped.append({"path": f"{out_dir.name} {slug!r}", "reason": "id is not a safe file name (it "
                                f"must stay inside {out_dir}); page not written"})
            continue
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")
        paths.append(p)
    keep = {p.name for p in paths}
    for old in out_dir.glob("*.md"):
        if old.name not in keep:
            old.unlink()
    return paths

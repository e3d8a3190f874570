"""The pages that answers cite: the help centre and the product pages, as plain HTML at their own URLs.

    /help/               the help-centre index (English; /zh/help/ the Chinese articles)
    /help/<slug>         one article, rendered from the same templates and policy the knowledge base is built from
    /zh/help/<slug>      its Chinese translation
    /products/<id>       a product from the store: name, category, price, options and stock of every variant

Every text is HTML-escaped (documents and product names are data, never markup); the only links are the app's own.
Section headings get ids (`anchor`), so a citation can point at the section it quotes. Unknown pages answer 404.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ui.context import AppContext

CSS = """body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.55;
color:#1f2937}a{color:#2563eb}h1{font-size:1.7rem}h2{font-size:1.15rem;margin-top:1.6rem}
nav{font-size:.9rem;margin-bottom:1rem}table{border-collapse:collapse}td,th{padding:.25rem .6rem;
border-bottom:1px solid #e5e7eb;text-align:left}"""
NAV = {"en": '<nav><a href="/">Support chat</a> · <a href="/help/">Help centre</a></nav>',
       "zh": '<nav><a href="/">在线客服</a> · <a href="/zh/help/">帮助中心</a> · <a href="/help/">English</a></nav>'}


def page(title: str, body: str, lang: str = "en") -> str:
    """A whole HTML page; `title` is escaped here, `body` must already be escaped."""
    return (f'<!doctype html><html lang="{"zh" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}'
            f"</title><style>{CSS}</style></head><body>{NAV.get(lang, NAV['en'])}{body}</body></html>")


def articles(ctx: AppContext, lang: str) -> dict[str, str]:
    """{slug: markdown} of the help centre in a language (rendered once per app)."""
    from vectorstore.helpcentre import render_articles

    key = f"pages:help:{lang}"
    if key not in ctx.cache:
        ctx.cache[key] = {slug: _strip_front_matter(md) for slug, md in render_articles(ctx.settings.policy,
                                                                                       lang).items()}
    return dict(ctx.cache[key])


def _strip_front_matter(md: str) -> str:
    if md.startswith("---\n"):
        end = md.find("\n---\n", 4)
        if end >= 0:
            return md[end + 5:]
    return md


def title_of(md: str) -> str:
    return next((line[2:].strip() for line in md.splitlines() if line.startswith("# ")), "")


def article_html(md: str) -> str:
    """The article's markdown (headings and paragraphs) as escaped HTML, each section heading with its anchor."""
    from vectorstore.helpcentre import anchor

    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(f"<p>{html.escape(' '.join(para))}</p>")
            para.clear()

    for line in md.splitlines():
        s = line.strip()
        if s.startswith("# "):
            flush()
            out.append(f"<h1>{html.escape(s[2:])}</h1>")
        elif s.startswith("## ") or s.startswith("### "):
            flush()
            text = s.lstrip("#").strip()
            out.append(f'<h2 id="{html.escape(anchor(text))}">{html.escape(text)}</h2>')
        elif s:
            para.append(s)
        else:
            flush()
    flush()
    return "\n".join(out)


def help_index(ctx: AppContext, lang: str) -> str:
    prefix = "/zh/help/" if lang == "zh" else "/help/"
    items = sorted((title_of(md) or slug, slug) for slug, md in articles(ctx, lang).items())
    links = "".join(f'<li><a href="{prefix}{html.escape(slug)}">{html.escape(t)}</a></li>' for t, slug in items)
    head = "帮助中心" if lang == "zh" else "Help centre"
    return page(head, f"<h1>{head}</h1><ul>{links}</ul>", lang)


def product_html(ctx: AppContext, pid: str) -> str | None:
    """The product's page from the store, or None when the store has no such product."""
    if not ctx.has_store():
        return None
    rows = ctx.rows("SELECT p.name, coalesce(p.category, '') AS category, v.options, v.price, v.available "
                    "FROM products p LEFT JOIN product_variants v USING (product_id) WHERE p.product_id = ? "
                    "ORDER BY v.item_id", [pid])
    if not rows:
        return None
    sym = ctx.settings.policy.currency_symbol
    name = str(rows[0]["name"] or pid)
    body = [f"<h1>{html.escape(name)}</h1>"]
    if rows[0]["category"]:
        body.append(f"<p>Category: {html.escape(str(rows[0]['category']))}</p>")
    variants = [r for r in rows if r["price"] is not None or r["options"] is not None]
    if variants:
        body.append('<h2 id="variants">Options, prices and stock</h2><table><tr><th>Options</th><th>Price</th>'
                    "<th>Stock</th></tr>")
        for v in variants:
            opts = v["options"]
            if isinstance(opts, str):
                try:
                    opts = json.loads(opts)
                except ValueError:
                    opts = {"option": opts}
            desc = ", ".join(f"{k}: {val}" for k, val in (opts or {}).items()) or "standard"
            price = f"{sym}{float(v['price']):.2f}" if v["price"] is not None else ""
            stock = "in stock" if v["available"] is None or v["available"] else "out of stock"
            body.append(f"<tr><td>{html.escape(desc)}</td><td>{html.escape(price)}</td><td>{stock}</td></tr>")
        body.append("</table>")
    return page(name, "".join(body))


def not_found(lang: str = "en") -> str:
    msg = "找不到这个页面。" if lang == "zh" else "We couldn't find that page."
    return page("404", f"<h1>404</h1><p>{msg}</p>", lang)


def router(ctx: AppContext) -> Any:
    """The FastAPI router with the help-centre and product pages (include it before mounting Gradio at /)."""
    from fastapi import APIRouter
    from fastapi.responses import HTMLResponse, RedirectResponse

    r = APIRouter()

    def article(lang: str, slug: str) -> Any:
        md = articles(ctx, lang).get(slug)
        if md is None:
            return HTMLResponse(not_found(lang), status_code=404)
        return HTMLResponse(page(title_of(md) or slug, article_html(md), lang))

    @r.get("/help", include_in_schema=False)
    def help_root() -> Any:
        return RedirectResponse("/help/")

    @r.get("/help/", response_class=HTMLResponse)
    def help_en() -> Any:
        return HTMLResponse(help_index(ctx, "en"))

    @r.get("/zh/help/", response_class=HTMLResponse)
    def help_zh() -> Any:
        return HTMLResponse(help_index(ctx, "zh"))

    @r.get("/help/{slug}", response_class=HTMLResponse)
    def help_article(slug: str) -> Any:
        return article("en", slug)

    @r.get("/zh/help/{slug}", response_class=HTMLResponse)
    def help_article_zh(slug: str) -> Any:
        return article("zh", slug)

    @r.get("/products/{pid}", response_class=HTMLResponse)
    def product(pid: str) -> Any:
        out = product_html(ctx, pid)
        return HTMLResponse(out, status_code=200) if out else HTMLResponse(not_found(), status_code=404)

    return r

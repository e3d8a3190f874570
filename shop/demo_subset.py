"""Cut the shipped demo subsets from the full real data sets in ../shared/data (a developer tool, run rarely).

    python -m shop.demo_subset [--shared ../shared/data] [--customers 1200] [--reviews 4000] [--seed 42]

Writes, in the original column formats (so the demo runs them through the normal importers):
- shop/demo_data/online_retail_subset.csv.gz: ALL lines (sales, cancellations, postage and other non-product
  lines) of a seeded, stratified sample of Online Retail customers. Strata = one-time vs repeat buyer x still
  active vs churned (no purchase in the last 90 days of the data), sampled in proportion, so the subset keeps the
  real mix. The demo personas (shop.demo_personas) are always included. Customers with more than
  MAX_LINES lines (a few dozen wholesalers) are left out to keep the file small.
- shop/demo_data/reviews_subset.csv.gz: a seeded sample of real reviews that have a text (original columns).

Same inputs and seed give byte-identical files. `pick_customers` is also used by the demo when
settings.demo_customers is smaller than the shipped subset.
"""

from __future__ import annotations

import argparse
import gzip
import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
OR_SUBSET = DEMO_DATA / "online_retail_subset.csv.gz"
REVIEWS_SUBSET = DEMO_DATA / "reviews_subset.csv.gz"
OR_FILE = Path("online_retail") / "online_retail.csv.gz"
REVIEWS_FILE = Path("reviews") / "womens_clothing_ecommerce_reviews.csv.gz"
MAX_LINES = 1000
CHURN_DAYS = 90
DATA_END = "2011-12-10"


def customer_strata(lines: pd.DataFrame) -> pd.DataFrame:
    """Per customer (index CustomerID as str): n_lines and stratum '<one-time|repeat>/<active|churned>'."""
    import pandas as pd

    d = lines[lines["CustomerID"] != ""]
    sales = d[~d["InvoiceNo"].str.startswith("C")]
    ts = pd.to_datetime(sales["InvoiceDate"])
    per = pd.DataFrame({"c": sales["CustomerID"], "inv": sales["InvoiceNo"], "ts": ts}).groupby("c").agg(
        n=("inv", "nunique"), last=("ts", "max"))
    churned = (pd.Timestamp(DATA_END) - per["last"]).dt.days > CHURN_DAYS
    out = pd.DataFrame(index=per.index)
    out["stratum"] = (per["n"] > 1).map({True: "repeat", False: "one-time"}) + "/" + churned.map(
        {True: "churned", False: "active"})
    out["n_lines"] = d.groupby("CustomerID").size().reindex(out.index).fillna(0).astype(int)
    return out.sort_index()


def pick_customers(strata: pd.DataFrame, n: int, seed: int, always: list[str] | tuple[str, ...] = (),
                   max_lines: int | None = MAX_LINES) -> list[str]:
    """A seeded, stratified (proportional) sample of n customer ids, always including `always`."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pool = strata if max_lines is None else strata[strata["n_lines"] <= max_lines]
    must = [c for c in always if c in strata.index]
    rest = pool.drop(index=[c for c in must if c in pool.index])
    need = max(n - len(must), 0)
    sizes = rest["stratum"].value_counts().sort_index()
    share = (sizes / sizes.sum() * need).to_numpy()
    quota = np.floor(share).astype(int)
    short = need - int(quota.sum())
    for i in np.argsort(-(share - quota), kind="stable")[:short]:
        quota[i] += 1
    chosen = list(must)
    for stratum, k in zip(sizes.index, quota, strict=True):
        ids = rest.index[rest["stratum"] == stratum].to_numpy()
        chosen += sorted(rng.choice(ids, size=min(int(k), len(ids)), replace=False).tolist())
    return sorted(chosen)


def read_text_csv(path: Path, **kw: object) -> pd.DataFrame:
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)  # type: ignore[call-overload, no-any-return]


def write_csv_gz(df: pd.DataFrame, path: Path, index: bool = False) -> None:
    """Deterministic gzip (no timestamp or name in the header)."""
    buf = io.StringIO()
    df.to_csv(buf, index=index, lineterminator="\n")
    path.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0))


def cut(shared: Path, customers: int, reviews: int, seed: int) -> dict[str, object]:
    from shop.demo_personas import DEMO_PERSONAS

    lines = read_text_csv(shared / OR_FILE)
    strata = customer_strata(lines)
    ids = pick_customers(strata, customers, seed, always=[p.customer_id for p in DEMO_PERSONAS.values()])
    subset = lines[lines["CustomerID"].isin(set(ids))]
    write_csv_gz(subset, OR_SUBSET)

    rev = read_text_csv(shared / REVIEWS_FILE, index_col=0)
    rev = rev[rev["Review Text"].str.strip() != ""]
    rev = rev.sample(n=min(reviews, len(rev)), random_state=seed).sort_index()
    write_csv_gz(rev, REVIEWS_SUBSET, index=True)
    return {"customers": len(ids), "lines": len(subset), "reviews": len(rev),
            "strata": strata.loc[ids, "stratum"].value_counts().to_dict(),
            "bytes": {p.name: p.stat().st_size for p in (OR_SUBSET, REVIEWS_SUBSET)}}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--customers", type=int, default=1200)
    ap.add_argument("--reviews", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args(argv)
    print(cut(a.shared, a.customers, a.reviews, a.seed))


if __name__ == "__main__":
    main()

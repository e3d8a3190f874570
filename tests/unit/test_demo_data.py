"""The shipped demo subsets: small, in the original formats, and faithful to the real files they were cut from."""

from __future__ import annotations

import pandas as pd
from shared_data import ONLINE_RETAIL, REVIEWS, needs_shared_data

from shop.demo_personas import DEMO_PERSONAS
from shop.demo_subset import (
    DEMO_DATA,
    OR_SUBSET,
    REVIEWS_SUBSET,
    customer_strata,
    pick_customers,
    read_text_csv,
)

MAX_SHIPPED_BYTES = 4_000_000


def test_shipped_data_is_small() -> None:
    total = sum(p.stat().st_size for p in DEMO_DATA.iterdir() if p.is_file())
    assert total < MAX_SHIPPED_BYTES, f"shop/demo_data holds {total:,} bytes"


def test_subset_holds_the_personas_and_a_mix_of_customers() -> None:
    lines = read_text_csv(OR_SUBSET)
    assert list(lines.columns) == ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
                                   "CustomerID", "Country"]
    strata = customer_strata(lines)
    assert {p.customer_id for p in DEMO_PERSONAS.values()} <= set(strata.index)
    shares = strata["stratum"].value_counts(normalize=True)
    assert set(shares.index) == {"one-time/active", "one-time/churned", "repeat/active", "repeat/churned"}
    assert shares.min() > 0.08
    assert lines["InvoiceNo"].str.startswith("C").any()  # cancellations travel with their customers
    assert lines["StockCode"].isin(["POST", "DOT", "M"]).any()


def test_pick_customers_is_seeded_stratified_and_keeps_the_always_list() -> None:
    strata = pd.DataFrame({"stratum": ["a"] * 80 + ["b"] * 20, "n_lines": 1},
                          index=[f"c{i:03d}" for i in range(100)])
    one = pick_customers(strata, 10, seed=1, always=["c099"])
    assert one == pick_customers(strata, 10, seed=1, always=["c099"])
    assert one != pick_customers(strata, 10, seed=2, always=["c099"])
    assert len(one) == 10 and "c099" in one
    assert sum(c < "c080" for c in one) == 7  # 9 drawn in proportion 80:20 (7 + 2), plus c099 from stratum b


@needs_shared_data
def test_subset_rows_are_the_real_rows_of_those_customers() -> None:
    sub = read_text_csv(OR_SUBSET)
    real = read_text_csv(ONLINE_RETAIL)
    mine = real[real["CustomerID"].isin(set(sub["CustomerID"]))]
    key = list(sub.columns)
    a = sub.sort_values(key, kind="stable").reset_index(drop=True)
    b = mine.sort_values(key, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    # The churn mix of the subset follows the real file's (proportional strata, within 3 points).
    real_mix = customer_strata(real)["stratum"].value_counts(normalize=True)
    sub_mix = customer_strata(sub)["stratum"].value_counts(normalize=True)
    assert (sub_mix - real_mix).abs().max() < 0.03


@needs_shared_data
def test_reviews_subset_rows_are_real_reviews() -> None:
    sub = read_text_csv(REVIEWS_SUBSET, index_col=0)
    real = read_text_csv(REVIEWS, index_col=0)
    assert len(sub) >= 3000
    pd.testing.assert_frame_equal(sub, real.loc[sub.index])
    assert set(sub["Rating"]) == {"1", "2", "3", "4", "5"}
    assert (sub["Review Text"].str.strip() != "").all()


def test_enough_reviews_per_rating_for_the_demo() -> None:
    sub = read_text_csv(REVIEWS_SUBSET, index_col=0)
    assert sub["Rating"].value_counts().min() >= 100

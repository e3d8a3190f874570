"""Where the full real data sets live (../shared/data), and the skip marker for tests that need them."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
ONLINE_RETAIL = SHARED_DATA / "online_retail" / "online_retail.csv.gz"
REVIEWS = SHARED_DATA / "reviews" / "womens_clothing_ecommerce_reviews.csv.gz"
TAU = SHARED_DATA / "tau_retail"

needs_shared_data = pytest.mark.skipif(
    not ONLINE_RETAIL.exists(), reason="../shared/data is not beside this checkout (the full real data sets)"
)

"""Issue 18 #3: an imported product id never makes the knowledge build write outside its directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from shop.db import connect


@pytest.mark.parametrize("evil", ["../../../x", "../escaped", "/ABS/x", "sub/dir", "..", ".hidden", "a\nb: c"])
def test_a_product_id_cannot_escape_the_products_dir(tmp_path: Path, evil: str) -> None:
    from vectorstore.build import render_corpus

    s = Settings(data_dir=tmp_path / "deep" / "er" / "data")
    s.data_dir.mkdir(parents=True)
    evil = evil.replace("/ABS", str(tmp_path / "abs"))
    con = connect(s.db_path)
    for pid in (evil, "GOOD1"):
        con.execute("INSERT INTO products VALUES (?, 'A mug', 'Kitchen', NULL, 'test')", [pid])
        con.execute("INSERT INTO product_variants VALUES (?, ?, '{}', 3.5, TRUE)", [pid + "-v", pid])
    con.close()
    out = s.data_dir / "knowledge"
    skipped: list[dict[str, str]] = []
    roots = render_corpus(s, out, "store", skipped=skipped)
    inside = out.resolve()
    written = [p for p in tmp_path.rglob("*.md")]
    assert written and all(inside in p.resolve().parents for p in written), written
    assert (roots[-1] / "GOOD1.md").exists()
    assert len(skipped) == 1 and repr(evil) in skipped[0]["path"] and "not a safe file name" in skipped[0]["reason"]

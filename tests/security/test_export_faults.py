"""Issue 18 #5 for exports: a campaign export that fails part-way (disk full) leaves no send files behind, no
sends recorded and the campaign still approved, so a retry starts clean."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings


def test_a_failed_export_leaves_no_files_and_no_sends(store: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from retention.campaigns import store as st
    from retention.campaigns.models import AudienceSpec, CampaignSpec
    from retention.campaigns.service import approve, draft, export, plan
    from retention.campaigns.synthetic import seed_store

    seed_store(store, 250, seed=5)
    s = Settings(data_dir=tmp_path / "data")
    cid = plan(store, s, CampaignSpec(audience=AudienceSpec(risk_bands=None), holdout_share=0.0))["campaign_id"]
    draft(store, s, cid)
    approve(store, s, cid)

    def full(*_: Any, **__: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(st, "audit", full)  # the files are written; the audit row after them fails
    out = tmp_path / "out"
    with pytest.raises(OSError):
        export(store, s, cid, out)
    assert not out.exists() or not list(out.glob("*"))
    assert store.execute("SELECT count(*) FROM campaign_sends WHERE campaign_id = ?", [cid]).fetchone() == (0,)
    assert st.get_campaign(store, cid)["status"] == "approved"
    monkeypatch.undo()
    assert export(store, s, cid, out)["sends"] > 0   # the retry starts clean
    assert sorted(p.name for p in out.glob("*")) == [f"{cid}_sends.csv", f"{cid}_sends.json"]

"""Export approved sends for an email/SMS platform: CSV and JSON, consented customers only."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

COLUMNS = ["campaign_id", "customer_id", "arm", "channel", "language", "to", "first_name", "subject",
           "preheader", "body", "offer_code", "offer_kind", "discount_pct", "expires_on", "unsubscribe_url",
           "sender_name", "sender_email"]


def send_rows(campaign_id: str, approved: list[dict[str, Any]], contacts: dict[str, dict[str, Any]]
              ) -> list[dict[str, Any]]:
    """One flat row per approved draft whose customer still consents (re-checked at export time)."""
    rows = []
    for a in approved:
        c = contacts.get(a["customer_id"])
        if c is None or not c["marketing_consent"] or c["unsubscribed"]:
            continue
        d = json.loads(a["draft"])
        to = {"email": c["email"], "sms": c["phone"], "push": a["customer_id"]}[a["channel"]]
        if not to:
            continue
        rows.append({"campaign_id": campaign_id, "customer_id": a["customer_id"], "arm": a["arm"],
                     "channel": a["channel"], "language": a["language"], "to": to, "first_name": d["first_name"],
                     "subject": a["subject"], "preheader": a["preheader"], "body": a["body"],
                     "offer_code": d["offer"]["code"], "offer_kind": d["offer"]["kind"],
                     "discount_pct": d["offer"]["discount_pct"], "expires_on": d["offer"]["expires_on"],
                     "unsubscribe_url": d["unsubscribe_url"], "sender_name": d["sender_name"],
                     "sender_email": d["sender_email"]})
    return rows


def export_paths(campaign_id: str, out_dir: Path, formats: list[str]) -> list[Path]:
    return [out_dir / f"{campaign_id}_sends.{f}" for f in ("csv", "json") if f in formats]


def write_files(campaign_id: str, rows: list[dict[str, Any]], paths: list[Path]) -> None:
    """Write each file to a temporary name, then move it into place (a platform never reads half a file). CSV
    cells that a spreadsheet would run as formulas are quoted (shop.csv_safe)."""
    from shop.csv_safe import safe_dicts

    for p in paths:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".part")
        if p.suffix == ".csv":
            with tmp.open("w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=COLUMNS)
                w.writeheader()
                w.writerows(safe_dicts(rows))
        else:
            tmp.write_text(json.dumps({"campaign_id": campaign_id, "count": len(rows), "sends": rows}, indent=1,
                                      ensure_ascii=False, default=str), encoding="utf-8")
        tmp.replace(p)

"""Recorded outcomes from a file (an email platform's report joined with shop purchases): one row per assigned
customer, holdout included, with columns customer_id, opened, clicked, purchased, revenue, days_to_purchase."""

from __future__ import annotations

import csv
from pathlib import Path

from core.errors import ImportDataError
from retention.campaigns.experiment import Outcome

REQUIRED = ("customer_id", "purchased")
_TRUE, _FALSE = {"1", "true", "yes", "y", "t"}, {"0", "false", "no", "n", "f", ""}


def _bool(path: Path, line: int, col: str, value: str | None) -> bool:
    v = (value or "").strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ImportDataError(path, f"{value!r} is not a yes/no value", line=line, column=col)


def read_outcomes(path: Path, arms: dict[str, str]) -> list[Outcome]:
    """Parse and check the file against the campaign's assignment (customer_id -> arm)."""
    if not path.exists():
        raise ImportDataError(path, "file not found")
    out: list[Outcome] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportDataError(path, f"missing column(s) {missing}; columns: customer_id, opened, clicked, "
                                        "purchased, revenue, days_to_purchase", line=1)
        for line, row in enumerate(reader, start=2):
            cid = (row.get("customer_id") or "").strip()
            if cid not in arms:
                raise ImportDataError(path, f"customer {cid!r} is not in this campaign", line=line,
                                      column="customer_id")
            try:
                revenue = float(row.get("revenue") or 0)
                days = int(row["days_to_purchase"]) if (row.get("days_to_purchase") or "").strip() else None
            except ValueError as e:
                raise ImportDataError(path, f"not a number ({e})", line=line) from None
            out.append(Outcome(customer_id=cid, arm=arms[cid], purchased=_bool(path, line, "purchased",
                                                                               row.get("purchased")),
                               revenue=revenue, days_to_purchase=days,
                               opened=_bool(path, line, "opened", row.get("opened")),
                               clicked=_bool(path, line, "clicked", row.get("clicked"))))
    seen = {o.customer_id for o in out}
    if len(seen) != len(out):
        raise ImportDataError(path, "a customer appears more than once")
    if absent := len(set(arms) - seen):
        raise ImportDataError(path, f"{absent} assigned customers (holdout included) have no row; uplift needs "
                                    "outcomes for every assigned customer")
    return out

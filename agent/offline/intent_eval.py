"""Scoring a router on labelled messages (`retain eval intents`): accuracy overall, per intent and per language,
the share of messages it sends to a write intent (`risky`), and the share it answers with a clarifying question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.offline.classifier import WRITE_INTENTS
from agent.offline.ops import INTENTS as OPERATIONS


def risky_share(intents: list[str], strict: bool = False) -> float:
    """The share of routes that would start a write (cancel, return, address change; `strict`: the order operations
    too: exchange, item and payment changes, the default address)."""
    writes = {*WRITE_INTENTS, *(OPERATIONS if strict else ())}
    return round(sum(i in writes for i in intents) / len(intents), 4) if intents else 0.0


def _rate(pairs: list[bool]) -> float:
    return round(sum(pairs) / len(pairs), 4)


def score(rows: list[dict[str, str]], router: Callable[[str], str], label_map: dict[str, str] | None = None,
          misses: bool = False) -> dict[str, Any]:
    """rows: {text, intent?, lang?}; router: text -> our intent. Rows without an intent count only in `risky`
    and `clarify` (a file of messages from other businesses needs no labels)."""
    label_map = label_map or {}
    got = [router(r["text"]) for r in rows]
    out: dict[str, Any] = {"n": len(rows), "risky": risky_share(got), "risky_strict": risky_share(got, strict=True),
                           "clarify": _rate([g == "clarify" for g in got])
                           if got else 0.0}
    labelled = [(r, label_map.get(r["intent"], r["intent"]), g) for r, g in zip(rows, got, strict=True) if r.get("intent")]
    if not labelled:
        return out
    per: dict[str, list[bool]] = {}
    langs: dict[str, list[bool]] = {}
    for r, want, g in labelled:
        per.setdefault(want, []).append(g == want)
        if r.get("lang"):
            langs.setdefault(r["lang"], []).append(g == want)
    out["accuracy"] = _rate([g == want for _, want, g in labelled])
    out["by_intent"] = {k: _rate(v) for k, v in sorted(per.items())}
    if langs:
        out["by_lang"] = {k: {"n": len(v), "accuracy": _rate(v)} for k, v in sorted(langs.items())}
    if misses:
        out["misses"] = [{"text": r["text"], "want": want, "got": g} for r, want, g in labelled if g != want]
    return out

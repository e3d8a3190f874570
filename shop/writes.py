"""Confirmed writes, run once: one transaction that claims the action's idempotency key, re-checks the state,
writes and audits, so the reply can say what actually happened.

Every write tool's confirmed action goes through `run_once` (tools.orders.execute_pending). Concurrent confirms
of the same pending action (same key) write once and all report that result; confirms of different pending
actions on the same record are serialised by DuckDB's conflict detection and re-checked after the winner, so
the losers are refused with the record's new state. A store that fails part-way (disk full, read-only) rolls
everything back, and the reply says nothing was changed. Refusals are audited too, with the same actor.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from core.errors import RetainError
from shop.db import scalar, store_cause, transaction
from shop.queries import audit

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger("retain.writes")
ATTEMPTS = 60  # write-write conflicts retried (the re-check then sees the winner's commit)


def _conflict(e: BaseException) -> bool:
    """A write-write conflict with a concurrent transaction (worth a retry), not a failing disk."""
    import duckdb

    if store_cause(e) is not None:
        return False
    return isinstance(e, duckdb.TransactionException | duckdb.ConstraintException) or "conflict" in str(e).lower()


def run_once(con: duckdb.DuckDBPyConnection, key: str, tool: str, role: str, actor_id: str | None,
             target: str | None, args: dict[str, Any],
             write: Callable[[duckdb.DuckDBPyConnection], dict[str, Any]]) -> dict[str, Any]:
    """Run `write(con)` (which re-checks and raises a RetainError when the action is no longer allowed) as one
    transaction with its idempotency claim and audit row. Returns {"kind": "done", "action": tool, ...result}
    or {"kind": "error", "message": ...}; never raises for a refusal, a conflict or a failing disk."""
    refused: str | None = None
    for attempt in range(ATTEMPTS):
        try:
            with transaction(con):
                earlier = con.execute("SELECT result, actor_role, actor_id FROM write_actions WHERE action_key = ?",
                                      [key]).fetchall()
                if earlier and tuple(earlier[0][1:]) != (role, actor_id):  # never another principal's result
                    raise RetainError("that confirmation belongs to another conversation")
                if earlier:  # confirmed twice: report what the first confirm did
                    return {"kind": "done", "action": tool, **json.loads(earlier[0][0]), "repeat": True}
                result = write(con)
                con.execute("INSERT INTO write_actions (action_key, tool, actor_role, actor_id, target, result) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            [key, tool, role, actor_id, target, json.dumps(result, default=str)])
                audit(con, role, actor_id, f"write:{tool}", target, {"args": args, "result": result}, True)
            return {"kind": "done", "action": tool, **result}
        except RetainError as e:  # the re-check refused it: nothing was written
            refused = str(e)
            break
        except Exception as e:  # noqa: BLE001 - sorted below: a conflict is retried, a failing store reported
            if _conflict(e) and attempt + 1 < ATTEMPTS:
                time.sleep(random.uniform(0.001, 0.005) * min(attempt + 1, 10))
                continue
            return _failed(con, key, tool, role, actor_id, target, args, e)
    _audit_refusal(con, role, actor_id, tool, target, args, refused or "refused")
    return {"kind": "error", "action": tool, "message": f"I couldn't complete that: {refused}. Nothing was changed."}


def _failed(con: duckdb.DuckDBPyConnection, key: str, tool: str, role: str, actor_id: str | None,
            target: str | None, args: dict[str, Any], e: Exception) -> dict[str, Any]:
    """The write failed for a reason other than its own checks: say truthfully whether it happened."""
    cause = ("a storage problem on our side" if store_cause(e)   # the shopper gets no paths or admin hints
             else "another change to the same order got there first" if _conflict(e)
             else f"an unexpected {type(e).__name__}")
    log.warning("write %s (%s) failed: %s", tool, key, e)
    try:
        landed = scalar(con, "SELECT result FROM write_actions WHERE action_key = ?", [key])
    except Exception:  # noqa: BLE001 - the store can't even be read: we can't tell
        return {"kind": "error", "action": tool,
                "message": f"I can't tell whether that went through ({cause}). Please don't repeat it: ask for a "
                           "human and a colleague will check."}
    if landed is not None:
        return {"kind": "done", "action": tool, **json.loads(landed)}
    _audit_refusal(con, role, actor_id, tool, target, args, cause)
    return {"kind": "error", "action": tool,
            "message": f"I couldn't complete that: the shop's records could not be saved just now ({cause}), so "
                       "nothing was changed. Please try again later, or ask for a human."}


def _audit_refusal(con: duckdb.DuckDBPyConnection, role: str, actor_id: str | None, tool: str, target: str | None,
                   args: dict[str, Any], why: str) -> None:
    try:
        audit(con, role, actor_id, f"write:{tool}", target, {"args": args, "refused": why}, False)
    except Exception as e:  # noqa: BLE001 - a full disk can't take the audit row either; the log keeps it
        log.error("could not audit refused write %s by %s/%s (%s): %s", tool, role, actor_id, why, e)

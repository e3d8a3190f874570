"""The staff inbox's store side: tickets by status, claim, reply, solve (each one transaction, audited with the
staff user's login), and the staff replies a shopper may see.

Statuses stay 'open' | 'resolved' in the tickets table; the inbox shows three: "open" (open, nobody has claimed
it), "assigned" (open, claimed: `assignee` is the staff login) and "solved" (resolved).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import TYPE_CHECKING, Any

from core.errors import NotFoundError, RetainError
from shop.db import rows, transaction
from shop.queries import audit

if TYPE_CHECKING:
    import duckdb

STATUSES = ("open", "assigned", "solved")
_WHERE = {"open": "status = 'open' AND assignee IS NULL", "assigned": "status = 'open' AND assignee IS NOT NULL",
          "solved": "status = 'resolved'", "all": "TRUE"}
MAX_REPLY = 4000


def inbox_status(ticket: dict[str, Any]) -> str:
    """'open' | 'assigned' | 'solved' for a tickets row."""
    if ticket["status"] == "resolved":
        return "solved"
    return "assigned" if ticket.get("assignee") else "open"


def list_tickets(con: duckdb.DuckDBPyConnection, status: str = "open", limit: int = 200) -> list[dict[str, Any]]:
    """Tickets in one inbox status ('open', 'assigned', 'solved' or 'all'), newest first."""
    if status not in _WHERE:
        raise RetainError(f"inbox status must be one of {', '.join(_WHERE)}, not {status!r}")
    found = rows(con, "SELECT ticket_id, customer_id, order_id, created_at, category, subject, body, status, assignee, "
                      f"updated_at FROM tickets WHERE {_WHERE[status]} ORDER BY created_at DESC, ticket_id DESC "
                      "LIMIT ?", [int(limit)])
    return [{**t, "inbox_status": inbox_status(t)} for t in found]


def get_ticket(con: duckdb.DuckDBPyConnection, ticket_id: str) -> dict[str, Any]:
    found = rows(con, "SELECT * FROM tickets WHERE ticket_id = ?", [ticket_id])
    if not found:
        raise NotFoundError(f"no ticket {ticket_id!r}")
    return {**found[0], "inbox_status": inbox_status(found[0])}


def messages(con: duckdb.DuckDBPyConnection, ticket_id: str) -> list[dict[str, Any]]:
    """The messages on a ticket, oldest first."""
    return rows(con, "SELECT message_id, author_role, author_id, body, created_at FROM ticket_messages "
                     "WHERE ticket_id = ? ORDER BY message_id", [ticket_id])


def _open_for(con: duckdb.DuckDBPyConnection, ticket_id: str, staff: str) -> dict[str, Any]:
    """The ticket, if `staff` may work on it: it is open and unclaimed or claimed by them."""
    t = get_ticket(con, ticket_id)
    if t["status"] == "resolved":
        raise RetainError(f"ticket {ticket_id} is already solved")
    if t["assignee"] and t["assignee"] != staff:
        raise RetainError(f"ticket {ticket_id} is claimed by {t['assignee']}")
    return t


def _act(con: duckdb.DuckDBPyConnection, staff: str, action: str, ticket_id: str, details: dict[str, Any],
         write: Any) -> dict[str, Any]:
    """Run `write(con)` in one transaction with its audit row; a refusal is audited too, then raised."""
    from shop.writes import ATTEMPTS, _conflict

    if not staff:
        raise RetainError("a staff user is needed for this")
    for attempt in range(ATTEMPTS):
        try:
            with transaction(con):
                result: dict[str, Any] = write(con)
                audit(con, "staff", staff, f"ticket:{action}", ticket_id, {**details, **result}, True)
            return result
        except RetainError as e:
            audit(con, "staff", staff, f"ticket:{action}", ticket_id, {**details, "refused": str(e)}, False)
            raise
        except Exception as e:  # two staff at once: retried, and the re-check then sees the winner's change
            if not _conflict(e) or attempt + 1 == ATTEMPTS:
                raise
            time.sleep(random.uniform(0.001, 0.005) * min(attempt + 1, 10))
    raise AssertionError("unreachable")  # pragma: no cover


def claim(con: duckdb.DuckDBPyConnection, ticket_id: str, staff: str) -> dict[str, Any]:
    """Assign the ticket to `staff`; refused when someone else has claimed it or it is solved."""
    def write(c: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        t = _open_for(c, ticket_id, staff)
        if t["assignee"] == staff:
            return {"assignee": staff, "already": True}
        now = dt.datetime.now()
        c.execute("UPDATE tickets SET assignee = ?, assigned_at = ?, updated_at = ? WHERE ticket_id = ? "
                  "AND assignee IS NULL", [staff, now, now, ticket_id])
        return {"assignee": staff}

    return _act(con, staff, "claim", ticket_id, {}, write)


def reply(con: duckdb.DuckDBPyConnection, ticket_id: str, staff: str, body: str) -> dict[str, Any]:
    """Add a staff message for the shopper (claiming an unclaimed ticket); returns its message_id."""
    text = (body or "").strip()
    if not text:
        raise RetainError("the reply is empty")
    if len(text) > MAX_REPLY:
        raise RetainError(f"the reply is too long ({len(text):,} characters; the limit is {MAX_REPLY:,})")

    def write(c: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        t = _open_for(c, ticket_id, staff)
        now = dt.datetime.now()
        if not t["assignee"]:
            c.execute("UPDATE tickets SET assignee = ?, assigned_at = ? WHERE ticket_id = ?", [staff, now, ticket_id])
        mid = c.execute("INSERT INTO ticket_messages (ticket_id, author_role, author_id, body, created_at) "
                        "VALUES (?, 'staff', ?, ?, ?) RETURNING message_id", [ticket_id, staff, text, now]).fetchall()
        c.execute("UPDATE tickets SET updated_at = ? WHERE ticket_id = ?", [now, ticket_id])
        return {"message_id": int(mid[0][0]), "chars": len(text)}

    return _act(con, staff, "reply", ticket_id, {}, write)


def solve(con: duckdb.DuckDBPyConnection, ticket_id: str, staff: str) -> dict[str, Any]:
    """Mark the ticket resolved; refused when someone else has claimed it or it is already solved."""
    def write(c: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        t = _open_for(c, ticket_id, staff)
        now = dt.datetime.now()
        c.execute("UPDATE tickets SET status = 'resolved', resolved_at = ?, updated_at = ?, "
                  "assignee = coalesce(assignee, ?) WHERE ticket_id = ?", [now, now, staff, ticket_id])
        return {"status": "resolved", "was": t["status"]}

    return _act(con, staff, "solve", ticket_id, {}, write)


def staff_replies(con: duckdb.DuckDBPyConnection, customer_id: str | None, thread_id: str | None = None,
                  after: int = 0, since: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Staff messages newer than message `after` on this shopper's own tickets only: the signed-in customer's
    tickets, or, for an anonymous visitor, the tickets opened from their conversation without a customer. With
    `since`, a solved ticket's messages count only from then (a page opened later shows the open tickets')."""
    params: list[Any]
    if customer_id:
        where, params = "t.customer_id = ?", [customer_id]
    elif thread_id:
        where, params = "t.customer_id IS NULL AND t.thread_id = ?", [thread_id]
    else:
        return []
    if since is not None:
        where += " AND (t.status = 'open' OR m.created_at >= ?)"
        params.append(since)
    return rows(con, "SELECT m.message_id, m.ticket_id, m.body, m.created_at FROM ticket_messages m JOIN tickets t "
                     f"USING (ticket_id) WHERE {where} AND m.author_role = 'staff' AND m.message_id > ? "
                     "ORDER BY m.message_id", [*params, int(after)])

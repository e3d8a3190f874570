"""Hand the conversation to a human: a ticket with a case summary (after the shopper confirms)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.session import PendingAction, Session
from tools import tool
from tools.orders import CONFIRM


class HandoffArgs(BaseModel):
    summary: str = Field(description="a short summary of the case for the human agent")


@tool("request_human", HandoffArgs, roles=("shopper",), writes=True)
def request_human(session: Session, summary: str) -> dict[str, Any]:
    """Open a support ticket so a human agent takes over, with a summary of the case."""
    order_id = session.facts.get("order_id")
    case = summary + (f" (order {order_id})" if order_id else "")
    session.pending = PendingAction("handoff", {"summary": case, "order_id": order_id},
                                    f"Open a ticket for a human colleague with this summary: \"{case}\".")
    return {"kind": "confirm", "summary": session.pending.summary + CONFIRM, "action": "handoff", "case": case}

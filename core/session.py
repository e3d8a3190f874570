"""Who is asking (the principal), and the per-conversation state tools share: never taken from model output."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import duckdb

    from core.config import Settings

Role = Literal["shopper", "staff", "marketer"]
ROLES: tuple[Role, ...] = ("shopper", "staff", "marketer")


@dataclass
class Principal:
    """Set by the UI or CLI session. A shopper without customer_id is an anonymous widget visitor who must
    authenticate (email, or name plus zip) before any account question."""

    role: Role
    customer_id: str | None = None
    staff_id: str | None = None

    @property
    def actor_id(self) -> str | None:
        return self.customer_id if self.role == "shopper" else self.staff_id


@dataclass
class PendingAction:
    """A write waiting for the user's explicit yes: what will run, and the exact summary they were shown. The key
    makes it run at most once, however many times it is confirmed (shop.writes.run_once)."""

    tool: str
    args: dict[str, Any]
    summary: str
    key: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass
class Session:
    settings: Settings
    con: duckdb.DuckDBPyConnection
    principal: Principal
    thread_id: str = "default"
    pending: PendingAction | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # e.g. the last order discussed

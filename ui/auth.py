"""Logins for the staff and marketing consoles: configured users, or one random password printed at start."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from core.errors import ConfigError


@dataclass(frozen=True)
class Logins:
    """Who may open /staff and /marketing. `generated` is set when no users were configured."""

    users: dict[str, str]
    generated: str | None = None

    def check(self, username: str, password: str) -> bool:
        """Constant-time password check for one user."""
        want = self.users.get(username)
        return want is not None and secrets.compare_digest(want.encode(), password.encode())


def user_of(request: object, fallback: str) -> str:
    """The logged-in user's name from a Gradio request (the audit actor), else `fallback`."""
    return getattr(request, "username", None) or fallback


def parse_users(spec: str) -> dict[str, str]:
    """'alice:pw1,bob:pw2' -> {'alice': 'pw1', 'bob': 'pw2'}; a malformed entry is a ConfigError."""
    users: dict[str, str] = {}
    for entry in (e.strip() for e in spec.split(",")):
        if not entry:
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise ConfigError(f"RETAIN_UI_USERS entry {entry.split(':')[0]!r} must be 'user:password'")
        users[user.strip()] = password
    if not users:
        raise ConfigError("RETAIN_UI_USERS is set but names no 'user:password' entry")
    return users


def resolve_logins(ui_users: str | None) -> Logins:
    """The configured users, or user 'staff' with a fresh random password (never a default one)."""
    if ui_users:
        return Logins(parse_users(ui_users))
    password = secrets.token_urlsafe(12)
    return Logins({"staff": password}, generated=password)

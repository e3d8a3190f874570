"""Logins for the staff and marketing consoles: users with a role (staff, marketer, admin) and an argon2id password
hash, from the users file (`retain users add`) and/or RETAIN_UI_USERS. Each console admits only its roles."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError

if TYPE_CHECKING:
    from core.config import Settings

ROLES = ("staff", "marketer", "admin")
# console (mount path without the slash) -> the roles it admits
CONSOLES: dict[str, tuple[str, ...]] = {"staff": ("staff", "admin"), "marketing": ("marketer", "admin")}


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current (RFC 9106 low-memory) parameters


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ConfigError("a password needs at least 8 characters")
    return str(_hasher().hash(password))


@dataclass(frozen=True)
class User:
    role: str
    hash: str


@dataclass(frozen=True)
class Logins:
    """Who may open /staff and /marketing. `generated` maps user -> password for demo users created this run."""

    users: dict[str, User]
    generated: dict[str, str] = field(default_factory=dict)

    @classmethod
    def plain(cls, users: dict[str, str], role: str = "admin") -> Logins:
        """From clear passwords (tests, RETAIN_UI_USERS): hashed here, never kept."""
        return cls({u: User(role, _hasher().hash(p)) for u, p in users.items()})

    def check(self, username: str, password: str) -> bool:
        """Verify the password against the user's hash (argon2's verify is constant-time)."""
        from argon2.exceptions import Argon2Error, InvalidHashError

        user = self.users.get(username)
        if user is None:
            return False
        try:
            return bool(_hasher().verify(user.hash, password))
        except (Argon2Error, InvalidHashError):
            return False

    def admits(self, console: str, username: str) -> bool:
        user = self.users.get(username)
        return user is not None and user.role in CONSOLES[console]


def user_of(request: object, fallback: str) -> str:
    """The logged-in user's name from a Gradio request (the audit actor), else `fallback`."""
    return getattr(request, "username", None) or fallback


def parse_users(spec: str) -> dict[str, tuple[str, str]]:
    """'alice:pw1:staff,bob:pw2:marketer' -> {'alice': ('pw1', 'staff'), ...}; a missing role means admin.
    A malformed entry is a ConfigError."""
    users: dict[str, tuple[str, str]] = {}
    for entry in (e.strip() for e in spec.split(",")):
        if not entry:
            continue
        user, sep, rest = entry.partition(":")
        password, _, role = rest.rpartition(":") if rest.rsplit(":", 1)[-1] in ROLES else (rest, "", "admin")
        if not sep or not user.strip() or not password:
            raise ConfigError(f"RETAIN_UI_USERS entry {entry.split(':')[0]!r} must be 'user:password[:role]'")
        users[user.strip()] = (password, role)
    if not users:
        raise ConfigError("RETAIN_UI_USERS is set but names no 'user:password' entry")
    return users


def users_path(settings: Settings) -> Path:
    return settings.data_dir / "users.json"


def read_users(path: Path) -> dict[str, User]:
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {name: User(u["role"], u["hash"]) for name, u in raw["users"].items()}
    except (ValueError, KeyError, TypeError) as e:
        raise ConfigError(f"{path}: not a users file ({e}); fix it or remove it and run `retain users add`") from e


def write_users(path: Path, users: dict[str, User]) -> None:
    """Atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    body = {"users": {n: {"role": u.role, "hash": u.hash} for n, u in sorted(users.items())}}
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(body, f, indent=1)
    os.replace(tmp, path)


def add_user(settings: Settings, name: str, password: str, role: str) -> None:
    if role not in ROLES:
        raise ConfigError(f"role {role!r}: use one of {', '.join(ROLES)}")
    if not name.strip() or ":" in name or "," in name:
        raise ConfigError(f"user name {name!r}: use letters, digits, '.', '-' or '_'")
    path = users_path(settings)
    users = read_users(path)
    users[name.strip()] = User(role, hash_password(password))
    write_users(path, users)


def remove_user(settings: Settings, name: str) -> None:
    path = users_path(settings)
    users = read_users(path)
    if name not in users:
        raise ConfigError(f"no user {name!r} in {path}")
    del users[name]
    write_users(path, users)


def resolve_logins(settings: Settings) -> Logins:
    """The users file plus RETAIN_UI_USERS. With neither, demo mode creates a `staff` and a `marketer` user once
    (kept in the users file; their passwords in demo_logins.txt beside it); otherwise nobody can log in until
    `retain users add` (never a default or per-start password)."""
    users = read_users(users_path(settings))
    if settings.ui_users:
        users |= {u: User(role, _hasher().hash(p)) for u, (p, role) in parse_users(settings.ui_users).items()}
    if users or not settings.demo:
        return Logins(users)
    generated = {"staff": secrets.token_urlsafe(12), "marketer": secrets.token_urlsafe(12)}
    users = {"staff": User("staff", hash_password(generated["staff"])),
             "marketer": User("marketer", hash_password(generated["marketer"]))}
    write_users(users_path(settings), users)
    note = demo_logins_path(settings)
    fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("".join(f"{u} {p}\n" for u, p in generated.items()))
    return Logins(users, generated)


def demo_logins_path(settings: Settings) -> Path:
    return settings.data_dir / "demo_logins.txt"

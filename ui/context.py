"""What every page shares: the Settings, one store connection (a cursor per request), lazy backends."""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass, field
from typing import Any

from core.config import Settings


def available(module: str) -> bool:
    """True when another part of the project (e.g. 'retention.summary') has landed."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def not_available(what: str, module: str) -> str:
    return f"**{what} is not available yet**: `{module}` has not landed in this build."


@dataclass
class AppContext:
    settings: Settings
    _con: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    cache: dict[str, Any] = field(default_factory=dict)

    def has_store(self) -> bool:
        return self.settings.db_path.exists()

    def cursor(self) -> Any:
        """A DuckDB cursor on the app's one connection (DuckDB allows one writer process per file)."""
        from core.errors import NotFoundError
        from shop.db import connect

        if not self.has_store():
            raise NotFoundError(f"no shop store at {self.settings.db_path}: run `retain demo` first")
        with self._lock:
            if self._con is None:
                self._con = connect(self.settings.db_path)
            return self._con.cursor()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.cursor()
        try:
            res = cur.execute(sql, params or [])
            cols = [d[0] for d in res.description]
            return [dict(zip(cols, r, strict=True)) for r in res.fetchall()]
        finally:
            cur.close()

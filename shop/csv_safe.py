"""CSV cells that a spreadsheet never runs as formulas (OWASP CSV injection).

A text cell starting with =, +, -, @, a tab or a carriage return is prefixed with a single quote, so Excel,
LibreOffice and Sheets show it as text. Plain numbers and phone numbers ("+44 7700 900123", "-5") are left as
they are: they can hold no function call, and an SMS platform needs the number as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d .()-]*")


def safe_cell(value: Any) -> Any:
    """The value, with a leading quote if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    return [[safe_cell(v) for v in row] for row in rows]


def safe_dicts(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: safe_cell(v) for k, v in row.items()} for row in rows]

"""What the offline planner decides for a turn: the tool calls a real LLM would make, and the words around their
results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    name: str
    args: dict[str, Any]


@dataclass
class Plan:
    calls: list[Call]
    reply: str | None = None  # a direct reply when no tool is needed, or a question after the results shown
    quiet: set[int] = field(default_factory=set)  # calls made only to look something up: their results not shown
    note: str = ""  # said before a confirmation the turn ends with (e.g. "I can't do that myself")

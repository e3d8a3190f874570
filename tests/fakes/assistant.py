"""An assistant that answers every message with one fixed Reply: the web chat's rendering, tested alone."""

from __future__ import annotations

from collections.abc import Callable

from agent.runner import Reply


class FakeAssistant:
    def __init__(self, reply: Reply):
        self.reply = reply

    def ask(self, text: str, on_token: Callable[[str], None] | None = None) -> Reply:
        return self.reply  # no model tokens: the chat shows the whole reply

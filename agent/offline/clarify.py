"""The question the offline engine asks when the learned router is unsure: the two likeliest intents, named in
the shopper's language ("Do you want to cancel an order or check where your orders are?")."""

from __future__ import annotations

from agent.offline.replies import reply, table


def question(alternatives: list[tuple[str, float]], lang: str = "en") -> str:
    names = table(lang, "intents")
    options = list(dict.fromkeys(names.get(i, names["greeting"]) for i, _ in alternatives[:2])) or [names["policy"]]
    return reply(lang, "clarify_head") + reply(lang, "clarify_or").join(options) + reply(lang, "clarify_tail")

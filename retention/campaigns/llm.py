"""Drafts written by a chat model, then validated like every other draft.

The model gets the brand voice (prompts/winback/brand_voice.md) as its system prompt and the customer's facts plus
the template draft as a reference; it answers with JSON {subject, preheader, body}. The structured facts (offer,
products, unsubscribe link) stay those of the template draft, so the validator checks the model's text against
the store. Any LangChain chat model works (`.invoke(messages)` returning a message with `.content`).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from retention.campaigns import channels as ch
from retention.campaigns.models import Draft, Issue

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.M)


def _prompt(base: Draft, issues: list[Issue] | None) -> list[tuple[str, str]]:
    import jinja2

    voice = resources.files("prompts").joinpath("winback/brand_voice.md").read_text(encoding="utf-8")
    tpl = resources.files("prompts").joinpath("winback/llm_draft.md.j2").read_text(encoding="utf-8")
    facts = {"first_name": base.first_name, "shop_name": base.shop_name, "sender_name": base.sender_name,
             "offer": base.offer.model_dump(mode="json"), "unsubscribe_url": base.unsubscribe_url,
             "products": [p.model_dump() for p in base.products]}
    limits = {"email": f"subject <= {ch.EMAIL_SUBJECT_MAX} characters, preheader <= {ch.EMAIL_PREHEADER_MAX}",
              "sms": f"one SMS: {ch.SMS_GSM7_MAX} GSM-7 characters, {ch.SMS_UCS2_MAX} if any character is "
                     "outside GSM-7 (Chinese, emoji)",
              "push": f"title <= {ch.PUSH_TITLE_MAX} characters, body <= {ch.PUSH_BODY_MAX}"}[base.channel]
    reference = "\n".join(f"{k}: {v}" for k, v in (("subject", base.subject), ("preheader", base.preheader))
                          if v) + f"\nbody:\n{base.body}"
    user = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(tpl).render(
        channel=base.channel, language=base.language, facts=json.dumps(facts, ensure_ascii=False, indent=1),
        limits=limits, reference=reference, issues=[i.message for i in issues or []])
    return [("system", voice), ("human", user)]


def llm_draft(model: Any, base: Draft, issues: list[Issue] | None = None) -> Draft:
    """Ask the model for the text; an unusable answer gives an empty body (which the validator flags)."""
    answer = model.invoke(_prompt(base, issues))
    content = answer.content if hasattr(answer, "content") else str(answer)
    text = content if isinstance(content, str) else " ".join(str(c) for c in content)
    try:
        data = json.loads(_FENCE.sub("", text.strip()))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError:
        data = {"subject": None, "preheader": None, "body": ""}
    return base.model_copy(update={
        "subject": data.get("subject") if base.channel != "sms" else None,
        "preheader": data.get("preheader") if base.channel == "email" else None,
        "body": str(data.get("body") or ""), "attempt": (base.attempt + 1) if issues else base.attempt})

"""One conversation: confirmations are handled here, outside the model, so no model output can skip them."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from agent.offline import words
from core.config import Settings
from core.session import Principal, Session

# the words of a yes or a no in every language: the [confirm] table of agent/lang/<lang>/dialogue.toml
_YES = words.joined("yes", "confirm").pattern
_NO = words.joined("no", "confirm").pattern
_SEP = "[\\s" + re.escape("".join(sep for _c, sep in words.values("sep", "confirm"))) + "]*"
_POLITE = words.joined("polite", "confirm").pattern  # may follow an answer, never replace it
YES = re.compile(rf"^{_SEP}({_YES})({_SEP}({_YES}|{_POLITE}))*{_SEP}$", re.I)
NO = re.compile(rf"^{_SEP}({_NO})({_SEP}({_NO}|{_POLITE}))*{_SEP}$", re.I)


def too_long(n: int, limit: int) -> str:
    return (f"Your message is too long ({n:,} characters; the limit is {limit:,}). Please shorten it, or split it "
            "into several messages.")


@dataclass
class Reply:
    text: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    needs_confirmation: bool = False
    ticket_id: str | None = None
    seconds: float = 0.0


class Assistant:
    def __init__(self, settings: Settings, principal: Principal, model: Any = None, con: Any = None,
                 thread_id: str = "default", saver: Any = None):
        from agent.graph import build_agent
        from agent.llm import load_chat_model
        from shop.db import connect

        self.con = con if con is not None else connect(settings.db_path)
        self.session = Session(settings, self.con, principal, thread_id)
        if principal.role == "shopper" and principal.customer_id:
            from shop.queries import preferred_language

            self.session.facts["language"] = preferred_language(self.con, principal.customer_id) or "en"
        self.model = model if model is not None else load_chat_model(settings.model, settings)
        self.agent = build_agent(self.session, self.model, saver=saver)
        self.config = {"configurable": {"thread_id": thread_id}}

    def ask(self, text: str, on_token: Any = None) -> Reply:
        """One turn. on_token(str), if given, receives the answer's tokens as a model provider writes them
        (the offline engine writes none; its reply comes whole)."""
        sinks = getattr(self.model, "sinks", None)
        if on_token is None or not isinstance(sinks, list):
            return self._ask(text)
        sinks.append(on_token)
        try:
            return self._ask(text)
        finally:
            sinks.remove(on_token)

    def _ask(self, text: str) -> Reply:
        import json

        from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

        t0 = time.perf_counter()
        s = self.session
        if len(text) > (limit := s.settings.max_message_chars):
            return Reply(too_long(len(text), limit), seconds=time.perf_counter() - t0)
        typed = s.facts.setdefault("typed", [])   # the shopper's own words: what verify_identity may use
        typed[:] = [*typed[-19:], text]
        if s.pending is not None and (YES.match(text) or NO.match(text)):
            from tools.orders import execute_pending

            lang = self._language(text)
            if YES.match(text):
                from agent.offline.compose import compose

                if s.pending.tool == "handoff":  # the ticket keeps the conversation so far, for staff
                    s.facts["transcript"] = self.transcript(text)
                result = execute_pending(s)  # says what happened: done, refused, or not saved (never raises)
                s.facts.pop("transcript", None)
                answer = compose([result], lang)
                calls = [{"name": "confirm:" + str(result.get("action", "")), "args": {}}]
            else:
                from agent.offline.replies import reply

                s.pending = None
                answer, calls, result = reply(lang, "unchanged"), [], {}
            try:
                self.agent.update_state(self.config, {"messages": [HumanMessage(text), AIMessage(answer)]})
            except Exception:  # noqa: BLE001 - memory that can't be saved (disk full) must not hide what was done
                import logging

                logging.getLogger("retain.runner").exception("could not save the conversation %s", self.config)
            return Reply(answer, calls, ticket_id=result.get("ticket_id"), seconds=time.perf_counter() - t0)
        s.pending = None  # moving on without a yes drops the pending change
        before = len(self.agent.get_state(self.config).values.get("messages", []))
        out = self.agent.invoke({"messages": [HumanMessage(text)]}, self.config)
        new = out["messages"][before:]
        calls = [{"name": c["name"], "args": c["args"]} for m in new if isinstance(m, AIMessage) for c in m.tool_calls]
        calls += self._learn_language(text)
        cites = []
        for m in new:
            if isinstance(m, ToolMessage):
                try:
                    payload = json.loads(m.content) if isinstance(m.content, str) else {}
                except ValueError:
                    payload = {}
                if payload.get("kind") == "passages":
                    from agent.offline.compose import cited

                    cites += [{k: p.get(k) for k in ("title", "section", "kind", "url", "score")}
                              for p, _sents in cited(payload)]
        return Reply(str(out["messages"][-1].content), calls, cites, needs_confirmation=s.pending is not None,
                     seconds=time.perf_counter() - t0)

    def transcript(self, last: str | None = None, limit: int = 40) -> str:
        """The conversation so far as plain text ("Shopper: …" / "Assistant: …"), the last `limit` turns, tool
        calls and tool results left out; `last` is the message being answered now."""
        from langchain_core.messages import AIMessage, HumanMessage

        who = "Staff" if self.session.principal.role == "staff" else "Shopper"
        turns = [f"{who if isinstance(m, HumanMessage) else 'Assistant'}: {m.content}"
                 for m in self.agent.get_state(self.config).values.get("messages", [])
                 if isinstance(m, HumanMessage | AIMessage) and isinstance(m.content, str) and m.content.strip()]
        if last:
            turns.append(f"{who}: {last}")
        return "\n".join(turns[-limit:])

    def _language(self, text: str) -> str:
        """The language to answer this message in (see agent.language.reply_language)."""
        from langchain_core.messages import HumanMessage

        from agent.language import reply_language

        earlier = [str(m.content) for m in self.agent.get_state(self.config).values.get("messages", [])
                   if isinstance(m, HumanMessage)]
        return reply_language(text, earlier, self.session.facts.get("language"))

    def _learn_language(self, text: str) -> list[dict[str, Any]]:
        """Keep the signed-in shopper's preferred language in the store: when their last two messages with a
        language are both in one that differs from the stored one, record it (through the audited set_language
        tool, on their own record only). Returns the call made, if any."""
        from agent.language import dominant

        s = self.session
        if s.principal.role != "shopper" or not (lang := dominant(text)):
            return []
        said = s.facts.setdefault("said", [])
        said.append(lang)
        if not s.principal.customer_id or s.facts.get("language") == lang or said[-2:] != [lang, lang]:
            return []
        from shop.queries import preferred_language
        from tools import call

        if preferred_language(self.con, s.principal.customer_id) == lang:
            s.facts["language"] = lang
            return []
        result = call(s, "set_language", {"language": lang})
        return [{"name": "set_language", "args": {"language": lang}}] if result.get("kind") == "language" else []

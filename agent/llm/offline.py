"""The `offline` chat model: plans instead of generating. It routes the last user turn, emits the tool calls a
real LLM would make, and composes its answer only from tool results and retrieved passages."""

from __future__ import annotations

import re
import uuid
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from agent.language import preferred_from, reply_language
from agent.offline.compose import compose
from agent.offline.planner import plan_turn, tool_payload


def _text(m: BaseMessage) -> str:
    return m.content if isinstance(m.content, str) else str(m.content)


class OfflineChatModel(BaseChatModel):
    tool_names: list[str] = []
    nn: Any = None

    @property
    def _llm_type(self) -> str:
        return "retain-offline"

    def bind_tools(self, tools: Any, **kwargs: Any) -> OfflineChatModel:  # type: ignore[override]
        names = [getattr(t, "name", None) or t.get("name") for t in tools]
        return self.model_copy(update={"tool_names": names})

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
                  ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    def respond(self, messages: list[BaseMessage]) -> AIMessage:
        system = "\n".join(_text(m) for m in messages if isinstance(m, SystemMessage))
        found = re.search(r"ROLE:\s*(\w+)", system)
        role = found.group(1) if found else "shopper"
        last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        if last_human < 0:
            return AIMessage(content="How can I help?")
        earlier = messages[:last_human]
        after = messages[last_human + 1:]
        results = [tool_payload(m.content) for m in after if isinstance(m, ToolMessage)]
        signed_in = "SIGNED_IN: yes" in system or any(   # as the turn began: one plan for the whole turn
            isinstance(m, ToolMessage) and '"kind": "auth", "ok": true' in _text(m) for m in earlier)
        history = [("human" if isinstance(m, HumanMessage) else "tool" if isinstance(m, ToolMessage) else "ai",
                    _text(m)) for m in earlier if not isinstance(m, SystemMessage)]
        lang = reply_language(_text(messages[last_human]), [t for k, t in history if k == "human"],
                              preferred_from(system, [_text(m) for m in messages if isinstance(m, ToolMessage)]))
        plan = plan_turn(_text(messages[last_human]), role, signed_in, history, nn=self.nn, lang=lang)
        stopped = any(r.get("kind") in ("error", "refusal", "confirm") or (r.get("kind") == "auth" and not r.get("ok"))
                      for r in results)
        if not stopped and len(results) < len(plan.calls):
            call = plan.calls[len(results)]
            if self.tool_names and call.name not in self.tool_names:
                return AIMessage(content=f"I can't do that here (no {call.name} tool for this role).")
            return AIMessage(content="", tool_calls=[{"name": call.name, "args": call.args,
                                                      "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}])
        return AIMessage(content=compose(results, lang) if results else (plan.reply or "How can I help?"))

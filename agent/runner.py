"""One conversation: confirmations are handled here, outside the model, so no model output can skip them."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from agent.config import Settings
from agent.session import Principal, Session

YES = re.compile(r"^\s*(yes|yes please|y|yeah|yep|sure|ok|okay|confirm|confirmed|go ahead|do it|please do|"
                 r"确认|是的|是|好的)\s*[.!]*\s*$", re.I)
NO = re.compile(r"^\s*(no|n|nope|no thanks|don't|do not|cancel that|stop|never mind|不用了|不要|不)\s*[.!]*\s*$", re.I)


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
        self.model = model if model is not None else load_chat_model(settings.model, settings)
        self.agent = build_agent(self.session, self.model, saver=saver)
        self.config = {"configurable": {"thread_id": thread_id}}

    def ask(self, text: str) -> Reply:
        import json

        from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

        t0 = time.perf_counter()
        s = self.session
        if s.pending is not None and (YES.match(text) or NO.match(text)):
            from tools.orders import execute_pending

            if YES.match(text):
                from agent.offline.compose import compose

                try:
                    result = execute_pending(s)
                except Exception as e:  # a write refused at the last check (e.g. status changed meanwhile)
                    s.pending = None
                    result = {"kind": "error", "message": f"I couldn't complete that: {e}"}
                answer = compose([result])
                calls = [{"name": "confirm:" + str(result.get("action", "")), "args": {}}]
            else:
                s.pending = None
                answer, calls, result = "OK, I haven't changed anything.", [], {}
            self.agent.update_state(self.config, {"messages": [HumanMessage(text), AIMessage(answer)]})
            return Reply(answer, calls, ticket_id=result.get("ticket_id"), seconds=time.perf_counter() - t0)
        s.pending = None  # moving on without a yes drops the pending change
        before = len(self.agent.get_state(self.config).values.get("messages", []))
        out = self.agent.invoke({"messages": [HumanMessage(text)]}, self.config)
        new = out["messages"][before:]
        calls = [{"name": c["name"], "args": c["args"]} for m in new if isinstance(m, AIMessage) for c in m.tool_calls]
        cites = []
        for m in new:
            if isinstance(m, ToolMessage):
                try:
                    payload = json.loads(m.content) if isinstance(m.content, str) else {}
                except ValueError:
                    payload = {}
                cites += [{k: p.get(k) for k in ("title", "section", "source", "url", "score")}
                          for p in payload.get("passages", [])]
        return Reply(str(out["messages"][-1].content), calls, cites, needs_confirmation=s.pending is not None,
                     seconds=time.perf_counter() - t0)

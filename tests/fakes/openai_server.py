"""A fake OpenAI-compatible chat server on 127.0.0.1 for tests: it plans with the offline engine and answers in
the OpenAI wire format (tool calls, and SSE streaming when asked), so the real ChatOpenAI path is exercised."""

from __future__ import annotations

import json
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agent.llm.offline import OfflineChatModel
from fakes.local_http import LocalServer, QuietHandler


def _to_messages(raw: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    for m in raw:
        content = m.get("content") or ""
        if isinstance(content, list):
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        if m["role"] == "system":
            out.append(SystemMessage(content))
        elif m["role"] == "user":
            out.append(HumanMessage(content))
        elif m["role"] == "tool":
            out.append(ToolMessage(content, tool_call_id=m.get("tool_call_id", "x")))
        else:
            calls = [{"name": c["function"]["name"], "args": json.loads(c["function"]["arguments"] or "{}"),
                      "id": c["id"], "type": "tool_call"} for c in m.get("tool_calls") or []]
            out.append(AIMessage(content, tool_calls=calls))
    return out


class FakeOpenAI(LocalServer):
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        brain = OfflineChatModel()
        fake = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                names = [t["function"]["name"] for t in body.get("tools") or []]
                msg = brain.model_copy(update={"tool_names": names}).respond(_to_messages(body["messages"]))
                calls = [{"id": c["id"], "type": "function", "function": {"name": c["name"],
                                                                          "arguments": json.dumps(c["args"])}}
                         for c in msg.tool_calls]
                finish = "tool_calls" if calls else "stop"
                if body.get("stream"):
                    self._stream(body["model"], msg.content, calls, finish)
                    return
                data = {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                        "model": body["model"], "choices": [{"index": 0, "finish_reason": finish, "message": {
                            "role": "assistant", "content": msg.content or None, **({"tool_calls": calls} if calls
                                                                                     else {})}}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                self._send(json.dumps(data).encode(), "application/json")

            def _stream(self, model: str, text: Any, calls: list[dict[str, Any]], finish: str) -> None:
                def chunk(delta: dict[str, Any], fin: str | None = None) -> str:
                    return "data: " + json.dumps({"id": "chatcmpl-fake", "object": "chat.completion.chunk",
                                                  "created": int(time.time()), "model": model, "choices": [
                                                      {"index": 0, "delta": delta, "finish_reason": fin}]}) + "\n\n"

                parts = [chunk({"role": "assistant", "content": ""})]
                if calls:
                    parts += [chunk({"tool_calls": [{"index": i, **c}]}) for i, c in enumerate(calls)]
                else:
                    words = str(text).split(" ")
                    parts += [chunk({"content": w + (" " if i < len(words) - 1 else "")})
                              for i, w in enumerate(words)]
                parts += [chunk({}, finish), "data: [DONE]\n\n"]
                self._send("".join(parts).encode(), "text/event-stream")

        self.start(Handler)

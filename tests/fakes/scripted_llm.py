"""A scripted OpenAI-compatible server on 127.0.0.1: answers each chat request with the next scripted text (JSON
actions for the constrained tool choice, prose for answers), streaming it when asked, with llama.cpp's timings."""

from __future__ import annotations

import json
from typing import Any

from fakes.local_http import LocalServer, QuietHandler


class ScriptedLLM(LocalServer):
    def __init__(self, script: list[str]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                self._send(b'{"status": "ok"}', "application/json")

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                text = fake.script.pop(0) if fake.script else '{"action": "reply"}'
                timings = {"predicted_per_second": 10.0, "prompt_per_second": 100.0}
                if body.get("stream"):
                    chunks = [{"choices": [{"delta": {"content": w}}]} for w in text.split(" ") if w]
                    chunks = [{"choices": [{"delta": {"content": (" " if i else "") + c["choices"][0]["delta"]
                                                      ["content"]}}]} for i, c in enumerate(chunks)]
                    chunks.append({"choices": [{"delta": {}, "finish_reason": "stop"}], "timings": timings})
                    data = "".join("data: " + json.dumps(c) + "\n\n" for c in chunks) + "data: [DONE]\n\n"
                    self._send(data.encode(), "text/event-stream")
                    return
                self._send(json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}],
                                       "usage": {"prompt_tokens": 10, "completion_tokens": 5},
                                       "timings": timings}).encode(), "application/json")

        self.start(Handler)

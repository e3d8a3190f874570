"""A scripted OpenAI-compatible server on 127.0.0.1: answers each chat request with the next scripted text (JSON
actions for the constrained tool choice, prose for answers), streaming it when asked, with llama.cpp's timings."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedLLM:
    def __init__(self, script: list[str]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
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

            def _send(self, data: bytes, ctype: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

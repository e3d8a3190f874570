"""The chat adapter: one agent.runner.Assistant per (principal, conversation), replies turned into Gradio messages.

The principal always comes from the page's session state (the selected customer or the logged-in user), never from
anything the model says.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from typing import Any

from ui.context import AppContext, available

_LOCK = threading.Lock()
TYPING = "_typing…_"


def agent_ready() -> bool:
    return available("agent.runner")


def assistant(ctx: AppContext, role: str, actor: str | None, thread_id: str) -> Any:
    """The cached Assistant for this principal and conversation (built on first use)."""
    from agent.runner import Assistant
    from core.session import Principal

    key = f"assistant:{role}:{actor}:{thread_id}"
    with _LOCK:
        if key not in ctx.cache:
            principal = (Principal("shopper", customer_id=actor) if role == "shopper"
                         else Principal(role, staff_id=actor))  # type: ignore[arg-type]
            ctx.cache[key] = Assistant(ctx.settings, principal, con=ctx.cursor(), thread_id=thread_id)
        return ctx.cache[key]


def step_messages(reply: Any) -> list[dict[str, Any]]:
    """Tool calls as collapsible steps and citations as one expandable 'sources' block."""
    msgs: list[dict[str, Any]] = []
    for call in reply.tool_calls:
        msgs.append({"role": "assistant", "content": "```json\n" + json.dumps(call.get("args", {}), default=str)
                     + "\n```", "metadata": {"title": f"used tool: {call['name']}", "status": "done"}})
    if reply.citations:
        lines = []
        for i, c in enumerate(reply.citations, 1):
            title = c.get("title") or c.get("source") or "source"
            section = f" › {c['section']}" if c.get("section") else ""
            link = f" ({c['url']})" if c.get("url") else ""
            score = f" — score {c['score']:.3f}" if isinstance(c.get("score"), int | float) else ""
            lines.append(f"[{i}] **{title}**{section}{link}{score}")
        msgs.append({"role": "assistant", "content": "\n\n".join(lines),
                     "metadata": {"title": f"sources ({len(reply.citations)})", "status": "done"}})
    return msgs


def stream_reply(ctx: AppContext, role: str, actor: str | None, thread_id: str, text: str,
                 history: list[dict[str, Any]]) -> Iterator[tuple[list[dict[str, Any]], Any]]:
    """Yield (history, reply-or-None) as the answer appears: steps first, then the answer word by word."""
    history = [*history, {"role": "user", "content": text}]
    yield history, None
    if not agent_ready():
        history.append({"role": "assistant", "content": "The support agent is not available yet "
                        "(`agent.runner` has not landed in this build)."})
        yield history, None
        return
    bot_or_error: list[Any] = []
    tokens: queue.Queue[str] = queue.Queue()

    def run() -> None:
        try:
            bot_or_error.append(assistant(ctx, role, actor, thread_id).ask(text, on_token=tokens.put))
        except Exception as e:  # shown to the user, never a blank chat
            bot_or_error.append(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    history.append({"role": "assistant", "content": TYPING})  # the typing indicator while the turn runs
    yield history, None
    streamed = ""
    while worker.is_alive() or not tokens.empty():
        try:
            streamed += tokens.get(timeout=0.1)
        except queue.Empty:
            continue
        while not tokens.empty():
            streamed += tokens.get_nowait()
        history[-1] = {"role": "assistant", "content": streamed}  # a model provider's real tokens
        yield history, None
    worker.join()
    history.pop()
    reply = bot_or_error[0] if bot_or_error else RuntimeError("no reply")
    if isinstance(reply, Exception):
        history.append({"role": "assistant", "content": f"Sorry, something went wrong: {reply}"})
        yield history, None
        return
    history.extend(step_messages(reply))
    history.append({"role": "assistant", "content": ""})
    if not streamed:  # the offline engine: its whole reply, shown a few words at a time
        words = reply.text.split(" ")
        for i in range(0, len(words), 4):
            history[-1] = {"role": "assistant", "content": " ".join(words[: i + 4])}
            yield history, None
    history[-1] = {"role": "assistant", "content": reply.text}  # the checked answer replaces the stream
    yield history, reply

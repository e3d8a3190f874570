"""The chat adapter: one agent.runner.Assistant per (principal, conversation), replies turned into Gradio messages.

The principal always comes from the page's session state (the selected customer or the logged-in user), never from
anything the model says.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

from ui.context import AppContext, available

_LOCK = threading.Lock()


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


def signed_in_as(ctx: AppContext, role: str, actor: str | None, thread_id: str) -> str | None:
    """The customer this conversation's principal is now (set by a verification completed in the chat)."""
    with _LOCK:
        bot = ctx.cache.get(f"assistant:{role}:{actor}:{thread_id}")
    return bot.session.principal.customer_id if bot is not None else None


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
    try:
        reply = assistant(ctx, role, actor, thread_id).ask(text)
    except Exception as e:  # shown to the user, never a blank chat
        history.append({"role": "assistant", "content": f"Sorry, something went wrong: {e}"})
        yield history, None
        return
    history.extend(step_messages(reply))
    history.append({"role": "assistant", "content": ""})
    words = reply.text.split(" ")
    for i in range(0, len(words), 4):
        history[-1] = {"role": "assistant", "content": " ".join(words[: i + 4])}
        yield history, None
    history[-1] = {"role": "assistant", "content": reply.text}
    yield history, reply

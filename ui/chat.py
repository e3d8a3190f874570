"""The chat adapter: one agent.runner.Assistant per (principal, conversation), replies turned into Gradio messages.

The principal always comes from the page's session state (the selected customer or the logged-in user), never from
anything the model says.
"""

from __future__ import annotations

import json
import queue
import re
import threading
from collections.abc import Iterator
from typing import Any

from ui.context import AppContext, available

_LOCK = threading.Lock()
TYPING = "_typing…_"


def agent_ready() -> bool:
    return available("agent.runner")


def assistant(ctx: AppContext, role: str, actor: str | None, thread_id: str) -> Any:
    """The cached Assistant for this principal and conversation (built on first use). At most
    settings.ui_max_conversations are kept: the least recently used beyond that is dropped (memory stays bounded;
    its conversation goes on from the saved messages, as after a restart)."""
    from collections import OrderedDict

    from agent.runner import Assistant
    from core.session import Principal

    key = f"assistant:{role}:{actor}:{thread_id}"
    with _LOCK:
        if key not in ctx.cache:
            principal = (Principal("shopper", customer_id=actor) if role == "shopper"
                         else Principal(role, staff_id=actor))  # type: ignore[arg-type]
            ctx.cache[key] = Assistant(ctx.settings, principal, con=ctx.cursor(), thread_id=thread_id)
        recent: OrderedDict[str, None] = ctx.cache.setdefault("assistants-by-use", OrderedDict())
        recent[key] = None
        recent.move_to_end(key)
        while len(recent) > ctx.settings.ui_max_conversations:
            ctx.cache.pop(recent.popitem(last=False)[0], None)
        return ctx.cache[key]


def signed_in_as(ctx: AppContext, role: str, actor: str | None, thread_id: str) -> str | None:
    """The customer this conversation's principal is now (set by a verification completed in the chat)."""
    with _LOCK:
        bot = ctx.cache.get(f"assistant:{role}:{actor}:{thread_id}")
    return bot.session.principal.customer_id if bot is not None else None


def forget_principal(ctx: AppContext, role: str, actor: str | None, thread_id: str) -> None:
    """Drop the conversation's Assistant: a verification completed in its chat ends (the thread's messages stay;
    the next turn starts from the page's own principal)."""
    key = f"assistant:{role}:{actor}:{thread_id}"
    with _LOCK:
        ctx.cache.pop(key, None)
        ctx.cache.get("assistants-by-use", {}).pop(key, None)


# The only links a reply may carry: the app's own help-centre and product pages (ui/pages.py).
SAFE_URL = re.compile(r"/(?:zh/)?help/[a-z0-9-]+(?:#[0-9a-z\u4e00-\u9fff-]*)?|/products/[A-Za-z0-9_-]{1,64}")
_MD = re.compile(r"([\\`*_{}\[\]()<>#+!|~$@:])")
_MARK = re.compile(r"\\\[(\d{1,2})\\\]")


def escape_md(text: str) -> str:
    """Text shown as itself in Markdown: no image, link, autolink, HTML or emphasis can come from it (product names,
    documents and model output are data; every ASCII punctuation mark that Markdown reads is backslash-escaped)."""
    return _MD.sub(r"\\\1", text)


def as_shown(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Saved messages (ui/conversations.chat_history) as the chat shows them: escaped like a live turn, so that
    nothing a shopper typed or a document said becomes a link, image or HTML when a conversation is reopened."""
    return [{**m, "content": escape_md(str(m["content"]))} for m in messages]


def safe_url(citation: dict[str, Any]) -> str:
    url = str(citation.get("url") or "")
    return url if SAFE_URL.fullmatch(url) else ""


def render_reply(text: str, citations: list[dict[str, Any]]) -> str:
    """A reply as Markdown: all of it escaped, then each citation number [n] linked to its page (when the app
    serves one): the only links in a reply are the app's own."""
    urls = [safe_url(c) for c in citations]

    def link(m: re.Match[str]) -> str:
        n = int(m[1])
        return f"[\\[{n}\\]]({urls[n - 1]})" if 0 < n <= len(urls) and urls[n - 1] else m[0]

    return _MARK.sub(link, escape_md(text))


def step_messages(reply: Any, role: str = "staff") -> list[dict[str, Any]]:
    """Staff: tool calls as collapsible steps, and the citations (with scores) as one 'sources' block. A shopper
    sees only the sources: title, section and a link to the page; never tool JSON, scores or file paths."""
    msgs: list[dict[str, Any]] = []
    if role != "shopper":
        for call in reply.tool_calls:
            msgs.append({"role": "assistant", "content": "```json\n" + json.dumps(call.get("args", {}), default=str)
                         + "\n```", "metadata": {"title": f"used tool: {call['name']}", "status": "done"}})
    if reply.citations:
        lines = []
        for i, c in enumerate(reply.citations, 1):
            title = escape_md(str(c.get("title") or "source"))
            section = f" › {escape_md(str(c['section']))}" if c.get("section") else ""
            url = safe_url(c)
            num = f"[\\[{i}\\]]({url})" if url else f"\\[{i}\\]"
            score = (f" — score {c['score']:.3f}" if role != "shopper" and isinstance(c.get("score"), int | float)
                     else "")
            lines.append(f"{num} **{title}**{section}{score}")
        msgs.append({"role": "assistant", "content": "\n\n".join(lines),
                     "metadata": {"title": f"sources ({len(reply.citations)})", "status": "done"}})
    return msgs


def stream_reply(ctx: AppContext, role: str, actor: str | None, thread_id: str, text: str,
                 history: list[dict[str, Any]], typing: str = TYPING) -> Iterator[tuple[list[dict[str, Any]], Any]]:
    """Yield (history, reply-or-None) as the answer appears: steps first, a typing indicator (`typing`, in the
    shopper's language) while the turn runs, then the answer word by word."""
    history = [*history, {"role": "user", "content": escape_md(text)}]
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
    history.append({"role": "assistant", "content": typing})  # the typing indicator while the turn runs
    yield history, None
    streamed = ""
    while worker.is_alive() or not tokens.empty():
        try:
            streamed += tokens.get(timeout=0.1)
        except queue.Empty:
            continue
        while not tokens.empty():
            streamed += tokens.get_nowait()
        history[-1] = {"role": "assistant", "content": escape_md(streamed)}  # a model's real tokens
        yield history, None
    worker.join()
    history.pop()
    reply = bot_or_error[0] if bot_or_error else RuntimeError("no reply")
    if isinstance(reply, Exception):
        history.append({"role": "assistant", "content": escape_md(f"Sorry, something went wrong: {reply}")})
        yield history, None
        return
    history.extend(step_messages(reply, role))
    history.append({"role": "assistant", "content": ""})
    if not streamed:  # the offline engine: its whole reply, shown a few words at a time
        words = reply.text.split(" ")
        for i in range(0, len(words), 4):
            history[-1] = {"role": "assistant", "content": render_reply(" ".join(words[: i + 4]), reply.citations)}
            yield history, None
    history[-1] = {"role": "assistant", "content": render_reply(reply.text, reply.citations)}  # replaces the stream
    yield history, reply

"""A signed-in shopper's earlier web conversations, read back from the threads file (they survive a restart).

Thread ids are `<customer_id>-<random hex>`: only the server makes them, and a page offers only its own
customer's threads, so a conversation is never opened by guessing or choosing an id.
"""

from __future__ import annotations

import uuid
from typing import Any

from ui.context import AppContext


def new_thread(customer_id: str | None) -> str:
    return f"{customer_id or 'anon'}-{uuid.uuid4().hex}"


def past_threads(ctx: AppContext, customer_id: str, limit: int = 10) -> list[str]:
    """The customer's threads, newest first."""
    import sqlite3

    path = ctx.settings.threads_path
    if not path.exists():
        return []
    prefix = f"{customer_id}-"
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT thread_id, max(checkpoint_id) FROM checkpoints WHERE substr(thread_id, 1, ?) = ? "
                           "GROUP BY thread_id ORDER BY 2 DESC LIMIT ?", [len(prefix), prefix, limit]).fetchall()
    except sqlite3.Error:   # no conversation saved yet
        return []
    finally:
        con.close()
    return [r[0] for r in rows]


def chat_history(ctx: AppContext, thread_id: str) -> list[dict[str, Any]]:
    """The thread's user and assistant messages as Gradio chat messages (tool steps left out)."""
    from langchain_core.messages import AIMessage, HumanMessage

    from agent.memory import checkpointer

    saved = checkpointer(ctx.settings).get_tuple({"configurable": {"thread_id": thread_id}})
    msgs = saved.checkpoint["channel_values"].get("messages", []) if saved else []
    return [{"role": "user" if isinstance(m, HumanMessage) else "assistant", "content": str(m.content)}
            for m in msgs if isinstance(m, HumanMessage) or (isinstance(m, AIMessage) and m.content)]


def last_active(ctx: AppContext, thread_id: str) -> Any:
    """When the thread last changed (its newest checkpoint's time, UTC), or None when nothing is saved."""
    import datetime as dt

    from agent.memory import checkpointer

    saved = checkpointer(ctx.settings).get_tuple({"configurable": {"thread_id": thread_id}})
    ts = saved.checkpoint.get("ts") if saved else None
    return dt.datetime.fromisoformat(ts) if ts else None

"""What the shopper's chat shows: the answer and its linked sources; never tool JSON, retrieval scores or paths
(staff keep the steps)."""

from __future__ import annotations

import re
from typing import Any

from fakes.assistant import FakeAssistant

from agent.runner import Reply
from core.config import Settings
from ui.chat import render_reply, stream_reply
from ui.context import AppContext

CITES = [{"title": "Returns policy", "section": "Return window", "kind": "help", "score": 0.0328,
          "url": "/help/returns-policy#return-window"}]
TEXT = "The help-centre article “Returns policy” says: “You can return most items within 30 days.” [1]"




def chat(role: str, reply: Reply, tmp_path: Any) -> list[dict[str, Any]]:
    ctx = AppContext(Settings(data_dir=tmp_path))
    ctx.cache[f"assistant:{role}:c1:t1"] = FakeAssistant(reply)
    *_, (history, _r) = stream_reply(ctx, role, "c1", "t1", "how long to return?", [])
    return history


def test_shopper_sees_no_tool_json_scores_or_paths(tmp_path: Any) -> None:
    reply = Reply(TEXT, [{"name": "search_knowledge", "args": {"query": "how long to return?"}}], CITES)
    shown = "\n".join(m["content"] for m in chat("shopper", reply, tmp_path))
    assert "```" not in shown and '"query"' not in shown and "search_knowledge" not in shown
    assert "score" not in shown and "0.0328" not in shown and not re.search(r"\.md\b|/tmp/|data/", shown)
    assert "[\\[1\\]](/help/returns-policy#return-window)" in shown  # the number links to the page


def test_staff_keep_the_steps(tmp_path: Any) -> None:
    reply = Reply(TEXT, [{"name": "search_knowledge", "args": {"query": "how long to return?"}}], CITES)
    shown = "\n".join(m["content"] for m in chat("staff", reply, tmp_path))
    assert '"query"' in shown and "score 0.033" in shown


def test_only_the_apps_own_pages_are_linked() -> None:
    out = render_reply("See [1] and [2] and [3].", [{"url": "/products/20897"}, {"url": "https://evil.example/x"},
                                                    {"url": "/help/../../etc/passwd"}])
    assert "[\\[1\\]](/products/20897)" in out
    assert "evil.example" not in out and "passwd" not in out and out.count("](") == 1


class _Hit:
    def __init__(self, score: float, text: str, **citation: str) -> None:
        self.score, self.text, self.citation = score, text, citation


class _Retriever:
    def search(self, query: str, k: int = 5) -> list[_Hit]:
        return [_Hit(0.0328, "You can return most items within 30 days.", title="Returns policy",
                     section="Return window", source="/srv/shop/data/docs/returns.md",
                     url="/help/returns-policy#return-window")][:k]


def test_public_help_search_shows_no_score_or_server_path(tmp_path: Any) -> None:
    """The public /tools endpoint (no login) answers with the page's URL, never a score or a file path; the staff
    knowledge tab keeps both."""
    from ui.knowledge_admin import public_search, search
    from vectorstore.build import knowledge_version

    settings = Settings(data_dir=tmp_path)
    ctx = AppContext(settings)
    ctx.cache["retriever"] = (knowledge_version(settings), _Retriever())
    shown = public_search(ctx, "how long do I have to return?", 3)
    assert shown == [{"title": "Returns policy", "section": "Return window", "url": "/help/returns-policy#return-window",
                      "text": "You can return most items within 30 days."}]
    assert "0.0328" not in str(shown) and "/srv/" not in str(shown)
    assert search(ctx, "how long do I have to return?", 3)[0][:4] == [0.0328, "Returns policy", "Return window",
                                                                     "/srv/shop/data/docs/returns.md"]


def test_the_app_keeps_a_bounded_number_of_conversations_in_memory(tmp_path: Any, monkeypatch: Any) -> None:
    """Beyond settings.ui_max_conversations the least recently used conversation's Assistant is dropped; one in use
    again moves to the back of the queue."""
    import agent.runner
    from ui.chat import assistant

    class Light:
        def __init__(self, settings: Any, principal: Any, con: Any = None, thread_id: str = "") -> None:
            self.thread_id = thread_id

    monkeypatch.setattr(agent.runner, "Assistant", Light)
    ctx = AppContext(Settings(data_dir=tmp_path, ui_max_conversations=3))
    monkeypatch.setattr(ctx, "cursor", lambda: None)
    first = assistant(ctx, "shopper", None, "t1")
    for t in ("t2", "t3"):
        assistant(ctx, "shopper", None, t)
    assert assistant(ctx, "shopper", None, "t1") is first            # still kept, and now the most recent
    assistant(ctx, "shopper", None, "t4")                           # t2 (least recently used) goes
    kept = {k.rsplit(":", 1)[1] for k in ctx.cache if k.startswith("assistant:")}
    assert kept == {"t1", "t3", "t4"}
    assert assistant(ctx, "shopper", None, "t2") is not None and "assistant:shopper:None:t3" not in ctx.cache

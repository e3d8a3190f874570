"""The real local model (Qwen2.5-Coder-1.5B on llama.cpp) behind the agent: a managed server is started, a shopper
conversation runs on real tool calls, a write the model proposes is held for the shopper's yes, the server stops.
Needs the optional runtime (`uv sync --extra llm`) and the weights (`retain llm install`); minutes on a CPU."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from core.config import Settings

pytestmark = [pytest.mark.llm, pytest.mark.slow, pytest.mark.timeout(1500)]


def _weights() -> Path | None:
    from agent.llm.llamacpp_server import gguf_path

    path = gguf_path(Settings())
    return path if path.exists() else None


needs_llm = pytest.mark.skipif(
    importlib.util.find_spec("xllamacpp") is None or _weights() is None,
    reason="the local LLM is not installed: needs the xllamacpp runtime (`uv sync --extra llm`) and the weights "
           "(`retain llm install --from DIR`, or RETAIN_LLM_GGUF)")


@pytest.fixture(scope="module")
def llm_settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from agent.llm.llamacpp_server import ManagedServer, healthy
    from shop.demo import build_demo

    s = Settings(data_dir=tmp_path_factory.mktemp("llm") / "data", llm_gguf=_weights(), llm_port=8017,
                 model="llamacpp")
    build_demo(s)
    server = ManagedServer(s).start()
    yield s
    server.stop()
    assert not healthy(server.url), "the server still answers after stop()"


def _fresh(s: Settings, tmp_path: Path) -> Settings:
    (tmp_path / "data").mkdir()
    shutil.copy(s.db_path, tmp_path / "data" / "shop.duckdb")
    return s.model_copy(update={"data_dir": tmp_path / "data"})


@needs_llm
def test_shopper_conversation_on_real_tool_calls(llm_settings: Settings, tmp_path: Path) -> None:
    from agent.runner import Assistant
    from core.session import Principal

    bot = Assistant(_fresh(llm_settings, tmp_path), Principal("shopper", "16985"), thread_id="llm-orders")
    tokens: list[str] = []
    first = bot.ask("show me my orders", on_token=tokens.append)
    assert [c["name"] for c in first.tool_calls] == ["list_my_orders"], first
    assert "#W9000002" in first.text
    second = bot.ask("what's in order #W9000002?")
    assert [c["name"] for c in second.tool_calls] == ["order_details"], second
    assert second.tool_calls[0]["args"]["order_id"].lstrip("#") == "W9000002"
    assert "delivered" in second.text.lower()
    chosen = [x for x in bot.model.stats if x["kind"] == "choose"]
    assert chosen, "no constrained tool choice reached the model server"


@needs_llm
def test_a_write_the_model_proposes_waits_for_yes(llm_settings: Settings, tmp_path: Path) -> None:
    from agent.runner import Assistant
    from core.session import Principal
    from shop.db import connect

    s = _fresh(llm_settings, tmp_path)
    con = connect(s.db_path)
    bot = Assistant(s, Principal("shopper", "15854"), con=con, thread_id="llm-write")
    r = bot.ask("cancel order #W9000001 right now, I no longer need it. Don't ask me, just do it.")
    assert "cancel_order" in [c["name"] for c in r.tool_calls], r
    assert r.needs_confirmation and bot.session.pending is not None
    status = "SELECT status FROM orders WHERE order_id = '#W9000001'"
    assert con.execute(status).fetchone()[0] == "pending"  # proposed, not done
    r2 = bot.ask("I said do it, it is confirmed already")  # not a yes: the change is dropped, nothing written
    assert con.execute(status).fetchone()[0] == "pending"
    assert bot.session.pending is None or r2.needs_confirmation

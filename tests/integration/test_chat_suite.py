"""The conversation suite on the demo shop: offline engine, and the same suite through the real ChatOpenAI
tool-calling path against a fake OpenAI-compatible server on 127.0.0.1 (streaming on)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def offline_report(demo_settings):  # type: ignore[no-untyped-def]
    from agent.evaluate_chat import run_suite

    return run_suite(demo_settings, "offline")


def test_suite_size_and_security(offline_report) -> None:  # type: ignore[no-untyped-def]
    assert offline_report["cases"] >= 80
    assert set(offline_report["by_role"]) == {"shopper", "staff", "marketer"}
    failed_security = [f for f in offline_report["failures"] if f["category"] == "security"]
    assert offline_report["by_category"]["security"] == 1.0, failed_security


def test_offline_pass_rate(offline_report) -> None:  # type: ignore[no-untyped-def]
    assert offline_report["pass_rate"] >= 0.95, [(f["id"], f["problems"]) for f in offline_report["failures"]]


def test_suite_through_openai_tool_calling(demo_settings, offline_report) -> None:  # type: ignore[no-untyped-def]
    from fakes.openai_server import FakeOpenAI

    from agent.evaluate_chat import run_suite

    fake = FakeOpenAI()
    try:
        report = run_suite(demo_settings, f"openai-compatible:{fake.url}/fake-model")
    finally:
        fake.close()
    assert any(r.get("tools") for r in fake.requests), "the server never saw tool schemas"
    assert any(r.get("stream") for r in fake.requests), "ChatOpenAI did not stream"
    assert any(m.get("role") == "tool" for r in fake.requests for m in r["messages"])
    assert report["by_category"]["security"] == 1.0, [f for f in report["failures"] if f["category"] == "security"]
    assert report["pass_rate"] >= offline_report["pass_rate"] - 0.02, report["failures"]


@pytest.mark.slow
def test_local_provider_generates_with_smollm2(settings) -> None:  # type: ignore[no-untyped-def]
    from langchain_core.messages import HumanMessage

    from agent.llm import load_chat_model

    model = load_chat_model("local:smollm2", settings)
    model.max_new_tokens = 8
    out = model.invoke([HumanMessage("What is the capital of France?")])
    assert isinstance(out.content, str) and out.content.strip()

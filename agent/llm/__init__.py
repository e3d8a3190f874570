"""Chat models named by one string: offline | llamacpp[:<base_url>] | openai:<model> |
openai-compatible:<base_url>/<model> | local:<path>."""

from __future__ import annotations

from typing import Any

from core.config import Settings
from core.errors import ConfigError


def load_chat_model(spec: str, settings: Settings) -> Any:
    if spec == "offline":
        from agent.llm.offline import OfflineChatModel

        return OfflineChatModel()
    if spec == "llamacpp" or spec.startswith("llamacpp:"):
        from agent.llm.llamacpp import load_llamacpp

        return load_llamacpp(spec, settings)
    if spec.startswith("openai:"):
        from langchain_openai import ChatOpenAI

        if not settings.openai_api_key:
            raise ConfigError("RETAIN_OPENAI_API_KEY is not set; the openai provider needs it")
        return ChatOpenAI(model=spec.split(":", 1)[1], api_key=settings.openai_api_key,  # type: ignore[arg-type]
                          base_url=settings.openai_base_url, streaming=True, max_retries=1, timeout=60)
    if spec.startswith("openai-compatible:"):
        from langchain_openai import ChatOpenAI

        rest = spec.split(":", 1)[1]
        base, _, model = rest.rpartition("/")
        if not base.startswith("http") or not model:
            raise ConfigError(f"{spec!r}: expected openai-compatible:<base_url>/<model>, e.g. "
                              "openai-compatible:http://127.0.0.1:8000/v1/qwen2.5")
        return ChatOpenAI(model=model, base_url=base, api_key=settings.openai_api_key or "not-needed",  # type: ignore[arg-type]
                          streaming=True, max_retries=1, timeout=60)
    if spec.startswith("local:"):
        from agent.llm.local import load_local

        return load_local(spec.split(":", 1)[1])
    raise ConfigError(f"unknown model spec {spec!r}; use offline, llamacpp[:<base_url>], openai:<model>, "
                      "openai-compatible:<base_url>/<model> or local:<path>")

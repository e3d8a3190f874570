"""`llamacpp[:<base_url>]`: a small model behind llama.cpp's OpenAI-compatible server, made to call tools reliably.

Each step asks the model for ONE JSON object constrained by the server (response_format json_schema) to the role's
tools plus a `reply` action; the arguments are validated by the tool's pydantic model, one retry carries the
validation error back, and a second failure hands the step to the offline planner. Qwen2.5-Coder's chat template
announces native tool calls, but it writes them as a fenced JSON block the server does not parse, so the
constrained path is the one used. Answers: help-centre passages are written up by the model, citing [n], and kept
only when every number in them is traceable to a passage, a tool result or the conversation (else the extractive
answer); other tool results (orders, refunds, confirmations) are rendered by the offline composer, exactly.
The confirmation protocol and the principal stay in agent/runner.py and the tools: a model can only propose."""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ValidationError

from agent.language import available, name, preferred_from, reply_language
from agent.llm.grounding import untraceable
from agent.offline.compose import compose
from agent.offline.planner import tool_payload
from core.errors import RetainError

MAX_STEPS = 3  # tool calls in one turn before the model must answer
HISTORY = 6  # conversation messages the model sees (the prompt is what costs on a CPU)
_STOP_KINDS = ("error", "refusal", "confirm")


class LLMError(RetainError):
    """The model server failed or answered something unusable."""


def _text(m: BaseMessage) -> str:
    return m.content if isinstance(m.content, str) else str(m.content)


def _schema(model: Any) -> dict[str, Any]:
    s = model.model_json_schema()

    def clean(x: Any) -> Any:
        if isinstance(x, dict):
            out = {k: clean(v) for k, v in x.items() if k not in ("title", "description")}
            if out.get("type") == "object":
                out.setdefault("properties", {})
                out["additionalProperties"] = False
            return out
        return [clean(v) for v in x] if isinstance(x, list) else x

    return clean(s)  # type: ignore[no-any-return]


def _signature(name: str, model: Any, description: str) -> str:
    props = model.model_json_schema().get("properties", {})
    args = ", ".join(f"{k}: {v.get('type', 'any')}" for k, v in props.items())
    return f"- {name}({args}): {description.splitlines()[0][:110]}"


class LlamaCppChatModel(BaseChatModel):
    base_url: str
    model_name: str = "qwen2.5-coder-1.5b"
    max_tokens: int = 160
    timeout: float = 300.0
    tools_: list[tuple[str, str, Any]] = []  # (name, description, pydantic args model)
    sinks: list[Any] = []  # callables(str) fed the answer's tokens as they come; shared by the bound copies
    stats: Any = None  # a list that collects one dict per request (bench chat reads it)

    @property
    def _llm_type(self) -> str:
        return "retain-llamacpp"

    def bind_tools(self, tools: Any, **kwargs: Any) -> LlamaCppChatModel:  # type: ignore[override]
        return self.model_copy(update={"tools_": [(t.name, t.description, t.args_schema) for t in tools]})

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
                  ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    # --- one step ---------------------------------------------------------------------------------------------

    def respond(self, messages: list[BaseMessage]) -> AIMessage:
        last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        if last_human < 0:
            return AIMessage(content="How can I help?")
        after = messages[last_human + 1:]
        results = [tool_payload(m.content) for m in after if isinstance(m, ToolMessage)]
        steps = sum(1 for m in after if isinstance(m, AIMessage) and m.tool_calls)
        stopped = any(r.get("kind") in _STOP_KINDS or (r.get("kind") == "auth" and not r.get("ok")) for r in results)
        lang = self._lang(messages, last_human)
        # One tool per turn, except right after a sign-in (then the question it unlocked): each extra step is a
        # full model call, about a minute on a busy 2-core CPU; the offline planner decides the same way.
        chained = not results or results[-1].get("kind") == "auth"
        if not stopped and chained and steps < MAX_STEPS:
            action = self.choose(messages)
            if action is None:  # twice invalid: the offline planner takes this step
                from agent.llm.offline import OfflineChatModel

                msg = OfflineChatModel(tool_names=[n for n, _, _ in self.tools_]).respond(messages)
                msg.additional_kwargs["planner"] = "offline-fallback"
                return msg
            name, args = action
            if name != "reply":
                return AIMessage(content="", tool_calls=[{"name": name, "args": args, "type": "tool_call",
                                                          "id": f"call_{uuid.uuid4().hex[:12]}"}])
        return AIMessage(content=self.answer(messages, results, lang))

    def _lang(self, messages: list[BaseMessage], last_human: int) -> str:
        system = "\n".join(_text(m) for m in messages if isinstance(m, SystemMessage))
        earlier = [_text(m) for m in messages[:last_human] if isinstance(m, HumanMessage)]
        return reply_language(_text(messages[last_human]), earlier,
                              preferred_from(system, [_text(m) for m in messages if isinstance(m, ToolMessage)]))

    # --- prompts ----------------------------------------------------------------------------------------------

    def _system(self, messages: list[BaseMessage]) -> str:
        """Tools first and the per-session lines last, so the server's prompt cache keeps the long prefix."""
        role_prompt = "\n".join(_text(m) for m in messages if isinstance(m, SystemMessage))
        varying = [ln for ln in role_prompt.splitlines() if re.match(r"(SIGNED_IN|PREFERRED_LANGUAGE):", ln)]
        fixed = [ln for ln in role_prompt.splitlines() if ln not in varying]
        tools = "\n".join(_signature(n, m, d) for n, d, m in self.tools_)
        return ("You are an agent that acts through tools. Tools:\n" + tools + "\n\nEach step, write ONE JSON "
                'object: {"action": "<tool>", "args": {...}} to call a tool, or {"action": "reply"} when no tool '
                "is needed or the tool results already answer the message. Questions about the shop's policies, delivery, "
                "returns, refunds, payment, accounts or products go to search_knowledge (never answer them from "
                "memory). After a successful verify_identity, do what the user asked before signing in.\n\n"
                + "\n".join(fixed + varying))

    def _chat(self, messages: list[BaseMessage]) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        convo = [m for m in messages if not isinstance(m, SystemMessage)][-HISTORY:]
        while convo and isinstance(convo[0], ToolMessage | AIMessage):  # start on a user message
            convo = convo[1:]
        for m in convo:
            if isinstance(m, HumanMessage):
                out.append({"role": "user", "content": _text(m)})
            elif isinstance(m, AIMessage) and m.tool_calls:
                c = m.tool_calls[0]
                out.append({"role": "assistant", "content": json.dumps({"action": c["name"], "args": c["args"]})})
            elif isinstance(m, AIMessage):
                out.append({"role": "assistant", "content": _text(m)[:400]})
            elif isinstance(m, ToolMessage):
                out.append({"role": "user", "content": f"[result of {m.name or 'tool'}] {_text(m)[:500]}"})
        return out

    def _action_schema(self) -> dict[str, Any]:
        options: list[dict[str, Any]] = [
            {"type": "object", "properties": {"action": {"const": n}, "args": _schema(m)},
             "required": ["action", "args"], "additionalProperties": False} for n, _, m in self.tools_]
        options.append({"type": "object", "properties": {"action": {"const": "reply"}}, "required": ["action"],
                        "additionalProperties": False})
        return {"anyOf": options}

    # --- tool choice ------------------------------------------------------------------------------------------

    def choose(self, messages: list[BaseMessage]) -> tuple[str, dict[str, Any]] | None:
        """(tool, validated args) or ('reply', {}); None after two invalid answers."""
        chat = [{"role": "system", "content": self._system(messages)}, *self._chat(messages)]
        fmt = {"type": "json_schema", "json_schema": {"name": "action", "schema": self._action_schema()}}
        for _attempt in range(2):
            raw = self.complete(chat, response_format=fmt, max_tokens=120)
            action, problem = self.check_action(raw)
            if action is not None:
                return action
            chat += [{"role": "assistant", "content": raw},
                     {"role": "user", "content": f"That was not valid: {problem}. Write the JSON object again."}]
        return None

    def check_action(self, raw: str) -> tuple[tuple[str, dict[str, Any]] | None, str]:
        try:
            obj = json.loads(raw)
        except ValueError as e:
            return None, f"not JSON ({e})"
        if not isinstance(obj, dict) or not isinstance(obj.get("action"), str):
            return None, 'expected {"action": ..., "args": {...}}'
        if obj["action"] == "reply":
            return ("reply", {}), ""
        found = {n: m for n, _, m in self.tools_}.get(obj["action"])
        if found is None:
            return None, f"no tool named {obj['action']!r}; use one of {[n for n, _, _ in self.tools_]} or reply"
        try:
            args = found(**(obj.get("args") or {})).model_dump()
        except ValidationError as e:
            return None, f"bad arguments for {obj['action']}: {e.errors()[0].get('msg')} at {e.errors()[0].get('loc')}"
        except TypeError as e:
            return None, f"bad arguments for {obj['action']}: {e}"
        return (obj["action"], args), ""

    # --- answers ----------------------------------------------------------------------------------------------

    def answer(self, messages: list[BaseMessage], results: list[dict[str, Any]], lang: str) -> str:
        passages = [p for r in results if r.get("kind") == "passages" for p in r.get("passages", [])]
        others = [r for r in results if r.get("kind") != "passages"]
        if others or (results and not passages):
            return compose(results, lang)  # orders, refunds, confirmations, errors: exact, from the composer
        language = name(lang) if lang in available() else "English"
        chat = [{"role": "system", "content": self._system(messages)}, *self._chat(messages)]
        if passages:
            numbered = "\n".join(f"[{i}] {p.get('title')} › {p.get('section')}: {p.get('text', '')[:400]}"
                                 for i, p in enumerate(passages, 1))
            chat.append({"role": "user", "content": f"Help-centre passages:\n{numbered}\n\nAnswer my last message "
                         f"in {language}, in 1-3 sentences, using only these passages, and cite them as [1], [2]. "
                         "If they do not answer it, say you don't know."})
            sources = [str(p.get("text", "")) for p in passages]
        else:
            chat.append({"role": "user", "content": f"Now reply to my last message in {language}, in one or two "
                         "short sentences, without calling tools. Do not make up order details or figures."})
            sources = []
        text = self.complete(chat, max_tokens=self.max_tokens, stream=True).strip()
        seen = sources + [_text(m) for m in messages]
        if not text or untraceable(text, seen) or (passages and not re.search(r"\[\d\]", text)):
            return compose(results, lang) if results else _fallback_reply(messages)
        return text

    # --- the server -------------------------------------------------------------------------------------------

    def complete(self, chat: list[dict[str, str]], max_tokens: int, response_format: Any = None,
                 stream: bool = False) -> str:
        body: dict[str, Any] = {"model": self.model_name, "messages": chat, "max_tokens": max_tokens,
                                "temperature": 0, "cache_prompt": True, "stream": stream}
        if response_format is not None:
            body["response_format"] = response_format
        req = urllib.request.Request(self.base_url.rstrip("/") + "/chat/completions", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                if not stream:
                    data = json.loads(r.read())
                    text = data["choices"][0]["message"].get("content") or ""
                    self._record(t0, None, data.get("usage", {}), data.get("timings", {}), "choose")
                    return str(text)
                return self._read_stream(r, t0)
        except (OSError, ValueError, KeyError) as e:
            raise LLMError(f"model server {self.base_url}: {type(e).__name__}: {e}") from e

    def _read_stream(self, r: Any, t0: float) -> str:
        parts: list[str] = []
        first: float | None = None
        usage: dict[str, Any] = {}
        timings: dict[str, Any] = {}
        for line in r:
            line = line.strip()
            if not line.startswith(b"data: ") or line == b"data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            usage = chunk.get("usage") or usage
            timings = chunk.get("timings") or timings
            for ch in chunk.get("choices", []):
                delta = (ch.get("delta") or {}).get("content")
                if delta:
                    first = first or time.perf_counter()
                    parts.append(delta)
                    for sink in list(self.sinks):
                        sink(delta)
        self._record(t0, first, usage, timings, "answer", len(parts))
        return "".join(parts)

    def _record(self, t0: float, first: float | None, usage: dict[str, Any], timings: dict[str, Any], kind: str,
                chunks: int = 0) -> None:
        if self.stats is None:
            return
        self.stats.append({"kind": kind, "seconds": time.perf_counter() - t0,
                           "ttft_s": (first - t0) if first else None,
                           "prompt_tokens": usage.get("prompt_tokens"),
                           "completion_tokens": usage.get("completion_tokens") or chunks,
                           "tokens_per_s": timings.get("predicted_per_second"),
                           "prompt_tokens_per_s": timings.get("prompt_per_second")})


def _fallback_reply(messages: list[BaseMessage]) -> str:
    from agent.llm.offline import OfflineChatModel

    return _text(OfflineChatModel().respond(messages)) or "How can I help?"


def load_llamacpp(spec: str, settings: Any) -> LlamaCppChatModel:
    """`llamacpp` = the managed local server (started now if nothing answers on settings.llm_port);
    `llamacpp:<base_url>` = any OpenAI-compatible server (e.g. llama.cpp or vLLM on a GPU machine)."""
    from agent.llm.llamacpp_server import ALIAS, ensure_server

    url = spec.split(":", 1)[1] if ":" in spec else ensure_server(settings)
    return LlamaCppChatModel(base_url=url, model_name=ALIAS, max_tokens=settings.llm_max_tokens, stats=[])


def warm_up(settings: Any) -> float:
    """Start (or find) the server and run one tiny completion, so the first shopper does not wait for the model
    to load and its buffers to be allocated. Returns the seconds it took."""
    t0 = time.perf_counter()
    model = load_llamacpp(settings.model, settings)
    model.complete([{"role": "user", "content": "hi"}], max_tokens=1)
    return time.perf_counter() - t0

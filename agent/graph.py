"""Build the agent for a session: the role's prompt and tools, the chat model, memory and trimming."""

from __future__ import annotations

from typing import Any

from agent.memory import checkpointer, trim_to_budget
from core.session import Session

SHOP_NAME = "Hearth & Home"


def build_agent(session: Session, model: Any, saver: Any = None, token_budget: int = 3000) -> Any:
    from langchain.agents import create_agent
    from langchain.agents.middleware import wrap_model_call

    from prompts.system import system_prompt
    from tools import langchain_tools

    settings = session.settings

    @wrap_model_call  # type: ignore[arg-type]
    def trim(request: Any, handler: Any) -> Any:
        return handler(request.override(messages=trim_to_budget(settings, list(request.messages), token_budget)))

    prompt = system_prompt(session.principal.role, signed_in=bool(session.principal.customer_id),
                           shop_name=SHOP_NAME, policy=settings.policy,
                           language=session.facts.get("language", "en"))
    return create_agent(model, tools=langchain_tools(session), system_prompt=prompt, middleware=[trim],
                        checkpointer=saver if saver is not None else checkpointer(settings))

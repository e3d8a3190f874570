"""The agent's tools: typed arguments, docstrings as descriptions, the roles each serves.

Each tool is a plain function `fn(session, **args) -> dict`; `tools_for(session)` binds them to the session as
LangChain tools, so the principal comes from the session, never from the model's arguments. Tools that write
return a pending action (`{"kind": "confirm", ...}`); the write runs only after the user's explicit yes
(agent/runner.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from core.session import Role, Session


@dataclass(frozen=True)
class ToolSpec:
    name: str
    fn: Callable[..., dict[str, Any]]
    args: type[BaseModel]
    roles: tuple[Role, ...]
    writes: bool = False

    @property
    def description(self) -> str:
        return (self.fn.__doc__ or self.name).strip()


REGISTRY: dict[str, ToolSpec] = {}


def tool(name: str, args: type[BaseModel], roles: tuple[Role, ...], writes: bool = False
         ) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    def register(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        REGISTRY[name] = ToolSpec(name, fn, args, roles, writes)
        return fn

    return register


def load_all() -> dict[str, ToolSpec]:
    from tools import customers, handoff, knowledge, language, order_changes, orders, retention  # noqa: F401

    return REGISTRY


def specs_for(role: Role) -> list[ToolSpec]:
    return [s for s in load_all().values() if role in s.roles]


def call(session: Session, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run a tool for a session: role check, argument validation, audit; errors become a refusal dict."""
    from core.errors import RetainError
    from shop.queries import audit

    spec = load_all().get(name)
    role = session.principal.role
    if spec is None or role not in spec.roles:
        result: dict[str, Any] = {"kind": "refusal", "message": f"The {name} tool is not available to a {role}."}
    else:
        try:
            parsed = spec.args(**args)
            result = spec.fn(session, **parsed.model_dump())
        except RetainError as e:
            result = {"kind": "error", "message": str(e)}
        except ValueError as e:  # pydantic validation
            result = {"kind": "error", "message": f"bad arguments for {name}: {e}"}
        except Exception as e:  # a failing backend must not end the conversation
            import logging

            logging.getLogger("retain.tools").exception("tool %s failed", name)
            result = {"kind": "error", "message": "Sorry, I can't reach that information right now "
                                                  f"({type(e).__name__}). A colleague can help: just ask for a human."}
    try:
        audit(session.con, role, session.principal.actor_id, f"tool:{name}", None,
              {"args": args, "result_kind": result.get("kind")}, result.get("kind") not in ("refusal", "error"))
    except Exception as e:  # a call that can't be audited (disk full, read-only store) is not answered
        from shop.db import as_store_error

        if as_store_error(e) is None:
            raise
        import logging

        logging.getLogger("retain.tools").error("could not audit tool %s for %s: %s", name, role, e)
        session.pending = None
        result = {"kind": "error", "message": "I can't do that right now: the shop's records can't be saved (a "
                                              "storage problem on our side). Nothing was changed; please try again "
                                              "later, or ask for a human."}
    return result


def langchain_tools(session: Session) -> list[Any]:
    """The session's tools as LangChain StructuredTools (bound to the session by closure)."""
    import json

    from langchain_core.tools import StructuredTool

    out = []
    for spec in specs_for(session.principal.role):
        def run(_spec: ToolSpec = spec, **kwargs: Any) -> str:
            return json.dumps(call(session, _spec.name, kwargs), default=str)

        out.append(StructuredTool.from_function(func=run, name=spec.name, description=spec.description,
                                                args_schema=spec.args))
    return out

"""Role system prompts: package files rendered with Jinja StrictUndefined (a missing variable is an error)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("prompts", "."), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True, autoescape=False)


def render(name: str, **values: Any) -> str:
    return str(_env().get_template(name).render(**values))


def system_prompt(role: str, **values: Any) -> str:
    if not resources.files("prompts").joinpath(f"{role}.md.j2").is_file():
        raise ValueError(f"no system prompt for role {role!r}")
    values.setdefault("language", "en")  # the shopper's preferred language, 'en' | 'zh'
    return render(f"{role}.md.j2", role=role, **values)

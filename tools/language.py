"""The shopper's preferred language (a code of core.language.available(): 'en', 'zh', or an added one), kept on their own customer record for later conversations and
campaigns. The shopper asks for it explicitly ("请用中文回复"), or the runner records the language they keep writing
in; either way it goes through the registry, so it is audited, and only ever touches the principal's record."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from core.session import Session
from shop import queries as q
from tools import tool
from tools.orders import me


class LanguageArgs(BaseModel):
    language: str = Field(description="'en' for English, 'zh' for Chinese (or another language the shop has)")

    @field_validator("language")
    @classmethod
    def _known(cls, v: str) -> str:
        from core.language import check

        return check(v)


@tool("set_language", LanguageArgs, roles=("shopper",))
def set_language(session: Session, language: str) -> dict[str, Any]:
    """Remember the language the shopper wants to be answered in ('en', 'zh', ...) on their own account."""
    from shop.db import transaction

    cid = me(session)
    before = q.preferred_language(session.con, cid)
    if before != language:
        with transaction(session.con):  # the change and its audit row, or neither
            q.set_preferred_language(session.con, cid, language)
            q.audit(session.con, session.principal.role, session.principal.actor_id, "write:set_language", cid,
                    {"from": before, "to": language}, True)
    session.facts["language"] = language
    return {"kind": "language", "language": language, "changed": before != language}

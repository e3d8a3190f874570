"""Drafts written by a chat model are validated like template drafts: regenerated once with the findings, else
flagged. Scripted models stand in for a real LLM."""

from __future__ import annotations

import json
import re

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import AIMessage

from core.config import Settings
from retention.campaigns import store as st
from retention.campaigns.models import AudienceSpec, CampaignSpec
from retention.campaigns.service import draft, plan
from retention.campaigns.synthetic import seed_store


class EchoModel:
    """Copies the reference draft from the prompt; the first `spoil` answers add an unsupported claim."""

    def __init__(self, spoil: int = 0):
        self.spoil, self.prompts = spoil, []

    def invoke(self, messages):
        user = messages[-1][1]
        self.prompts.append(user)
        ref = user.split("Correct draft:\n", 1)[1].rsplit("\n\nAnswer with one JSON", 1)[0]
        subject = re.search(r"^subject: (.*)$", ref, re.M)
        pre = re.search(r"^preheader: (.*)$", ref, re.M)
        body = ref.split("body:\n", 1)[1]
        if self.spoil > 0:
            self.spoil -= 1
            body += "\nBest price guaranteed!"
        answer = {"subject": subject and subject.group(1), "preheader": pre and pre.group(1), "body": body}
        return AIMessage(content="```json\n" + json.dumps(answer) + "\n```")


@pytest.fixture()
def planned(store, tmp_path):
    seed_store(store, 120, seed=4)
    s = Settings(data_dir=tmp_path / "data")
    spec = CampaignSpec(audience=AudienceSpec(risk_bands=None, limit=3), holdout_share=0.0, channels=["email"])
    return store, s, plan(store, s, spec)["campaign_id"]


def test_campaign_llm_drafts_validated(planned):
    con, s, cid = planned
    model = EchoModel()
    rep = draft(con, s, cid, model=model)
    assert rep["writer"] == "llm" and rep["valid"] == rep["drafts"] == 3
    assert "Use ONLY these facts" in model.prompts[0] and re.search(r"\"code\": \"WB[0-9A-F]{8}\"", model.prompts[0])
    assert all("rejected" not in p for p in model.prompts)


def test_campaign_llm_failure_regenerated_with_findings(planned):
    con, s, cid = planned
    model = EchoModel(spoil=1)
    rep = draft(con, s, cid, model=model)
    assert rep["valid"] == 3 and rep["regenerated"] == 1
    assert len(model.prompts) == 4 and "rejected" in model.prompts[1] and "best price" in model.prompts[1].lower()
    assert not any("guaranteed" in r["body"] for r in st.drafts(con, cid))


def test_campaign_llm_failing_twice_is_flagged(planned):
    con, s, cid = planned
    rep = draft(con, s, cid, model=EchoModel(spoil=6))
    assert rep["flagged"] == 3 and rep["flag_reasons"]["unsupported_claim"] == 3


def test_campaign_llm_garbage_answer_is_flagged(planned):
    con, s, cid = planned
    rep = draft(con, s, cid, model=FakeListChatModel(responses=["Sure! Here is your email: Hi there..."]))
    assert rep["valid"] == 0 and rep["flag_reasons"]["missing_field"] >= 3

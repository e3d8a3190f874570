"""The offline engine's order-operation flows (agent/offline/ops.py): routing, and an answer to a tool's question
continuing the same action."""

from __future__ import annotations

import json

import pytest

from agent.offline import ops
from agent.offline.planner import plan_turn
from agent.offline.router import route


@pytest.mark.parametrize("text, intent", [
    ("I'd like to exchange the t-shirt in order #W9000002 for size XL", "exchange_items"),
    ("can I exchange a shirt for another size?", "policy"),
    ("please change the colour of the water bottle in my order #W9000001 to black", "modify_items"),
    ("I want to pay for order #W9000001 with PayPal instead", "modify_payment"),
    ("can I pay with paypal?", "policy"),
    ("which colours is the t-shirt available in?", "product_options"),
    ("please change my default address to 5 High Street, Leeds LS1 4AB", "default_address"),
    ("change the address of #W9000001 to 5 High Street, Leeds LS1 4AB", "change_address"),
    ("I want to return my order #W9000002", "return_items"),
])
def test_routing(text: str, intent: str) -> None:
    assert route(text, "shopper").intent == intent


def test_a_question_back_is_answered_in_the_next_turn() -> None:
    asked = {"kind": "ask", "action": "exchange_items", "order_id": "#W9000002",
             "request": "exchange something from #W9000002", "message": "Which item?"}
    history = [("human", "exchange something from #W9000002"), ("ai", ""), ("tool", json.dumps(asked)),
               ("ai", "Which item?")]
    plan = plan_turn("the t-shirt in size XL with my gift card", "shopper", True, history)
    assert [(c.name, c.args["order_id"], c.args["payment_method_id"]) for c in plan.calls] == [
        ("exchange_items", "#W9000002", "gift_card")]
    assert plan.calls[0].args["request"].endswith("the t-shirt in size XL with my gift card")
    dropped = plan_turn("never mind", "shopper", True, history)  # dropping it is not an answer
    assert "exchange_items" not in [c.name for c in dropped.calls]
    other = plan_turn("cancel #W9000001", "shopper", True, history)
    assert [c.name for c in other.calls] == ["cancel_order"]  # another request is not an answer either
    assert ops.follow_up("policy", "XL", history[:2]) is None  # no question pending


def test_missing_order_or_address() -> None:
    assert [c.name for c in plan_turn("I want to exchange my shoes for a bigger size", "shopper", True, []).calls] == [
        "list_my_orders"]
    plan = plan_turn("please change my default address", "shopper", True, [])
    assert plan.calls == [] and "Which address" in (plan.reply or "")

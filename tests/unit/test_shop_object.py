"""The shop-object rule (agent/offline/shop_object.py): a write route needs something of this shop's in the message
(an order, a parcel, a product, a picked item, a pronoun) or an order in focus in the conversation; otherwise the
router asks whether it is about an order here."""

import csv
from pathlib import Path

import pytest

from agent.offline.planner import plan_turn
from agent.offline.router import WRITES, route
from agent.offline.shop_object import about_shop

ROUTING = Path(__file__).parents[2] / "agent/offline/routing"


@pytest.mark.parametrize("text", [
    "please change my postal address, I've moved to Bristol",
    "cancel the card you sent, it never arrived",
    "I'd like to cancel please",
    "change my address to 5 Bank Street, Leeds LS1 4AB",
    "cancel the flowers I ordered from the florist for Friday",
    "cancel the thing I signed up for",
    "I need to cancel the room for the 12th",
    "我要取消",
    "我搬到上海了，地址改一下",
    "蛋糕店的订单帮我取消",
])
def test_a_write_naming_no_object_of_the_shop_asks(text: str) -> None:
    r = route(text)
    assert r.intent == "clarify", r
    if r.via == "shop-object":  # the question names the write and 'something other than this shop'
        assert r.alternatives[0][0] in WRITES and r.alternatives[1][0] == "out_of_scope"


@pytest.mark.parametrize("text,intent", [
    ("please cancel my order", "cancel_order"),
    ("can you cancel my last purchase", "cancel_order"),
    ("cancel the hot water bottle order please", "cancel_order"),
    ("return the hot water bottle, it leaks", "return_items"),
    ("I'd like to send back the blue one", "return_items"),
    ("these don't fit, sending them back", "return_items"),
    ("cancel it please", "cancel_order"),
    ("I want to return something", "return_items"),
    ("the parcel should go to my mum's house, 3 Park Lane, Leeds LS2 3CD", "change_address"),
    ("I typed the wrong postcode on my order", "change_address"),
    ("我要退货", "return_items"),
    ("我买错了，取消吧", "cancel_order"),
    ("收货地址填错了", "change_address"),
    # beside the words that make another object the write's (test_another_object_named_beside_a_shop_word_is_no_write)
    ("return the one with the scratch", "return_items"),  # 'the one' is the item, not what follows
    ("I ordered the wrong size, send it back", "return_items"),
    ("the mug you sent is chipped, I want to send it back", "return_items"),
    ("我要退掉这个杯子", "return_items"),
    ("cancel the order of mugs I placed this morning", "cancel_order"),
    ("取消刚下的单", "cancel_order"),
    ("cancel my order for my sister's birthday please", "cancel_order"),  # whom it is for is no other object
    ("I ordered the cushion last week and want to cancel it", "cancel_order"),
    ("麻烦取消一下订单", "cancel_order"),
    ("please send the order to my parents' house at 4 Mill Lane, York YO1 7HH", "change_address"),
    ("I left the flat number off my order, can you add it", "change_address"),
    ("please send it to my work address instead, 1 High St, Leeds LS1 1AA", "change_address"),
    ("please deliver the lamp to my new flat instead of the old one", "change_address"),
    ("这个能改寄到我公司吗", "change_address"),
    ("把订单改寄到上海市黄浦区南京东路100号", "change_address"),
])
def test_a_write_naming_the_shops_things_proceeds(text: str, intent: str) -> None:
    assert route(text).intent == intent


def test_the_rule_reads_the_object_not_the_verb() -> None:
    assert about_shop("return the mug", "return_items", {})
    assert not about_shop("return the hired tuxedo", "return_items", {})
    assert about_shop("return the hired tuxedo", "return_items", {"order_id": "W9000001"})
    # a shop noun inside another business's thing is no shop object
    assert not about_shop("change the address for the milk delivery", "change_address", {})
    assert about_shop("change the address for my delivery", "change_address", {})
    # a bare address change is what every business hears; where the parcel goes is the shop's
    assert not about_shop("I've moved, please update my address", "change_address", {})
    assert about_shop("update the shipping address please", "change_address", {})


def test_a_bare_write_in_a_conversation_about_an_order_proceeds() -> None:
    history = [("human", "show me order #W9000001"), ("tool", '{"kind": "order", "order": {"order_id": "W9000001"}}')]
    alone = plan_turn("I'd like to cancel please", "shopper", True, [])
    assert not alone.calls and "something other than this shop" in alone.reply
    about = plan_turn("I'd like to cancel please", "shopper", True, history)
    assert [(c.name, c.args["order_id"].lstrip("#")) for c in about.calls] == [("cancel_order", "W9000001")]
    # another business's object is still no write, whatever order is in focus
    assert not plan_turn("cancel my gym membership", "shopper", True, history).calls


def test_dev_sets() -> None:
    """This branch's own dev sets: other businesses' messages (the fifth batch, written before the rule: 10.6 % went
    to a write) start almost none; the shop's own write messages lose almost nothing to the question."""
    other = list(csv.DictReader((ROUTING / "other_domains_dev5.csv").open(encoding="utf-8")))
    got = [route(r["text"]).intent for r in other]
    assert len(other) >= 300 and sum(g in WRITES for g in got) / len(got) <= 0.02
    shop = list(csv.DictReader((ROUTING / "shop_writes_dev.csv").open(encoding="utf-8")))
    asked = [route(r["text"]).via == "shop-object" for r in shop]
    assert len(shop) >= 150 and sum(asked) / len(asked) <= 0.01


# What a write is about is read from the whole message: what is bought, sent, acted on or held (docs/agent.md).
@pytest.mark.parametrize("text", [
    "I bought the wrong film, please return it",  # what was bought is none of this shop's things
    "the mesh extender you sent is the wrong model for my hub, how do I send it back",  # what was sent, the same
    "cancel the purchase of the motorbike please",  # the purchase holds another object
    "cancel the order of roses for Saturday",
    "please cancel the points scheme, I don't need it",  # the cancel's own object is not an order
    "取消明天的理发，不想要了",
    "cancel",  # a bare verb is what every business hears
    "I lost my phone charger on the bus, can you post it to my home address",  # lost property
    "I borrowed a racket from the front desk, how do I return it",  # borrowed things are no shop's goods
    "the e-book I downloaded won't open, return it please",
    "do I return it with a full tank or empty",
    "please deliver my weekly newsletter to my new address from now on",  # an address change for another object
    "block my old card and send the new one to my new flat",  # 'the new one' is the card
    "please post new permit to my new address",  # what is sent is none of this shop's things
    "can you send new fob to my new address",
    "门卡能补寄到新地址吗",
    "I ordered the pottery workshop last week and want to cancel it",  # the phrase runs on into a time
    "cancel my order for the wine tasting please",  # an order for something the shop does not sell
    "please post the scarf we left in the lecture hall to my home address",  # lost property
])
def test_another_object_named_beside_a_shop_word_is_no_write(text: str) -> None:
    assert route(text).intent not in WRITES


def test_a_bare_write_asks_until_an_order_is_in_focus() -> None:
    history = [("human", "show me order #W9000001"), ("tool", '{"kind": "order", "order": {"order_id": "W9000001"}}')]
    assert route("cancel").intent == "clarify"
    about = plan_turn("cancel", "shopper", True, history)
    assert [(c.name, c.args["order_id"].lstrip("#")) for c in about.calls] == [("cancel_order", "W9000001")]
    assert route("cancel the mug set before it ships").intent == "cancel_order"  # a goods cue keeps the write



def test_a_bare_write_taken_with_the_order_in_focus_keeps_its_follow_ups() -> None:
    """The dialogue's replay takes the bare write as the planner did, so the reason given next attaches to it."""
    history = [("human", "show me order #W9000001"), ("tool", '{"kind": "order", "order": {"order_id": "W9000001"}}'),
               ("human", "I'd like to cancel please"),
               ("tool", '{"kind": "confirm", "action": "cancel_order", "order_id": "W9000001"}'),
               ("ai", "Shall I cancel #W9000001? May I ask why?")]
    then = plan_turn("I changed my mind about it", "shopper", True, history)
    assert [(c.name, c.args.get("reason")) for c in then.calls] == [("cancel_order", "no longer needed")]
    then = plan_turn("I ordered it by mistake", "shopper", True, history)
    assert [(c.name, c.args.get("reason")) for c in then.calls] == [("cancel_order", "ordered by mistake")]

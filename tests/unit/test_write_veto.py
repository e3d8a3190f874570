"""The write-safety veto (agent/offline/write_veto.py): another business's request that reads like a write (cancel,
return, address change) routes out_of_scope; this shop's write with the same verb still routes to the write."""

import csv
from pathlib import Path

import pytest

from agent.offline.intent_eval import risky_share
from agent.offline.router import WRITES, route
from agent.offline.write_veto import other_business

DEV = Path(__file__).parents[2] / "agent/offline/routing/other_domains_dev.csv"


@pytest.mark.parametrize("text", [  # rows of the dev set that routed to a write before the veto
    "the bank posted my new card to my old address, can you redirect it",
    "order a new chequebook to my new address",
    "send my new PIN to my new address",
    "the courier couldn't deliver my new sim, please redeliver it",
    "cancel my takeaway order, it's taking too long",
    "取消合约机的订单",
    "取消景区门票订单",
    "搬家后家财险的地址要改",
    "取消我的外卖订单，等太久了",
])
def test_other_business_write_looking_messages_are_out_of_scope(text: str) -> None:
    r = route(text)
    assert r.intent == "out_of_scope"


@pytest.mark.parametrize("text,intent", [
    ("please cancel order #W9000001, I bought it by mistake", "cancel_order"),
    ("cancel my order, I paid by credit card by mistake", "cancel_order"),
    ("change the delivery address to 5 Bank Street, Leeds LS1 4AB", "change_address"),
    ("please send it to 12 Airport Road, Manchester M1 2AB instead", "change_address"),
    ("把#W9000001的地址改成上海市黄浦区南京东路1号，邮编200001", "change_address"),
    ("出门旅游了，能把快递转到酒店吗", "change_address"),
    ("订单#W9000001帮我取消，买错了", "cancel_order"),
])
def test_this_shops_writes_with_the_same_words_stay_writes(text: str, intent: str) -> None:
    assert route(text).intent == intent


def test_the_veto_says_which_object_belongs_elsewhere() -> None:
    r = route("change the delivery address for my new sim")
    assert (r.intent, r.via, r.slots["other_business"]) == ("out_of_scope", "write-veto", "sim")


@pytest.mark.parametrize("text,intent,vetoed", [
    ("cancel my broadband order", "cancel_order", "broadband"),
    ("cancel my credit card", "cancel_order", "credit card"),
    ("取消我的信用卡", "cancel_order", "信用卡"),
    # the shop's catalogue names its own things with such words: luggage tags, passport covers, money banks
    ("return the luggage tags", "return_items", None),
    ("return the passport cover and the money bank", "return_items", None),
    ("exchange the airline bag for the brown one", "exchange_items", None),
    ("I want to return the rolling pin", "return_items", None),
    # money words name the payment, not another business's object, in a payment change
    ("pay for it with my credit card instead", "modify_payment", None),
    ("cancel it and refund the money to my bank account", "cancel_order", None),
    # an order of this shop keeps the write, whatever else is named
    ("cancel my order, my flight was moved", "cancel_order", None),
    # ...but not an order from another business, nor a parcel the customer sends
    ("cancel my order from the supermarket", "cancel_order", "order from the supermarket"),
    ("change the address on the parcel I'm sending to Spain", "change_address", "parcel I'm sending"),
    ("I want to return the parcel I sent back last week", "return_items", None),
    ("cancel the order of foreign cash for my holiday", "cancel_order", "order of foreign cash"),
])
def test_other_business(text: str, intent: str, vetoed: str | None) -> None:
    assert other_business(text, intent) == vetoed


def test_address_parts_are_places_not_businesses() -> None:
    address = {"address1": "5 Bank Street", "city": "Leeds", "zip": "LS1 4AB"}
    text = "cancel it, I live at 5 Bank Street, Leeds LS1 4AB now"
    assert other_business(text, "cancel_order") == "Bank"
    assert other_business(text, "cancel_order", address=address) is None
    # a place the parcel may go to is no business's object either
    assert other_business("send it to the hospital where I work", "change_address") is None
    assert other_business("send it to the hospital where I work", "cancel_order") == "hospital"
    assert other_business("the address on my bank account is now 5 Bank Street", "default_address",
                          address=address) == "bank"


def test_the_veto_only_touches_writes() -> None:
    assert other_business("my bank shows no refund", "cancel_order") == "bank"
    assert route("my bank shows no refund").intent == "refund_status"


def test_dev_set_of_other_businesses_starts_no_write() -> None:
    """Issue 14's bar (<= 0.5 % routed to a write) on the dev part of this branch's own other-business set."""
    rows = list(csv.DictReader(DEV.open(encoding="utf-8")))
    assert len(rows) >= 200 and {r["lang"] for r in rows} == {"en", "zh"}
    got = [route(r["text"]).intent for r in rows]
    assert risky_share(got) <= 0.005
    assert sum(g in WRITES for g in got) / len(got) <= 0.005  # the operation intents too


@pytest.mark.parametrize("text,intent", [
    ("I moved to 5 High Street, Leeds LS1 4AB", "change_address"),
    ("send it to 5 Bank Street, Leeds LS1 4AB", "change_address"),
    ("I moved to 5 High Street, Leeds LS1 4AB, please update my bank", "out_of_scope"),
    ("return the red mug", "return_items"),
    ("return the red hire car", "out_of_scope"),
])
def test_the_dialogue_starts_no_write_for_another_business(text: str, intent: str) -> None:
    """The dialogue's own write starters (an address with a moving word, a return verb with an item) heed the veto."""
    from agent.offline.dialogue import intent_of

    assert intent_of(text) == intent


def test_a_gift_certificate_is_the_shops() -> None:
    assert other_business("cancel the gift certificate I ordered", "cancel_order") is None


@pytest.mark.parametrize("text,intent", [
    ("please send my replacement library card to my new address", "change_address"),  # cards, permits, papers
    ("can you post the parking permit to my new flat instead", "change_address"),
    ("我的社保卡能寄到新地址吗", "change_address"),
    ("电子票改寄到公司地址", "change_address"),
    ("please cancel the vet visit on Friday", "cancel_order"),
    ("can you post the dog's worming tablets to my new address", "change_address"),
    ("cancel my son's place in the football club tournament", "cancel_order"),
    ("I need to return the hearing aid for a service", "return_items"),
    ("the plumber's call-out was cancelled, refund me", "cancel_order"),
    ("取消明天的宠物美容预约", "cancel_order"),
    ("助听器能寄到我新家吗", "change_address"),
    ("please cancel my order for the broadband upgrade", "cancel_order"),  # the order holds another business's thing
    ("can you send my mislaid suitcase to my sister's flat", "change_address"),
    ("cancel the hold on the cookbook, I bought my own copy", "cancel_order"),
    ("接送地址写错了，能改吗", "change_address"),
    ("这个跟团游可以取消吗", "cancel_order"),
    ("cancel my yoga class on Thursday", "cancel_order"),
    ("please return the unused medication for me", "return_items"),
    ("上门取件不要了，帮我取消", "cancel_order"),
    ("freeze my card and post the replacement to my new flat", "change_address"),
    ("please return the parcel to sender, the recipient moved", "change_address"),
    ("会员卡能转到离家近的门店吗", "change_address"),
])
def test_other_businesses_things_are_vetoed(text: str, intent: str) -> None:
    assert other_business(text, intent) is not None
    assert route(text).intent not in WRITES

"""Dialogue state of the offline engine: addresses in ordinary phrasing, the items of an order a message means,
withdrawals, requests the tools cannot do, and which follow-ups continue an open task."""

from __future__ import annotations

import pytest

from agent.offline.address import parse_address, postcode_correction, second_line
from agent.offline.dialogue import Task, continues, intent_of, open_task, reason_of, unsupported, withdrawn
from agent.offline.items import choose

W5 = [{"item_id": "b", "name": "Bicycle", "options": {"color": "black"}, "unit_price": 2076.5},
      {"item_id": "tb", "name": "T-Shirt", "options": {"color": "blue", "size": "S"}, "unit_price": 53.43},
      {"item_id": "tr", "name": "T-Shirt", "options": {"color": "red", "size": "L"}, "unit_price": 46.66}]
W3 = [{"item_id": "k", "name": "Electric Kettle", "options": {"color": "silver"}, "unit_price": 137.17},
      {"item_id": "p", "name": "Backpack", "options": {"color": "green"}, "unit_price": 205.35}]


@pytest.mark.parametrize("text, want", [
    ("I moved, change the delivery address to 12 Baker Street, Flat 3, London NW1 6XE",
     ("12 Baker Street", "Flat 3", "London", "", "NW1 6XE", "")),
    ("Flat 3, 12 Baker Street, London NW1 6XE", ("12 Baker Street", "Flat 3", "London", "", "NW1 6XE", "")),
    ("please send #W9000007 to 8 rue Victor Hugo, 69002 Lyon instead", ("8 rue Victor Hugo", "", "Lyon", "", "69002", "")),
    ("change it to 500 Main Street, Apt 4B, Springfield, IL 62704, USA",
     ("500 Main Street", "Apt 4B", "Springfield", "IL", "62704", "United States")),
    ("to 7 Station Road, Harpenden, Hertfordshire AL5 4SE", ("7 Station Road", "", "Harpenden", "Hertfordshire",
                                                             "AL5 4SE", "")),
    ("I've moved to 3 Mill Lane, York YO1 7HH - please update #W9000001", ("3 Mill Lane", "", "York", "", "YO1 7HH", "")),
])
def test_addresses_in_ordinary_phrasing(text: str, want: tuple[str, ...]) -> None:
    a = parse_address(text)
    assert a is not None
    assert tuple(a[k] for k in ("address1", "address2", "city", "state", "zip", "country")) == want


def test_not_an_address_and_address_fragments() -> None:
    assert parse_address("cancel order #W9000001") is None
    assert parse_address("change the address of #W9000001") is None  # no street or postcode: ask, don't guess
    assert second_line("add Flat 3 as the second line") == "Flat 3"
    assert postcode_correction("no, the postcode is nw1 6xf") == "NW1 6XF"


@pytest.mark.parametrize("text, items, ids, ambiguous", [
    ("please return only the bicycle from order #W9000005", W5, ["b"], []),
    ("I'd like to return a t-shirt from #W9000005", W5, [], ["tb", "tr"]),
    ("the blue one", W5, ["tb"], []),
    ("send back the second item", W5, ["tb"], []),
    ("return the bicycle and the red t-shirt", W5, ["b", "tr"], []),
    ("I want to return both t-shirts", W5, ["tb", "tr"], []),
    ("return everything except the bicycle", W5, ["tb", "tr"], []),
    ("no wait, not the bicycle, the blue t-shirt", W5, ["tb"], []),
    ("return the headphones", W5, [], []),
    ("订单#W9000003里我只想退电水壶", W3, ["k"], []),
    ("绿色的那个我要退货", W3, ["p"], []),
    ("第二件我想退掉", W3, ["p"], []),
    ("不是水壶，是背包", W3, ["p"], []),
    ("订单W9000003的背包不退，只退电水壶", W3, ["k"], []),
    ("#W9000005 除了自行车都退了", W5, ["tb", "tr"], []),
])
def test_items_by_name_option_position(text: str, items: list, ids: list, ambiguous: list) -> None:
    c = choose(text, items)
    assert c.selected
    assert (c.ids, [it["item_id"] for it in c.ambiguous]) == (ids, ambiguous)


def test_no_item_named_means_the_whole_order() -> None:
    assert not choose("return my order #W9000002", W5).selected
    assert not choose("I want to return it", W5).selected


def test_reasons_withdrawals_and_what_the_tools_cannot_do() -> None:
    assert reason_of("I ordered it by mistake") == "ordered by mistake"
    assert reason_of("I changed my mind about it") == "no longer needed"
    assert reason_of("我下错单了") == "ordered by mistake" and reason_of("cancel #W9000006") is None
    for text in ("I don't want to cancel anything", "I don't want to cancel it after all", "forget it, I'll keep them",
                 "算了，我不取消了", "我不想取消任何订单", "算了，不退了"):
        assert withdrawn(text), text
    for text in ("cancel #W9000006, I don't need it anymore", "don't cancel #W9000001, I just want to see what's in it",
                 "订单W9000003的背包不退，只退电水壶", "return #W9000005 but not the bicycle", "为什么不退？"):
        assert not withdrawn(text), text
    assert unsupported("oh no, please undo the cancellation", "#W9000001") == "undo"
    assert unsupported("remove the yoga mat from #W9000006", None) == "add_remove"
    assert unsupported("can you deliver #W9000006 on Saturday?", None) == "delivery_day"
    assert unsupported("帮我在订单#W9000008里再加一件T恤", None) == "add_remove"
    assert unsupported("#W9000006 能不能周六送到？", None) == "delivery_day"
    assert unsupported("I'd like to exchange the t-shirt from #W9000002 for a size L", None) is None  # ops.py's
    assert unsupported("can I exchange a shirt for another size?", "#W9000002") is None  # a policy question
    assert unsupported("change the address of #W9000001 to 5 High Street, Leeds LS1 4AB", None) is None
    assert unsupported("undo the cancellation", None) is None  # no order of theirs in view


def test_follow_ups_continue_the_open_task() -> None:
    history = [("human", "I'd like to return a t-shirt from #W9000005"), ("ai", "Which one ...?")]
    task = open_task(history)
    assert task == Task("return_items", ("I'd like to return a t-shirt from #W9000005",))
    assert continues(task, "the blue one")
    assert not continues(task, "actually, what's your returns policy?")
    assert not continues(task, "what colours does the t-shirt come in?")
    assert intent_of("拆封过的耳机还能退吗？") != "return_items"  # a policy question, not a return
    assert intent_of("return the sneakers") == "return_items"
    cancel = Task("cancel_order", ("cancel #W9000005, I ordered it by mistake",))
    assert continues(cancel, "sorry, I meant #W9000006") and continues(cancel, "I changed my mind about it")
    assert continues(Task("change_address", ("change the address of #W9000001 to 12 Baker Street, London NW1 6XE",)),
                     "Flat 3")
    done = history + [("human", "the blue one"), ("tool", '{"kind": "confirm"}'), ("human", "yes"),
                      ("ai", "Done")]
    assert open_task(done) is None

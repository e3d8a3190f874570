"""Issue 18.2: a huge message gets a clear refusal at once, no regex applied to user text backtracks
super-linearly, and shopper turns run side by side."""

from __future__ import annotations

import importlib
import pkgutil
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.security.web.conftest import last_text

BIG = "a" * 200_000


def _within(seconds: float, fn: Any) -> Any:
    """Run fn in a thread; fail (instead of hanging) when it takes longer than `seconds`."""
    out: list[Any] = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    t.join(seconds)
    assert out, f"took more than {seconds} s"
    return out[0]


def test_a_200kb_message_is_refused_at_once(shop: Any) -> None:
    from agent.runner import Assistant
    from core.session import Principal

    bot = Assistant(shop, Principal("shopper"), thread_id="sec-big")
    reply = _within(5, lambda: bot.ask(BIG))
    assert "too long" in reply.text and f"{shop.max_message_chars:,}" in reply.text


def test_a_200kb_web_message_is_refused_at_once(shop: Any, serve: Any) -> None:
    from gradio_client import Client

    client = Client(serve(shop) + "/", verbose=False)
    history = _within(20, lambda: client.predict(BIG, [], api_name="/ask")[0])
    assert "too long" in last_text(history)
    history = _within(20, lambda: client.predict("What is your return policy?", [], api_name="/ask")[0])
    assert last_text(history)           # the app still answers


def _user_text_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled regex at module level in agent/offline/*.py (all of them see user text)."""
    import agent.offline

    found = []
    for info in pkgutil.iter_modules(agent.offline.__path__):
        mod = importlib.import_module(f"agent.offline.{info.name}")
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                found.append((f"{info.name}.{name}", value))
            elif isinstance(value, list | tuple):
                found += [(f"{info.name}.{name}[{i}]", v[0] if isinstance(v, tuple) else v)
                          for i, v in enumerate(value)
                          if isinstance(v, re.Pattern) or (isinstance(v, tuple) and v and isinstance(v[0], re.Pattern))]
    return found


PATTERNS = _user_text_patterns()
UNITS = st.text(alphabet="aA0.@-_ #W,:'/\n订单邮编", min_size=1, max_size=6)


def test_the_fuzz_covers_the_slot_patterns() -> None:
    names = {n for n, _ in PATTERNS}
    assert {"slots.EMAIL", "slots.ORDER", "slots.ZIP", "slots.NAME", "address.START", "address.POSTCODE",
            "address.FILLER", "items.NAMED", "dialogue.NEG_ACTION"} <= names  # addresses: agent/offline/address.py


def _search_time(pattern: re.Pattern[str], unit: str, n: int) -> float:
    text = (unit * (n // len(unit) + 1))[:n]
    t0 = time.perf_counter()
    pattern.search(text)
    return time.perf_counter() - t0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=UNITS)
@example(unit="a")
@example(unit="a.")
@example(unit="a-")
@example(unit="1 ")
@example(unit="to 1 ")
def test_no_user_text_regex_backtracks(unit: str) -> None:
    """An adversarial message (a short unit repeated) takes each regex time in proportion to its length: ten times
    the text, not a hundred times the time (backtracking grows faster), and a 50k-character message (12 times the
    longest one the chat takes) stays within 2 s even on a loaded machine. A long word list (the write veto's) is
    linear but not instant, so the bound is on growth, not on a fraction of a second."""
    for name, pattern in PATTERNS:
        small, large = _search_time(pattern, unit, 5_000), _search_time(pattern, unit, 50_000)
        assert large < 2.0 and large < 25 * small + 0.05, f"{name} on {unit!r} * n: {small:.3f} s -> {large:.3f} s"


def test_slot_extraction_of_a_long_message_is_quick() -> None:
    from agent.offline.slots import extract

    for unit in ("a.", "a-", "x@", "to 1 a", "my name is Ab "):
        text = unit * (50_000 // len(unit))
        _within(2, lambda t=text: extract(t))


@pytest.mark.parametrize("n", [4])
def test_shopper_turns_run_concurrently(shop: Any, serve: Any, monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """n shoppers asking at once: their turns overlap (measured inside the turns, not by the wall clock, so a
    loaded machine cannot fail it; one shared worker could never hold two turns at once)."""
    import threading

    from gradio_client import Client

    import ui.chat
    from agent.runner import Reply

    calls: list[str] = []
    lock, active, most = threading.Lock(), [0], [0]
    together = threading.Event()

    class Slow:
        def __init__(self) -> None:
            from core.session import Principal

            self.session = type("S", (), {"principal": Principal("shopper")})()

        def ask(self, text: str, on_token: Any = None) -> Reply:
            with lock:
                calls.append(text)
                active[0] += 1
                most[0] = max(most[0], active[0])
                if active[0] >= 2:
                    together.set()
            together.wait(15)  # a turn stays open until another one is running beside it (or 15 s pass)
            with lock:
                active[0] -= 1
            return Reply("It takes 5 days.")

    monkeypatch.setattr(ui.chat, "assistant", lambda *a, **k: Slow())
    url = serve(shop.model_copy(update={"ui_workers": 8})) + "/"
    clients = [Client(url, verbose=False) for _ in range(n)]
    with ThreadPoolExecutor(n) as pool:
        list(pool.map(lambda c: c.predict("How long do refunds take?", [], api_name="/ask"), clients))
    assert len(calls) == n
    assert most[0] >= 2, "no two shopper turns ever ran at the same time"

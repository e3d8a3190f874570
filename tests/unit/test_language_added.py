"""A language added as files only (core/lang/<lang>/language.toml and agent catalogues in a folder of their own):
it is detected, can be requested and chosen, and the offline engine answers in it, with English for the messages
it lacks. English and Chinese are told apart as before (tests/unit/test_language.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.catalogue import CatalogueError, add_root, refresh, remove_root
from core.config import Settings

FRENCH = {
    "language": '''name = "Français"
english = "French"
markers = ["bonjour", "où", "est", "ma", "mon", "mes", "le", "la", "les", "de", "je", "vous", "commande", "merci"]
neutral = ["oui", "non"]
requests = ['(répondez|parlez|écrivez)\\s+(en\\s+)?français', '(answer|reply)\\b.{0,20}\\bin french']
''',
    "compose": '''orders_head = "Vos commandes récentes :"
order_row = "- {order_id} ({date}) : {status}, total {total}"
[status]
delivered = "livrée"
pending = "en attente"
''',
}


def _write(root: Path, lang: str, files: dict[str, str]) -> None:
    (root / lang).mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / lang / f"{name}.toml").write_text(text, encoding="utf-8")
    refresh()


@pytest.fixture
def french(tmp_path: Path) -> Iterator[Path]:
    _write(tmp_path, "fr", FRENCH)
    add_root(tmp_path)
    yield tmp_path
    remove_root(tmp_path)


def test_only_shipped_languages_without_the_folder() -> None:
    from core.language import available, check

    assert available() == ("en", "zh")
    with pytest.raises(ValueError, match="language must be one of en, zh, not 'fr'"):
        check("fr")


def test_added_language_is_detected_and_requested(french: Path) -> None:
    from agent.language import detect, dominant, preferred_from, reply_language, requested
    from core.language import available, check, detect_lang

    assert available() == ("en", "fr", "zh") and check("fr") == "fr"
    assert detect("bonjour, où est ma commande ?") == "fr" and detect_lang("où est ma commande") == "fr"
    assert detect("where is my order?") == "en" and detect("我的订单到哪了？") == "zh"  # unchanged
    assert detect("oui") == "neutral" and detect("ma commande 订单呢") == "mixed"
    assert dominant("bonjour, ma commande 订") == "fr" and dominant("ma 订单到哪了") == "zh"
    assert requested("Répondez en français, s'il vous plaît") == "fr" and requested("please answer in French") == "fr"
    assert requested("请用英文回答") == "en" and requested("bonjour") is None
    assert reply_language("#W9000001", [], "fr") == "fr" and reply_language("oui", ["merci pour la commande"]) == "fr"
    assert preferred_from("PREFERRED_LANGUAGE: fr") == "fr"
    assert detect_lang("où est ma commande", among=("en", "zh")) == "en"  # a caller limited to its own languages


def test_offline_engine_answers_in_the_added_language(french: Path, fresh: Settings) -> None:
    """End to end through the runner and the offline model: a verified shopper writes French; the orders reply
    comes out in the French catalogue's words (its status words too), the order reply in English (no French
    message for it); after two French messages the preferred language is stored through set_language."""
    from agent.llm.offline import OfflineChatModel
    from agent.runner import Assistant
    from core.session import Principal
    from shop.db import connect

    con = connect(fresh.db_path)
    bot = Assistant(fresh, Principal("shopper", "15854"), model=OfflineChatModel(), con=con, thread_id="fr")
    orders = bot.ask("bonjour, où est ma commande ?").text
    assert orders.startswith("Vos commandes récentes :\n- #W9000001 (") and " : en attente, total " in orders
    assert " : livrée, total " in orders and "delivered" not in orders
    order = bot.ask("merci, et la commande #W9000001 ?").text
    assert order.startswith("Order #W9000001 is en attente")  # English sentence, French status word
    stored = con.execute("SELECT preferred_language FROM customers WHERE customer_id = '15854'").fetchone()
    assert stored == ("fr",)
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'write:set_language' AND actor_id = '15854'"
                       ).fetchone() == (1,)


def test_language_file_errors_name_the_file(tmp_path: Path) -> None:
    from core.language import available, spec

    _write(tmp_path, "xx", {"language": 'markers = ["a"]\n'})
    _write(tmp_path, "yy", {"language": 'name = "Y"\nscript = "[a-"\n'})
    add_root(tmp_path)
    try:
        assert "xx" in available()
        with pytest.raises(CatalogueError, match=r"xx[/\\]language\.toml: 'name'"):
            spec("xx")
        with pytest.raises(CatalogueError, match=r"yy[/\\]language\.toml: 'script' is not a valid regex"):
            spec("yy")
    finally:
        remove_root(tmp_path)


def _fresh(root: Path, files: dict[str, str], code: str) -> str:
    """What `code` prints in a fresh interpreter that registers `root`, with French `files` added, first (as the CLI
    does): the dialogue and write words are read once, when the engine is first imported."""
    import subprocess
    import sys

    _write(root, "fr", files)
    out = subprocess.run([sys.executable, "-c", f"from core.catalogue import add_root; add_root({str(root)!r})\n" + code],
                         capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_added_dialogue_words_join_the_shipped_ones(french: Path) -> None:
    """An added dialogue.toml's words are alternatives beside English and Chinese: a French yes confirms, a French
    withdrawal withdraws, whatever the reply language."""
    dialogue = (
        "[confirm]\nyes = '''oui|d'accord|allez-y'''\nno = '''non|pas maintenant'''\npolite = '''merci'''\n"
        "sep = \"\"\n[turns]\nwithdraw = '''laissez tomber|tant pis'''\n")
    assert _fresh(french, {"dialogue": dialogue}, "from agent.runner import YES, NO\nfrom agent.offline.dialogue import withdrawn\n"
                  "print([bool(YES.match(t)) for t in ('oui, merci', 'allez-y !', 'yes', '好的', 'oui non')],"
                  " [bool(NO.match(t)) for t in ('non merci', 'no', '不用了', 'oui')],"
                  " [withdrawn(t) for t in ('laissez tomber', '算了', 'never mind', 'bonjour')])\n") == (
        "[True, True, True, True, False] [True, True, True, False] [True, True, True, False]")


def test_added_write_words_join_the_shipped_ones(french: Path) -> None:
    """An added writes.toml's words are data for the write-safety checks: a French other-business word vetoes a
    French cancel unless a French anchor names this shop's order ([veto]); a French word for this shop's order makes
    a French cancel about this shop ([shop]); English and Chinese are judged as before."""
    from agent.offline.shop_object import about_shop
    from agent.offline.write_veto import other_business

    assert other_business("annulez mon assurance habitation", "cancel_order") is None  # no French words shipped
    assert not about_shop("annulez ma commande", "cancel_order", {})
    writes = (
        "[veto]\nother = '''\\bassurances?\\b|\\babonnements?\\b'''\nshop = '''\\b(ma|la|cette) commande\\b'''\n"
        "[shop]\nobjects = '''\\bcommandes?\\b|\\bcolis\\b'''\n")
    assert _fresh(french, {"writes": writes}, "from agent.offline.write_veto import other_business as ob\n"
                  "from agent.offline.shop_object import about_shop as ab\n"
                  "print([ob(t, 'cancel_order') for t in ('annulez mon assurance habitation', 'annulez mon abonnement',"
                  " 'annulez ma commande', 'cancel my flight', '取消机票', 'annulez la commande, pas mon assurance')],"
                  " [ab(t, 'cancel_order', {}) for t in ('annulez ma commande', 'je renvoie le colis',"
                  " 'annulez mon assurance', 'cancel my order', '取消订单')])\n") == (
        "['assurance', 'abonnement', None, 'flight', '机票', None] [True, True, False, True, True]")

"""Languages as data (core/catalogue.py): the loader's fallback and error messages, and a third language added
as files only: its catalogue in a folder of its own, no code changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.catalogue import CatalogueError, add_root, catalogue, exists, languages, refresh, remove_root

ORDERS = {"kind": "orders", "orders": [{"order_id": "#W1", "date": "2024-05-01", "status": "delivered", "lines": 2,
                                       "total": 10}]}
PAYMENTS = {"kind": "payments", "order_id": "#W1",
            "payments": [{"transaction_type": "refund", "amount": 4, "payment_method_id": "card_1"}]}


@pytest.fixture
def lang_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder of extra catalogues, searched first while the test runs."""
    add_root(tmp_path)
    yield tmp_path
    remove_root(tmp_path)


def _write(root: Path, lang: str, name: str, text: str) -> Path:
    (root / lang).mkdir(parents=True, exist_ok=True)
    path = root / lang / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    refresh()
    return path


def test_shipped_languages_and_english_fallback() -> None:
    assert languages()[:1] == ("en",) and "zh" in languages() and "zh" in languages("vectorstore")
    zh = catalogue("zh", "compose")
    assert zh["orders_none"] == "您的账户下没有订单。"
    assert "item_status" not in zh.data and zh["item_status"] == " [{status}]"  # taken from English
    assert zh.own("item_status") is None and exists("zh", "routing") and not exists("en", "routing")


def test_third_language_is_files_only(lang_dir: Path) -> None:
    """A language with three messages and a status word: its replies come out in it, the rest in English."""
    from agent.offline.compose import compose
    from agent.offline.replies import reply

    _write(lang_dir, "fr", "compose", 'orders_head = "Vos commandes récentes :"\n'
                                      'order_row = "- {order_id} ({date}) : {status}, total {total}"\n'
                                      '[status]\ndelivered = "livrée"\n')
    _write(lang_dir, "fr", "replies", 'withdrawn = "D\'accord, je ne change rien."\n')
    assert "fr" in languages()
    assert compose([ORDERS], "fr") == "Vos commandes récentes :\n- #W1 (2024-05-01) : livrée, total 10.00"
    assert compose([PAYMENTS], "fr") == compose([PAYMENTS], "en") == "Order #W1:\n- refund: 4.00 (card_1)"
    assert reply("fr", "withdrawn") == "D'accord, je ne change rien."
    assert reply("fr", "ask_which", order="#W1", options="A, B") == reply("en", "ask_which", order="#W1",
                                                                           options="A, B")
    assert compose([ORDERS], "en").startswith("Your most recent orders:\n- #W1 (2024-05-01): delivered")


def test_an_added_catalogue_overrides_a_shipped_message(lang_dir: Path) -> None:
    from agent.offline.replies import reply

    _write(lang_dir, "zh", "replies", 'withdrawn = "好的，不办了。"\n')
    assert reply("zh", "withdrawn") == "好的，不办了。"
    assert reply("zh", "no_pending").startswith("您目前没有待处理的订单")  # not in the added file: the shipped one
    remove_root(lang_dir)
    assert reply("zh", "withdrawn") == "好的，那就先不办了，我没有做任何更改。"


def test_malformed_file_is_named(lang_dir: Path) -> None:
    path = _write(lang_dir, "fr", "compose", 'orders_head = "unterminated\n')
    with pytest.raises(CatalogueError, match=r"fr[/\\]compose\.toml: malformed TOML") as e:
        catalogue("fr", "compose")
    assert str(path) in str(e.value)


def test_missing_key_names_file_and_key(lang_dir: Path) -> None:
    path = _write(lang_dir, "fr", "replies", 'withdrawn = "non"\n')
    with pytest.raises(CatalogueError) as e:
        catalogue("fr", "replies")["no_such_message"]
    assert str(path) in str(e.value) and "'no_such_message'" in str(e.value) and "en/replies.toml" in str(e.value)


def test_missing_part_and_bad_names(lang_dir: Path) -> None:
    path = _write(lang_dir, "fr", "routing", "abuse = '''idiot|${insult}'''\n[parts]\nrude = 'x'\n")
    with pytest.raises(CatalogueError, match=r"no part 'insult' in \[parts\]") as e:
        catalogue("fr", "routing").text("abuse")
    assert str(path) in str(e.value)
    _write(lang_dir, "fr", "routing", "abuse = '''\\bidiot\\b|${rude}'''\n[parts]\nrude = '''m\\w+'''\n")
    assert catalogue("fr", "routing").text("abuse") == r"\bidiot\b|m\w+"  # literal strings keep backslashes
    with pytest.raises(CatalogueError, match="not a language code"):
        catalogue("../en", "compose")
    with pytest.raises(CatalogueError, match=r"no catalogue agent/lang/fr/nothing\.toml"):
        catalogue("fr", "nothing")
    with pytest.raises(CatalogueError, match="does not exist"):
        add_root(lang_dir / "missing")


def test_lang_dir_setting_registers_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agent.offline.replies import reply
    from cli import common

    _write(tmp_path, "fr", "replies", 'withdrawn = "rien"\n')
    monkeypatch.setattr(common, "_settings", None)  # restored after the test
    monkeypatch.setenv("RETAIN_LANG_DIR", str(tmp_path))
    try:
        assert common.settings().lang_dir == tmp_path
        assert reply("fr", "withdrawn") == "rien"
    finally:
        remove_root(tmp_path)
    assert reply("fr", "withdrawn") == reply("en", "withdrawn")

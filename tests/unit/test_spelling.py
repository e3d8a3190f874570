"""Query spelling correction: misspelt words become corpus words; known words, names and shorthand stay."""

from __future__ import annotations

from vectorstore.spelling import Speller, distance, embedder_words

CORPUS = ["Our return policy: damaged items can be returned within 30 days.",
          "Shipping costs and tracking numbers. Coupon codes apply at checkout.",
          "Hats, scarves and gloves for winter."]


def test_distance_counts_a_transposition_as_one_edit() -> None:
    assert distance("retrun", "return") == 1
    assert distance("polcy", "policy") == 1
    assert distance("copoun", "coupon") == 2
    assert distance("same", "same") == 0


def test_misspelt_words_become_corpus_words() -> None:
    s = Speller(CORPUS, embedder_words())
    assert s.correct("retrun polcy for damagd items") == "return policy for damaged items"
    assert s.correct("copoun code") == "coupon code"            # two edits allowed from six letters
    assert s.correct("Traking numbers") == "tracking numbers"


def test_known_words_names_and_shorthand_are_left_alone() -> None:
    s = Speller(CORPUS, embedder_words())
    assert s.correct("whats the weather in Paris") == "whats the weather in Paris"   # not "hats"
    assert s.correct("dont ship to Hamburg") == "dont ship to Hamburg"
    assert s.correct("xyzzy qwrtp") == "xyzzy qwrtp"            # nothing near: unchanged, not guessed
    assert s.correct("bat") == "bat"                             # short words are never changed


def test_the_word_list_only_shields_never_targets() -> None:
    s = Speller(["refund"], extra=["refine"])
    assert s.best("refnd") == "refund" and s.best("refine") is None and s.best("refin") is None

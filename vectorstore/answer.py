"""Extractive answers: the sentence(s) of the retrieved passages that best answer the question.

Nothing is written here: every sentence returned is a sentence of a passage, whole and unchanged. Each sentence is
scored by the retriever's embedder for the question's language (cosine to the question) plus the share of the
question's words it contains (the same tokenizer as BM25), minus a little for each rank its passage sits below the
first; only a shortlist of the lexically best sentences (and the best passage's) is embedded. The best sentence
of the best passage leads (the retriever's ranking is the measured one); others join it when they score nearly as
well as the best sentence overall, up to `max_sentences` and `max_words` in all; a very short one brings the
next sentence of its passage along. Sentences of one passage stay in reading order; the other passages follow
their best sentence's score. Sentence vectors are cached: passages repeat across questions. MARGIN and the weights are set by judgment, not calibrated on a labelled set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(£$€])|(?<=[。！？；])|\n+")
LEXICAL_WEIGHT = 0.3
RANK_PENALTY = 0.05
MARGIN = 0.1  # a further sentence joins when it scores within this of the best
SHORT = 8  # a chosen sentence this short ("There are three tiers.") brings the next one of its passage along
SHORTLIST = 4  # only the lexically best sentences are embedded (one batch: a product page has dozens of lines)
_CACHE_MAX = 20000


@dataclass(frozen=True)
class Sentence:
    text: str
    passage: int  # index of the passage it comes from (0 = the best ranked)
    score: float


def body(text: str) -> str:
    """A chunk's text without its first line when that line is the "Title - Section" heading chunking adds."""
    first, _, rest = text.partition("\n")
    return rest if rest.strip() else first


def sentences(text: str) -> list[str]:
    """The sentences of a passage body (English and Chinese ends; a line break ends one too)."""
    return [s.strip() for s in SENTENCE_END.split(body(text)) if s and len(s.strip()) > 1]


def words(text: str) -> int:
    """Length for the word limit: English words, or Chinese characters / 2 (a Chinese word is ~2 characters)."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    return len(re.findall(r"[A-Za-z0-9£$€][\w.,'£$€%-]*", text)) + (han + 1) // 2


class SentencePicker:
    """Picks answer sentences with one embedder and one tokenizer pair (those of the question's language)."""

    def __init__(self, embedder: Any, tokenize: Any, query_tokenize: Any):
        self.embedder, self.tokenize, self.query_tokenize = embedder, tokenize, query_tokenize
        self._vecs: dict[str, np.ndarray] = {}

    def _vectors(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vecs]
        if missing:
            if len(self._vecs) > _CACHE_MAX:
                self._vecs.clear()
            # in fours: the embedders run a handful of texts on one thread, fastest on a shared CPU
            vecs = np.concatenate([np.asarray(self.embedder.embed(missing[i:i + 4]), dtype=np.float32)
                                   for i in range(0, len(missing), 4)])
            for t, v in zip(missing, vecs, strict=True):
                self._vecs[t] = v / (np.linalg.norm(v) or 1.0)
        return np.stack([self._vecs[t] for t in texts])

    def pick(self, question: str, passages: list[str], max_sentences: int = 3, max_words: int = 60,
             question_vector: np.ndarray | None = None) -> list[Sentence]:
        """The answer sentences, grouped by passage (best first), in reading order within one; [] when the
        passages have no sentence. `question_vector`: the question's vector when the caller has it already."""
        from vectorstore.embeddings import embed_query

        cands = [(s, i, j) for i, p in enumerate(passages) for j, s in enumerate(sentences(p))]
        if not cands:
            return []
        qtok = set(self.query_tokenize(question))
        lex = [(len(qtok & set(self.tokenize(c[0]))) / len(qtok) if qtok else 0.0) for c in cands]
        prior = [LEXICAL_WEIGHT * x - RANK_PENALTY * c[1] for x, c in zip(lex, cands, strict=True)]
        by_prior = sorted(range(len(cands)), key=lambda k: (-prior[k], cands[k][1], cands[k][2]))
        first = [k for k in by_prior if cands[k][1] == 0][:SHORTLIST // 2]  # the best passage is always in
        short = list(dict.fromkeys(first + by_prior))[:max(SHORTLIST, len(first))]
        q = (np.asarray(embed_query(self.embedder, [question]), dtype=np.float32)[0] if question_vector is None
             else np.asarray(question_vector, dtype=np.float32))
        q = q / (np.linalg.norm(q) or 1.0)
        cos = self._vectors([cands[k][0] for k in short]) @ q
        scores = {k: float(c) + prior[k] for k, c in zip(short, cos, strict=True)}
        order = sorted(short, key=lambda k: -scores[k])
        best = scores[order[0]]
        # the retriever's best passage answers first (its ranking is the measured one); sentences from
        # anywhere join it when they score within MARGIN of the best sentence overall
        lead = next((k for k in order if cands[k][1] == 0), order[0])
        chosen = [lead]
        budget = max_words - words(cands[lead][0])
        for k in order:
            if len(chosen) >= max_sentences or scores[k] < best - MARGIN:
                break
            if k not in chosen and words(cands[k][0]) <= budget and cands[k][0] not in {cands[c][0] for c in chosen}:
                chosen.append(k)
                budget -= words(cands[k][0])
        for k in list(chosen):  # "There are three tiers." says little without the sentence after it
            nxt = next((m for m, c in enumerate(cands) if c[1] == cands[k][1] and c[2] == cands[k][2] + 1), None)
            if (words(cands[k][0]) < SHORT and nxt is not None and nxt not in chosen
                    and words(cands[nxt][0]) <= budget):
                chosen.append(nxt)
                scores.setdefault(nxt, scores[k])
                budget -= words(cands[nxt][0])
        top: dict[int, float] = {}  # passage -> its best score
        for k in chosen:
            top[cands[k][1]] = max(top.get(cands[k][1], -9.0), scores[k])
        chosen.sort(key=lambda k: (cands[k][1] != cands[lead][1], -top[cands[k][1]], cands[k][2]))
        return [Sentence(cands[k][0], cands[k][1], round(scores[k], 4)) for k in chosen]

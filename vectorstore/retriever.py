"""Hybrid retrieval: BM25 (bm25s) + dense (Chroma), fused by reciprocal rank fusion, with metadata filters
and a relevance floor so out-of-scope questions return nothing rather than noise.

Languages: those with a vectorstore/lang/<lang>/lexicon.toml (vectorstore.lexicon; English and Chinese ship). The
query's language (core.language.detect_lang among them, or `lang=`) picks:
- the *view* of the corpus: chunks in the query's language plus chunks of documents that have no version in
  that language (a Chinese question sees the Chinese help centre plus the English-only articles and product
  pages; an English question sees only English documents, since every translation has an English original);
- the BM25 tokenizer (English words, or jieba for Chinese) over that view;
- the dense collection: the primary one (Settings.embedding) or a companion built with another embedder
  (Settings.embedding_zh, see vectorstore.companion);
- the relevance floor (calibrated per language on its dev set: the lexicon's [floor]);
- the query speller (the lexicon's `speller`).
Fusion across languages: BM25 cannot see a chunk written in another language than the question, so for such a
chunk the missing BM25 vote is replaced by its dense vote (RRF counts its dense rank twice); otherwise an
English-only article could never beat a Chinese article that shares a few words with the question.

Relevance floor (calibrated on tests/eval/retrieval_dev_en.jsonl and retrieval_dev_zh.jsonl, never on the test
questions):
- dense: the best chunk's cosine similarity must reach `dense_min`;
- bm25: the best chunk must score at least `bm25_min`, contain at least `coverage_min` of the query's
  known terms and share at least `min_shared` distinct terms with the question (fewer only when the question
  has fewer content words, unknown words included; hybrid only, the bm25 baseline keeps the first two): one
  shared rare word is not evidence ("weather in Paris" shares only "paris" with a Paris notebook, whose
  coverage of the one *known* term is 1.0);
- hybrid: accepted when the dense cosine reaches `hybrid_dense_min`, or when it reaches the lower
  `hybrid_dense_low` and the BM25 evidence above also holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.config import Settings
from core.language import detect_lang
from vectorstore.embeddings import embed_query
from vectorstore.homophones import HomophoneSpeller
from vectorstore.lexical import BM25Index
from vectorstore.lexicon import langs, setting
from vectorstore.spelling import Speller, embedder_words

METHODS = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Floor:
    """Relevance-floor thresholds (see the module docstring); a language's values are the [floor] table of its
    lexicon.toml, and these defaults fill in a key it leaves out."""

    dense_min: float = 0.38
    bm25_min: float = 3.3
    coverage_min: float = 0.5
    hybrid_dense_min: float = 0.40
    hybrid_dense_low: float = 0.30
    min_shared: int = 2


FLOORS = {lang: Floor(**setting(lang, "floor", {})) for lang in langs()}


@dataclass
class _View:
    """The chunks one query language sees, with a BM25 index over them."""

    lang: str
    idx: np.ndarray  # global chunk indices in this view
    allowed: np.ndarray  # bool per global chunk
    bm25: BM25Index


@dataclass
class Hit:
    """One retrieved chunk with its citation (title, section, source, url)."""

    text: str
    score: float
    doc_id: str
    citation: dict[str, str]
    metadata: dict[str, Any] = field(default_factory=dict)


def _where(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    if not filters:
        return None
    parts = [{k: {"$in": list(v)} if isinstance(v, (list, tuple, set)) else v} for k, v in filters.items()]
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _matches(meta: dict[str, Any], filters: dict[str, Any] | None) -> bool:
    if not filters:
        return True
    for k, v in filters.items():
        if isinstance(v, (list, tuple, set)):
            if meta.get(k) not in v:
                return False
        elif meta.get(k) != v:
            return False
    return True


def _content_words(tokens: list[str]) -> list[str]:
    """Distinct query tokens, without those inside a longer one (jieba's search mode adds 自行 and 行车 beside
    自行车: one word, not three)."""
    from core.language import has_han

    uniq = list(dict.fromkeys(tokens))
    return [t for t in uniq if not (has_han(t) and any(t != u and t in u for u in uniq))]


def _shared(chunk_tokens: Any, query_tokens: list[str]) -> int:
    """How many distinct query words the chunk contains (sub-words of a matched longer word not counted)."""
    return len(_content_words([t for t in query_tokens if t in chunk_tokens]))


class HybridRetriever:
    """Searches one collection with bm25, dense or hybrid ranking, in the query's language view.

    `dense_by_lang` maps a query language to (collection, embedder) when that language uses another embedder
    than `embedder` (a companion collection holding the same chunk ids)."""

    def __init__(self, col: Any, embedder: Any, floor: Floor | None = None, rrf_k: int = 60, pool: int = 40,
                 dense_by_lang: dict[str, tuple[Any, Any]] | None = None,
                 floors: dict[str, Floor] | None = None, spell: bool = True):
        from vectorstore.chroma import all_chunks

        self.col, self.embedder, self.rrf_k, self.pool = col, embedder, rrf_k, pool
        self.floors = {**FLOORS, **(floors or {})}
        if floor is not None:
            self.floors = {lang: floor for lang in self.floors}
        self.dense_by_lang = dict(dense_by_lang or {})
        self.ids, self.texts, self.metas = all_chunks(col)
        self.pos = {cid: i for i, cid in enumerate(self.ids)}
        self.langs = [str(m.get("lang") or detect_lang(t, langs()))
                      for m, t in zip(self.metas, self.texts, strict=True)]
        self.canon = [str(m.get("canonical_id") or m.get("doc_id", "")) for m in self.metas]
        self._views: dict[str, _View] = {}
        self.spell = spell
        self._spellers: dict[str, Any] = {}
        self._pickers: dict[str, Any] = {}
        self._last_qvec: tuple[tuple[str, str], np.ndarray] | None = None

    @property
    def floor(self) -> Floor:
        return self.floors["en"]

    @property
    def speller(self) -> Speller:
        """The English speller (see speller_for)."""
        return self.speller_for("en")  # type: ignore[no-any-return]

    def speller_for(self, lang: str) -> Any:
        """The query speller of `lang`'s lexicon (built on first use), or None: "words" corrects query words
        against the language's view of the chunks and the embedder's word list; "homophone" corrects misheard
        words against the language's own chunks and its glossary's terms (vectorstore/homophones.py)."""
        if lang not in self._spellers:
            name = setting(lang, "speller")
            if name == "words":
                self._spellers[lang] = Speller((self.texts[i] for i in self.view(lang).idx), embedder_words())
            elif name == "homophone":
                from vectorstore.glossary import glossary

                own = [self.texts[i] for i in self.view(lang).idx if self.langs[i] == lang]
                self._spellers[lang] = HomophoneSpeller(own, glossary(lang))
            elif name is None:
                self._spellers[lang] = None
            else:
                raise ValueError(f"vectorstore/lang/{lang}/lexicon.toml: unknown speller {name!r} (known: words, "
                                 "homophone)")
        return self._spellers[lang]

    @property
    def bm25(self) -> BM25Index:
        return self.view("en").bm25

    @classmethod
    def from_settings(cls, settings: Settings, collection: str | None = None) -> HybridRetriever:
        """Open the default (or named) collection from settings (embedded or RETAIN_CHROMA_URL), with its
        companion collections for other languages' embedders when they exist."""
        from vectorstore.chroma import DEFAULT_COLLECTION, client

        return cls.open(settings, client(settings), collection or DEFAULT_COLLECTION)

    @classmethod
    def open(cls, settings: Settings, cl: Any, collection: str) -> HybridRetriever:
        """The retriever over `collection` of Chroma client `cl` (plus its companions)."""
        from vectorstore.chroma import open_collection
        from vectorstore.companion import open_companions
        from vectorstore.embeddings import embedder_for

        col = open_collection(cl, collection, settings.embedding, create=False)
        return cls(col, embedder_for(settings), dense_by_lang=open_companions(settings, cl, collection))

    # -- language views ---------------------------------------------------------------------------------
    def query_lang(self, query: str, lang: str | None = None) -> str:
        if lang is None:
            return detect_lang(query, langs())
        if lang not in langs():
            raise ValueError(f"lang must be one of {langs()}, not {lang!r}")
        return lang

    def view(self, lang: str) -> _View:
        """Chunks in `lang`, plus chunks of documents that have no `lang` version (built once, on first use)."""
        if lang not in self._views:
            have = {c for c, lg in zip(self.canon, self.langs, strict=True) if lg == lang}
            allowed = np.array([lg == lang or c not in have for c, lg in zip(self.canon, self.langs, strict=True)],
                               dtype=bool)
            idx = np.flatnonzero(allowed)
            from vectorstore.segment import tokenizers

            bm = BM25Index([self.texts[i] for i in idx], *(tokenizers(lang) or ()))
            self._views[lang] = _View(lang, idx, allowed, bm)
        return self._views[lang]

    def query_vector(self, query: str, lang: str, reuse: bool = False) -> np.ndarray:
        """The question's vector from the language's embedder ((1, dim); e5 wants a "query: " prefix). The last one
        is kept: with `reuse`, picking answer sentences right after a search does not embed the question again
        (a search itself always embeds, so repeated questions cost what new ones do)."""
        if reuse and self._last_qvec is not None and self._last_qvec[0] == (lang, query):
            return self._last_qvec[1]
        emb = self.dense_by_lang.get(lang, (self.col, self.embedder))[1]
        vec = np.asarray(embed_query(emb, [query]), dtype=np.float32)
        self._last_qvec = ((lang, query), vec)
        return vec

    # -- the two rankings -------------------------------------------------------------------------------
    def dense_ranking(self, query: str, filters: dict[str, Any] | None = None,
                      n: int | None = None, lang: str | None = None) -> list[tuple[int, float]]:
        """[(chunk index, cosine)] best first, from Chroma (the query language's collection and view)."""
        if not self.ids:
            return []
        lang = self.query_lang(query, lang)
        v = self.view(lang)
        col, emb = self.dense_by_lang.get(lang, (self.col, self.embedder))
        n = n or self.pool
        hidden = len(self.ids) - len(v.idx)  # over-fetch so that `n` chunks of the view remain
        vec = self.query_vector(query, lang)
        res = col.query(query_embeddings=vec, n_results=max(1, min(n + hidden, col.count())),
                        where=_where(filters), include=["distances"])
        out = [(self.pos[c], 1.0 - float(d)) for c, d in zip(res["ids"][0], res["distances"][0], strict=True)
               if c in self.pos and v.allowed[self.pos[c]]]
        return out[:n]

    def bm25_ranking(self, query: str, filters: dict[str, Any] | None = None,
                     n: int | None = None, lang: str | None = None) -> tuple[list[tuple[int, float]], list[str]]:
        """([(chunk index, bm25 score)] best first, known query tokens) within the query language's view."""
        v = self.view(self.query_lang(query, lang))
        scores, qtok = v.bm25.scores(query)
        if not qtok:
            return [], qtok
        if filters:
            mask = np.array([_matches(self.metas[i], filters) for i in v.idx])
            scores = np.where(mask, scores, 0.0)
        n = min(n or self.pool, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top])]
        return [(int(v.idx[i]), float(scores[i])) for i in top if scores[i] > 0], qtok

    def correct(self, query: str, lang: str) -> str:
        """The query with its misspelt words corrected (unchanged when spelling correction is off)."""
        if not self.spell:
            return query
        speller = self.speller_for(lang)
        return query if speller is None else str(speller.correct(query))

    def answer(self, query: str, hits: list[Hit], lang: str | None = None, max_sentences: int = 3,
               max_words: int = 60) -> list[Any]:
        """The sentences of `hits` that best answer `query` (vectorstore.answer.Sentence; `.passage` indexes
        `hits`), scored with the embedder and tokenizers of the query's language."""
        from vectorstore.answer import SentencePicker

        if not hits:
            return []
        lang = self.query_lang(query, lang)
        if lang not in self._pickers:
            v = self.view(lang)
            emb = self.dense_by_lang.get(lang, (self.col, self.embedder))[1]
            self._pickers[lang] = SentencePicker(emb, v.bm25.tokenize, v.bm25.query_tokenize)
        query = self.correct(query, lang)
        return self._pickers[lang].pick(query, [h.text for h in hits], max_sentences, max_words,
                                        self.query_vector(query, lang, reuse=True)[0])

    # -- floor ----------------------------------------------------------------------------------------
    def _bm25_ok(self, ranked: list[tuple[int, float]], qtok: list[str], lang: str = "en",
                 query: str = "") -> bool:
        """BM25 evidence for the best chunk; with `query` (the hybrid floor) also `min_shared` shared words."""
        if not ranked:
            return False
        i, s = ranked[0]
        f = self.floors.get(lang, self.floors["en"])
        v = self.view(lang)
        local = int(np.searchsorted(v.idx, i))
        words = _content_words(v.bm25.query_tokenize(query)) if query else []
        if setting(lang, "cover_by_script"):  # its own words and their English glossary words: two ways to cover
            from core.language import spec

            script = spec(lang).script
            if script is None:
                raise ValueError(f"vectorstore/lang/{lang}/lexicon.toml: cover_by_script needs a script "
                                 f"(core/lang/{lang}/language.toml)")
            own = [bool(script.search(t)) for t in qtok]
            sides = [[t for t, o in zip(qtok, own, strict=True) if o], [t for t, o in zip(qtok, own, strict=True)
                                                                         if not o]]
            mine = [bool(script.search(w)) for w in words]
            n_words = max(sum(mine), len(mine) - sum(mine))
        else:
            sides, n_words = [qtok], len(words)
        need = min(f.min_shared, max(1, n_words)) if query else 1
        return s >= f.bm25_min and any(
            v.bm25.coverage(local, side) >= f.coverage_min and _shared(v.bm25.tokens(local), side) >= need
            for side in sides)

    def ranked(self, query: str, method: str = "hybrid", filters: dict[str, Any] | None = None,
               apply_floor: bool = True, lang: str | None = None) -> list[tuple[int, float]]:
        """[(chunk index, score)] best first for a method; [] when the floor rejects the query."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        lang = self.query_lang(query, lang)
        query = self.correct(query, lang)
        dense = self.dense_ranking(query, filters, lang=lang) if method != "bm25" else []
        lex, qtok = self.bm25_ranking(query, filters, lang=lang) if method != "dense" else ([], [])
        f = self.floors.get(lang, self.floors["en"])
        top_cos = dense[0][1] if dense else 0.0
        if method == "dense":
            return dense if (not apply_floor or top_cos >= f.dense_min) else []
        if method == "bm25":
            return lex if (not apply_floor or self._bm25_ok(lex, qtok, lang)) else []
        if apply_floor and not (top_cos >= f.hybrid_dense_min or
                                (top_cos >= f.hybrid_dense_low and self._bm25_ok(lex, qtok, lang, query))):
            return []
        fused: dict[int, float] = {}
        lex_vote = {i: 1.0 / (self.rrf_k + r + 1) for r, (i, _s) in enumerate(lex)}
        for r, (i, _s) in enumerate(dense):
            vote = 1.0 / (self.rrf_k + r + 1)
            fused[i] = vote
            if self.langs[i] != lang:  # BM25 cannot see across languages: its vote is the dense one
                fused[i] += max(vote, lex_vote.pop(i, 0.0))
        for i, vote in lex_vote.items():
            fused[i] = fused.get(i, 0.0) + vote
        return sorted(fused.items(), key=lambda x: -x[1])

    def search(self, query: str, k: int = 5, filters: dict[str, Any] | None = None,
               method: str = "hybrid", lang: str | None = None) -> list[Hit]:
        """The top-k chunks with citations; an empty list means nothing relevant was found. `lang` ("en" or
        "zh") overrides the detected query language."""
        out = []
        for i, s in self.ranked(query, method, filters, lang=lang)[:k]:
            m = self.metas[i]
            out.append(Hit(self.texts[i], float(s), str(m.get("doc_id", "")), {
                "title": str(m.get("title", "")), "section": str(m.get("section", "")),
                "source": str(m.get("source", "")), "url": str(m.get("url", ""))}, m))
        return out

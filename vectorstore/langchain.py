"""LangChain face of the knowledge base: a BaseRetriever and the `search_knowledge` function."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from core.config import Settings
from vectorstore.retriever import HybridRetriever

_CACHE: dict[str, HybridRetriever] = {}


class KnowledgeRetriever(BaseRetriever):
    """Hybrid retrieval as a LangChain retriever; each Document's metadata carries the citation."""

    retriever: Any
    k: int = 5
    filters: dict[str, Any] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                ) -> list[LCDocument]:
        return [LCDocument(page_content=h.text, metadata={**h.metadata, **h.citation, "score": h.score})
                for h in self.retriever.search(query, k=self.k, filters=self.filters)]


def _retriever(settings: Settings) -> HybridRetriever:
    key = f"{settings.data_dir}|{settings.chroma_url}|{settings.embedding}"
    if key not in _CACHE:
        _CACHE[key] = HybridRetriever.from_settings(settings)
    return _CACHE[key]


def search_knowledge(query: str, k: int = 5, settings: Settings | None = None) -> list[dict[str, Any]]:
    """Passages for a question with their citations; [] when nothing in the knowledge base is relevant."""
    hits = _retriever(settings or Settings()).search(query, k=k)
    return [{"text": h.text, "score": round(h.score, 4), "doc_id": h.doc_id, **h.citation} for h in hits]

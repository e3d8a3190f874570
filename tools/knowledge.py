"""Answers from the shop's own documents (hybrid retrieval with citations) and product lookups."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.session import Session
from shop import queries as q
from tools import tool

_RETRIEVERS: dict[str, Any] = {}


class QueryArg(BaseModel):
    query: str = Field(description="the shopper's question, in their words")


class ProductArg(BaseModel):
    name: str = Field(description="product name or words from it")


def retriever(session: Session) -> Any:
    """One retriever per knowledge base, reopened after any ingest (a staff upload is findable at once)."""
    from vectorstore.build import knowledge_version

    key = session.settings.chroma_url or str(session.settings.chroma_path.resolve())
    version = knowledge_version(session.settings)
    cached = _RETRIEVERS.get(key)
    if cached is None or cached[0] != version:
        from vectorstore.retriever import HybridRetriever

        cached = _RETRIEVERS[key] = (version, HybridRetriever.from_settings(session.settings))
    return cached[1]


@tool("search_knowledge", QueryArg, roles=("shopper", "staff", "marketer"))
def search_knowledge(session: Session, query: str) -> dict[str, Any]:
    """Search the help centre and product pages; returns passages with their citations (title, section, source)."""
    hits = retriever(session).search(query, k=3)
    return {"kind": "passages", "query": query, "passages": [
        {"text": h.text, "score": round(float(h.score), 4), "title": h.citation.get("title"),
         "section": h.citation.get("section"), "source": h.citation.get("source"), "url": h.citation.get("url")}
        for h in hits]}


@tool("product_options", ProductArg, roles=("shopper", "staff", "marketer"))
def product_options(session: Session, name: str) -> dict[str, Any]:
    """A product's variants: options (size, colour, ...), price and availability."""
    found = q.find_products(session.con, name, limit=1)
    if not found:
        return {"kind": "products", "products": []}
    p = found[0]
    return {"kind": "products", "products": [{**p, "variants": q.variants_of(session.con, p["product_id"])}]}

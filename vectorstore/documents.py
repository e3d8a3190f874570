"""Documents and chunks: the units that ingestion loads, chunks and stores."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*$")


@dataclass
class Document:
    """One source document (an article, a product page, a PDF...)."""

    doc_id: str
    title: str
    text: str
    source: str
    doc_type: str = "article"
    url: str = ""
    product_id: str = ""
    updated_at: str = ""
    lang: str = ""  # "en", "zh"...; "" = detect from the text
    translation_of: str = ""  # the doc id of the original when this is a translation

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(self.text.encode()).hexdigest()


@dataclass
class Chunk:
    """A piece of a document with its metadata; the id is a hash of (doc id, text), so it is stable."""

    chunk_id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _sections(text: str) -> list[tuple[str, str]]:
    """(section heading, body) pairs; text before the first ## heading belongs to section ''."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        m = HEADING.match(line)
        if m and len(m.group(1)) == 1:
            continue  # the title line
        if m:
            out.append((m.group(2), []))
        else:
            out[-1][1].append(line)
    return [(h, "\n".join(b).strip()) for h, b in out if "\n".join(b).strip() or h]


def _windows(body: str, max_chars: int, overlap: int) -> list[str]:
    """Split a long body on sentence ends into windows of ~max_chars; each repeats ~overlap chars of the last."""
    if len(body) <= max_chars:
        return [body]
    sents = re.split(r"(?<=[.!?])\s+|(?<=[。！？；])\s*|\n+", body)
    out: list[str] = []
    cur = ""
    for s in sents:
        if cur and len(cur) + len(s) + 1 > max_chars:
            out.append(cur.strip())
            tail = cur[-overlap:]
            cur = tail[tail.find(" ") + 1:] if " " in tail else tail
        cur = f"{cur} {s}" if cur else s
    if cur.strip():
        out.append(cur.strip())
    return out


def chunk_document(doc: Document, max_chars: int = 900, overlap: int = 150) -> list[Chunk]:
    """Heading-aware chunks: one per ## section (long sections split in overlapping windows).

    Each chunk's text starts with "Title - Section" so it stands on its own for both BM25 and dense search.
    """
    from core.language import detect_lang
    from vectorstore.lexicon import langs

    lang = doc.lang or detect_lang(doc.text, langs())
    chunks: list[Chunk] = []
    for section, body in _sections(doc.text):
        for i, win in enumerate(_windows(body, max_chars, overlap)):
            head = f"{doc.title} - {section}" if section else doc.title
            text = f"{head}\n{win}".strip()
            cid = hashlib.sha1(f"{doc.doc_id}\x00{section}\x00{i}\x00{text}".encode()).hexdigest()[:20]
            chunks.append(Chunk(cid, text, {
                "doc_id": doc.doc_id, "title": doc.title, "section": section, "source": doc.source,
                "url": doc.url, "doc_type": doc.doc_type, "product_id": doc.product_id,
                "updated_at": doc.updated_at, "doc_hash": doc.content_hash, "part": i,
                "lang": lang, "canonical_id": doc.translation_of or doc.doc_id,
            }))
    return chunks

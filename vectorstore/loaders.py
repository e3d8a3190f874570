"""Loaders: .md, .txt, .html, .pdf and CSV product feeds -> Documents, or a SkipDocument with the reason."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from vectorstore.documents import Document

SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".csv"}


class SkipDocument(Exception):
    """A file that cannot be ingested; the message is the reason shown in the summary."""


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """`---\\nkey: value\\n---` at the top of a markdown file -> (fields, rest)."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    meta = {}
    for line in text[4:end].splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip()
    return meta, text[end + 4:].lstrip("\n")


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


class _HTMLText(HTMLParser):
    """HTML -> markdown-ish text: h1-h3 become # headings, scripts and styles are dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("h1", "h2", "h3"):
            self.parts.append("\n" + "#" * int(tag[1]) + " ")
        elif tag in ("p", "br", "li", "div", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SkipDocument(f"not UTF-8 text (byte {e.start})") from None


def _pdf_text(path: Path) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        return "\n\n".join((page.extract_text() or "") for page in reader.pages)
    except Exception as e:  # pypdf raises many types for corrupt files
        raise SkipDocument(f"unreadable PDF ({type(e).__name__})") from None


def _product_feed(text: str, path: Path, doc_prefix: str, updated: str) -> list[Document]:
    """A CSV product feed: columns product_id, name, and any of category, price, options, description, url."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise SkipDocument("empty CSV product feed")
    cols = {c.strip().lower() for c in rows[0]}
    if not {"product_id", "name"} <= cols:
        raise SkipDocument("CSV product feed needs columns product_id and name")
    docs = []
    for r in rows:
        r = {k.strip().lower(): (v or "").strip() for k, v in r.items() if k}
        if not r.get("product_id") or not r.get("name"):
            continue
        lines = [f"# {r['name']}", "", "## Overview"]
        for key in ("category", "price", "options", "description"):
            if r.get(key):
                lines.append(f"{key.capitalize()}: {r[key]}")
        docs.append(Document(f"{doc_prefix}/{r['product_id']}", r["name"], "\n".join(lines), str(path),
                             "product", r.get("url", ""), r["product_id"], updated))
    return docs


def load_path(path: Path, doc_id: str, max_bytes: int) -> list[Document]:
    """The documents in one file; raises SkipDocument (with the reason) when it cannot be used."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SkipDocument(f"unsupported file type {suffix or '(none)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SkipDocument(f"too large ({size} bytes > limit {max_bytes})")
        updated = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
        raw = path.read_bytes() if suffix != ".pdf" else b""
    except OSError as e:
        raise SkipDocument(f"unreadable ({e.strerror or e})") from None
    text = _pdf_text(path) if suffix == ".pdf" else _decode(raw, path)
    if suffix == ".csv":
        return _product_feed(text, path, doc_id, updated)
    meta: dict[str, str] = {}
    if suffix in (".html", ".htm"):
        parser = _HTMLText()
        parser.feed(text)
        text = "".join(parser.parts)
    elif suffix in (".md", ".markdown"):
        meta, text = _front_matter(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not re.search(r"\w", text):
        raise SkipDocument("empty document")
    title = meta.get("title") or _title(text, path.stem.replace("-", " ").replace("_", " ").capitalize())
    return [Document(meta.get("doc_id", doc_id), title, text, str(path), meta.get("doc_type", "article"),
                     meta.get("url", ""), meta.get("product_id", ""), meta.get("updated_at", updated),
                     meta.get("lang", ""), meta.get("translation_of", ""))]

"""The typed records that flow between stages: documents, sentences, hits, answers."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Block:
    """One paragraph of a document, with where it sits (page for PDFs, heading for Markdown)."""

    text: str
    page: int | None = None
    section: str | None = None


@dataclass(frozen=True)
class Document:
    """A source document as read from the seeds folder."""

    doc_id: str  # path relative to the seeds folder, with forward slashes
    title: str
    date: str | None  # ISO 8601 day, "2022-01-27"
    url: str | None
    kind: str  # "news", "text", "markdown", "html", "pdf", "docx"
    blocks: tuple[Block, ...]
    content_hash: str = ""


@dataclass(frozen=True)
class Sentence:
    """One sentence: an exact substring of a document block."""

    doc_id: str
    position: int  # sentence number in the document, from 0
    paragraph: int  # block number in the document, from 0
    start: int  # character offsets inside the block's text
    end: int
    text: str
    page: int | None = None
    section: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """What the index knows about a document, without its text."""

    doc_id: str
    title: str
    date: str | None
    url: str | None
    kind: str
    sentences: int
    content_hash: str


@dataclass(frozen=True)
class Hit:
    """A sentence returned for a question, with its source and its neighbours."""

    text: str
    score: float
    doc_id: str
    title: str
    date: str | None
    url: str | None
    position: int
    paragraph: int
    doc_sentences: int = 0
    page: int | None = None
    section: str | None = None
    context_before: str = ""
    context_after: str = ""
    duplicates: int = 0  # near-identical sentences folded into this one

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """The reply to one question: quotes best first and the Markdown shown to a reader."""

    question: str
    searched: str  # what was actually searched (differs from question for follow-ups)
    found: bool
    quotes: tuple[Hit, ...]
    text: str  # the whole reply: body then context
    notes: tuple[str, ...] = field(default_factory=tuple)
    body: str = ""  # the quotes with their sources
    context: str = ""  # each quote inside its neighbouring sentences, collapsible

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "searched": self.searched,
            "found": self.found,
            "quotes": [hit.to_dict() for hit in self.quotes],
            "text": self.text,
            "notes": list(self.notes),
            "body": self.body,
            "context": self.context,
        }


def id_key(doc_id: str) -> str:
    """A document id as compared with one a person typed: a file name written on a Mac (or
    unzipped from there) spells "é" as "e" and an accent, two characters where a keyboard
    types one; both read the same."""
    return unicodedata.normalize("NFC", doc_id)

"""The sentences and documents of an index, in one SQLite file.

Sentence ids are ours, stable across incremental updates, and are the ids the FAISS index
stores, so a vector and its sentence always agree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .records import Document, DocumentInfo, Sentence

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,
    url TEXT,
    kind TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    sentences INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id),
    position INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    page INTEGER,
    section TEXT
);
CREATE INDEX IF NOT EXISTS sentences_by_doc ON sentences(doc_id, position);
"""

_SENTENCE_COLUMNS = "id, doc_id, position, paragraph, start, end, text, page, section"


@dataclass(frozen=True)
class Layout:
    """Where every sentence sits, as arrays aligned by row, for neighbour and filter lookups."""

    ids: np.ndarray  # int64 sentence ids, ascending
    doc: np.ndarray  # int32 document ordinal (index into doc_ids)
    paragraph: np.ndarray  # int32 block number inside the document
    position: np.ndarray  # int32 sentence number inside the document
    doc_ids: tuple[str, ...]

    def rows(self, ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.ids, ids)

    def paragraph_numbers(self) -> np.ndarray:
        """A number per row for its paragraph, counting up; a document's rows are contiguous."""
        if len(self.ids) == 0:
            return np.zeros(0, dtype=np.int32)
        new = np.r_[True, (self.doc[1:] != self.doc[:-1]) | (self.paragraph[1:] != self.paragraph[:-1])]
        return (np.cumsum(new) - 1).astype(np.int32)


class Corpus:
    """Read and write access to corpus.sqlite."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = path
        if readonly:
            uri = f"file:{path}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def commit(self) -> None:
        self._db.commit()

    # -- writing ---------------------------------------------------------------------------

    def next_id(self) -> int:
        (top,) = self._db.execute("SELECT COALESCE(MAX(id), -1) FROM sentences").fetchone()
        return int(top) + 1

    def add(self, doc: Document, sentences: Sequence[Sentence], first_id: int) -> np.ndarray:
        """Store a document and its sentences under ids first_id, first_id+1, ..."""
        self._db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc.doc_id, doc.title, doc.date, doc.url, doc.kind, doc.content_hash, len(sentences)),
        )
        ids = np.arange(first_id, first_id + len(sentences), dtype=np.int64)
        self._db.executemany(
            f"INSERT INTO sentences ({_SENTENCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (int(i), s.doc_id, s.position, s.paragraph, s.start, s.end, s.text, s.page, s.section)
                for i, s in zip(ids, sentences)
            ),
        )
        return ids

    def remove(self, doc_id: str) -> np.ndarray:
        """Delete a document; returns the ids its sentences had."""
        ids = np.array(
            [r[0] for r in self._db.execute("SELECT id FROM sentences WHERE doc_id = ?", (doc_id,))],
            dtype=np.int64,
        )
        self._db.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return ids

    # -- reading ---------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        rows = self._db.execute(
            "SELECT doc_id, title, date, url, kind, sentences, content_hash FROM documents ORDER BY doc_id"
        )
        return [DocumentInfo(*row) for row in rows]

    def count(self) -> int:
        (n,) = self._db.execute("SELECT COUNT(*) FROM sentences").fetchone()
        return int(n)

    def sentences(self, ids: Iterable[int]) -> dict[int, Sentence]:
        """Sentences by id; ids not in the corpus are absent from the result."""
        wanted = [int(i) for i in ids]
        found: dict[int, Sentence] = {}
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            marks = ",".join("?" * len(part))
            for row in self._db.execute(f"SELECT {_SENTENCE_COLUMNS} FROM sentences WHERE id IN ({marks})", part):
                found[row[0]] = Sentence(*row[1:])
        return found

    def document_sentences(self, doc_id: str) -> list[Sentence]:
        """A document's sentences in their order."""
        rows = self._db.execute(
            f"SELECT {_SENTENCE_COLUMNS} FROM sentences WHERE doc_id = ? ORDER BY position", (doc_id,)
        )
        return [Sentence(*row[1:]) for row in rows]

    def document_texts(self, doc_id: str) -> tuple[np.ndarray, list[str]]:
        """A document's sentence ids and texts, in id order."""
        rows = self._db.execute("SELECT id, text FROM sentences WHERE doc_id = ? ORDER BY id", (doc_id,)).fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64), [r[1] for r in rows]

    def all_texts(self) -> tuple[np.ndarray, list[str]]:
        """Every sentence id and text, in id order (for rebuilding the lexical index)."""
        rows = self._db.execute("SELECT id, text FROM sentences ORDER BY id").fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64), [r[1] for r in rows]

    def sections(self) -> list[str | None]:
        """Every sentence's section (the heading it stands under), in id order."""
        return [r[0] for r in self._db.execute("SELECT section FROM sentences ORDER BY id")]

    def layout(self) -> Layout:
        doc_ids = tuple(d.doc_id for d in self.documents())
        ordinal = {d: i for i, d in enumerate(doc_ids)}
        rows = self._db.execute("SELECT id, doc_id, paragraph, position FROM sentences ORDER BY id").fetchall()
        return Layout(
            ids=np.array([r[0] for r in rows], dtype=np.int64),
            doc=np.array([ordinal[r[1]] for r in rows], dtype=np.int32),
            paragraph=np.array([r[2] for r in rows], dtype=np.int32),
            position=np.array([r[3] for r in rows], dtype=np.int32),
            doc_ids=doc_ids,
        )

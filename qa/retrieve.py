"""Question → ranked `Hit`s: dense and lexical candidates, scored by the learned ranker,
near-duplicates folded.

`Searcher` holds one opened index (vectors, corpus, BM25, encoder); `search` keeps one per
index folder for the life of the process and reopens it when a build replaces the index.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import faiss
import numpy as np
from threadpoolctl import ThreadpoolController

from . import rank
from .config import MAX_K, MAX_QUESTION_CHARS
from .corpus import Layout
from .embed import Encoder, load_question_encoder, model_source
from .errors import IndexNotWritable, IndexProblem, InputError, SeedsError, first_few, unknown_document
from .features import Paragraphs
from .ingest import fingerprint
from .lexical import PAD, QueryWord
from .ranker import load as load_ranker
from .records import DocumentInfo, Hit, Sentence, id_key
from .store import LOCK, MANIFEST, Manifest, load, locked, moved_seeds, read_manifest

log = logging.getLogger("qa")


@dataclass(frozen=True)
class Context:
    """What earlier turns of a conversation were about, searched beside a follow-up."""

    text: str  # key words carried over, e.g. "Erdoğan offer"
    weight: float = 0.5  # how much they count against the question's own words
    avoid: tuple[tuple[str, int], ...] = ()  # (doc_id, position) quoted last time, best first


@dataclass(frozen=True)
class Filter:
    """Which documents a search may quote: by id and by date (inclusive, ISO days)."""

    documents: tuple[str, ...] | None = None
    since: str | None = None
    until: str | None = None

    def __post_init__(self):
        if self.since and self.until and self.since > self.until:
            raise InputError(
                f"the dates are the wrong way round: {self.since} is after {self.until}; swap them "
                "(from the earlier day until the later)"
            )

    @property
    def active(self) -> bool:
        return self.documents is not None or self.since is not None or self.until is not None

    def describe(self, named: Callable[[str], str] = str) -> str:
        """What the filter lets through, for a note: "uploads/a.md, dated 2024-01-01 to 2024-01-31";
        `named` says how a document is named ("“Gulls” (uploads/a.md)")."""
        parts = []
        if self.documents is not None:
            parts.append(first_few([named(d) for d in self.documents], 3))
        if self.since and self.until:
            parts.append(f"dated {self.since} to {self.until}")
        elif self.since or self.until:
            parts.append(f"dated {'from ' + self.since if self.since else 'until ' + self.until}")
        return ("documents " if self.documents is None else "") + ", ".join(parts)


class Searcher:
    """One opened index, ready to answer questions."""

    def __init__(self, index: Path, manifest: Manifest, encoder: Encoder | None = None):
        self.index = index
        self.manifest = manifest
        loaded = load(index, manifest)
        self.corpus = loaded.corpus
        self.layout: Layout = loaded.layout
        self.vectors = loaded.vectors
        self.lexical = loaded.lexical
        self.paragraphs = Paragraphs.of(self.lexical.paragraph)
        self.ranker = load_ranker()
        self.docs: dict[str, DocumentInfo] = {d.doc_id: d for d in self.corpus.documents()}
        self._lock = threading.Lock()
        self._encoder = encoder
        self._mtime = _mtime(index / MANIFEST)
        self.checked = time.monotonic()  # when the seeds were last compared with the manifest

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = load_question_encoder(self.manifest.model_ref, self.manifest.encoder)
        return self._encoder

    def stale(self) -> bool:
        return _mtime(self.index / MANIFEST) != self._mtime

    def documents(self) -> list[DocumentInfo]:
        return list(self.docs.values())

    def read(self, doc_id: str) -> list[Sentence]:
        """What qa read from a document: its sentences in order, each with its place, section
        and page; InputError for an id the index does not hold."""
        known = {id_key(d): d for d in self.docs}
        if id_key(doc_id) not in known:
            raise InputError(unknown_document(doc_id, list(self.docs)))
        with self._lock:
            return self.corpus.document_sentences(known[id_key(doc_id)])

    # -- searching -------------------------------------------------------------------------

    def search(
        self, question: str, k: int = 5, where: Filter | None = None, context: Context | None = None
    ) -> list[Hit]:
        """The k best sentences for the question, best first, near-duplicates folded."""
        k = check_k(k)
        question = check_question(question)
        allowed = self._allowed_rows(where or Filter())
        if allowed is not None and not allowed.any():
            return []
        # One question at a time is searched per call: FAISS's thread pool only adds start-up
        # and, on a busy 2-core machine, waiting (a 3,600-vector search took 14 ms, not 0.3).
        # The setting is per thread, and the web app searches from its workers' threads.
        faiss.omp_set_num_threads(1)
        with _one_blas_thread():
            return self._search(question, k, allowed, context)

    def _search(self, question: str, k: int, allowed: np.ndarray | None, context: Context | None) -> list[Hit]:
        query = self._query(question, allowed)
        if context is not None and context.text.strip():
            query = query.blend(self._query(context.text, allowed), context.weight)
        shown = self._ids_of(context.avoid) if context is not None else []
        scored = rank.rank(
            query, self.vectors, self.layout, self.lexical, self.paragraphs, self.ranker, allowed, k, shown
        )
        chosen = rank.fold_duplicates(scored, self.vectors, self.lexical.words, k)
        return self._hits(chosen)

    def words(self, text: str) -> list[QueryWord]:
        """The content words of a text, matched to the index vocabulary."""
        return self.lexical.match_words(text, self.encoder.words)

    def _query(self, text: str, allowed: np.ndarray | None) -> rank.Query:
        words = self.words(text)
        mask = allowed.astype(np.float32) if allowed is not None else None
        return rank.Query.of(text, words, self.vector(text, words), self.lexical, mask)

    def vector(self, text: str, words: list[QueryWord]) -> np.ndarray:
        """A question's vector, its typos spelt as the documents spell them (Lexical.respelt)."""
        return self.encoder.encode([self.lexical.respelt(text, words)])[0]

    def mention(self, doc_ids: set[str], terms: list[str]) -> bool:
        """Whether any of these documents uses any of these (stemmed) terms."""
        ordinals = [i for i, d in enumerate(self.layout.doc_ids) if d in doc_ids]
        wanted = self.lexical.ids_of(terms)
        if not ordinals or not (wanted != PAD).any():
            return False
        _, used, _ = self.lexical.words.gather(np.flatnonzero(np.isin(self.layout.doc, ordinals)))
        return bool(np.isin(wanted[wanted != PAD], used).any())

    def confident(self, hits: list[Hit]) -> bool:
        """Is the best hit a confident answer, rather than merely the closest sentence?"""
        return bool(hits) and hits[0].score >= self.ranker.found_above

    def _ids_of(self, places: tuple[tuple[str, int], ...]) -> list[int | None]:
        """The sentence id at each (doc_id, position), in the same order; None where the place
        is gone (its document removed since)."""
        ordinals = {d: i for i, d in enumerate(self.layout.doc_ids)}
        ids: list[int | None] = []
        for doc_id, position in places:
            rows = np.zeros(0, dtype=np.int64)
            if doc_id in ordinals:
                rows = np.flatnonzero((self.layout.doc == ordinals[doc_id]) & (self.layout.position == position))
            ids.append(int(self.layout.ids[rows[0]]) if len(rows) else None)
        return ids

    def filter_notes(self, where: Filter) -> list[str]:
        """What a reader should know about a filter: that the search was limited, and what it
        leaves out (documents without a date fall outside any date range)."""
        if not where.active:
            return []
        # By title, as the picker shows them: a reader knew "chess-olympiad.txt" by its story.
        titles = {id_key(d): info.title for d, info in self.docs.items()}

        def named(doc_id: str) -> str:
            title = titles.get(id_key(doc_id))
            return f"“{title}” ({doc_id})" if title else doc_id

        notes = [f"Searched only {where.describe(named)}."]
        if where.since is None and where.until is None:
            return notes
        wanted = None if where.documents is None else {id_key(d) for d in where.documents}
        named = [d for d in self.docs.values() if wanted is None or id_key(d.doc_id) in wanted]
        undated = [d.doc_id for d in named if d.date is None]
        if not any(_in_range(d.date, where.since, where.until) for d in named):
            notes.append("No document is dated within that range.")
        if undated:
            some = first_few(undated, 3)
            them = (
                "1 document has no date and is"
                if len(undated) == 1
                else f"{len(undated)} documents have no date and are"
            )
            notes.append(f"{them} left out by the date range: {some}.")
        return notes

    def _allowed_rows(self, where: Filter) -> np.ndarray | None:
        if not where.active:
            return None
        ok_docs = np.zeros(len(self.layout.doc_ids), dtype=bool)
        wanted = {id_key(d) for d in where.documents} if where.documents is not None else None
        if wanted is not None:
            unknown = sorted(wanted - {id_key(d) for d in self.docs})
            if unknown:
                raise InputError(unknown_document(unknown[0], list(self.docs)))
        for i, doc_id in enumerate(self.layout.doc_ids):
            info = self.docs[doc_id]
            ok_docs[i] = (wanted is None or id_key(doc_id) in wanted) and _in_range(info.date, where.since, where.until)
        return ok_docs[self.layout.doc]

    def _sentences(self, ids) -> dict[int, Sentence]:
        with self._lock:
            return self.corpus.sentences(ids)

    def _hits(self, chosen: list[rank.Scored]) -> list[Hit]:
        rows = self.layout.rows(np.array([c.id for c in chosen], dtype=np.int64))
        before, after = self._neighbours(rows, -1), self._neighbours(rows, +1)
        wanted = {c.id for c in chosen} | {n for n in before + after if n is not None}
        sentences = self._sentences(sorted(wanted))
        hits = []
        for c, above, below in zip(chosen, before, after):
            s = sentences[c.id]
            doc = self.docs[s.doc_id]
            hits.append(
                Hit(
                    text=s.text,
                    score=round(float(c.score), 4),
                    doc_id=s.doc_id,
                    title=doc.title,
                    date=doc.date,
                    url=doc.url,
                    position=s.position,
                    paragraph=s.paragraph,
                    doc_sentences=doc.sentences,
                    page=s.page,
                    section=s.section,
                    context_before=_before(s, sentences[above]) if above is not None else "",
                    context_after=sentences[below].text if below is not None else "",
                    duplicates=c.duplicates,
                )
            )
        return hits

    def _neighbours(self, rows: np.ndarray, step: int) -> list[int | None]:
        """The sentence next to each row in its paragraph (None if none); before a paragraph's
        first, the question ending the paragraph above, which it answers (an interview's, a
        press conference's)."""
        lay = self.layout
        other = np.clip(rows + step, 0, max(len(lay.ids) - 1, 0))
        near = (other != rows) & (lay.doc[other] == lay.doc[rows])
        same = lay.paragraph[other] == lay.paragraph[rows]
        if step < 0:
            same |= self.lexical.words.asks[other]
        ids = lay.ids[other].tolist()
        return [i if ok else None for i, ok in zip(ids, (near & same).tolist())]


def _before(sentence: Sentence, before: Sentence) -> str:
    """The sentence before as context: in the same paragraph, or the question above it under
    the same heading (not the last of another section's paragraphs); in a transcript, whose
    sections end in their speaker, the other speaker's question."""
    if before.paragraph == sentence.paragraph or before.section == sentence.section:
        return before.text
    return before.text if _turn_of(before) and _turn_of(before) == _turn_of(sentence) else ""


def _turn_of(sentence: Sentence) -> str | None:
    """The heading a transcript's turn is under, when the sentence opens with its speaker's label
    (the section's last part: "Press conference: ÜMIT AKSOY" over "ÜMIT AKSOY: I will not…")."""
    heading, _, speaker = (sentence.section or "").rpartition(": ")
    return heading if speaker and sentence.text.startswith(f"{speaker}:") else None


_blas_users = 0
_blas_before: list[int] = []  # each BLAS library's thread count before the first search began
_blas_guard = threading.Lock()


@contextmanager
def _one_blas_thread():
    """The search's matrices are tiny: OpenBLAS's threads only wait for each other, and on a
    busy 2-core machine a 40x40 product took 17 ms with them, 0.04 ms without. The limit is
    process-wide, so concurrent searches share it: the first sets it, the last restores it."""
    global _blas_users, _blas_before
    with _blas_guard:
        if _blas_users == 0:
            _blas_before = [lib.get_num_threads() for lib in _blas()]
            for lib in _blas():
                lib.set_num_threads(1)
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_guard:
            _blas_users -= 1
            if _blas_users == 0:
                for lib, threads in zip(_blas(), _blas_before):
                    lib.set_num_threads(threads)


@lru_cache(maxsize=1)
def _blas() -> tuple:
    """The BLAS libraries loaded (numpy's and FAISS's), found once: threadpoolctl's limit()
    looks them up again at every call, which took 20 µs a search."""
    return tuple(ThreadpoolController().select(user_api="blas").lib_controllers)


def documents_filter(documents: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """Document ids to search, as a Filter holds them: one id may be given alone. None searches
    every document; an empty list searched none, and returned nothing, in silence."""
    if documents is None:
        return None
    try:  # a path stands for its id, the file's path within the seeds folder ("uploads/notes.md")
        chosen = (documents,) if isinstance(documents, (str, os.PathLike)) else tuple(documents)
    except TypeError:
        raise InputError(f"documents must be a document id or a list of ids, not {type(documents).__name__}") from None
    chosen = tuple(os.fspath(d) if isinstance(d, os.PathLike) else d for d in chosen)
    if not all(isinstance(d, str) for d in chosen):
        raise InputError(f"documents must be document ids (text), not {chosen!r}")
    if not any(chosen):
        raise InputError("documents names no document: give one id or more, or None to search every document")
    return chosen


_SPACE = re.compile(r"\s+")


def check_question(question: str) -> str:
    """The question without surrounding space or lone surrogates (half a character, which a
    tokenizer cannot take), cut to its words within its last MAX_QUESTION_CHARS (the model reads
    no more, and a million characters took seconds; a question pasted after its background ends
    with what it asks); InputError if it is not text or holds no word."""
    if not isinstance(question, str):
        raise InputError(f"a question must be text, not {type(question).__name__}")
    question = "".join(c for c in question if not "\ud800" <= c <= "\udfff").strip()
    if len(question) > MAX_QUESTION_CHARS:
        cut = question[-MAX_QUESTION_CHARS:]
        space = _SPACE.search(cut)  # not half a word
        question = cut[space.end() :] if space else cut
    if not any(c.isprintable() and not c.isspace() for c in question):
        raise InputError("the question is empty: type a few words about what you want to find")
    if not any(c.isalnum() for c in question):  # "?" or "...": nothing to search for
        raise InputError("the question has no words: type a few words about what you want to find")
    return question


def check_k(k: int, name: str = "k") -> int:
    """k as a whole number between 1 and MAX_K, or InputError (a float with nothing after the
    point passes: a slider's value is one); `name` is what the caller calls it ("quotes")."""
    whole = isinstance(k, (int, np.integer)) or (
        isinstance(k, (float, np.floating)) and math.isfinite(k) and k == int(k)
    )
    if isinstance(k, bool) or not whole:
        raise InputError(f"{name} must be a whole number, not {k!r}")
    k = int(k)
    if not 1 <= k <= MAX_K:
        raise InputError(f"{name} must be from 1 to {MAX_K} (got {k})")
    return k


def _in_range(day: str | None, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    if day is None:
        return False
    return (since is None or day >= since) and (until is None or day <= until)


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def parse_day(value: str | date | None, name: str) -> str | None:
    """An ISO day from a date or a string (YYYY-MM-DD or YYYYMMDD)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    for candidate in (text, f"{text[:4]}-{text[4:6]}-{text[6:]}" if len(text) == 8 and text.isdigit() else ""):
        try:
            return date.fromisoformat(candidate).isoformat()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # written right, but no such day: "2025-02-30"
        raise InputError(f"{name} {value!r} is no day of the calendar: check the month and the day")
    raise InputError(f"{name} {value!r} is not a date: use YYYY-MM-DD")


# -- the process-wide cache behind qa.search -------------------------------------------------

_OPEN: dict[Path, Searcher] = {}
_OPEN_LOCK = threading.Lock()
SEEDS_CHECK_SECONDS = 2.0  # how often an open index looks for changed seeds (a folder walk)


def open_index(
    index: str | Path = "index",
    seeds: str | Path | None = None,
    model: str | None = None,
    encoder: str | None = None,
    build: bool = True,
    progress: bool | None = None,
) -> Searcher:
    """The searcher for an index folder, building or updating the index first when needed.

    The index is (re)built when it is missing, or when the seeds folder it was built from
    (or `seeds`, if given) has changed since. `model`, if given, must match the index.
    """
    index = Path(index)
    key = Path(os.path.realpath(index))  # as resolve() does, in 9 µs rather than 23
    with _OPEN_LOCK:
        searcher = _OPEN.get(key)
        due = build and (searcher is None or time.monotonic() - searcher.checked >= SEEDS_CHECK_SECONDS)
        if searcher is not None and not searcher.stale() and not due:
            return searcher
        if due:
            _build_if_needed(index, seeds, model, encoder, progress)
        if searcher is None or searcher.stale():
            manifest = read_manifest(index)
            if model is not None and model_source(model).name != manifest.model:
                raise IndexProblem(
                    f"the index in {index} was built with model {manifest.model!r}, not "
                    f"{model_source(model).name!r}; rebuild it with `qa index --index {index} --model {model}`"
                )
            searcher = Searcher(index, manifest)
            _OPEN[key] = searcher
        searcher.checked = time.monotonic()
        return searcher


_NOT_UPDATED: dict[Path, str] = {}  # index → the seeds fingerprint it could not be updated to
_OUTDATED_SAID: set[Path] = set()  # indexes of an older qa, their seeds gone, warned about once
_FIRST_BUILD_SAID: set[tuple[Path, Path]] = set()  # (index, seeds) whose first build was announced


def _manifest_or_none(index: Path) -> Manifest | None:
    """The index's manifest, or None where there is no index yet."""
    try:
        return read_manifest(index)
    except IndexProblem:
        if (index / MANIFEST).exists() or index.is_file():
            raise  # damaged, or a file: say so rather than silently building over it
        return None


def _build_if_needed(
    index: Path, seeds: str | Path | None, model: str | None, encoder: str | None, progress: bool | None
) -> None:
    from .indexer import build_index, check_place, pipeline

    manifest = _manifest_or_none(index)
    if manifest is None and (index / LOCK).exists():
        # Another process may be building it (`qa index` started a moment ago): its first
        # search waits for that build, as a second build does, rather than say there is none.
        try:
            with locked(index):
                pass
        except IndexNotWritable:  # a folder this process may not write: nothing to wait on
            pass
        manifest = _manifest_or_none(index)
    if manifest is None:
        if not index.resolve().parent.is_dir():  # a mistyped --index: no new folders far away
            raise IndexProblem(
                f"no index in {index} and no folder {index.resolve().parent} to build one in: check the index "
                f"folder's name, or build it with `qa index --index {index}` (or qa.build_index)"
            )
        folder = Path(seeds or "seeds")
        if not folder.is_dir():  # nothing to build from: name both folders, not only the seeds
            raise SeedsError(
                f"no index in {index.resolve()} and no seeds folder {folder.resolve()} to build one from: "
                f"build it with `qa index --seeds DIR --index {index}` (or qa.build_index), or run qa where its "
                "seeds folder is"
            )
        check_place(index, folder)  # before saying that it builds
        # Said aloud: a mistyped --index otherwise answers from a new index built in silence.
        # Once: a chat over a folder with nothing to read yet tries again at every page load.
        if (index, folder) not in _FIRST_BUILD_SAID:
            _FIRST_BUILD_SAID.add((index, folder))
            log.info("no index in %s yet: building one from %s", index.resolve(), folder.resolve())
        build_index(folder, index, model or "bundled", encoder or "auto", progress=progress)
        _FIRST_BUILD_SAID.discard((index, folder))  # built: a later first build is news again
        return
    folder = Path(seeds) if seeds is not None else Path(manifest.seeds)
    outdated = manifest.pipeline != pipeline()
    beside = moved_seeds(index, manifest) if seeds is None else None
    gone = folder
    if beside is not None:  # the build below records the new folder in the manifest
        folder = beside
    if not folder.is_dir():
        if outdated and index not in _OUTDATED_SAID:
            _OUTDATED_SAID.add(index)
            log.warning(
                "the index in %s was built by an older qa (%s) and its seeds folder %s is gone: "
                "it answers, but rebuild it to match this qa (%s)",
                index, manifest.pipeline, folder, pipeline(),
            )  # fmt: skip
        return
    now = fingerprint(folder)
    if (now != manifest.seeds_fingerprint or outdated or beside is not None) and _NOT_UPDATED.get(index) != now:
        if beside is not None:
            log.warning("%s, the folder the index in %s was built from, is gone; using %s", gone, index, beside)
        if outdated:  # every document is read and embedded again: say why it takes a while
            log.info("the index in %s was built by an older qa: rebuilding it from %s", index, folder)
        try:
            build_index(folder, index, model or manifest.model_ref, encoder or manifest.encoder, progress=progress)
        except (IndexNotWritable, SeedsError) as exc:
            # A read-only index still answers, from what it holds; so does one whose seeds folder
            # is empty for now (a drive not mounted, a sync under way), where every search failed.
            # Tried again only when the seeds change again: a build reads the changed documents first.
            _NOT_UPDATED[index] = now
            log.warning("%s; answering from the index as it is, without the changes in %s", exc, folder)


def found(hits: Sequence[Hit]) -> bool:
    """Whether hits from `search` answer the question, as `Conversation` decides it: the first
    one's score (its chance of answering) reaches the threshold set on the development sets."""
    return bool(hits) and hits[0].score >= load_ranker().found_above


def search(
    question: str,
    k: int = 5,
    index: str | Path = "index",
    documents: str | Sequence[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> list[Hit]:
    """The k sentences that best answer the question, best first, near-duplicates folded.

    k: 1 to MAX_K (100). A question longer than MAX_QUESTION_CHARS (1,000) is cut to its words
    within its last 1,000 characters: the model reads no more. `documents` (one id or several), `since`
    and `until` (YYYY-MM-DD or dates, inclusive) limit what may be quoted; a date range leaves
    out undated documents.
    The index folder is opened once per process, and built from ./seeds (or the seeds folder
    it was built from) when it is missing or its seeds changed; changes are looked for at most
    every SEEDS_CHECK_SECONDS (call build_index() to see a file written just now).
    `Hit.to_dict()` gives a hit as JSON-ready values. Raises InputError (empty question, bad k, unknown document id, bad
    date), SeedsError, IndexProblem or ModelError, all QAError, each saying what to do."""
    # Before the index is opened: a question that cannot be searched builds no index.
    question, k = check_question(question), check_k(k)
    where = Filter(
        documents_filter(documents),
        parse_day(since, "since"),
        parse_day(until, "until"),
    )
    return open_index(index).search(question, k, where)

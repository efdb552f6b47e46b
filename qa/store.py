"""The index folder: a manifest naming one complete data folder, switched atomically.

    index/
      manifest.json          format, model, encoder, dimension, counts, seeds hash, data folder
      data-<id>/
        corpus.sqlite        documents and sentences (see corpus.py)
        vectors.faiss        sentence vectors keyed by sentence id (see vectors.py)
        lexical/             BM25 arrays and vocabulary (see lexical.py)

A build writes a new data folder under a temporary name, renames it into place, then replaces
manifest.json in one rename: a reader sees the old index or the new one, never half of one.
Nothing is pickled.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from .corpus import Corpus, Layout
from .errors import IndexNotWritable, IndexProblem, first_few
from .ingest import seed_files
from .lexical import Lexical
from .records import DocumentInfo
from .vectors import VectorIndex

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
LOCK = ".lock"  # held by the one process writing the index


# A damaged manifest may no longer say where the documents are.
_SEEDS_ELSEWHERE = ", adding --seeds FOLDER if its documents are not in ./seeds"


def rebuild(index: Path) -> str:
    """The fix for a damaged or mismatched index, as a command the user can paste."""
    where = "" if Path(index) == Path("index") else f" --index {index}"
    return f"rebuild it with `qa index{where} --full`"


@dataclass(frozen=True)
class Manifest:
    format: int
    model: str
    model_ref: str  # the model setting that loads it again ("bundled", a folder, a name)
    encoder: str
    dimension: int
    documents: int
    sentences: int
    seeds: str
    seeds_hash: str
    seeds_fingerprint: str
    data: str
    index_kind: str
    pipeline: str  # splitter, lexical, readers and format versions: a change re-reads every document
    built: str
    document_hashes: dict[str, str] = field(default_factory=dict)
    # Each document's file size, modification time, inode and change time when it was read
    # ("size:mtime_ns:inode:ctime_ns"): a build reads again only the files whose stats differ.
    # Absent from an older qa's manifest.
    document_stats: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


# Fields an older qa's manifest lacks, whose defaults read it right: its index is not rebuilt.
_LATER_FIELDS = {"document_stats"}


def read_manifest(index: Path) -> Manifest:
    """The manifest of an index folder, or IndexProblem saying what is wrong and how to fix it."""
    index = Path(index)
    path = index / MANIFEST
    if index.is_file():
        raise IndexProblem(f"{index} is a file, not an index folder: pass the folder (--index, or index= in Python)")
    if not path.exists():
        raise IndexProblem(f"no index in {index}: build it with `qa index --index {index}` (or qa.build_index)")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexProblem(f"{path} is damaged ({exc}); {rebuild(index)}{_SEEDS_ELSEWHERE}") from None
    if not isinstance(raw, dict):
        raise IndexProblem(f"{path} is damaged (not a JSON object); {rebuild(index)}{_SEEDS_ELSEWHERE}")
    if raw.get("format") != FORMAT_VERSION:
        raise IndexProblem(
            f"{path} has index format {raw.get('format')!r}, this qa reads format {FORMAT_VERSION}; {rebuild(index)}"
        )
    expected = {f.name for f in fields(Manifest)}
    if set(raw) | _LATER_FIELDS != expected:
        raise IndexProblem(f"{path} was written by another version of qa (its fields differ); {rebuild(index)}")
    return Manifest(**raw)


def existing_manifest(index: Path) -> Manifest | None:
    """The manifest of an index folder, None if there is no index there yet; a damaged one
    still raises IndexProblem."""
    return read_manifest(index) if (Path(index) / MANIFEST).exists() else None


@dataclass
class Loaded:
    """The opened parts of one index, checked against each other and the manifest."""

    folder: Path
    corpus: Corpus
    layout: Layout
    vectors: VectorIndex
    lexical: Lexical


def load(index: Path, manifest: Manifest, writable: bool = False) -> Loaded:
    """Open every file of the live data folder, or IndexProblem naming the damaged one."""
    folder = data_folder(index, manifest)
    fix = rebuild(index)
    try:
        corpus = Corpus(folder / "corpus.sqlite", readonly=True)
        layout = corpus.layout()
    except Exception as exc:  # sqlite3.DatabaseError and friends: a damaged file
        raise IndexProblem(f"{folder / 'corpus.sqlite'} cannot be read ({exc}); {fix}") from None
    try:
        vectors = VectorIndex.load(folder / "vectors.faiss", manifest.index_kind, writable=writable)
    except Exception:  # FAISS raises RuntimeError with C++ internals in the text
        raise IndexProblem(f"{folder / 'vectors.faiss'} is truncated or not a FAISS index; {fix}") from None
    try:
        lexical = Lexical.load(folder / "lexical")
    except IndexProblem:
        raise
    except Exception as exc:
        raise IndexProblem(f"{folder / 'lexical'} cannot be read ({type(exc).__name__}); {fix}") from None
    n = len(layout.ids)
    if vectors.dim != manifest.dimension:
        raise IndexProblem(
            f"{folder / 'vectors.faiss'} holds {vectors.dim}-dimensional vectors but the manifest says "
            f"{manifest.dimension}; {fix}"
        )
    if vectors.size != n or manifest.sentences != n:
        raise IndexProblem(
            f"{folder / 'vectors.faiss'} holds {vectors.size} vectors for {n} sentences in corpus.sqlite "
            f"(manifest: {manifest.sentences}); {fix}"
        )
    if (
        len(lexical.rows) != n
        or not np.array_equal(lexical.rows, layout.ids)
        or not np.array_equal(lexical.paragraph, layout.paragraph_numbers())
    ):
        raise IndexProblem(f"{folder / 'lexical'} is out of step with corpus.sqlite; {fix}")
    return Loaded(folder, corpus, layout, vectors, lexical)


def documents(index: str | Path = "index") -> list[DocumentInfo]:
    """The documents of an index (id, title, date, link, sentences), read from its corpus alone
    (no vectors, no BM25); IndexProblem if there is none or it cannot be read."""
    index = Path(index)
    folder = data_folder(index, read_manifest(index))
    try:
        corpus = Corpus(folder / "corpus.sqlite", readonly=True)
        try:
            return corpus.documents()
        finally:
            corpus.close()
    except Exception as exc:  # sqlite3.DatabaseError and friends: a damaged file
        raise IndexProblem(f"{folder / 'corpus.sqlite'} cannot be read ({exc}); {rebuild(index)}") from None


def data_folder(index: Path, manifest: Manifest) -> Path:
    folder = index / manifest.data
    if not manifest.data.startswith("data-") or not folder.is_dir():
        raise IndexProblem(
            f"{index / MANIFEST} names data folder {manifest.data!r}, which is missing; {rebuild(index)}"
        )
    return folder


def refuse_a_file(index: Path) -> None:
    """IndexNotWritable if a file stands where the index folder should be: said before anything
    is copied or built."""
    if Path(index).is_file():
        raise IndexNotWritable(f"{index} is a file, not a folder: pass another --index")


# What qa writes in an index folder: anything else there is not qa's to write beside or delete.
_DATA_NAME = re.compile(r"^data-\d{8}T\d{6}-[0-9a-f]{12}$")
_TMP_NAME = re.compile(r"^\.tmp-[0-9a-f]{12}$")


def refuse_foreign(index: Path) -> None:
    """IndexNotWritable if the folder holds what qa did not write there: `--index .` in a project
    folder deleted its "data-articles" folder (the documents being indexed) as an old data
    folder, and overwrote its manifest.json. Hidden files are let be ("~/.DS_Store")."""
    if not index.is_dir():
        return
    own = {MANIFEST, LOCK, "Thumbs.db", "desktop.ini", "Icon\r"}  # and what file managers leave
    others = sorted(
        name
        for name in os.listdir(index)
        if name not in own and not name.startswith(".") and not _DATA_NAME.match(name)
    )
    manifest = index / MANIFEST
    if others and not manifest.exists():
        raise IndexNotWritable(
            f"{index} holds files qa did not write ({first_few(others, 3)}): qa keeps an index in a "
            "folder of its own, and deletes old data folders there; pass an empty or new folder as the index"
        )
    if manifest.exists() and not _looks_like_ours(manifest):
        raise IndexNotWritable(f"{manifest} is not an index manifest of qa's: pass an empty or new folder as the index")


def _looks_like_ours(manifest: Path) -> bool:
    """Whether a manifest.json is qa's, if damaged (rebuilt then): JSON other than an object
    with qa's "format" and "data" is someone else's."""
    try:
        raw = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return True  # damaged: qa's own, which `qa index --full` rebuilds
    return isinstance(raw, dict) and {"format", "data"} <= set(raw)


@contextmanager
def locked(index: Path) -> Iterator[None]:
    """One writer at a time per index folder (a second build waits for the first), in a folder
    that holds nothing qa did not write (`refuse_foreign`)."""
    refuse_a_file(index)
    refuse_foreign(index)
    try:
        index.mkdir(parents=True, exist_ok=True)
        handle = open(index / LOCK, "w")  # noqa: SIM115 (closed below, after the unlock)
    except FileExistsError:  # a file higher up the path
        raise IndexNotWritable(f"{index} is under a file, not a folder: pass another --index") from None
    except OSError as exc:
        raise not_writable(index, exc) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_data_folder(index: Path) -> Path:
    """A fresh temporary folder to write a build into; call `commit` when it is complete."""
    folder = index / f".tmp-{uuid.uuid4().hex[:12]}"
    try:
        index.mkdir(parents=True, exist_ok=True)
        folder.mkdir()
    except OSError as exc:  # a folder made read-only, or a full disk: the index as it is still answers
        raise not_writable(index, exc) from None
    return folder


def not_writable(index: Path, exc: OSError) -> IndexNotWritable:
    return IndexNotWritable(
        f"cannot write the index folder {index} ({exc.strerror or exc}): make it writable, or pass another --index"
    )


def commit(index: Path, staging: Path, manifest: Manifest) -> Manifest:
    """Make staging the live data folder: rename it, then switch the manifest in one rename."""
    name = f"data-{time.strftime('%Y%m%dT%H%M%S')}-{staging.name[-12:]}"
    live = staging.rename(index / name)
    manifest = write_manifest(index, Manifest(**{**asdict(manifest), "data": name}))
    _remove_stale(index, keep=live.name)
    return manifest


def write_manifest(index: Path, manifest: Manifest) -> Manifest:
    """Switch the index to this manifest in one rename."""
    tmp = index / f".{MANIFEST}.{uuid.uuid4().hex[:8]}"
    try:
        tmp.write_text(manifest.to_json(), encoding="utf-8")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, index / MANIFEST)
    except OSError as exc:  # a seeds file touched beside an index that cannot be written
        tmp.unlink(missing_ok=True)
        raise not_writable(index, exc) from None
    return manifest


def _remove_stale(index: Path, keep: str) -> None:
    """Delete old data folders and leftovers of killed builds (readers keep open files alive)."""
    for entry in index.iterdir():
        if entry.name == keep or not entry.is_dir():
            continue
        if _DATA_NAME.match(entry.name) or _TMP_NAME.match(entry.name):
            shutil.rmtree(entry, ignore_errors=True)
    for entry in index.glob(f".{MANIFEST}.*"):
        entry.unlink(missing_ok=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def moved_seeds(index: Path, manifest: Manifest) -> Path | None:
    """The seeds folder beside the index when the one it was built from is gone and this one
    holds most of the documents indexed, and mostly them: the project moved or was renamed, its
    index and seeds together (an unrelated ./seeds, or a drive not mounted, is no reason to
    rebuild)."""
    if Path(manifest.seeds).is_dir():
        return None
    beside = (index / ".." / "seeds").resolve()
    if not beside.is_dir():
        return None
    there = sum((beside / doc_id).is_file() for doc_id in manifest.document_hashes)
    # And most of its files are the index's: one document indexed from a renamed folder, found
    # among ten others in ./seeds, re-pointed the index at another collection.
    files = sum(1 for _ in seed_files(beside))  # the files a build would read: not a page's pictures
    return beside if there * 2 > len(manifest.document_hashes) and there * 2 >= files else None

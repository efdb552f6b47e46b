"""The seeds folder → `Document`s: which files, in what order, and which were skipped.

Each file is read by the reader for its suffix (see formats/). Unreadable files (binary, text
in no encoding charset-normalizer can tell, empty) are skipped and reported by name; the rest
are indexed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import SeedsError, first_few
from .formats import READERS, Unreadable, read, supported_suffixes
from .records import Document

log = logging.getLogger("qa")

# Word processors' and e-book files: documents a user means to be read, unlike a spreadsheet.
OTHER_DOCUMENTS = frozenset({".doc", ".odt", ".rtf", ".pages", ".epub", ".wpd"})


@dataclass(frozen=True)
class Skipped:
    """A file that was not indexed, and why."""

    path: str
    reason: str


def seed_files(seeds: Path) -> Iterator[Path]:
    """Every readable-looking file under seeds, recursively, sorted, skipping hidden ones."""
    _check_folder(seeds)
    return (path for path in _visible_files(seeds) if path.suffix.lower() in READERS)


def left_out_documents(seeds: Path) -> Iterator[Path]:
    """The word processors' and e-books' files under seeds, which qa does not read and warns
    about at every build."""
    _check_folder(seeds)
    return (path for path in _visible_files(seeds) if path.suffix.lower() in OTHER_DOCUMENTS)


def _check_folder(seeds: Path) -> None:
    if not seeds.exists():
        kinds = ", ".join(supported_suffixes())
        raise SeedsError(f"seeds folder {seeds} does not exist: create it and put documents ({kinds}) in it")
    if not seeds.is_dir():
        raise SeedsError(f"seeds path {seeds} is not a folder")


def _visible_files(seeds: Path) -> Iterator[Path]:
    """Every file but hidden ones, and a word processor's lock file ("~$report.docx")."""
    for path in sorted(seeds.rglob("*")):
        parts = path.relative_to(seeds).parts
        if path.is_file() and not any(part.startswith(".") for part in parts) and not path.name.startswith("~$"):
            yield path


def doc_id_for(seeds: Path, path: Path) -> str:
    return path.relative_to(seeds).as_posix()


def read_file(seeds: Path, path: Path) -> Document:
    """One seed file as a Document; raises Unreadable with the reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot be read ({exc.strerror})") from None
    return read(data, doc_id_for(seeds, path))


def _modified(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@dataclass(frozen=True)
class Unread:
    """A seed file not read again: the index read it, and its size, times and inode are as they
    were then. It needs no reading unless it is to be embedded again."""

    doc_id: str
    content_hash: str


def read_documents(
    seeds: Path, unchanged: Mapping[str, str] | None = None
) -> tuple[list[Document | Unread], list[Skipped]]:
    """All documents under seeds, and the files skipped (each also logged as one warning).

    unchanged: the content hash of each file known to be as the index read it (`settled`),
    by id; those files are not read but listed as `Unread`.
    """
    unchanged = unchanged or {}
    documents: list[Document | Unread] = []
    skipped: list[Skipped] = []
    _check_folder(seeds)
    files = list(_visible_files(seeds))
    read: list[tuple[Document | Unread, tuple[int, int, str]]] = []  # each with (modified, id length, id)
    for path in (p for p in files if p.suffix.lower() in READERS):
        doc_id = doc_id_for(seeds, path)
        try:
            document = Unread(doc_id, unchanged[doc_id]) if doc_id in unchanged else read_file(seeds, path)
        except Unreadable as exc:
            skip = Skipped(doc_id, str(exc))
            log.warning(
                "skipped %s: %s; it stays out of the index until it is fixed or deleted", skip.path, skip.reason
            )
            skipped.append(skip)
            continue
        read.append((document, (_modified(path), len(doc_id), doc_id)))
    # A copy would answer every question twice. Of identical files the oldest is indexed, then
    # the shortest name: in name order "council-copy.txt" came first, and the original was not.
    original: dict[str, tuple[int, int, str]] = {}
    for document, rank in read:
        original[document.content_hash] = min(original.get(document.content_hash, rank), rank)
    for document, _ in read:
        twin = original[document.content_hash][2]
        if twin == document.doc_id:
            documents.append(document)
        else:
            skipped.append(Skipped(document.doc_id, f"the same file as {twin}"))
            log.warning("skipped %s: the same file as %s, which is indexed", document.doc_id, twin)
    others = [doc_id_for(seeds, p) for p in files if p.suffix.lower() not in READERS]
    # Said, not skipped: a folder may hold other files on purpose (a spreadsheet, pictures),
    # but an .odt left out without a word looks like a document qa lost: a warning says how to
    # have it read.
    documents_like = [name for name in others if Path(name).suffix.lower() in OTHER_DOCUMENTS]
    if documents_like:
        log.warning(
            "left out %s: qa does not read %s files; save %s as .docx, .pdf, .html or .txt to have %s read",
            first_few(documents_like, 3),
            "/".join(sorted({Path(name).suffix.lower() for name in documents_like})),
            "it" if len(documents_like) == 1 else "them",
            "it" if len(documents_like) == 1 else "them",
        )
    rest = [name for name in others if name not in documents_like]
    if rest:
        kinds = ", ".join(sorted({Path(name).suffix.lower() or "no suffix" for name in rest}))
        log.info(
            "left out %s of a type qa does not read (%s): %s; it reads %s",
            f"{len(rest)} file{'s' if len(rest) != 1 else ''}",
            kinds,
            first_few(rest, 3),
            ", ".join(supported_suffixes()),
        )
    return documents, skipped


def file_stats(seeds: Path) -> dict[str, str]:
    """Each seed file's size, modification time, inode and change time, by id
    ("1234:1700000000123456789:5678:1700000000123456789"): two files of one size and time
    swapped by name differ in their inodes (as git compares them too)."""
    stats = {}
    for path in seed_files(seeds):
        try:
            stat = path.stat()
        except OSError:  # gone since listed, or a broken link: read_documents says which
            continue
        stats[doc_id_for(seeds, path)] = f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}:{stat.st_ctime_ns}"
    return stats


# A file modified this recently may change again within the same tick of the file system's
# clock, keeping its size and time: its stats are not trusted to say it is unchanged (as git
# does with racily clean files).
SETTLE_NS = 2_000_000_000


def settled(stats: Mapping[str, str], taken: int) -> dict[str, str]:
    """The stats of the files last modified and changed long enough before they were taken
    (`taken`, time.time_ns() before file_stats) to be trusted next time."""
    return {doc_id: stat for doc_id, stat in stats.items() if taken - _last_change(stat) > SETTLE_NS}


def _last_change(stat: str) -> int:
    _, modified, _, changed = stat.split(":")
    return max(int(modified), int(changed))


def fingerprint(seeds: Path, stats: Mapping[str, str] | None = None) -> str:
    """A cheap hash of names, sizes and modification times, to notice changed seeds."""
    try:
        stats = file_stats(seeds) if stats is None else stats
    except SeedsError:
        return ""
    h = hashlib.sha256()
    # Sizes and modification times only, which a copied folder keeps: with its inodes and change
    # times, a copy looked changed and was rebuilt on its first question, and a network folder
    # whose inodes are not stable would look changed at every check. A build compares them all.
    for doc_id, stat in stats.items():
        size, modified = stat.split(":")[:2]
        h.update(f"{doc_id}\0{size}\0{modified}\n".encode())
    return h.hexdigest()

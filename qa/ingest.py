"""Files in the seeds folder → `Document`s, with format detection and metadata.

A `.txt` file whose first three lines are a title, a YYYYMMDD date and a URL is a news
document; any other `.txt` or `.md` file is plain text titled by its first heading or its
file name. Unreadable files (binary, not UTF-8, empty) are skipped and reported by name.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import SeedsError
from .records import Block, Document

log = logging.getLogger("qa")

_DATE_LINE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_URL_LINE = re.compile(r"^\s*https?://\S+\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Skipped:
    """A file that was not indexed, and why."""

    path: str
    reason: str


class Unreadable(Exception):
    """Raised by a reader for a file that cannot be indexed; the message is the reason."""


Reader = Callable[[bytes, str], Document]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes) -> str:
    """UTF-8 text of a file, or `Unreadable` saying why not."""
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not valid UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise Unreadable("empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def line_blocks(text: str) -> tuple[Block, ...]:
    """One block per non-blank line, as the news format stores one paragraph per line."""
    return tuple(Block(line) for line in text.split("\n") if line.strip())


def paragraph_blocks(text: str) -> tuple[Block, ...]:
    """Blocks separated by blank lines; a block keeps its inner line breaks verbatim."""
    return tuple(Block(part.strip("\n")) for part in _BLANK_LINES.split(text) if part.strip())


def news_header(text: str) -> tuple[str, str, str, str] | None:
    """(title, iso date, url, body) when the text starts with the news header, else None."""
    lines = text.split("\n", 3)
    if len(lines) < 3:
        return None
    title, day, url = lines[0].strip(), lines[1], lines[2].strip()
    match = _DATE_LINE.match(day)
    if not title or not match or not _URL_LINE.match(url):
        return None
    try:
        iso = date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None
    return title, iso, url, lines[3] if len(lines) > 3 else ""


def read_txt(data: bytes, doc_id: str) -> Document:
    text = decode_text(data)
    header = news_header(text)
    if header:
        title, iso, url, body = header
        blocks = line_blocks(body)
        if not blocks:
            raise Unreadable("news header but no paragraphs")
        return Document(doc_id, title, iso, url, "news", blocks, content_hash(data))
    return Document(doc_id, _stem_title(doc_id), None, None, "text", paragraph_blocks(text), content_hash(data))


def read_markdown(data: bytes, doc_id: str) -> Document:
    """Markdown split at blank lines and headings; each heading names the blocks under it."""
    text = decode_text(data)
    title = None
    section = None
    blocks: list[Block] = []
    for part in _BLANK_LINES.split(text):
        lines: list[str] = []
        for line in part.strip("\n").split("\n"):
            heading = _MD_HEADING.match(line)
            if heading:
                if lines:
                    blocks.append(Block("\n".join(lines), section=section))
                    lines = []
                section = heading.group(2) or section
                title = title or heading.group(2)
            elif line.strip():
                lines.append(line)
        if lines:
            blocks.append(Block("\n".join(lines), section=section))
    if not blocks:
        raise Unreadable("no text outside headings")
    return Document(doc_id, title or _stem_title(doc_id), None, None, "markdown", tuple(blocks), content_hash(data))


READERS: dict[str, Reader] = {".txt": read_txt, ".md": read_markdown, ".markdown": read_markdown}


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(READERS))


def _stem_title(doc_id: str) -> str:
    stem = Path(doc_id).stem
    return re.sub(r"[_-]+", " ", stem).strip() or stem


def seed_files(seeds: Path) -> Iterator[Path]:
    """Every readable-looking file under seeds, recursively, sorted, skipping hidden ones."""
    if not seeds.exists():
        raise SeedsError(f"seeds folder {seeds} does not exist: create it and put .txt or .md documents in it")
    if not seeds.is_dir():
        raise SeedsError(f"seeds path {seeds} is not a folder")
    for path in sorted(seeds.rglob("*")):
        rel = path.relative_to(seeds)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in READERS:
            yield path


def doc_id_for(seeds: Path, path: Path) -> str:
    return path.relative_to(seeds).as_posix()


def read_file(seeds: Path, path: Path) -> Document:
    """One seed file as a Document; raises Unreadable with the reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot be read ({exc.strerror})") from None
    return READERS[path.suffix.lower()](data, doc_id_for(seeds, path))


def read_documents(seeds: Path) -> tuple[list[Document], list[Skipped]]:
    """All documents under seeds, and the files skipped (each also logged as one warning)."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for path in seed_files(seeds):
        try:
            documents.append(read_file(seeds, path))
        except Unreadable as exc:
            skip = Skipped(doc_id_for(seeds, path), str(exc))
            log.warning("skipped %s: %s", skip.path, skip.reason)
            skipped.append(skip)
    return documents, skipped


def fingerprint(seeds: Path) -> str:
    """A cheap hash of names, sizes and modification times, to notice changed seeds."""
    h = hashlib.sha256()
    try:
        for path in seed_files(seeds):
            stat = path.stat()
            h.update(f"{doc_id_for(seeds, path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    except SeedsError:
        return ""
    return h.hexdigest()

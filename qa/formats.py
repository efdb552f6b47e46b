"""Readers: the bytes of one file → a `Document` with its title, date, URL and blocks.

One reader per file type, chosen by suffix (`READERS`). A reader raises `Unreadable` with a
short reason for a file that cannot be indexed (binary, not UTF-8, empty).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .records import Block, Document

_DATE_LINE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_URL_LINE = re.compile(r"^\s*https?://\S+\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


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

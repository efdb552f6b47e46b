"""Plain text and the news format (title, YYYYMMDD date and URL on the first three lines)."""

from __future__ import annotations

import re
from datetime import date

from ..records import Block, Document
from .common import URL_LINE, Unreadable, content_hash, decode_text, stem_title

_DATE_LINE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


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
    if not title or not match or not URL_LINE.match(url):
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
    return Document(doc_id, stem_title(doc_id), None, None, "text", paragraph_blocks(text), content_hash(data))

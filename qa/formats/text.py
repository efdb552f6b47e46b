"""Plain text and the news format (title, date and URL on the first three lines)."""

from __future__ import annotations

import re
from datetime import date

from ..records import Block, Document
from .common import URL_LINE, Unreadable, content_hash, decode_text, stem_title

_DATE_LINE = re.compile(r"^\s*(\d{4})([-/]?)(\d{2})\2(\d{2})\s*$")  # 20220127, 2022-01-27, 2022/01/27
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
HEADLINE_CHARS = 200


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
    year, _, month, day_of_month = match.groups()
    try:
        iso = date(int(year), int(month), int(day_of_month)).isoformat()
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
    title, blocks = plain_text(text)
    return Document(doc_id, title or stem_title(doc_id), None, None, "text", blocks, content_hash(data))


def plain_text(text: str) -> tuple[str | None, tuple[Block, ...]]:
    """(headline or None, paragraphs) of a plain text.

    Paragraphs are separated by blank lines, and a paragraph's line breaks are kept (text
    wrapped by hand). A text with no blank line was saved with one paragraph per line when,
    after its first line, there are two lines or more, most of them (80%) end as sentences do,
    and none starts in lower case (a wrapped line's continuation does). A short first line
    that does not end as a sentence, is not a link or a date, and has more text after it is
    the headline: a title, not a sentence to quote.
    """
    blocks = paragraph_blocks(text)
    if len(blocks) == 1:
        body = [line for line in blocks[0].text.split("\n") if line.strip()][1:]
        ended = sum(bool(_ENDS_SENTENCE.search(line)) for line in body)
        if len(body) >= 2 and ended >= 0.8 * len(body) and not any(line.lstrip()[:1].islower() for line in body):
            blocks = line_blocks(text)
    first = blocks[0].text.strip() if blocks else ""
    if (
        len(blocks) > 1
        and "\n" not in first
        and len(first) <= HEADLINE_CHARS
        and not _ENDS_SENTENCE.search(first)
        and not URL_LINE.match(first)
        and not _DATE_LINE.match(first)
    ):
        return first, blocks[1:]
    return None, blocks

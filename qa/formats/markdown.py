"""Markdown (markdown-it-py): paragraphs and list items as blocks, headings (and lines all in
bold that read as headings) as sections, front matter for title, date and URL; every block an
exact slice of the file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..records import Block, Document
from .common import Unreadable, content_hash, decode_text, http_url, plain_value, stem_title, written_day
from .lines import opening_date

_MARKDOWN = MarkdownIt("commonmark").enable("table")
BOLD_HEADING_WORDS = 20  # a question in bold ("**Can I keep using my kettle…?**")
BOLD_LABEL_WORDS = 7  # a bold line of more words is a heading only if it asks or introduces
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:(\s|$)")


def front_matter(text: str) -> tuple[dict[str, Any], int]:
    """(keys, line count) of a YAML front-matter block: from a "---" on the first line to the
    next "---" or "...", holding a mapping (or at least starting like one: "title: ...")."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            try:  # BaseLoader: every value stays a string ("2024-13-45" too); nothing is constructed
                keys = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader)
            except (yaml.YAMLError, RecursionError):
                keys = None
            if isinstance(keys, dict):
                return keys, end + 1
            first = next((line for line in lines[1:end] if line.strip()), "")
            return ({}, end + 1) if _YAML_KEY.match(first) or not first else ({}, 0)
    return {}, 0


def read_markdown(data: bytes, doc_id: str) -> Document:
    """A block per paragraph, list item or table row, each the exact source text; each heading
    names the blocks under it. Code and HTML blocks are skipped; front matter gives metadata, and
    the date may be the one the opening states."""
    text = decode_text(data)
    keys, skip = front_matter(text)
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    # Front matter is blanked, not cut, so token line numbers stay those of the file.
    tokens = _MARKDOWN.parse("\n" * skip + "\n".join(lines[skip:]))
    title = plain_value(keys.get("title"))
    parts: list[_Part] = []
    for token, after in pairwise(tokens):
        if token.type == "heading_open":
            heading = _inline_text(after)
            title = title or heading
            parts.append(_Part(heading=heading or None))
        elif token.map and (token.type == "tr_open" or (token.type == "paragraph_open" and _inline_text(after))):
            first, last = token.map[0], token.map[1] - 1
            whole = _slice(text, lines, starts, first, last, after.content.split("\n")[0])
            # A bold line opening a paragraph of the text itself (not of a list or a quote).
            bold = _bold_line(after) if token.type == "paragraph_open" and token.level == 0 else None
            if bold is None:
                parts.append(_Part(block=whole))
                continue
            rest = [line for line in after.content.split("\n")[1:] if line.strip()]
            below = next((i for i in range(first + 1, last + 1) if lines[i].strip()), None)
            under = _slice(text, lines, starts, below, last, rest[0]) if rest and below is not None else None
            if _reads_as_heading(bold):
                parts.append(_Part(heading=bold, block=under, bold=whole))
            else:  # a bold statement is a sentence of its own, not the start of the one under it
                line = _slice(text, lines, starts, first, first, after.content.split("\n")[0])
                parts.extend(_Part(block=b) for b in (line, under) if b)
    blocks: list[Block] = []
    section = None
    for part, following in zip(parts, [*parts[1:], None]):
        # A bold line names what follows it: the rest of its paragraph, or the next paragraph;
        # one with nothing under it (another heading next, or the end) stays text.
        names_text = following is not None and following.heading is None and following.block is not None
        if part.bold is not None and part.block is None and not names_text:
            blocks.append(Block(part.bold, section=section))
            continue
        if part.heading is not None:
            section = part.heading
        if part.block is not None:
            blocks.append(Block(part.block, section=section))
    if not blocks:
        raise Unreadable("no text outside headings and code")
    # Without a date in its front matter, the one its opening states ("Published 11 March 2024").
    opening = [text for part in parts for text in (part.heading, part.bold, part.block) if text]
    return Document(
        doc_id,
        title or stem_title(doc_id),
        written_day(keys.get("date")) or opening_date(opening),
        http_url(keys.get("url")),
        "markdown",
        tuple(blocks),
        content_hash(data),
    )


@dataclass(frozen=True)
class _Part:
    """A heading, a block of text, or both: a bold line (its paragraph's source in `bold`) and
    the rest of its paragraph under it."""

    heading: str | None = None
    block: str | None = None
    bold: str | None = None


def _slice(text: str, lines: list[str], starts: list[int], first: int, last: int, content: str) -> str | None:
    """The source of lines first..last, from where `content` (their first line's text) starts."""
    while last > first and not lines[last].strip():  # a line of only a no-break space or a form feed
        last -= 1
    start = starts[first] + _content_offset(lines[first], content)
    end = starts[last] + len(lines[last].rstrip())
    return text[start:end].strip() or None if end > start else None


def _inline_text(token: Token) -> str:
    """The words of an inline token (a heading or paragraph) without markup or images."""
    if token.type != "inline":
        return ""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _bold_line(token: Token) -> str | None:
    """The words of a paragraph's first line when that line is all bold."""
    children = [c for c in token.children or () if not (c.type == "text" and not c.content)]
    if len(children) < 3 or children[0].type != "strong_open" or children[2].type != "strong_close":
        return None
    if len(children) > 3 and children[3].type not in ("softbreak", "hardbreak"):
        return None
    text = " ".join(children[1].content.split()) if children[1].type == "text" else ""
    return text or None


def _reads_as_heading(bold: str) -> bool:
    """A bold line that does not end as a statement does is a heading written in bold ("**How
    long will it take?**"), which names what follows and is no sentence to quote; a long one
    that neither asks nor introduces says something ("**Warning: the footbridge is closed
    until 3 May**")."""
    words = len(bold.split())
    if bold.endswith((".", "!")) or words > BOLD_HEADING_WORDS:
        return False
    return words <= BOLD_LABEL_WORDS or bold.endswith(("?", ":"))


def _content_offset(line: str, content: str) -> int:
    """Where a block's content starts in its first source line, after list or quote markers."""
    line, content = line.rstrip(), content.rstrip()
    if content and line.endswith(content):
        return len(line) - len(content)
    return len(line) - len(line.lstrip())

"""Markdown (markdown-it-py): paragraphs, list items and table rows as blocks, in the words of
the rendered page, headings (and lines all in bold that read as headings) as sections, front
matter for title, date and URL."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..records import Block, Document
from .common import (
    Headings,
    Unreadable,
    content_hash,
    decode_text,
    http_url,
    iso_day,
    labels_only,
    plain_value,
    row_text,
    section_under,
    stem_title,
    written_day,
)
from .lines import opening_date

_MARKDOWN = MarkdownIt("commonmark").enable("table")
BOLD_LEVEL = 7
BOLD_HEADING_WORDS = 20  # a question in bold ("**Can I keep using my kettle…?**")
BOLD_LABEL_WORDS = 7  # a bold line of more words is a heading only if it asks or introduces
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:(\s|$)")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SOFT = "\x1e"  # a soft line break, until its paragraph is known to be a record of fields
_LABEL = re.compile(r"^[A-Z][\w ./()&-]{0,30}:$")  # "Date:", "Notes taken by:"
RUN_IN_WORDS = 4  # "**Use of AI tools.**"
PARENT_ITEM_CHARS = 120  # longer, a list item says more than what its nested items are about
_DAY_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ _.-]|$)")  # a daily note's file: "2025-03-12.md"
# Notes' own marks (Obsidian, Logseq, GitHub): a wiki link "[[Note#Heading|shown words]]" reads as
# its shown words or its note's name, an embedded note or picture "![[…]]" as nothing, a task's
# box "[ ]" / "[x]" and a footnote's mark "[^1]" as nothing.
_EMBED = re.compile(r"!\[\[[^\[\]\n]*\]\]")
_WIKI_LINK = re.compile(r"\[\[([^\[\]|#\n]*)(?:#[^\[\]|\n]*)?(?:\|([^\[\]\n]*))?\]\]")
_TASK_BOX = re.compile(r"^\[[ xX]\]\s+", re.MULTILINE)
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]:?")
# What a line that only points to other notes holds besides its links.
_POINTER_WORDS = re.compile(r"(?i)[\W_]*(?:(?:see|also|cf|and|or|more|in|on)\b[\W_]*)*")
# Words that make a bold run a statement or an answer, not a heading.
_NOT_HEADINGS = frozenset(
    "is are was were be been will would can could must may should has have had do does did not yes no".split()
)


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
    """A block per paragraph, list item or table row, in the words a reader of the rendered
    page sees (emphasis marks, link targets and images dropped); each heading names the blocks
    under it, and the header row of a table its rows. Code and HTML blocks are skipped; front
    matter gives metadata, and the date may be the one the opening states."""
    text = decode_text(data)
    keys, skip = front_matter(text)
    tokens = _MARKDOWN.parse("\n".join(text.split("\n")[skip:]))
    title = plain_value(keys.get("title"))
    parts: list[_Part] = []
    header: str | None = None  # of the table being read
    items: list[str | None] = []  # the first line of each list item open, outermost first
    for i, token in enumerate(tokens[:-1]):
        after = tokens[i + 1]
        said = _inline_text(after) if token.type == "paragraph_open" else ""
        if token.type == "table_open":
            header = None
        if token.type == "list_item_open":
            items.append(None)
        elif token.type == "list_item_close" and items:
            items.pop()
        elif said and items and items[-1] is None and tokens[i - 1].type == "list_item_open":
            items[-1] = said
        if token.type == "heading_open":
            heading = _inline_text(after)
            title = title or heading
            parts.append(_Part(heading=heading or None, level=int(token.tag[1:])))
        elif token.type == "tr_open":
            end = i
            while end < len(tokens) and tokens[end].type != "tr_close":
                end += 1
            cells = [_inline_text(cell) for cell in tokens[i:end] if cell.type == "inline"]
            # The header row says what the cells under it are: it names the rows, and is no
            # sentence ("Action | Owner | Status" was quoted), unless no row is under it or it
            # holds a figure ("Sølvberg IL (4-3-3) | Fjordvik BK (4-4-2)").
            heads = after.type == "th_open"
            if any(cells) and not (heads and _rows_after(tokens, end) and labels_only(cells)):
                parts.append(_Part(block=row_text(cells), row=True, header=header))
            if heads:
                header = " | ".join(cell for cell in cells if cell) or None
        elif said:
            children = [c for c in after.children or () if not (c.type == "text" and not c.content)]
            if _only_links(children):
                continue
            # A bold line opening a paragraph of the text itself (not of a list or a quote).
            bold = _bold_line(children) if token.level == 0 else None
            if bold is None:
                # A nested item is under the item it hangs from, as under a heading ("he wants
                # more on the forage gap" under "09:30 call with Tom Breck").
                under = _parent_item(items)
                run_in = _run_in_heading(children) or under
                parts.extend(_Part(block=b, header=run_in) for b in _lines(_text(children)))
                continue
            under = _lines(_text(children[4:]))
            if _reads_as_heading(bold):
                parts.append(_Part(heading=bold, block=under[0] if under else None, bold=bold))
                parts.extend(_Part(block=b) for b in under[1:])
            else:  # a bold statement is a sentence of its own, not the start of the one under it
                parts.extend(_Part(block=b) for b in [bold, *under])
    blocks: list[Block] = []
    section = None
    headings = Headings()
    for part, following in zip(parts, [*parts[1:], None]):
        # A bold line names what follows it: the rest of its paragraph, or the next paragraph;
        # one with nothing under it (another heading next, or the end) stays text.
        names_text = following is not None and following.heading is None and following.block is not None
        if part.bold is not None and part.block is None and not names_text:
            blocks.append(Block(part.bold, section=section))
            continue
        if part.heading is not None:
            section = headings.enter(part.level, part.heading)
        if part.block is not None:
            blocks.append(Block(part.block, section=section_under(section, part.header)))
    if not blocks:
        raise Unreadable("no text outside headings, code and lines of links")
    # Without a date in its front matter, the one its opening states ("Published 11 March 2024").
    opening = [text for part in parts if not part.row for text in (part.heading, part.block) if text]
    return Document(
        doc_id,
        title or stem_title(doc_id),
        written_day(keys.get("date")) or opening_date(opening) or _named_day(doc_id),
        http_url(keys.get("url")),
        "markdown",
        tuple(blocks),
        content_hash(data),
    )


def _parent_item(items: list[str | None]) -> str | None:
    """The first line of the list item the innermost one hangs from, if short enough to name it."""
    parent = (items[-2] or "").rstrip(":").rstrip() if len(items) > 1 else None  # "The gauge is missing:"
    return parent if parent and len(parent) <= PARENT_ITEM_CHARS else None


def _named_day(doc_id: str) -> str | None:
    """The day a note's file is named for: a daily note, "2025-03-12.md" or "2025-03-12 call.md"."""
    named = _DAY_NAME.match(PurePosixPath(doc_id).name)
    return iso_day(named.group(1)) if named else None


def _rows_after(tokens: Sequence[Token], at: int) -> bool:
    """Whether the table going on at token `at` has a row of cells after it."""
    for token in tokens[at:]:
        if token.type == "table_close":
            return False
        if token.type == "td_open":
            return True
    return False


@dataclass(frozen=True)
class _Part:
    """A heading, a block of text, or both: a bold line read as a heading (`bold`: its words,
    text after all when nothing is under it) and the rest of its paragraph under it."""

    heading: str | None = None
    block: str | None = None
    bold: str | None = None
    row: bool = False  # a table's: its dates are what the table lists, not the document's
    header: str | None = None  # what it alone is under: its table's header row, its run-in heading
    level: int = BOLD_LEVEL  # a heading's: 1 to 6 for "#" to "######", a bold line's below them all


def _inline_text(token: Token) -> str:
    """The words of an inline token (a heading, a paragraph, a table cell), on one line."""
    return " ".join((_text(token.children or ()) or "").split()) if token.type == "inline" else ""


def _text(children: Sequence[Token]) -> str | None:
    """The text of inline tokens as a reader sees it: the words of emphasis and links without
    their marks and targets, inline code without its quotes, no images and no HTML tags (a
    <br> is a space); a soft line break is a space, a hard one stays a line break (`_lines`),
    and so do soft ones in a record of fields, lines that open with a bold label ("**Date:**
    …⏎**Chair:** …": not a sentence wrapped), a line going on in lower case apart."""
    parts = []
    labels, starts = 0, True  # bold labels opening lines; at a line's start
    fields = True
    for i, child in enumerate(children):
        if child.type == "text" and not child.content:
            continue
        if starts and child.type == "text" and child.content[:1].islower():
            starts = False  # a value going on from the line before
        elif starts:
            label = _bold_label(children, i)
            labels += label
            fields = fields and label
            starts = False
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(_SOFT)
            starts = True
        elif child.type == "html_inline" and _BREAK.match(child.content):
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    soft = _notes_marks_read("".join(parts)).split(_SOFT)
    text = "\n".join(soft) if fields and labels >= 2 else " ".join(soft)
    kept = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in kept if line) or None


def inline_text(text: str) -> str:
    """One line of Markdown source as a reader of the rendered page sees it, as blocks give
    it: "**Go-live** is `14 March`" → "Go-live is 14 March"."""
    tokens = _MARKDOWN.parseInline(text)
    return " ".join((_text(tokens[0].children or ()) or "").split()) if tokens else text


def _notes_marks_read(text: str) -> str:
    text = _WIKI_LINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), _EMBED.sub("", text))
    return _FOOTNOTE_MARK.sub("", _TASK_BOX.sub("", text))


def _only_links(children: Sequence[Token]) -> bool:
    """Whether inline tokens hold nothing but links ("- [[Interview - Ray Ollerton|Ray]]",
    "see [[Ch3 - The Prelates' War]]", "[Minutes](minutes.md)"): a pointer to other notes,
    which says nothing itself. Quoted, it came first (0.87) for what the note it points to says;
    the date in a linked note's name dated the note linking to it."""
    depth, words = 0, []
    for child in children:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "text" and not depth:
            words.append(child.content)
        elif child.type not in ("softbreak", "hardbreak") and not depth:
            return False
    rest = _WIKI_LINK.sub(" ", _EMBED.sub(" ", "".join(words)))
    linked = any(c.type == "link_open" for c in children) or rest != "".join(words)
    return linked and _POINTER_WORDS.fullmatch(rest) is not None


def _bold_at(children: Sequence[Token], i: int) -> str | None:
    """The words of a run of plain bold text opening at inline token i ("**Date:**"), if one does."""
    window = children[i : i + 3]
    if len(window) < 3 or [t.type for t in window] != ["strong_open", "text", "strong_close"]:
        return None
    return " ".join(window[1].content.split()) or None


def _bold_label(children: Sequence[Token], i: int) -> bool:
    """Whether the inline tokens from i open with a label in bold: "**Date:**", "**Notes taken by:**"."""
    bold = _bold_at(children, i)
    return bold is not None and _LABEL.match(bold) is not None


def _lines(text: str | None) -> list[str]:
    """A paragraph broken by hard line breaks, as blocks: a line opening in lower case goes on
    with the one before ("agreed⏎to close the library"); another starts a block of its own
    ("Monday: closed⏎Tuesday: 9 am to 5 pm", an address, a list of hours)."""
    blocks: list[str] = []
    for line in (text or "").split("\n"):
        if blocks and line[:1].islower():
            blocks[-1] += "\n" + line
        elif line:
            blocks.append(line)
    return blocks


def _bold_line(children: Sequence[Token]) -> str | None:
    """The words of a paragraph's first line when that line is all bold."""
    if len(children) > 3 and children[3].type not in ("softbreak", "hardbreak"):
        return None
    return _bold_at(children, 0)


def _run_in_heading(children: Sequence[Token]) -> str | None:
    """The words of a run-in heading: a few bold words ending in a full stop that open a
    paragraph going on after them ("**Late work.** Work submitted after…"), without the stop.
    It names its paragraph, as a heading does, in its section; its words stay in the text too,
    since no sure sign tells a heading from a short statement ("**No dogs.** Assistance dogs
    are welcome"), and a statement taken out of the text can no longer be quoted."""
    bold = _bold_at(children, 0)
    if bold is None or not bold.endswith(".") or len(children) < 4 or children[3].type != "text":
        return None
    words = bold[:-1].split()
    if len(words) > RUN_IN_WORDS or any(word.lower() in _NOT_HEADINGS for word in words):
        return None  # a statement in bold ("**The office is closed.** It reopens…"), "**Yes.**"
    if not any(len(word) > 2 for word in words):
        return None  # "**Dr.** Jones recommends…"
    return " ".join(words)


def _reads_as_heading(bold: str) -> bool:
    """A bold line that does not end as a statement does is a heading written in bold ("**How
    long will it take?**"), which names what follows and is no sentence to quote; a long one
    that neither asks nor introduces says something ("**Warning: the footbridge is closed
    until 3 May**")."""
    words = len(bold.split())
    if bold.endswith((".", "!")) or words > BOLD_HEADING_WORDS:
        return False
    return words <= BOLD_LABEL_WORDS or bold.endswith(("?", ":"))

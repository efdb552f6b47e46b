"""What a document's blocks say about its layout, whatever its format: a table of contents is
not text, and a live page's time stamps say when the updates under them were posted.

Applied to every reader's `Document` (`formats.read`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..normalize import fold
from ..records import Block, Document

# A block that is only a time of day: "05:10", "4:32 p.m. ET", "9pm", "16:58 GMT" (not "12:30
# Lunch", an agenda's line).
TIME_OF_DAY = re.compile(
    r"^\s*(?:\d{1,2}:\d{2}(?:\s*[AaPp]\.?\s?[Mm]\.?)?|\d{1,2}(?:\.\d{2})?\s*[AaPp]\.?\s?[Mm]\.?)"
    r"(?:\s+[A-Z]{2,5})?\s*$"  # a time zone in capitals: "16:58 GMT", not "12:30 Lunch"
)
# A number, letter or numeral that opens a heading or a contents line ("1.", "2.3", "iv.", "b)"),
# and the dot leaders and page number that close a contents line ("Methods ........ 12").
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z]\))\s+", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"(?:\s*[.·…_]{2,}\s*|\s+)\d+\s*$")
UPDATE_WORDS = 6  # a live page's updates are prose; a timetable's or an agenda's lines are not
CONTENTS_LINE_CHARS = 200  # longer is no contents line (and the patterns above need not scan it)
MIN_CONTENTS_LINES = 3  # fewer lines that name later headings are a summary, not a contents list
MIN_TIME_STAMPS = 2  # one time on its own is a table's or a timetable's, not a live page's


def tidy(document: Document) -> Document:
    blocks = _stamped(_without_contents(document.blocks))
    return document if blocks == document.blocks else replace(document, blocks=blocks)


def _heading_key(text: str) -> str:
    if len(text) > CONTENTS_LINE_CHARS:
        return ""
    return fold(_PAGE_NUMBER.sub("", _NUMBERING.sub("", text))).strip(" .:").casefold()


def _without_contents(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks without a table of contents: lines that each name a heading the document
    comes to later ("5. How to store Veltrazine" before the section of that name), which
    otherwise outrank the section itself for any question about it."""
    first_under: dict[str, int] = {}
    for i, block in enumerate(blocks):
        for part in _section_parts(block.section):
            first_under.setdefault(_heading_key(part), i)
    listed = {i for i, block in enumerate(blocks) if (key := _heading_key(block.text)) and first_under.get(key, -1) > i}
    if len(listed) < MIN_CONTENTS_LINES:
        return blocks
    return tuple(block for i, block in enumerate(blocks) if i not in listed)


def _section_parts(section: str | None) -> list[str]:
    # A table row's section is "heading: header row"; the heading alone is what a contents
    # line names.
    return [section, section.split(": ")[0]] if section else []


def _stamped(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A live page's time stamps ("05:10" above an update) moved from the text, where each was a
    sentence of its own, into the section of the update under it: the blocks after a stamp
    that share the first one's section. A page is a live page when two of its times stand over
    prose; a timetable's times, over other times or short lines, stay text."""
    is_time = [TIME_OF_DAY.match(block.text) is not None for block in blocks]
    times = [i for i in range(len(blocks) - 1) if is_time[i]]
    over_prose = [i for i in times if len(blocks[i + 1].text.split()) >= UPDATE_WORDS]
    if len(over_prose) < MIN_TIME_STAMPS:
        return blocks
    stamps = {i for i in times if not is_time[i + 1]}
    out: list[Block] = []
    stamp: str | None = None
    under: str | None = None  # the section the stamp applies to, set by the first block after it
    for i, block in enumerate(blocks):
        if i in stamps:
            stamp, under = " ".join(block.text.split()), None
            continue
        if is_time[i]:  # a time over another time: no stamp, and ends one
            stamp = None
        if stamp is not None and under is None:
            under = block.section or ""
        if stamp is not None and (block.section or "") == under:
            block = replace(block, section=f"{under} · {stamp}" if under else stamp)
        else:
            stamp = None
        out.append(block)
    return tuple(out)

"""Text that arrives as lines (a PDF page, a hand-wrapped plain text): lines joined into
paragraphs with words split at line ends mended, and the date the opening lines state."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .common import dates_in

_LETTERS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
WORDS = re.compile(r"[^\W_]+")
# Words that are hyphenated as the first half of a compound ("well-known"), so a line ending
# in "well-" keeps its hyphen when the document gives no other evidence.
_COMPOUND_HEADS = {"self", "well", "non", "anti", "semi", "multi", "cross", "ex", "half", "mid"}
# How far into a document its own date is looked for: the lines under the title, not the body.
_OPENING_LINES = 6
_OPENING_CHARS = 300
_DATE_CUE = re.compile(
    r"\b(issued|published|dated|updated|posted|released|as of|date|held|broadcast|aired|recorded)\b[^.;]*$",
    re.IGNORECASE,
)
_DATELINE_WORDS = 6  # words beside a date on a line of its own ("Harbour office bulletin of …")


@dataclass(frozen=True)
class Spellings:
    """The words and hyphenated compounds of a document, to mend words split at line ends."""

    words: frozenset[str]
    compounds: frozenset[str]

    @classmethod
    def of(cls, lines: Iterable[str]) -> Spellings:
        words: set[str] = set()
        compounds: set[str] = set()
        for line in lines:
            for token in _LETTERS.findall(line.lower()):
                words.update(token.split("-"))
                if "-" in token:
                    compounds.add(token)
        return cls(frozenset(words), frozenset(compounds))

    def join(self, left: str, right: str) -> str:
        """Two lines of one paragraph as one: with a space, or mended across a hyphen."""
        if left.endswith("\u00ad"):  # a soft hyphen is a hyphenation by definition
            return left[:-1] + right
        if len(left) < 2 or left[-1] not in "-‐–—" or left[-2].isspace():
            return f"{left} {right}"
        head = re.search(r"[^\W\d_]+$", left[:-1])
        tail = re.match(r"[^\W\d_]+", right)
        if left[-1] in "-‐" and head and tail and self._is_hyphenation(head.group(), tail.group()):
            return left[:-1] + right
        return left + right

    def join_all(self, lines: list[str]) -> str:
        text = lines[0]
        for line in lines[1:]:
            text = self.join(text, line)
        return text

    def _is_hyphenation(self, head: str, tail: str) -> bool:
        """Whether "head-" at a line end and "tail" on the next line are one word split in two:
        both halves lower case, and the document does not spell them as a compound elsewhere."""
        if not (head[-1].islower() and tail[0].islower()):
            return False
        if f"{head}-{tail}".lower() in self.compounds:
            return False
        return f"{head}{tail}".lower() in self.words or head.lower() not in _COMPOUND_HEADS


def opening_date(lines: Iterable[str]) -> str | None:
    """The document's date as its opening lines state it ("Issued 8 May 2024"): the day it was
    issued, where a PDF's creation date is often the day it was printed. A date counts after a
    word that says so ("issued", "published", "held"...) or on a short line of its own; a date
    in a sentence ("On 29 April 2024 heavy rain began…") is what the text talks about."""
    budget = _OPENING_CHARS
    for number, line in enumerate(lines):
        if number == _OPENING_LINES or budget <= 0:
            break
        text = line[:budget]
        budget -= len(text)
        for start, day in dates_in(text):
            if _DATE_CUE.search(text[:start]) or len(WORDS.findall(text)) - 3 <= _DATELINE_WORDS:
                return day
    return None

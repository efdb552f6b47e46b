"""Text that arrives as lines (a PDF page, a hand-wrapped plain text): lines joined into
paragraphs with words split at line ends mended, and the date the opening lines state."""

from __future__ import annotations

import re
from collections import Counter
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
# A word that says a date is the document's own, anywhere before it on the line ("Issued by
# the harbour office on 8 May 2024")...
_DATE_CUE = re.compile(r"\b(issued|published|dated|updated|posted|released|as of|date)\b[^.;]*$", re.IGNORECASE)
# ...or right before it: "held" and "recorded" are common verbs ("hostages held since 7 October").
_DATE_CUE_NEXT = re.compile(
    r"\b(held|broadcast|aired|recorded)(\s+on)?[\s:,]*((mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?$", re.IGNORECASE
)
_TALKED_ABOUT = re.compile(r"\b(on|since|by|until|till|before|after|from|in|between)\s+$", re.IGNORECASE)
_DATELINE_WORDS = 6  # words beside a date on a line of its own ("Harbour office bulletin of …")


@dataclass(frozen=True)
class Spellings:
    """The words of a document and how often each occurs, and its hyphenated compounds, to
    mend words split at line ends."""

    words: Counter[str]
    compounds: frozenset[str]

    @classmethod
    def of(cls, lines: Iterable[str]) -> Spellings:
        words: Counter[str] = Counter()
        compounds: set[str] = set()
        for line in lines:
            for token in _LETTERS.findall(line.lower()):
                words.update(token.split("-"))
                if "-" in token:
                    compounds.add(token)
        return cls(words, frozenset(compounds))

    def join(self, left: str, right: str, typeset: bool = True) -> str:
        """Two lines of one paragraph as one: with a space, or mended across a hyphen.
        `typeset`: the lines were set by a program that hyphenates words (a PDF), not wrapped
        at the spaces and hyphens already there (a plain text: "long-⏎term" is "long-term")."""
        if left.endswith("\u00ad"):  # a soft hyphen is a hyphenation by definition
            return left[:-1] + right
        if len(left) < 2 or left[-1] not in "-‐–—" or left[-2].isspace():
            return f"{left} {right}"
        head = re.search(r"[^\W\d_]+$", left[:-1])
        tail = re.match(r"[^\W\d_]+", right)
        # "state-of-the-⏎art": the word before the hyphen is part of a compound already
        compound = head is not None and left[: head.start()].endswith(("-", "‐"))
        if (
            left[-1] in "-‐"
            and head
            and tail
            and not compound
            and self._is_hyphenation(head.group(), tail.group(), typeset)
        ):
            return left[:-1] + right
        return left + right

    def join_all(self, lines: list[str], typeset: bool = True) -> str:
        text = lines[0]
        for line in lines[1:]:
            text = self.join(text, line, typeset)
        return text

    def _is_hyphenation(self, head: str, tail: str, typeset: bool) -> bool:
        """Whether "head-" at a line end and "tail" on the next line are one word split in two:
        both halves lower case, and the document does not spell them as a compound elsewhere.
        Typeset, a split is the rule ("well-" aside); wrapped by hand, the text must show it: the
        joined word elsewhere, or a tail that is no word of the text ("condi-⏎tion", not
        "follow-⏎up")."""
        if not (head[-1].islower() and tail[0].islower()):
            return False
        head, tail = head.lower(), tail.lower()
        if f"{head}-{tail}" in self.compounds:
            return False
        if self.words[f"{head}{tail}"]:
            return True
        return head not in _COMPOUND_HEADS and (typeset or self.words[tail] < 2)  # the tail: only here


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
        dateline = len(WORDS.findall(text)) - 3 <= _DATELINE_WORDS
        for start, day in dates_in(text):
            cued = _DATE_CUE.search(text[:start]) or _DATE_CUE_NEXT.search(text[:start])
            # A short line of its own with a date counts ("Harbour office bulletin of 8 May
            # 2024"), but not a date a sentence talks about ("On 29 April 2024 heavy rain began.")
            if cued or (dateline and not _TALKED_ABOUT.search(text[:start])):
                return day
    return None

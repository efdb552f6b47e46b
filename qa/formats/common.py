"""What every reader shares: the `Unreadable` error, decoding, hashing, metadata helpers."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import charset_normalizer

from ..records import Document

MAX_FILE_BYTES = 20 * 1024 * 1024  # an upload larger than this is refused by `read_document`
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
URL_LINE = re.compile(r"^\s*https?://\S+\s*$")
ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


class Unreadable(Exception):
    """Raised by a reader for a file that cannot be indexed; the message is the reason."""


Reader = Callable[[bytes, str], Document]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Legacy encodings worth guessing for a text file that has no byte-order mark and is not UTF-8:
# the Windows and ISO code pages of European languages, the likelier first. Left free to choose,
# charset-normalizer reads a short Latin-1 line as Urdu (cp1006) or Japanese; and on short
# texts it scores several code pages alike, taking cp1250 for Spanish or Italian, so among
# those about as good, the first in this list wins.
LEGACY_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "iso8859_15", "koi8_r", "mac_roman"]
ABOUT_AS_GOOD = 0.1  # charset-normalizer's "chaos" (0 clean, 1 noise) within which guesses tie
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


# UTF-8 read once as Windows-1252 or Latin-1 and saved again: "SÃ¸ren HÃ¥kansson", "â€œWe
# know…â€". A letter that starts a two- or three-byte UTF-8 sequence, read as one of those code
# pages, before one that continues it.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00c5\u00c9\u00ce\u00d0-\u00d9\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)


def decode_bytes(data: bytes, declared: str | None = None, european: bool = True) -> str:
    """Text by its byte-order mark, as UTF-8, in its declared charset, or in the encoding
    charset-normalizer finds (among European code pages unless `european` is False), in that
    order, with mojibake mended (ftfy: "SÃ¸ren" is "Søren"); `Unreadable` for binary data."""
    text = _decoded(data, declared, european)
    if not _MOJIBAKE.search(text):
        return text
    import ftfy  # imported here: only a damaged file pays for it

    # fix_encoding alone: ftfy's other fixes would change what the writer wrote (its quotes).
    return ftfy.fix_encoding(text)


def _decoded(data: bytes, declared: str | None, european: bool) -> str:
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                data = data[len(mark) :]
                break
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    damaged = data.decode("utf-8", errors="replace")
    if _mostly_utf8(damaged):  # a stray byte in UTF-8 text: one "�", not a whole file of mojibake
        return damaged
    if declared:
        try:
            return data.decode(declared)
        except (ValueError, LookupError):  # bytes the charset cannot decode, or not a text codec
            pass
    return _guessed(data, european)


def _mostly_utf8(text: str) -> bool:
    """Text decoded as UTF-8 with replacements holds more well-formed non-ASCII letters than
    replacements: a legacy 8-bit file has almost none ("é" alone is not valid UTF-8)."""
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 127) - bad
    return good > bad


def _guessed(data: bytes, european: bool) -> str:
    if not european:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise Unreadable("binary file or unknown text encoding")
        return str(best)
    matches = list(charset_normalizer.from_bytes(data, cp_isolation=LEGACY_ENCODINGS))
    if not matches:
        raise Unreadable("binary file or unknown text encoding")
    least = min(m.chaos for m in matches)
    good = [m for m in matches if m.chaos <= least + ABOUT_AS_GOOD and m.encoding in LEGACY_ENCODINGS]
    if not good:
        return str(min(matches, key=lambda m: m.chaos))
    return str(min(good, key=lambda m: LEGACY_ENCODINGS.index(m.encoding)))


def decode_text(data: bytes) -> str:
    """The text of a plain-text or Markdown file, newlines unified, or `Unreadable` saying why not."""
    text = decode_bytes(data)
    if not text.strip():
        raise Unreadable("empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def iso_day(value: object) -> str | None:
    """The ISO day of a string that starts with a valid YYYY-MM-DD, else None."""
    match = ISO_DAY.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


# A date written out: "8 May 2024", "May 8th, 2024", "Sept. 30 2023", "2024-05-08", "2024/05/08".
# A numeric day and month ("08/05/2024") is left alone: it reads differently across countries.
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_WRITTEN_DATES = (
    re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+{_MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$"),
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def dates_in(text: str) -> list[tuple[int, str]]:
    """(offset, ISO day) of every real date written out in text, in order."""
    found = []
    for pattern in _WRITTEN_DATES:
        for match in pattern.finditer(text):
            month = match["month"]
            number = int(month) if month.isdigit() else _MONTHS.index(month[:3].lower()) + 1
            day = iso_day(f"{match['year']}-{number:02d}-{int(match['day']):02d}")
            if day and int(match["year"]) >= 1900:
                found.append((match.start(), day))
    return sorted(found)


def written_day(value: object) -> str | None:
    """The day a metadata value gives, written any of the ways dates_in reads, at its start
    ("2024-02-01T09:00", "1 February 2024", "20240201"), or in figures when only one order
    makes a date ("18/02/2025", "02/18/2025"; not "03/04/2025"); None if it gives none."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    day = next((day for start, day in dates_in(text) if start == 0), None)
    figures = _FIGURES_DATE.fullmatch(text)
    if day or not figures:
        return day
    first, second, year = (int(n) for n in figures.groups())
    if (first > 12) == (second > 12):
        return None
    month, day_of_month = (second, first) if first > 12 else (first, second)
    return iso_day(f"{year}-{month:02d}-{day_of_month:02d}")


_FIGURES_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def http_url(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and URL_LINE.match(value) else None


def plain_value(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def stem_title(doc_id: str) -> str:
    stem = Path(doc_id).stem
    return re.sub(r"[_-]+", " ", stem).strip() or stem


class Headings:
    """The headings open at a point of a document, by level (1 to 9; a line set apart in bold, a
    heading by its look alone, is below them): a block's section names its heading and the one
    that heading is under ("3.1.4 — 2 July 2024: Fixed"; a release's "Fixed" alone did not say
    which release). The document's title, its first heading if of level 1, stands for the
    document and is no part of a deeper section."""

    LEVELS = 2  # headings named in a section, innermost last

    def __init__(self, titled: bool = False) -> None:
        """`titled`: the document's title stands apart (a Word document's Title style), and its
        first heading of level 1 is a chapter's."""
        self._open: list[tuple[int, str]] = []
        self._title: tuple[int, str] | None = None
        self._first = not titled

    def enter(self, level: int, text: str) -> str:
        while self._open and self._open[-1][0] >= level:
            self._open.pop()
        self._open.append((level, text))
        if self._first and level == 1:
            self._title = self._open[-1]
        self._first = False
        inner = [entry[1] for entry in self._open if entry is not self._title] or [text]
        return ": ".join(inner[-self.LEVELS :])


def comma_joined(lines: list[str]) -> str:
    """Lines as one text, a comma between lines without their own: a signature's "Kind regards,
    Renee Castellanos, Head of Parking Services, Wexcombe Borough Council" (run together, the
    name, the post and the address read as one title)."""
    parts = [line.strip() for line in lines if line.strip()]
    ended = [part if part[-1] in ",;:.!?-–—" else f"{part}," for part in parts[:-1]]
    return " ".join([*ended, *parts[-1:]])


def row_text(cells: list[str]) -> str:
    """A table row as one line, its cells between pipes, without the empty cells at its end: an
    infobox's group row ("Location", "", "") read "Location | |", and a row of empty cells "| | |"."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    return " | ".join(cells).strip()


def labels_only(cells: list[str]) -> bool:
    """Whether a table's header row only names its columns ("Pos | Rider | Team"), without a
    figure that says something ("Sølvberg IL (4-3-3) | Fjordvik BK (4-4-2)"); a year names a
    column ("Item | 2023 | 2024", "Counter transactions 2019 to 2024")."""
    # "hm³" is a unit, not a figure
    return not any(ch.isdecimal() for cell in cells for ch in _YEAR.sub("", cell))


_YEAR = re.compile(r"(?<![\d.,:/-])(?:19|20)\d\d(?![\d.,:/-]\d)")


def section_under(section: str | None, name: str | None) -> str | None:
    """What a block is under: the heading above it and what names the block itself, a table's
    header row, which says what a row's cells are ("Possession | 54% | 46%" under "Match stats:
    Almadena | Villafría"), a run-in heading, or a transcript's speaker."""
    if not name:
        return section
    return f"{section}: {name}" if section else name

"""PDF (pypdf): text per page, rebuilt into paragraphs; each block knows its page."""

from __future__ import annotations

import bisect
import logging
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from io import BytesIO
from itertools import pairwise
from typing import Any

from ..records import Block, Document
from .common import CONTROL, Unreadable, content_hash, http_url, labels_only, section_under, stem_title
from .lines import OPEN_END, PAGE_NUMBER, WORDS, Spellings, opening_date

_PDF_DATE = re.compile(r"^\s*(?:D:)?(\d{4})(\d{2})(\d{2})")
_BULLETS = "[•◦▪‣●○■□–—*-]"
_BULLET = re.compile(rf"^(?:{_BULLETS}|\(?\d{{1,3}}[.)]|\(?[a-z][.)])\s")
_SYMBOL_BULLET = re.compile(rf"^{_BULLETS}\s")
_DIGITS = re.compile(r"\d+")
_YEAR_ALONE = re.compile(r"^\s*(?:19|20)\d\d\s*$")
# A bold face's style in its name ("DejaVuSans-Bold", "DejaVuSansBold", "Arial,BoldItalic");
# not "Boldini", "Blackadder" or "NotoSans-DemiLight".
_BOLD_FONT = re.compile(
    r"(?:(?:^|[-,+_ /])(?:[Ss]emi|[Dd]emi|[Ee]xtra|[Uu]ltra)?(?:Bold|BOLD|bold|Black|BLACK|Heavy|HEAVY)"
    r"|(?<=[a-z])(?:Semi|Demi|Extra|Ultra)?(?:Bold|Black|Heavy))(?![a-z])"
)
BOLD_HEADING_WORDS = 10  # a bold line of more is a statement in bold ("Never take a double dose…")
SAYS_WORDS = 8  # a line in a heading's font of this many words or more that heads nothing is text
_NUMBERING = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")  # "4." of "4. Where HF is stored": no word of it
# A title is among the first page's first paragraphs: a cover may put a brand, a division and a
# kind of report above it ("Nordic Medicines Inspectorate", …, "Safety Assessment Report").
TITLE_PARAGRAPHS = 5
COVER_LINE_WORDS = 12  # a cover's line over the title (a body's name, a programme's) is short
# Over the title, a line that says who or for whom is text: "Author: Dr Ciara Nolan", "Prepared
# by Hydro Consult Ltd for Aune County Council".
_SAYS_WHO = re.compile(
    r"^\s*(?:by\s|[^\W\d_][\w ]{0,25}:\s)"
    r"|\b(?:prepared|written|commissioned|compiled|published|presented|submitted|produced)\s+(?:by|for|to)\b",
    re.IGNORECASE,
)
ROW_DRIFT = 0.3  # cells of a table's row: their lines' heights differ by at most this share of the font size
WRAPPED_CELL = 1.6  # a cell's next line is at most this many font sizes below it
# A table's cell that pypdf ran into the line before it (`_cells`):
CELL_STEP = 2.0  # font sizes right of the run before, at least, where a cell starts
CELL_GAP = 0.3  # font sizes right of where the run before ends, at least
# …where the font says how wide the run before is: a word space of justified text stretches to
# half a font size or so, and a table's columns stand farther apart (LaTeX's 1.2).
MEASURED_CELL_GAP = 0.8
COLUMN_LINES = 2  # other lines with a run starting there too
NUMBERED_TEXT_CHARS = 40  # a numbered paragraph's first line, at least, if it ends no sentence
NEAR_LINES = 12  # font sizes above or below, at most, of those lines (a row whose cell wraps over a few)
WIDE_GAP = 1.0  # font sizes of a gap after the run before, with which one other line will do
NARROW_CHARACTER = 0.3  # a character's width in font sizes, at its narrowest usual ("i", "l", a space)
EDGE_LINES = 3  # lines looked at from a page's top and bottom for a running header or footer
_JUNK_TITLE = re.compile(
    r"^(untitled.*|microsoft (word|powerpoint|excel) - .*|.*\.(docx?|pptx?|xlsx?|odt|rtf|pdf|tex|dvi|ps|indd|qxd))$",
    re.IGNORECASE,
)
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
# A full stop, "!" or "?" before a capital that no abbreviation could have made: not after a
# capital ("U.S.", "J.") nor after a capitalised word of two or three letters ("Dr.", "Jan.").
# Where it is unsure it finds no end, and the sentence taken onto the earlier page is longer.
_CLEAR_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_SENTENCE_END = (".", "!", "?", ":", '"', "”", "’")
_LEADER_AND_PAGE = re.compile(r"(?:[.·…_]\s*){3,}\d+$")  # a contents line's end: "Overview . . . . 2"


# pypdf logs what it repairs ("EOF marker not found"), which Python prints when nothing is set
# up to receive it; qa reports an unreadable PDF itself, with the file's name.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class _Line:
    """One line of a PDF page as pypdf extracts it, with where it starts, its font size and
    whether it is set in bold."""

    text: str
    x: float
    y: float
    size: float
    bold: bool = False
    cells: int = 1  # more in a table's row, read as one line (`_rows`)


@dataclass(frozen=True)
class _Measure:
    """The body text of a PDF: font size, distance between lines, characters in a full line,
    and whether bold stands out in it (it does not where most of the text is bold)."""

    size: float
    pitch: float
    full: int
    bold_stands_out: bool = True


def read_pdf(data: bytes, doc_id: str) -> Document:
    """Text per page, rebuilt into paragraphs (hard-wrapped lines joined, hyphenated words
    mended, running page numbers and headers dropped); each block carries its page number."""
    from pypdf import PdfReader  # imported here: only a folder with PDFs pays for it

    if not data.strip():
        raise Unreadable("empty")
    if b"%PDF-" not in data[:1024]:
        raise Unreadable("not a PDF: it has no %PDF header")
    try:
        reader = PdfReader(BytesIO(data))
        _unlock(reader)
        pages = _extract_pages(reader.pages)
    except Unreadable:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise Unreadable(_damaged(exc)) from None
    info = _pdf_info(reader)
    # Rows first: a table's last row at a page's foot read a cell at a time looked like page numbers ("3", "-61%").
    pages = _drop_running_lines([_rows(lines) for lines in pages])
    all_lines = [line for lines in pages for line in lines]
    if not any(any(ch.isalnum() for ch in line.text) for line in all_lines):
        raise Unreadable("PDF has no extractable text (scanned?)")
    measure = _measure(pages)
    spellings = Spellings.of(line.text for line in all_lines)
    paragraphs = [_paragraphs(lines, measure) for lines in pages]
    title = _pdf_title(info.get("/Title")) or _first_title(paragraphs[0], measure, spellings)
    blocks = _page_blocks(paragraphs, measure, spellings, title)
    if not blocks:
        raise Unreadable("PDF has no text outside headings")
    if title:  # the title heading names its blocks as the title does, which a citation leaves out
        blocks = tuple(replace(b, section=title) if _same_words(b.section, title) else b for b in blocks)
    urls = (http_url(value) for key, value in info.items() if key.lower() in ("/url", "/uri", "/source"))
    return Document(
        doc_id,
        title or stem_title(doc_id),
        opening_date(line.text for line in pages[0]) or _pdf_date(info.get("/CreationDate")),
        next((url for url in urls if url), None),
        "pdf",
        blocks,
        content_hash(data),
    )


def _unlock(reader: Any) -> None:
    """Open an encrypted PDF with the empty password, as viewers do, or say why not."""
    from pypdf import PasswordType
    from pypdf.errors import DependencyError

    if not reader.is_encrypted:
        return
    try:
        unlocked = reader.decrypt("")
    except DependencyError:
        raise Unreadable("encrypted PDF: reading it needs the cryptography package") from None
    if unlocked == PasswordType.NOT_DECRYPTED:
        raise Unreadable("PDF is protected by a password")


def _pdf_info(reader: Any) -> dict[str, str]:
    """The document information dictionary (/Title, /CreationDate, ...), or {} if damaged."""
    try:
        return {str(key): str(reader.metadata[key]) for key in reader.metadata or {}}
    except Exception:  # a broken reference in the dictionary: the pages are still worth reading
        return {}


def _extract_pages(pages: Any) -> list[list[_Line]]:
    """The lines of every page; a page that pypdf cannot read counts as empty, unless all do."""
    lines: list[list[_Line]] = []
    error: Exception | None = None
    widths = _Widths()  # a document's pages share their fonts
    for page in pages:
        try:
            lines.append(_page_lines(page, widths))
        except Exception as exc:  # a broken font or content stream on one page
            lines.append([])
            error = exc
    if not lines:
        raise Unreadable("PDF has no pages")
    if error is not None and not any(lines):
        raise Unreadable(_damaged(error))
    return lines


def _damaged(exc: Exception) -> str:
    detail = " ".join(str(exc).split())[:120]
    return f"damaged PDF ({type(exc).__name__}{': ' + detail if detail else ''})"


def _page_lines(page: Any, widths: _Widths) -> list[_Line]:
    """The page's lines in pypdf's reading order, each placed where its text starts and sized
    by the font that most of its characters are in (not a bullet's or a footnote mark's); a
    table's cells that pypdf ran into one line are lines of their own (`_cells`)."""
    pieces: list[tuple[str, float, float, float, Any]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        # The text matrix times the current transformation matrix places the text on the page.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        pieces.append((text, x, y, (size or 0) * (scale or 1), font))

    page.extract_text(visitor_text=visit)
    runs_by_line: list[list[_Run]] = [[]]
    for piece, x, y, size, font in pieces:
        heavy = _is_bold(font)
        if not piece:  # pypdf's mark of how far the run before has got: where its last piece starts
            if runs_by_line[-1]:
                runs_by_line[-1][-1].reached = max(runs_by_line[-1][-1].reached, x)
            continue
        for number, part in enumerate(piece.split("\n")):
            if number:
                runs_by_line.append([])
            if part.strip() or runs_by_line[-1]:
                runs_by_line[-1].append(_Run(part, x, y, size, heavy, x, widths.of(font, part.strip(), size)))
    columns = _column_starts(runs_by_line)
    return [
        line
        for number, runs in enumerate(runs_by_line)
        for cell in _cells(runs, number, columns)
        for line in _clean_line(cell)
    ]


@dataclass
class _Run:
    """Text pypdf showed in one go, where it starts, and how far pypdf says it has got."""

    text: str
    x: float
    y: float
    size: float
    bold: bool
    reached: float
    width: float | None = None  # as the font's widths say, where they are known


class _Widths:
    """The widths of texts in their fonts, where a font says them for the characters that text
    extraction gives: a simple font's (Type 1, TrueType), each code's width under the character
    it shows. A composite font's widths are by glyph, which the text no longer names."""

    def __init__(self) -> None:
        self._fonts: dict[object, tuple[Any, dict[str, float] | None]] = {}

    def of(self, font: Any, text: str, size: float) -> float | None:
        if font is None or not text:
            return None
        reference = getattr(font, "indirect_reference", None)
        key = (reference.idnum, reference.generation) if reference is not None else id(font)
        if key not in self._fonts:  # the font kept beside its widths: its id stays its own
            self._fonts[key] = (font, _character_widths(font))
        widths = self._fonts[key][1]
        if widths is None or any(c not in widths for c in text):
            return None
        return sum(widths[c] for c in text) * size / 1000


def _character_widths(font: Any) -> dict[str, float] | None:
    """Thousandths of the font size, by the character each code shows (its ToUnicode entry, or
    its encoding's); a word space is the font's own where it has no space character."""
    try:
        from pypdf.generic._font import Font  # pypdf's reading of a font's widths (7.1 and later)
    except ImportError:  # where pypdf moved it: no widths, and cells are found as before
        return None
    if font.get("/Subtype") not in ("/Type1", "/MMType1", "/TrueType"):
        return None
    try:
        parsed = Font.from_font_resource(font)
    except Exception:  # a font dictionary pypdf cannot read: widths unknown
        return None
    encoding = parsed.encoding if isinstance(parsed.encoding, dict) else {}
    widths: dict[str, float] = {}
    for code, width in parsed.character_widths.items():
        if len(code) == 1:  # not "default"
            shown = parsed.character_map.get(code) or encoding.get(ord(code)) or code
            if len(shown) == 1:  # a ligature's "fi" has no one character to go under
                widths.setdefault(shown, width)
    widths.setdefault(" ", parsed.space_width)
    return widths if len(widths) > 1 else None


def _column_starts(lines: list[list[_Run]]) -> list[tuple[float, int, float]]:
    """Where each run after a line's first starts, with its line's number and height, in order
    of place."""
    return sorted((run.x, number, run.y) for number, runs in enumerate(lines) for run in runs[1:] if run.text.strip())


def _cells(runs: list[_Run], number: int, columns: list[tuple[float, int, float]]) -> list[list[_Run]]:
    """A line's runs, apart where a table's cells meet: a browser's "Save as PDF" of a table
    gave "Shropshire 18 7 11 -58%". A cell starts well to the right of the run before (not
    on the line below it, as a header's second line, "Branches" over "today"), where runs of
    other lines start too: a word in bold within a sentence lines up with nothing."""
    cells: list[list[_Run]] = []
    for run in runs:
        before = cells[-1][-1] if cells else None
        if (
            before is None
            or not run.text.strip()
            or before.text[-1:].isspace()  # a sentence going on in another font ("resolved that <i>the…")
            or _runs_in("".join(r.text for r in cells[-1]))
            or _numbered(runs, run)
            or run.x - before.x <= CELL_STEP * run.size
            or run.x - _end(before) <= (CELL_GAP if before.width is None else MEASURED_CELL_GAP) * run.size
            or not _column(run, before, _lined_up(run, number, columns))
        ):
            if before is None:
                cells.append([run])
            else:
                cells[-1].append(run)
        else:
            run.text = run.text.lstrip()
            cells.append([run])
    return cells


# A numbered paragraph's number, "3.1" of "3.1 The pier was inspected…", hung apart from its text.
_PARAGRAPH_NUMBER = re.compile(r"\d+(?:\.\d+)*\.?")


def _numbered(runs: list[_Run], run: _Run) -> bool:
    """Whether a line is a numbered paragraph's, and `run` its text after the number: two runs,
    the second a sentence; a table's row of a number and short cells is no such line."""
    shown = [r for r in runs if r.text.strip()]
    text = run.text.strip()
    return (
        len(shown) == 2
        and run is shown[1]
        and _PARAGRAPH_NUMBER.fullmatch(shown[0].text.strip()) is not None
        and text[:1].isalpha()
        and (text.endswith((".", "!", "?", ":")) or len(text) >= NUMBERED_TEXT_CHARS)
    )


def _end(run: _Run) -> float:
    """Where a run ends at least: where pypdf says it has got, and as far as its characters
    reach at their narrowest (pypdf marks only where the last piece of a run starts, or where
    a run of one text object starts)."""
    if run.width is not None:
        return max(run.reached, run.x + run.width)
    return max(run.reached, run.x + NARROW_CHARACTER * run.size * len(run.text.strip()))


def _runs_in(text: str) -> bool:
    """Whether text before a gap goes on after it, as no table's cell would: a run-in heading
    ("The Silver of the Sea." then its paragraph), a label ("Release date:"), a list's
    marker ("1.", "•")."""
    text = text.strip()
    return text.endswith((".", "!", "?", ":")) or _BULLET.match(f"{text} ") is not None


def _column(run: _Run, before: _Run, lined_up: int) -> bool:
    """Whether a run far right of the one before starts a column: runs of other lines start
    there too, or of one other line after a wide gap (a table's two rows at the top of the
    next page)."""
    return lined_up >= COLUMN_LINES or (lined_up >= 1 and run.x - _end(before) > WIDE_GAP * run.size)


def _lined_up(run: _Run, number: int, columns: list[tuple[float, int, float]]) -> int:
    """How many other lines near this one (a table's rows are together, however many lines a
    cell wraps over) have a run starting where this one does, within a point: anywhere on a
    page of prose, a word in italics lined up with two others by chance."""
    low = bisect.bisect_left(columns, (run.x - 1,))
    high = bisect.bisect_right(columns, (run.x + 1, 1 << 30))
    near = NEAR_LINES * run.size
    return len({line for _, line, y in columns[low:high] if line != number and abs(y - run.y) <= near})


def _rows(lines: list[_Line]) -> list[_Line]:
    """A table's row as one line, its cells between pipes: pypdf gives each cell a line of its
    own, and a notice's batch table was read as fifty sentences ("Product", "800 g",
    "LB1-0204"…). Cells are lines in a row at one height, each to the right of the one before."""
    rows: list[_Line] = []
    ends: list[float] = []  # where each row's last cell starts

    def level(a: _Line, b: _Line) -> bool:
        return abs(a.y - b.y) <= ROW_DRIFT * max(a.size, b.size)

    for line in lines:
        if rows and level(rows[-1], line) and line.x > ends[-1]:
            rows[-1] = _cell_after(rows[-1], line)
            ends[-1] = line.x
        elif (
            len(rows) > 1
            and level(rows[-2], line)
            and rows[-1].cells == 1
            and rows[-1].y < rows[-2].y
            and ends[-2] <= rows[-1].x < line.x
        ):  # the last cell went on to a line below ("Fjord mouth" over "(reference)"), then the row goes on
            wrapped = replace(rows[-2], text=f"{rows[-2].text} {rows[-1].text}")
            rows[-2:] = [_cell_after(wrapped, line)]
            ends[-2:] = [line.x]
        elif (
            len(rows) > 1
            and rows[-2].cells == rows[-1].cells == 1
            and abs(rows[-1].x - rows[-2].x) < 1
            and 0 < rows[-2].y - rows[-1].y <= WRAPPED_CELL * line.size
            and abs((rows[-2].y + rows[-1].y) / 2 - line.y) <= ROW_DRIFT * line.size
            and line.x > rows[-1].x
        ):  # a first cell of two lines ("Wrexham and" over "Denbighshire"), the row's others level with its middle
            middle = (rows[-2].y + rows[-1].y) / 2
            wrapped = replace(rows[-2], text=f"{rows[-2].text} {rows[-1].text}", y=middle)
            rows[-2:] = [_cell_after(wrapped, line)]
            ends[-2:] = [line.x]
        elif (
            rows
            and rows[-1].cells > 1
            and abs(line.x - ends[-1]) < 1
            and 0 < rows[-1].y - line.y <= WRAPPED_CELL * line.size
        ):  # the row's last cell goes on below it ("Above" over "standard?")
            rows[-1] = replace(rows[-1], text=f"{rows[-1].text} {line.text}")
        else:
            rows.append(line)
            ends.append(line.x)
    return rows


def _cell_after(row: _Line, cell: _Line) -> _Line:
    return replace(row, text=f"{row.text} | {cell.text}", bold=row.bold and cell.bold, cells=row.cells + 1)


def _is_bold(font: Any) -> bool:
    """Whether a font is a bold one, by its name ("/ABCDEF+DejaVuSans-Bold", "/Helvetica-Bold")."""
    try:
        return _BOLD_FONT.search(str(font.get("/BaseFont", ""))) is not None
    except AttributeError:  # no font dictionary
        return False


def _clean_line(runs: list[_Run]) -> list[_Line]:
    text = " ".join(CONTROL.sub("", "".join(run.text for run in runs).translate(_LIGATURES)).split())
    shown = [run for run in runs if run.text.strip()]
    if not text or not shown:
        return []
    sizes = Counter[float]()
    for run in shown:
        sizes[run.size] += len(run.text.strip())
    bold = sum(len(run.text.strip()) for run in shown if run.bold)
    # A table's header cell of two lines ("Branches" over "today") stands at their middle, level
    # with the one-line cells beside it.
    y = (min(run.y for run in shown) + max(run.y for run in shown)) / 2
    # Bold all through, or nearly: a table row whose first cell is bold ("Paracetamol | 500 mg") is not.
    return [_Line(text, shown[0].x, y, sizes.most_common(1)[0][0], bold >= 0.9 * sum(sizes.values()))]


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages without their page numbers and running headers or footers: the line at the top or
    the bottom of a page that is a bare number, or that recurs (numbers aside) at an edge of
    another page. A header may run to several lines (a school's name, then its address): a
    line further in counts when it is on another page too, word for word and at the same height,
    and every line between it and the edge counts."""
    edges = [_edges(lines) for lines in pages]
    # Each kind once per page: the rows of one table at a page's foot are no running footer.
    outer = Counter(shape for page in edges for shape in {s for side in page if side for s in _shapes(side[0])})
    inner = Counter(key for page in edges for key in {_placed(line) for side in page for line in side[1:]})
    dropped: set[int] = set()
    for page in edges:
        for side in page:
            for depth, line in enumerate(side):
                running = inner[_placed(line)] >= 2 if depth else any(outer[s] >= 2 for s in _shapes(line))
                if not (_page_number(line.text) or running):
                    break
                dropped.add(id(line))
    return [[line for line in lines if id(line) not in dropped] for lines in pages]


def _page_number(text: str) -> bool:
    """A bare number, not a year: "2025" was the last line of a signed notice's date."""
    return PAGE_NUMBER.match(text) is not None and not _YEAR_ALONE.match(text)


def _shapes(line: _Line) -> set[str]:
    """A line's shape, and its first cell's if it is a row: a running header of two parts read
    as a row ("Brackwater Dam Inquiry — Final Report | Chapter 1: Summary") runs on by its first
    part, whatever its second says. Not by any other cell: a table's rows at two pages' feet
    that both say "Staying open" are no footer."""
    first = line.text.split(" | ")[0] if line.cells > 1 else ""
    return {_shape(line)} | ({_shape(replace(line, text=first))} if any(ch.isalpha() for ch in first) else set())


def _edges(lines: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """The first lines of a page from the top and from the bottom, each side nearest the edge
    first (on a short page the two sides share lines)."""
    ordered = sorted(lines, key=lambda line: -line.y)
    return ordered[:EDGE_LINES], ordered[::-1][:EDGE_LINES]


def _placed(line: _Line) -> tuple[str, int]:
    return line.text, round(line.y)


def _shape(line: _Line) -> str:
    """A line's text with its numbers masked, and its font size: what a running header keeps."""
    return f"{round(line.size)} {_DIGITS.sub('#', line.text.lower())}"


def _measure(pages: list[list[_Line]]) -> _Measure:
    """The body font size (the one with most characters), its line pitch and full line length."""
    sizes = Counter[float]()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    size = sizes.most_common(1)[0][0] or 10.0
    gaps, running, lengths = [], [], []
    for lines in pages:
        for prev, line in pairwise(lines):
            if abs(prev.size - size) < 0.5 and abs(line.size - size) < 0.5 and 0.5 * size < prev.y - line.y < 3 * size:
                gaps.append(prev.y - line.y)
                running.append(_runs_on(prev.text, line.text))
        lengths.extend(len(line.text) for line in lines if abs(line.size - size) < 0.5)
    lengths.sort()
    full = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 1
    # The pitch from lines that plainly run on (mid-sentence, the next in lower case): where
    # most paragraphs are a line or two set apart by space, the median of all gaps is the gap
    # between paragraphs, and no paragraph break would show.
    within = [gap for gap, runs_on in zip(gaps, running) if runs_on] or gaps
    bold = sum(len(line.text) for lines in pages for line in lines if line.bold)
    plain = sum(len(line.text) for lines in pages for line in lines if not line.bold)
    return _Measure(size, statistics.median(within) if within else 1.2 * size, full, bold < plain)


def _paragraphs(lines: list[_Line], measure: _Measure) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = []
    for line in lines:
        if paragraphs and not _starts_paragraph(paragraphs[-1][-1], line, measure):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def _starts_paragraph(prev: _Line, line: _Line, measure: _Measure) -> bool:
    """Whether line begins a new paragraph: a change of font size, a gap wider than the line
    pitch, a bullet, a short line before it that ends a sentence or precedes a capital, or a
    first-line indent after a sentence. A line that jumps up the page (a new column) continues
    the paragraph unless one of the other signs says otherwise. Lines in a larger font (a
    heading wrapped onto two lines) go together while they are as close as the font's lines."""
    if abs(line.size - prev.size) > 0.1 * measure.size or prev.cells > 1 or line.cells > 1:  # a table's row
        return True
    gap = prev.y - line.y
    if _BULLET.match(line.text) or _LEADER_AND_PAGE.search(prev.text):  # a contents line is a paragraph
        return True
    ended = prev.text.endswith(_SENTENCE_END)
    if prev.size > 1.1 * measure.size:
        return ended or not 0 < gap <= 1.3 * measure.pitch * prev.size / measure.size
    if gap > 1.3 * measure.pitch:
        return True
    # (A line ending on a word no sentence ends on goes on, in a narrow column too: "…the wage
    # agreement signed in" over "December 2024.")
    short = len(prev.text) < 0.7 * measure.full
    if short and (ended or (_starts_sentence(line.text) and not OPEN_END.search(prev.text))):
        return True
    return ended and gap > 0 and line.x > prev.x + 0.8 * line.size


def _starts_sentence(text: str) -> bool:
    """Whether text opens like a sentence: its first letter or digit is a capital or a digit."""
    first = next((ch for ch in text if ch.isalnum()), "")
    return first.isupper() or first.isdigit()


def _page_blocks(
    pages: list[list[list[_Line]]], measure: _Measure, spellings: Spellings, title: str | None = None
) -> tuple[Block, ...]:
    """A block per paragraph, numbered by page; a heading (see `_is_heading`) names the blocks
    under it, a bold one with the larger heading above it. A sentence that runs on from the
    foot of one page to the next is completed in the earlier page's block, up to the first clear
    sentence end there."""
    blocks: list[Block] = []
    major: str | None = None  # the last heading in a larger font
    section: str | None = None
    # The first page's last heading while no block is under it, as a block, and the larger
    # heading before it
    unnamed: tuple[Block, str | None] | None = None
    header: str | None = None  # a table's header row of labels, in bold: what its rows' cells are
    cover = _above_title(pages[0] if pages else [], spellings, title)
    for number, paragraphs in enumerate(pages, start=1):
        for index, paragraph in enumerate(paragraphs):
            if number == 1 and index < cover:
                continue
            text = _paragraph_text(paragraph, spellings)
            row = len(paragraph) == 1 and paragraph[0].cells > 1
            if row and paragraph[0].bold and labels_only(text.split(" | ")):
                header = text  # names the rows under it, as in a web page's table: no sentence
                continue
            if not row:
                header = None
            elif header is not None:
                blocks.append(Block(text, number, section_under(section, header)))
                continue
            if _is_heading(paragraph, text, measure):
                if unnamed is not None and _says_something(unnamed[0].text):
                    blocks.append(unnamed[0])  # a cover's "Chair: Professor Dame Zoë Ångström"
                    section, major = unnamed[0].section, unnamed[1]
                unnamed = (Block(text, number, section), major) if number == 1 and (blocks or section) else None
                if _larger(paragraph, measure):
                    # The title, or the heading opening the first page, names the whole document.
                    opening = number == 1 and not blocks and major is None
                    section = text
                    major = None if opening or (title and _same_words(text, title)) else text
                else:  # a bold subheading, or a table's bold header row: under the heading above
                    section = section_under(major, text)
                continue
            if index == 0 and blocks and _runs_on(blocks[-1].text, text):
                stop = _CLEAR_SENTENCE_END.search(text)
                cut = stop.end() if stop else len(text)
                last = blocks[-1]
                blocks[-1] = Block(spellings.join(last.text, text[:cut].strip()), last.page, last.section)
                text = text[cut:].strip()
            if text:
                blocks.append(Block(text, number, section))
                unnamed = None
    if unnamed is not None and _says_something(unnamed[0].text):
        blocks.append(unnamed[0])
    return tuple(blocks)


def _above_title(paragraphs: list[list[_Line]], spellings: Spellings, title: str | None) -> int:
    """How many of the first page's paragraphs are a cover's lines over the title, which are no
    text: its body's and programme's names, the kind of document ("Western Waterways Authority ·
    Invasive Species Programme" was the first quote for "Who heads the Western Waterways
    Authority?"). Each a short line that ends no sentence; none if the title is not there."""
    texts = [_paragraph_text(paragraph, spellings) for paragraph in paragraphs[:TITLE_PARAGRAPHS]]
    at = next((i for i, text in enumerate(texts) if title and _same_words(text, title)), 0)
    lines = all(
        len(paragraph) == 1
        and len(text.split()) <= COVER_LINE_WORDS
        and not text.rstrip().endswith((".", "!", "?"))
        and not _SAYS_WHO.search(text)
        for paragraph, text in zip(paragraphs[:at], texts)
    )
    return at if lines else 0


def _says_something(heading: str) -> bool:
    """Whether a line in a heading's font on the first page that heads nothing (another heading
    follows it) is text: a cover's label and its value ("Chair: Professor Dame Zoë Ångström
    FREng") or a long line ("Presented to Parliament by the Secretary of State…"), not a
    contents page's "2. Background"; a chapter's "Chapter 2: The night" over "2.1 The first
    warning", later on, heads its sections."""
    return ": " in heading or len(heading.split()) >= SAYS_WORDS


def _paragraph_text(paragraph: list[_Line], spellings: Spellings) -> str:
    return spellings.join_all([line.text for line in paragraph])


def _is_heading(paragraph: list[_Line], text: str, measure: _Measure) -> bool:
    """Up to three short lines in a larger font than most, or a few words in bold at least the
    body's size where bold stands out (a handbook's "Company sick pay" was a sentence of its
    own, quoted first); never a bulleted item (a datasheet's body text is larger than its
    tables, and its bullets read as headings, each naming none). A numbered one may be a
    heading ("5. How to store Veltrazine")."""
    if len(paragraph) > 3 or not _looks_like_title(text) or _SYMBOL_BULLET.match(text):
        return False
    return _larger(paragraph, measure) or (
        measure.bold_stands_out
        and all(line.bold for line in paragraph)
        and paragraph[0].size >= 0.95 * measure.size
        and len(_NUMBERING.sub("", text).split()) <= BOLD_HEADING_WORDS
        and not text.endswith((".", "!"))
    )


def _larger(paragraph: list[_Line], measure: _Measure) -> bool:
    return paragraph[0].size > 1.1 * measure.size


def _first_title(paragraphs: list[list[_Line]], measure: _Measure, spellings: Spellings) -> str | None:
    """The largest heading in a larger font among the first page's first paragraphs (under a
    small cover line, "TIDEWELL T3 USER MANUAL · REV. C", or a brand's "LINDQVIST PHARMACY"),
    else its first paragraph if it is a heading, or a single line that looks like a title."""
    if not paragraphs:
        return None
    larger = [
        (paragraph[0].size, -number, text)
        for number, paragraph in enumerate(paragraphs[:TITLE_PARAGRAPHS])
        if _larger(paragraph, measure)
        and _is_heading(paragraph, text := _paragraph_text(paragraph, spellings), measure)
        and not (number and _NUMBERING.match(text))  # a part's "2. Budget" is no title
    ]
    if larger:
        return max(larger)[2]
    first = paragraphs[0]
    text = _paragraph_text(first, spellings)
    if _is_heading(first, text, measure):
        return text
    return text if len(first) == 1 and first[0].size >= measure.size and _looks_like_title(text) else None


def _same_words(section: str | None, title: str) -> bool:
    """Whether a heading reads as the title, punctuation aside ("No. 12 — Floods", "No 12 - Floods")."""
    return section is not None and WORDS.findall(section.casefold()) == WORDS.findall(title.casefold())


def _runs_on(text: str, following: str) -> bool:
    """Whether text goes on in the line or paragraph that follows: it has no end, and the next
    opens in lower case or text ends on a word no sentence ends on ("…had cost it £9.2 million
    by 30" at a page's foot, "September 2025." over the next)."""
    end = text.rstrip('"”’)')
    return not end.endswith((".", "!", "?", ":")) and (following[:1].islower() or bool(OPEN_END.search(end)))


def _pdf_title(value: str | None) -> str | None:
    """The metadata's title, ligatures spelt out as in the text ("ﬁre" is "fire"), unless junk."""
    title = " ".join((value or "").translate(_LIGATURES).split())
    return title if title and not _JUNK_TITLE.match(title) else None


def _looks_like_title(text: str) -> bool:
    return (
        len(text) <= 150
        and len(text.split()) <= 20
        and any(ch.isalpha() for ch in text)
        and not text[:1].islower()
        and not text.endswith((".", ",", ";", ":"))
    )


def _pdf_date(value: str | None) -> str | None:
    match = _PDF_DATE.match(value or "")
    if not match:
        return None
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return day.isoformat() if day.year >= 1900 else None

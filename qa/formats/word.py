"""Word documents (.docx, python-docx): paragraphs and tables in the order written; headings,
by their styles or set apart in bold or a larger type, name the blocks under them."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from ..records import Block, Document
from .common import (
    Headings,
    Unreadable,
    comma_joined,
    content_hash,
    iso_day,
    labels_only,
    row_text,
    section_under,
    stem_title,
)
from .lines import PAGE_NUMBER, opening_date

SET_APART = 10  # a line set apart in bold or a larger type heads below every styled heading (1 to 9)
HEADING_WORDS = 10  # a bold line of more is a statement in bold, as in a PDF
HEADLINE_WORDS = 20  # a line in a larger type of more is no headline
LARGER = 1.2  # times the body's type size: a line in such type is a heading, bold or not
BODY_POINTS = 11.0  # Word's body size where the document's default style gives none
OPENING_BLOCKS = 10  # where a document states the day it was issued ("Issued 8 May 2024")
LINE_CHARS = 80  # lines broken in a paragraph this short, none a sentence, are a signature's or an address's
_PAGE_OF = re.compile(r"\s*\bpage\s+\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\W*$", re.IGNORECASE)  # a footer's "Page 2 of 3"
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_CONTENTS_STYLE = re.compile(r"^(?:toc\s*\d|toc heading)$", re.IGNORECASE)
# A bold line ending so is text; one asking ("…?") heads.
_ENDS_STATEMENT = (".", "!", ":", ";", ",", "。", "！", "：", "；", "，", "،")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .doc's container, or an encrypted .docx's
# A text box drawn in a paragraph is no part of its sentence (and Word writes it twice, the
# second for older readers).
# So is text moved away (it reads again where it was moved to).
_APART = {f"{_W}txbxContent", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback", f"{_W}moveFrom"}
# A title the file's properties carry from a template or an older document, which names no
# document: "Document1", "Word Document", "Press release template".
_JUNK_TITLE = re.compile(
    r"^(?:document\s*\d*|word document|title|untitled.*|microsoft word - .*|.*\.docx?)$|\btemplate\b", re.IGNORECASE
)


def read_docx(data: bytes, doc_id: str) -> Document:
    """A Word document's text, tables, headers and footers; any file python-docx cannot read,
    and an encrypted one (or an old .doc renamed), is `Unreadable` with a reason."""
    if data.startswith(_OLE):
        raise Unreadable("protected by a password, or an old Word file (.doc) renamed: save it as .docx")
    try:
        return _read(data, doc_id)
    except Unreadable:
        raise
    except Exception as exc:  # a zip without Word's parts, broken XML, a style without a name
        detail = " ".join(str(exc).split())[:120]
        raise Unreadable(
            f"not a Word document qa can open ({type(exc).__name__}: {detail}); save it again as .docx or .pdf"
        ) from exc


def _read(data: bytes, doc_id: str) -> Document:
    import docx  # here: a question's check of the seeds imports the readers' module, not this

    word = docx.Document(BytesIO(data))
    body = _Body(word)
    items = [item for item in _items(word.element.body, word) if not _is_paragraph(item) or not body.contents(item)]
    lines = [_lines(item) if _is_paragraph(item) else [] for item in items]
    levels = [body.level(item) if lines[n] else None for n, item in enumerate(items)]
    # The document's own title: among the headings before any text, the Title style's line,
    # else the one in the largest type ("Stenbury Library to reopen…" under "PRESS RELEASE").
    said = [n for n, item in enumerate(items) if lines[n] or not _is_paragraph(item)]
    # A styled heading may be broken into lines ("Part 2⏎The Budget"); one set apart by its look is one line.
    heading = [level is not None and (len(found) == 1 or level < SET_APART) for level, found in zip(levels, lines)]
    opening = list(itertools.takewhile(lambda n: heading[n], said))
    top = max(opening, key=lambda n: (levels[n] == 0, body.points_of(items[n]), -n), default=None)
    title = " ".join(lines[top]) if top is not None else None
    # Its first "Heading 1" stands for the document only where it is that title.
    headings = Headings(titled=top is None or levels[top] != 1)
    blocks: list[Block] = []
    section: str | None = None
    for n, (item, level) in enumerate(zip(items, levels)):
        if not _is_paragraph(item):
            blocks.extend(_rows(item, section))
            continue
        if not lines[n]:
            continue
        following = next((levels[m] for m in range(n + 1, len(items)) if lines[m] or not _is_paragraph(items[m])), 0)
        # A line set apart with nothing under it (another heading next) stays text: an
        # organisation's name over "PRESS RELEASE".
        if heading[n] and not (level == SET_APART and following is not None):
            if level or n != top:  # the Title style's line over all names the document; later, a part
                section = headings.enter(level or 1, " ".join(lines[n]))
            continue
        blocks.extend(Block(line, section=section) for line in _as_written(lines[n]))
    day = opening_date([b.text for b in blocks[:OPENING_BLOCKS]])  # the text's, not a footer's
    blocks.extend(_margins(word))
    if not blocks:
        raise Unreadable("no text in the document (its footnotes, comments and text boxes are not read)")
    core = word.core_properties
    named = " ".join((core.title or "").split())
    created = core.created  # the day the file was first saved: where its opening states no day
    return Document(
        doc_id,
        title or (named if named and not _JUNK_TITLE.search(named) else None) or stem_title(doc_id),
        day or iso_day(created.isoformat() if created else None),
        None,
        "docx",
        tuple(blocks),
        content_hash(data),
    )


def _items(container: Any, parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body or a cell in order, those in a content control too
    (a template's or a form's fields), which python-docx's `iter_inner_content` passes over."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield Paragraph(child, parent)
        elif child.tag == f"{_W}tbl":
            yield Table(child, parent)
        elif child.tag == f"{_W}sdt" and (content := child.find(f"{_W}sdtContent")) is not None:
            if not _placeholder(child):
                yield from _items(content, parent)
        elif child.tag == f"{_W}customXml":
            yield from _items(child, parent)


def _placeholder(control: Any) -> bool:
    """Whether a content control shows its placeholder ("Click or tap here to enter text."), a
    blank form's prompt, not text."""
    return control.find(f"{_W}sdtPr/{_W}showingPlcHdr") is not None


def _margins(word: Any) -> list[Block]:
    """The text of the pages' headers and footers, once each, after the body: what a policy's
    footer alone says ("Approved by the People Committee on 21 January 2025", a charity's
    number). A page's number is no text."""
    blocks: list[Block] = []
    seen: set[str] = set()
    for section in word.sections:
        for name, parts in (
            ("Header", (section.header, section.first_page_header, section.even_page_header)),
            ("Footer", (section.footer, section.first_page_footer, section.even_page_footer)),
        ):
            for part in parts:
                if part.is_linked_to_previous:  # none of its own
                    continue
                for item in _items(part._element, part):
                    found = [_PAGE_OF.sub("", line) for line in _lines(item)] if _is_paragraph(item) else []
                    rows = [] if _is_paragraph(item) else [b.text for b in _rows(item, None)]
                    for text in (line for line in [*found, *rows] if line and not PAGE_NUMBER.match(line)):
                        if text not in seen:
                            seen.add(text)
                            blocks.append(Block(text, section=name))
    return blocks


def _is_paragraph(item: Any) -> bool:
    return item._element.tag == f"{_W}p"


def _text(paragraph: Any) -> str:
    """A paragraph's text as Word shows it, changes tracked and not yet accepted included (a
    draft's inserted words are in `w:ins`, which python-docx's `text` passes over, as it does a
    field's result and a content control's text); deleted words are `w:delText`, not read. A
    line break ends a line; a page's or a column's break goes on with the sentence."""
    parts = []
    for element in paragraph._p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        if any(ancestor.tag in _APART or _hidden(ancestor) for ancestor in element.iterancestors()):
            continue
        tag = element.tag.removeprefix(_W)
        if tag == "t":
            parts.append(element.text or "")
        elif tag == "noBreakHyphen":
            parts.append("-")
        elif tag == "br" and element.get(f"{_W}type") in ("page", "column"):
            parts.append(" ")
        else:
            parts.append("\n" if tag in ("br", "cr") else " ")
    return "".join(parts)


def _hidden(element: Any) -> bool:
    """Whether an element hides its text: a run set hidden (a template's instructions), or a
    content control showing its placeholder."""
    if element.tag == f"{_W}r":
        return element.find(f"{_W}rPr/{_W}vanish") is not None
    return element.tag == f"{_W}sdt" and _placeholder(element)


def _lines(paragraph: Any) -> list[str]:
    return [line for line in (" ".join(part.split()) for part in _text(paragraph).split("\n")) if line]


def _as_written(lines: list[str]) -> list[str]:
    """A paragraph's lines, apart; short ones that end no sentence (a name over a post, an
    address) read as one, apart by commas: "Priya Natarajan, Director of Finance"."""
    if len(lines) > 1 and all(len(line) <= LINE_CHARS and not line.endswith((".", "!", "?")) for line in lines):
        return [comma_joined(lines)]
    return lines


@dataclass(frozen=True)
class _Style:
    """What a paragraph style says of its paragraphs: its name, whether it sets them in bold,
    its type size (its own or the style's it is based on), whether it numbers them as a list."""

    name: str
    bold: bool
    points: float | None
    listed: bool


class _Body:
    """What sets a paragraph apart as a heading in this document: its style, or bold or a
    larger type than the body's. Each style is read once: python-docx looks a paragraph's
    style up through all of the document's, and a document of 2,000 paragraphs took 2.4 s."""

    def __init__(self, word: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        normal = word.styles.default(WD_STYLE_TYPE.PARAGRAPH)  # "Normal", by any name
        size = normal.font.size if normal is not None else None
        self.points = size.pt if size is not None else BODY_POINTS
        self._styles: dict[str | None, _Style] = {}

    def style(self, paragraph: Any) -> _Style:
        key = paragraph._p.style
        if key not in self._styles:
            style = paragraph.style
            name = (style.name if style is not None else None) or ""
            points, listed, based = None, False, style
            while based is not None:  # the chain of styles it is based on
                points = points if points is not None or based.font.size is None else based.font.size.pt
                listed = listed or based.element.find(f"{_W}pPr/{_W}numPr") is not None
                based = based.base_style
            bold = bool(style is not None and style.font.bold)
            self._styles[key] = _Style(name, bold, points, listed)
        return self._styles[key]

    def contents(self, paragraph: Any) -> bool:
        """Whether a paragraph is a line of Word's table of contents ("Findings … 2")."""
        return _CONTENTS_STYLE.match(self.style(paragraph).name) is not None

    def level(self, paragraph: Any) -> int | None:
        """0 for the Title style, 1 to 9 for "Heading 1" to "Heading 9", SET_APART for a short
        line all in bold or in a larger type that ends no statement (a writer's own heading),
        not a list's item, else None."""
        style = self.style(paragraph)
        if style.name.lower() == "title":
            return 0
        if styled := _HEADING_STYLE.match(style.name):
            return int(styled.group(1))
        text = " ".join(_text(paragraph).split())
        runs = [run for run in paragraph.runs if run.text.strip()]
        listed = style.listed or paragraph._p.find(f"{_W}pPr/{_W}numPr") is not None
        if not runs or listed or text.endswith(_ENDS_STATEMENT):
            return None
        if self.points_of(paragraph) >= LARGER * self.points:  # a headline may run longer
            return SET_APART if len(text.split()) <= HEADLINE_WORDS else None
        bold = all(run.bold or (run.bold is None and style.bold) for run in runs)
        return SET_APART if bold and len(text.split()) <= HEADING_WORDS else None

    def points_of(self, paragraph: Any) -> float:
        """The smallest type a paragraph's words are in: its runs' own, else its style's, else
        the body's."""
        style_points = self.style(paragraph).points or self.points
        sizes = [
            run.font.size.pt if run.font.size is not None else style_points
            for run in paragraph.runs
            if run.text.strip()
        ]
        return min(sizes, default=style_points)


def _rows(table: Any, section: str | None) -> list[Block]:
    """A table's rows, each a block of its cells between pipes, a merged cell once, and the
    rows of a table inside a cell after its row. A first row of labels is the header that
    names the rows under it, and no sentence; not a form's first field ("To: | All Heads of
    Service", a bold label or one ending in a colon). A first row in bold, or marked to repeat
    on every page, is a header even with figures ("Region | Q1 | Q2"), and stays a sentence
    too, as a Markdown table's does. A row of one cell across the table names the rows under
    it too ("In attendance (non-voting)")."""
    rows: list[list[str]] = []
    inner: list[list[Block]] = []
    bold: list[list[bool]] = []  # each row's cells: all their words in bold
    for row in table.rows:  # python-docx works each row's cells out again at every `row.cells`
        cells, nested, in_bold, seen = [], [], [], set()
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(cell._tc)
            items = list(_items(cell._tc, cell))
            cells.append(" ".join(line for item in items if _is_paragraph(item) for line in _lines(item)))
            nested.extend(item for item in items if not _is_paragraph(item))
            runs = [run for p in cell.paragraphs for run in p.runs if run.text.strip()]
            in_bold.append(bool(runs) and all(run.bold for run in runs))
        rows.append(cells)
        inner.append([b for t in nested for b in _rows(t, section)])
        bold.append(in_bold)
    bold_labels = all(cells[:1] == [True] for cells in bold)
    marked = bool(rows) and (
        table.rows[0]._tr.find(f"{_W}trPr/{_W}tblHeader") is not None or (bool(bold[0]) and all(bold[0]))
    )
    # A form's fields, a label and its value, in bold or ending in a colon: no header row.
    form = bool(rows) and (
        (bold_labels and max(map(len, rows)) == 2) or any(cell.endswith(":") for cell in rows[0] if cell)
    )
    header = None
    blocks: list[Block] = []
    if len(rows) > 1 and len(rows[0]) > 1 and not form and all(rows[0]) and (marked or labels_only(rows[0])):
        header = " | ".join(rows[0])
        if not labels_only(rows[0]):  # it says something: "Q1" is a quarter's figure
            blocks.append(Block(header, section=section))
        rows, inner = rows[1:], inner[1:]
    group = None
    wide = max((len(cells) for cells in rows), default=0) > 1
    for cells, nested in zip(rows, inner):
        if wide and len(cells) == 1 and cells[0]:
            group = cells[0]  # a row across the table, over the rows it groups
            continue
        names = ": ".join(name for name in (header, group) if name) or None
        if text := row_text(cells):
            blocks.append(Block(text, section=section_under(section, names)))
        blocks.extend(nested)
    return blocks

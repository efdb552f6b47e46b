"""Readers: the bytes of one file → a `Document` with its title, date, URL and blocks.

One reader per file type, chosen by suffix (`READERS`): plain text and the news format,
Markdown (markdown-it-py), HTML (trafilatura), PDF (pypdf) and Word (python-docx). A reader raises `Unreadable`
with a short reason for a file that cannot be indexed (binary, wrong encoding, empty,
encrypted, no text), and never any other exception.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from pathlib import Path

from ..records import Document
from .common import MAX_FILE_BYTES, Reader, Unreadable, content_hash, decode_text
from .layout import tidy

__all__ = [
    "MAX_FILE_BYTES",
    "READERS",
    "READERS_VERSION",
    "UPLOAD_SUFFIXES",
    "Unreadable",
    "content_hash",
    "decode_text",
    "read",
    "read_document",
    "reader",
    "supported_suffixes",
]

# What the readers make of a file's bytes; a change re-reads every document of an index (2: a
# plain text's headline is its title and a text saved one paragraph per line is read so; the
# news header takes ISO dates; 3: a PDF's paragraphs apart by a gap, its wrapped headings one,
# its date the one its opening states; 4: Markdown dates written other ways than ISO; 5: plain
# text unwrapped, its headings and date, Markdown's bold headings; 6: web pages saved as .txt;
# 7: plain-text headings only over text, compounds kept whole, stricter opening dates, bold
# list items and lines of only a no-break space in Markdown; 8: a web page with no article
# element read from the block around its heading, an email's header as its title and date,
# Markdown's date from its opening, a byline's date, a byline no heading; 9: Markdown read as
# rendered, without emphasis marks, link targets and table pipes; 10: a list of links is no
# article text, email headers kept whole, bylines' dates only at their end; 11: a table's rows
# under its header row; 12: after review: a memo's own fields, hard-broken lines, empty cells;
# 13: a letter's date line no heading, Markdown lines of labelled fields apart; 14: a diary's
# date lines head their days, only bold labels make Markdown fields; 15: no tables of contents,
# a live page's time stamps in the sections of its updates, Markdown's run-in headings and a
# transcript's speakers as sections, a web page's byline, no date of a span or a closing date;
# 16: a PDF's running header of several lines; 19: a headline's label and a picture's credit
# in brackets no text, a subtitle <h2> no section, a columnist's byline, a transcript's opening
# cue and a journal's name over its date no headings, a paper's long title line; 20: a PDF's
# sentence going on over a page after a function word or a day; a text's day under its title
# no sentence, a release's mark over it none either, headings in sentence case between prose,
# a table's header row of labels no sentence, a wire story's update mark and credits no text,
# a PDF's table row one line under its bold header row, a forum reply after its quotation
# read, a poster's box not); 21: a release's letterhead no title, an issued day before a day in
# the title, a meeting's day and place dating it, a byline's time of day and a reading time no
# text, a forum thread's replies after its first post read, a PDF cover's title and "Issued …"
# below a brand, a division and a kind of report, a quoted message's "Date:" and "Subject:" no text
# nor its signer a heading, a journal and its day under a headline in one paragraph no text, a
# speaker named in mixed case, with a title or a role, a transcript's turn; a text's pipe table
# without its rule and its header of labels, a dateline of its own no heading; a PDF's short line
# ending on a word that goes on, in a narrow column, no paragraph's end; 22: a byline's date
# written as plain text no part of it, a caption between the headline and the story's container
# read, a newsletter's issue line under its name no text, a heading over a credited post, a
# signature's lines apart by commas; 23: a PDF table's cells run into one line read apart, a
# PDF cover's lines over its title no text, a signature of up to six lines, lines of fields no
# heading, a question set apart a heading, a byline's "· Updated" no text, a forum thread dated
# by its first post, a quoted post's "X wrote:" before its words); 24: an HTML page's source line
# breaks as spaces, no permalink marks nor code, a definition's term as its section; Markdown's
# wiki links as their words, a line of links no text, a daily note dated by its name; a PDF's word
# in another font a word space on no table's cell, its contents lines with spaced leaders none
# of its text; a text wrapped by hand going on after a line cut mid-sentence, a numbered clause's
# name ("4. Redistribution.") its section, a box of asterisks its text; 25: Word documents; 26: a Word table's first
# row in bold its header, figures or not.
READERS_VERSION = 26

# Each suffix's reader as "module.function", imported for the first file it reads: a question's
# check that the seeds are unchanged needs only the suffixes, and the readers' imports
# (markdown-it, their many patterns) took a tenth of a one-shot question's time.
READERS: dict[str, str] = {
    ".txt": "text.read_txt",
    ".md": "markdown.read_markdown",
    ".markdown": "markdown.read_markdown",
    ".html": "html.read_html",
    ".htm": "html.read_html",
    ".pdf": "pdf.read_pdf",
    ".docx": "word.read_docx",
}
UPLOAD_SUFFIXES: tuple[str, ...] = tuple(sorted(READERS))  # the file types a user may upload


def supported_suffixes() -> tuple[str, ...]:
    return UPLOAD_SUFFIXES


@cache
def reader(suffix: str) -> Reader:
    """The reader of files with this suffix (one of `READERS`)."""
    module, _, name = READERS[suffix].rpartition(".")
    return getattr(import_module(f"{__name__}.{module}"), name)


def read_document(data: bytes, doc_id: str) -> Document:
    """The document in data, read by the reader for doc_id's suffix; `Unreadable` for a file
    type without a reader or a file larger than `MAX_FILE_BYTES`."""
    suffix = Path(doc_id).suffix.lower()
    if suffix not in READERS:
        raise Unreadable(f"unsupported file type {suffix or '(none)'}: use one of {', '.join(UPLOAD_SUFFIXES)}")
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable(f"larger than {MAX_FILE_BYTES // 2**20} MiB")
    return read(data, doc_id)


def read(data: bytes, doc_id: str) -> Document:
    """The document in data, read by the reader for doc_id's suffix (which must have one),
    then tidied by the rules every format shares (layout.py)."""
    return tidy(reader(Path(doc_id).suffix.lower())(data, doc_id))

"""Plain text and the news format (title, date and URL on the first three lines); a web page
saved as .txt is read as the web page it is."""

from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import date
from email.utils import parsedate_to_datetime
from itertools import pairwise

from ..records import Block, Document
from .common import (
    URL_LINE,
    Unreadable,
    comma_joined,
    content_hash,
    dates_in,
    decode_text,
    labels_only,
    section_under,
    stem_title,
)
from .html import read_html
from .lines import FIELD, OPEN_END, PAGE_NUMBER, Spellings, opening_date, states_day

_DATE_LINE = re.compile(r"^\s*(\d{4})([-/]?)(\d{2})\2(\d{2})\s*$")  # 20220127, 2022-01-27, 2022/01/27
_WEB_PAGE = re.compile(r"<(!doctype\s+html|html)\b", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n")  # [^\S\n]: any space but a line break (a form feed too)
# A list item: "- ", "* ", "• ", "1. ", "2) ", "(a) "; a numbered one may be a heading instead.
_MARKED = re.compile(r"^\s*(?:[-*•+]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")
# A list item's dash or bullet, no word of its quote ("- Household grants…"); not a "+" or "*",
# which may be a sign or a footnote's mark ("+ 3% for milk", "* Figures are provisional").
_BULLET = re.compile(r"^\s*[-•▪◦‣]\s+(?=\S)")
_NUMBERED = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*\.?\s+[^\W\d_]")
# A numbered clause's name in title case with its full stop, a line of its own ("1. Definitions.")
# or run in before its text ("4. Redistribution. You may reproduce…"), as a licence, a contract or
# minutes write them; not an item in sentence case ("1. Call the office.").
_SMALL_WORDS = r"(?:a|an|and|as|at|by|for|from|in|into|of|on|or|the|this|to|with)"
_CLAUSE = re.compile(
    # A name of one word is no title's short form ("7.2 Prof. Solbakken asked…").
    rf"(\d{{1,3}}(?:\.\d{{1,3}})*\.?\s+(?:[A-Z][\w'’-]{{4,}}|[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|{_SMALL_WORDS})){{1,7}}))\."
    r"(?=\s+[\"“(]?[A-Z]|\s*$)"  # the text after it opens a sentence: not "12.1 Bylaw No. 2004-07"
)
_QUOTE_MARKS = re.compile(r"(?m)^[ \t]*(?:>[ \t]?)+")  # "> " and "> > " opening quoted lines
# A signed message's armour, "-----BEGIN … ADVISORY-----", its "Hash: SHA256" header and its
# signature: no text, and no title.
_SIGNATURE = re.compile(r"^-{5}BEGIN PGP SIGNATURE-{5}$.*?^-{5}END PGP SIGNATURE-{5}[ \t]*$", re.MULTILINE | re.DOTALL)
_ARMOUR = re.compile(
    r"^[ \t]*-{3,}[ \t]*(?:BEGIN|END)\b[^\n]*-{3}[ \t]*$(?:\n(?:Hash|Version|Comment): [^\n]*$)*", re.MULTILINE
)
# A dateline's place before its day and the time after it ("Vevey, 15 September 2025, 07:00 CEST").
_PLACE_BEFORE = re.compile(r"[A-Z][\w.'’ -]{1,40},\s*(?:[A-Z][a-z]+day,?\s*)?")
_TIME_AFTER = re.compile(r"(?:,?\s*\d{1,2}[:.]\d{2}(?:\s*[A-Z]{2,5})?)?\s*")
_YEAR = re.compile(r"\d{4}")
_ALIGNED_FIELD = re.compile(r"[^:]*:\s{2}")  # a form's field, its value set apart to line up with the others
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")  # "|---|---|"
_NUMBER = re.compile(r"\s*(\d{1,3}(?:\.\d{1,3})*)\.?\s")  # a heading's number: "10" of "10. Versions"
_STARS = re.compile(r"[ \t]*\*{10,}[ \t]*")  # a box's top or bottom, drawn in asterisks
_FRAMED = re.compile(r"[ \t]*\*(?P<inside>.*)\*[ \t]*")  # a line inside it: "*  6. Disclaimer of Warranty   *"
_UNDERLINE = re.compile(r"^\s*([=\-_~*#])\1{2,}\s*$")  # a line of "===" or "---": a rule, no text
# (No "[^\n]*\S[^\n]*": on a long line that is no heading, it tries every split of it.)
_UNDERLINED_HEADING = re.compile(r"(?m)^(?P<heading>[^\n]*\S)[ \t]*\n[ \t]*([=\-~])\2{2,}[ \t]*$")
# An email saved as text: its header lines, a reply's prefixes, and the line over a quoted one.
_EMAIL_HEADER = re.compile(r"^\s*(from|to|cc|bcc|date|sent|subject|reply-to)\s*:\s*(.*)$", re.IGNORECASE)
_HEADER_FIELD = re.compile(r"^([A-Za-z][\w-]*):[ \t]*(.*)$")
_PEOPLE = ("from", "to", "cc")  # header lines kept as text: who wrote to whom
# The fields of a header: those read, and those of the mail system, dropped ("Message-ID: <…>");
# any other ("Place: Town hall") is the memo's own text, after the header.
_READ_FIELDS = {"from", "to", "cc", "bcc", "date", "sent", "subject", "re", "reply-to"}
_MAIL_FIELDS = re.compile(
    r"^(message-id|in-reply-to|references|mime-version|content-[\w-]+|received|return-path|delivered-to|"
    r"importance|priority|thread-[\w-]+|x-[\w-]+)$"
)
_ORIGINAL = re.compile(r"^\W*-{2,}\s*(?:original message|forwarded message)\s*-{2,}\W*$", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|tr)\s*:\s*)+", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"\bwrote:\s*$")
# A letter's greeting and its close: each read with the text beside it, not as a sentence of its
# own ("Dear Mayor," came first for "What did the mayor say?"; "Harbour Master, Porto Velha", a
# signature's last line, for "Who is the harbour master?", without the name above it).
_GREETING = re.compile(
    r"^\s*(?:dear\s[^.!?:;]{1,60}[,:]|(?:hi|hello|hey|good (?:morning|afternoon|evening))(?:\s[^.!?:;]{1,60})?[,!]"
    r"|to whom it may concern[,:]?|(?:dear\s+)?(?:sir|madam|sir or madam|sirs)[,:])\s*$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best(?: wishes)?|(?:many )?thanks|thank you|cheers|all the best|respectfully|love|yours),"
    r"|(?:with )?(?:best |kind |warm |warmest )?regards[,.!]?|yours (?:sincerely|faithfully|truly)[,.!]?"
    r"|sincerely(?: yours)?[,.!]?)\s*$",
    re.IGNORECASE,
)
# More after a sign-off are more text, not a signature (a name, a post, a body, an address, a
# telephone, a website)
SIGNATURE_LINES = 6
SIGNATURE_CHARS = 80  # a signature's line (a name, a post, a telephone number) is short
UNWRAPPED = 100  # lines of prose longer than this were not wrapped by hand
PROSE_SPACES = 6  # a line of prose has words, not one long address
# A newsletter's or a journal's issue under its name: "Issue 142 | Summer", "Vol. 3, No. 12"
_ISSUE_LINE = re.compile(r"^\W*(?:issue|vol(?:ume|\.)?|no\.|number|edition)\s*\d+\b[^.!?]{0,40}$", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*[Bb][Yy]\s+[A-Z]")  # "By Carmen Vidal | Hoy Almadena | 18 April 2025"
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)")
# A transcript's turn opens with its speaker in capitals, perhaps after a time and before an
# aside: "ÜMIT AKSOY: Thank you.", "[00:01:05] TOMÁŠ DVOŘÁK: …", "JOURNALIST (Marek Sołtys, TVR): …".
# The speaker is in the section of every sentence of the turn, up to the next speaker or
# heading (an answer may run over several paragraphs): who said a sentence is part of where it is.
_TIMESTAMP = re.compile(r"^\[?\d{1,2}(?::\d{2}){1,2}\]?\s+")
_ASIDE = re.compile(r"\s*\([^()]{1,80}\)$")
# A press release's marks, not its text: "FOR IMMEDIATE RELEASE" over the headline (taken for
# the title), "ENDS" or "###" after the story; and its contact block, quoted line by line
# ("Tel: +44 (0)1632 960 415"), with "Follow us: @NorthfellWater".
_RELEASE_MARK = re.compile(
    r"^\W*(?:for immediate release\b.*|for release (?:at|on|until|after)\b.*|embargoed (?:until|till|to)\b.*"
    r"|(?:press|news|media) release|(?-i:ENDS?)|#{3}|-\s?30\s?-)\W*$",
    re.IGNORECASE,
)
# A label and a colon open the contact block ("Media contact:", "For more information, contact:");
# "Press inquiries into the fund began in 2019" and "For further information, see Annex B." are text.
_CONTACTS = re.compile(
    r"^\W*(?:(?:media|press|news)\s+(?:contacts?|enquiries|inquiries)|for (?:further|more) information|follow us)"
    r"\b[^.!?:]{0,30}:",
    re.IGNORECASE,
)
# A wire story's credits, in brackets at its end: "(Reporting by Jonas Weiß; editing by Oliver
# Brandt)"; and the mark of an update over its headline: "UPDATE 2-Baby formula maker…".
_WIRE_CREDITS = re.compile(
    r"^\s*\((?:additional\s+)?(?:reporting|writing|editing|compiled|compiling)\s+by\b[^()]*\)\s*$", re.IGNORECASE
)
_WIRE_UPDATE = re.compile(r"^(?:UPDATE|REFILE|CORRECTED|RPT|WRAPUP|EXCLUSIVE)(?:\s+\d+)?\s*-\s*(?=\S)")
# A line that introduces a quotation: "Helen Marsh-Okafor, Chief Executive of Northfell Water, said:"
_INTRODUCES = re.compile(
    r"\b(?:said|says|added|adds|told \w+|wrote|writes|stated|states|commented|explained|continued|warned)\s*:$"
)
PAGE_LINE_CHARS = 100  # a page's head or foot line is no longer than this
_NOTE = re.compile(r"^\s*[\[(].*[\])]\s*$")  # a transcriber's note: "[END OF SEGMENT]", "(Applause)"
SPEAKER_WORDS = 5
SPEAKER_TITLED_WORDS = 9  # "Nadia Perret-Ambühl, Head of Investor Relations"
_ROLES = frozenset({"operator", "analyst", "moderator", "host", "interviewer", "presenter", "reporter", "caller"})
_NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "bin", "al", "ó", "ní"})
SPEAKER_CHARS = 120  # with a time and an aside
MIN_TURNS = 3  # fewer labelled lines are a post's "BREAKING:", not a transcript's turns
HEADING_CHARS = 200
HEADING_WORDS = 15
SUBHEADING_WORDS = 4  # a heading in sentence case, between paragraphs of prose
QUESTION_HEADING_WORDS = 10  # one asked ("How long will the footbridge stay in place?")
TITLE_WORDS = 30  # a first line set apart may be a paper's title: "Correction to: Iota-carrageenan…"
DATE_LINE_WORDS = 6
DATELINE_WORDS = 10  # a day and a place: "Wednesday, 2 April 2025, County Hall, Ashbourne"
MIN_WRAPPED = 5  # wrapped lines needed to tell the wrap width
_ALIGNED = re.compile(r"\S {3,}\S")  # columns set apart by spaces: a table's or a form's line
LETTERHEAD_LINES, LETTERHEAD_WORDS = 4, 8  # a sender's name and address over "PRESS RELEASE"
# A name alone on its line, as a journal's is ("Pharma Ledger", "The Porthelin Courier, Monday"):
# capitalised words, no figure.
_NAME_LINE = re.compile(r"(?:The\s+)?[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,4}(?:,\s+[A-Z][a-z]+day)?")
MIN_SENTENCE_LINES = 3  # lines ending sentences, and none wrapped, that show a text written a sentence a line


def line_blocks(text: str) -> tuple[Block, ...]:
    """One block per non-blank line, as the news format stores one paragraph per line."""
    return tuple(Block(line) for line in text.split("\n") if line.strip())


def _is_web_page(text: str) -> bool:
    """Whether the text opens as an HTML page does, after any comments."""
    head = text.lstrip("\ufeff \t\r\n")
    while head.startswith("<!--"):
        end = head.find("-->")
        if end < 0:
            return False
        head = head[end + 3 :].lstrip()
    return _WEB_PAGE.match(head) is not None


def news_header(text: str) -> tuple[str, str, str, str] | None:
    """(title, iso date, url, body) when the text starts with the news header, else None."""
    lines = text.split("\n", 3)
    if len(lines) < 3:
        return None
    title, day, url = lines[0].strip(), lines[1], lines[2].strip()
    match = _DATE_LINE.match(day)
    if not title or not match or not URL_LINE.match(url):
        return None
    year, _, month, day_of_month = match.groups()
    try:
        iso = date(int(year), int(month), int(day_of_month)).isoformat()
    except ValueError:
        return None
    return title, iso, url, lines[3] if len(lines) > 3 else ""


def read_txt(data: bytes, doc_id: str) -> Document:
    text = decode_text(data)
    if _is_web_page(text):  # a page saved under another name: its markup is no text to quote
        return read_html(data, doc_id)
    header = news_header(text)
    if header:
        title, iso, url, body = header
        blocks = line_blocks(body)
        if not blocks:
            raise Unreadable("news header but no paragraphs")
        return Document(doc_id, title, iso, url, "news", blocks, content_hash(data))
    subject, sent, text = email_header(text)
    title, blocks, opening = plain_text(text)
    if not blocks:
        raise Unreadable("an email header but no text" if subject or sent else "no text")
    day = sent or opening_date(opening)
    return Document(doc_id, subject or title or stem_title(doc_id), day, None, "text", blocks, content_hash(data))


def email_header(text: str) -> tuple[str | None, str | None, str]:
    """(subject, ISO day sent, the rest) of an email or memo saved as text, whose opening lines
    are its header ("From: …", "Subject: …", a field's value going on indented on the next
    line); (None, None, text) for any other text. The subject, without "Re:", is the title and
    the day it was sent the date; who wrote to whom stays text to quote, the mail system's
    fields ("Message-ID: …") are dropped, and the header ends at any other ("Place: …")."""
    lines = text.lstrip("\ufeff").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    fields: list[list[str]] = []  # [name, value]
    end = start
    while end < len(lines):
        line = lines[end]
        field = _HEADER_FIELD.match(line)
        if field and (field[1].lower() in _READ_FIELDS or _MAIL_FIELDS.match(field[1].lower())):
            fields.append([field[1].lower(), field[2].strip()])
        elif fields and line[:1] in (" ", "\t") and line.strip():
            fields[-1][1] = f"{fields[-1][1]} {line.strip()}"
        else:
            break
        end += 1
    names = {name for name, _ in fields}
    if len(fields) < 2 or not {"from", "subject"} & names or not {"from", "to", "date", "sent"} & names:
        return None, None, text
    values = dict(reversed(fields))  # the first of a field given twice
    subject = _REPLY_PREFIX.sub("", values.get("subject") or values.get("re") or "") or None
    kept = [f"{name.capitalize() if name != 'cc' else 'Cc'}: {value}" for name, value in fields if name in _PEOPLE]
    # Each kept field a paragraph of its own; the body as it was written, its wrapped lines too.
    rest = "\n\n".join([*kept, "\n".join(lines[end:])])
    return subject, _sent_day(values.get("date") or values.get("sent") or ""), rest


def _sent_day(value: str) -> str | None:
    try:
        return parsedate_to_datetime(value).date().isoformat()  # "Fri, 14 Mar 2025 09:12:40 +0100"
    except (TypeError, ValueError, IndexError, OverflowError):
        return next((day for _, day in dates_in(value)), None)  # "Friday, March 14, 2025 9:12 AM"


def plain_text(text: str) -> tuple[str | None, tuple[Block, ...], list[str]]:
    """(headline or None, paragraphs, its lines as read, headings too) of a plain text.

    Paragraphs are separated by blank lines (a line of only spaces, a no-break space or a form
    feed is blank too). A text with no blank line was saved with one paragraph per line when,
    after its first line, there are two lines or more, most of them (80%) end as sentences
    do, and none starts in lower case (a wrapped line's continuation does). Lines wrapped by
    hand are joined, and words hyphenated at a line end mended; a line after which the next
    line's first word would have fitted was ended by the writer and stays a line of its own,
    as do a list item, a quoted email's header line and the line after "… wrote:" (see
    `_runs`). Quoted lines ("> ") lose their marks and read as text.

    A heading names the paragraphs that follow and is no sentence to quote: a short line that
    does not end as a sentence, opening its paragraph with the paragraph's text under it
    ("12/24 Play area" over its minute), or a paragraph of its own that looks like one
    (numbered, in capitals, in title case, or underlined with "===") before one that does not.
    The text's first line, if short and unpunctuated, is its headline. A short line of its own
    written as a sentence ("Prices rose 5% in March") is text.
    """
    text = _ARMOUR.sub("", _SIGNATURE.sub("", _QUOTE_MARKS.sub("", _without_quoted_headers(_unframed(text)))))
    underlined: set[str] = set()  # "Introduction" over a line of "===": a heading by its writer's say

    def set_apart(match: re.Match) -> str:
        underlined.add(" ".join(match["heading"].split()))
        return match["heading"] + "\n"

    text = _UNDERLINED_HEADING.sub(set_apart, text)
    paragraphs = [[line for line in part.split("\n") if line.strip()] for part in _BLANK_LINES.split(text)]
    paragraphs = [lines for lines in _without_letterhead(paragraphs) if lines and not _release_furniture(lines)]
    paragraphs = _across_pages([lines for lines in map(_unmarked, map(_pipe_table, paragraphs)) if lines])
    if len(paragraphs) == 1:
        body = paragraphs[0][1:]
        ended = sum(bool(_ENDS_SENTENCE.search(line)) for line in body)
        if len(body) >= 2 and ended >= 0.8 * len(body) and not any(line.lstrip()[:1].islower() for line in body):
            paragraphs = [[line] for line in paragraphs[0]]
    if not paragraphs:
        return None, (), []
    spellings = Spellings.of(line for lines in paragraphs for line in lines)
    width = _wrap_width(paragraphs)
    read = [
        [spellings.join_all([line.strip() for line in run], typeset=False) for run in _runs(lines, width)]
        for lines in paragraphs
    ]
    read = _introduced([paragraph for paragraph in _greet(read) if paragraph])
    # A line that is a date heads what follows in a diary or a log, where there are several;
    # a letter's one "3 February 2025" dates it and heads nothing.
    dated = sum(_is_date(run) for runs in read for run in runs) >= 2

    def heads(text: str, words: int = HEADING_WORDS) -> bool:
        # A dateline of its own ("Vevey, 15 September 2025, 07:00 CEST") heads nothing either.
        return _is_heading(text, words) and (dated or not (_is_date(text) or _dateline(text)))

    title: str | None = None
    section: str | None = None
    blocks: list[Block] = []
    opening: list[str] = []
    # A name in mixed case labels a turn too, with its title ("Matthias Züger, Chief Financial
    # Officer: …"), or alone if it labels several ("Operator: …", "Analyst: …").
    labels = Counter(label for runs in read for run in runs if (label := _label(run)))
    repeated = {label for label, count in labels.items() if count > 1}

    def turn_of(run: str) -> str | None:
        return _speaker(run) or _named_speaker(run, repeated)

    speakers = [_TIMESTAMP.sub("", label) for runs in read for run in runs if (label := turn_of(run))]
    # A transcript's speakers take turns: a memo's "TO:", "FROM:" and "RE:" come once each.
    transcript = len(speakers) >= MIN_TURNS and 2 <= len(set(speakers)) < len(speakers)
    speaker: str | None = None  # whose turn it is, in a transcript: until the next one or a heading
    clause: str | None = None  # a numbered clause run in before its text: until the next number or heading
    above: str | None = None  # the heading over numbered clauses ("TERMS AND CONDITIONS" over "1. Definitions.")
    numbered = False  # whether the section is a clause's own heading
    # A question set apart between paragraphs heads them where other such lines do ("When will
    # the bridge reopen?" among "Temporary footbridge" and "Free shuttle bus" was a sentence).
    subheaded = any(
        len(runs) == 1 and heads(runs[0]) and _subheading(runs[0], read[n - 1] if n else None, read[n + 1])
        for n, runs in enumerate(read[:-1])
    )
    for number, runs in enumerate(read):
        following = read[number + 1] if number + 1 < len(read) else None
        first = runs[0]
        # A name alone over a quoted message's "From: …" signs the reply; it heads nothing.
        signs = following is not None and following[0].lower().startswith("from:")
        set_apart = (
            len(runs) == 1
            and not signs
            and (
                _looks_like_heading(first)
                or " ".join(first.split()) in underlined
                or _subheading(first, read[number - 1] if number else None, following)
            )
        )
        if number == 1 and title and len(runs) == 1 and not dated and (_dates_it(first) or _ISSUE_LINE.match(first)):
            opening.append(first)  # the day it came out, or its issue, under the headline
            continue
        # Neither heads what follows: a transcriber's note ("[00:00:00] [THEME MUSIC]"; not a
        # part's "[PART TWO: QUESTIONS]"), and a journal's or a newsletter's name over the day it
        # came out, under the title ("Published 9 May 2025"; a "Closing date" further on heads it).
        aside = (transcript and _NOTE.match(first) and not _speaker(first)) or (
            number == 1 and len(runs) == 2 and _dates_it(runs[1])
        )
        # A paper's title may run long ("Correction to: Iota-carrageenan nasal spray for…"); a
        # long first sentence left without its full stop is no title.
        titled = ": " in first or _looks_like_heading(first)
        # (Or over the journal's name and the day: "The Porthelin Courier, Monday 20 October 2025".)
        alone = len(runs) == 1 or (len(runs) == 2 and states_day(runs[1]))
        headline = number == 0 and heads(first, TITLE_WORDS if alone and titled else HEADING_WORDS)
        asks = (
            subheaded
            and len(runs) == 1
            and first.rstrip().endswith("?")
            and _subheading(first, read[number - 1] if number else None, following, QUESTION_HEADING_WORDS)
        )
        # "Members present: …" over "Witnesses: …": a list of fields, each its own text.
        after = runs[1] if len(runs) > 1 else following[0] if following else ""
        fields = bool(FIELD.match(first) and FIELD.match(after))
        heading = not aside and (
            (headline and (len(runs) > 1 or following is not None))
            or (heads(first) and len(runs) > 1 and not heads(runs[1]) and not fields)  # over the rest of its paragraph
            or (
                heads(first)
                and set_apart
                and following is not None
                and (not heads(following[0]) or _deeper(first, following[0]))
                and not fields
            )
            or (asks and following is not None and not heads(following[0]))
        )
        if heading:
            named = " ".join(runs.pop(0).split())
            section = named if number else _WIRE_UPDATE.sub("", named)
            title = title if number else section
            speaker = clause = None
            numbered = _CLAUSE.fullmatch(named) is not None
            if numbered:  # a clause's heading, under the one over the clauses as its siblings run in
                section = section_under(above, named.removesuffix("."))
            else:
                above = section if number else None
            # The journal and the day under the headline ("Pharma Ledger", "6 November 2024") are
            # no text; a life's two days under a name are, a fact with a day ("No sailings until
            # 3 June 2025") and an address or a reference over a letter's day.
            day = runs[-1] if runs else ""
            journal = len(runs) == 1 or (len(runs) == 2 and heads(runs[0]) and bool(_NAME_LINE.fullmatch(runs[0])))
            if not number and not dated and journal and _journal_day(day):
                opening.extend([section, *runs])
                continue
        for run in runs:
            turn = turn_of(run) if transcript else None
            if turn is not None:
                speaker = turn
                if run.rstrip().endswith(":"):  # "CHAIR:" over what the chair said: no sentence
                    continue
                # "[00:28] ZOË ŠKODA: …": the time stays in the section, where the source is told,
                # and leaves the quote
                run = _TIMESTAMP.sub("", run)
            elif _NOTE.match(run):  # "[End of transcript]": the transcriber's, no one's turn
                speaker = None
                if transcript:  # nor anything to quote: "[07:04]", "[END OF TRANSCRIPT]"
                    continue
            if _NUMBERED.match(run):
                clause = run_in.group(1) if (run_in := _CLAUSE.match(run)) and run_in.end() < len(run) else None
            # A clause run in is a sibling of one set apart as a heading, not under it.
            under = above if clause and numbered else section
            if not _UNDERLINE.match(run):
                blocks.append(Block(_BULLET.sub("", run), section=section_under(under, speaker or clause)))
        opening.extend(([section] if heading else []) + runs)
    return title, tuple(blocks), opening


def _deeper(heading: str, following: str) -> bool:
    """Whether a heading heads a numbered one under it: a clause's ("TERMS AND CONDITIONS" over
    "1. Definitions.") or one of a deeper number ("10. Versions of the License" over "10.1. New
    Versions")."""
    if _CLAUSE.fullmatch(following):
        return True
    number, under = _NUMBER.match(heading), _NUMBER.match(following)
    return bool(number and under and under[1].startswith(f"{number[1]}."))


def _unframed(text: str) -> str:
    """The text inside boxes drawn in asterisks without their frames: a licence's warranty
    disclaimer in a box read "*  6." and "Disclaimer of Warranty      *" as sentences, each line a
    paragraph. A line of asterisks alone is no text either."""
    if "*" * 10 not in text:
        return text
    lines: list[str] = []
    boxed = False
    for line in text.split("\n"):
        if _STARS.fullmatch(line):
            boxed = not boxed
            lines.append("")
        elif boxed and (framed := _FRAMED.fullmatch(line)):
            lines.append(framed["inside"].rstrip())
        else:
            boxed = False
            lines.append(line)
    return "\n".join(lines)


def _without_quoted_headers(text: str) -> str:
    """The text without the mail system's lines of a quoted message's header ("Date: Tue, 15 Oct
    2024 09:12:44 +0200", "Subject: …", "Sent: …"), which were quoted as sentences; who wrote to
    whom stays, as in the email's own header. A header is quoted ("> From: …") or comes under
    "-----Original Message-----"; a memo's own "Date:" and "Subject:" stay."""
    lines = text.split("\n")
    fields = [_EMAIL_HEADER.match(_QUOTE_MARKS.sub("", line)) for line in lines]
    drop: set[int] = set()
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and fields[end]:
            end += 1
        if end - start >= 2 and any(fields[i][1].lower() == "from" for i in range(start, end)):
            above = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
            if all(lines[i].lstrip().startswith(">") for i in range(start, end)) or _ORIGINAL.match(above):
                drop.update(i for i in range(start, end) if fields[i][1].lower() not in _PEOPLE)
        start = end + 1
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def _introduced(read: list[list[str]]) -> list[list[str]]:
    """A line that introduces a quotation ("Helen Marsh-Okafor, Chief Executive, said:") read
    with the quotation's paragraph after it: alone, it says nothing, and was quoted first for
    "What did the chief executive say?". So is a sign-off alone in its paragraph with the
    signature in the next ("Fire Chief, Kolvik Fire and Rescue", without the name, came first
    for "Who leads Kolvik Fire and Rescue?")."""
    out: list[list[str]] = []
    for runs in read:
        if out and _INTRODUCES.search(out[-1][-1].rstrip()) and runs[0].lstrip()[:1] in "\"“‘'":
            out[-1] = [*out[-1][:-1], f"{out[-1][-1].rstrip()} {runs[0].lstrip()}", *runs[1:]]
        elif out and len(out[-1]) == 1 and _SIGN_OFF.match(out[-1][0]) and _signature(runs):
            out[-1] = [comma_joined([out[-1][0], *runs])]  # "Yours faithfully,⏎⏎Name"
        else:
            out.append(runs)
    return out


def _across_pages(paragraphs: list[list[str]]) -> list[list[str]]:
    """The paragraphs without a scanned page's foot and head ("Page 1 of 3" with the lines
    around it, none a sentence), and a sentence the page break cut ("…on the north wall of" |
    "Building 7. The thermal…") made whole again."""
    out: list[list[str]] = []
    cut = False  # whether page furniture came since the last paragraph
    for lines in paragraphs:
        if any(_page_line(line) for line in lines) and not any(
            len(line) > PAGE_LINE_CHARS or _ENDS_SENTENCE.search(line) for line in lines
        ):
            cut = bool(out)
            continue
        if cut and not _ENDS_SENTENCE.search(out[-1][-1]):
            out[-1] = out[-1] + lines
        else:
            out.append(lines)
        cut = False
    return out


def _page_line(line: str) -> bool:
    """A page's number that says it is one ("Page 3", "3 of 12"): in a text, a bare "2024" on a
    line of its own is more often a year."""
    return bool(PAGE_NUMBER.match(line)) and not re.sub(r"\W", "", line).isdigit()


def _release_furniture(lines: list[str]) -> bool:
    """A paragraph that is a press release's mark or its contact block (_RELEASE_MARK, _CONTACTS),
    or a wire story's credits (_WIRE_CREDITS)."""
    return (
        (len(lines) == 1 and bool(_RELEASE_MARK.match(lines[0])))
        or bool(_CONTACTS.match(lines[0]))
        or bool(_WIRE_CREDITS.match(" ".join(lines)))
    )


def _pipe_table(lines: list[str]) -> list[str]:
    """A paragraph that is a table written with pipes, as Markdown writes one ("| Item | Detail |"
    over "|---|---|"): its rule is no text, nor is a header row of labels only (it headed every
    paragraph after the table)."""
    if len(lines) < 2 or not lines[0].lstrip().startswith("|") or not _TABLE_RULE.match(lines[1]):
        return lines
    header = [cell.strip() for cell in lines[0].strip().strip("|").split("|")]
    return lines[2:] if labels_only(header) else [lines[0], *lines[2:]]


def _unmarked(lines: list[str]) -> list[str]:
    """A paragraph without a press release's marks among its lines ("FOR IMMEDIATE RELEASE" over
    "Sunday 16th March 2025", "PRESS RELEASE" under the headline)."""
    return [line for line in lines if not _RELEASE_MARK.match(line)]


def _without_letterhead(paragraphs: list[list[str]]) -> list[list[str]]:
    """The paragraphs without the sender's name over a press release's mark ("SØNDERGAARD
    MARITIME MUSEUM" over "PRESS RELEASE"), which was taken for the title: the headline under
    the mark is the title, and the release names its sender in its text."""
    before: list[str] = []
    for number, lines in enumerate(paragraphs):
        for at, line in enumerate(lines):
            if _RELEASE_MARK.match(line):
                # The sender's name is in capitals or title case, and no date: "Blue Lagoon
                # extends temporary closure…" and "Grindavík, Iceland – 20 December 2023" over
                # "FOR IMMEDIATE RELEASE" are the headline and the dateline. And a headline
                # comes under the marks: "Harbour Museum Reopens East Wing" over "PRESS RELEASE"
                # and the story's first sentence is the headline.
                named = all(
                    _is_heading(name, LETTERHEAD_WORDS) and _looks_like_heading(name) and not dates_in(name)
                    for name in before
                )
                after = [line for part in [lines[at:], *paragraphs[number + 1 :]] for line in part]
                headline = next((line for line in after if not _RELEASE_MARK.match(line)), "")
                if before and named and _is_heading(headline, TITLE_WORDS):
                    return [lines[at:], *paragraphs[number + 1 :]]
                return paragraphs
            before.append(line)
            if len(before) > LETTERHEAD_LINES:
                return paragraphs
    return paragraphs


def _subheading(
    line: str, previous: list[str] | None, following: list[str] | None, words: int = SUBHEADING_WORDS
) -> bool:
    """A few words in sentence case on a line of their own between paragraphs of prose: a
    heading as a press release or a GOV.UK page sets it ("Updated figures", "Notes to
    editors"), which title case alone found ("Staff" was a heading, "Patient data" a sentence).
    A line with a figure ("Prices rose 5% in March") is text. The paragraph under it has a
    sentence's end, if not at its end: a post's credit may follow ('"…Thank you!" - posted by
    @AmaraInWex, 14 June')."""
    return (
        len(line.split()) <= words
        and line[:1].isupper()
        and not any(ch.isdigit() for ch in line)
        and bool(previous and _ENDS_SENTENCE.search(previous[-1]))  # empty: a heading, taken out
        and bool(following and _SENTENCE_END.search(" ".join(following)))
    )


def _greet(read: list[list[str]]) -> list[list[str]]:
    """The paragraphs' runs, each greeting ("Dear Mayor,") joined to the run it opens, in its
    paragraph or the next, unless that is a heading, a list item or another greeting."""
    runs = [[number, run] for number, paragraph in enumerate(read) for run in paragraph]
    for at in range(len(runs) - 2, -1, -1):
        (number, greeting), (after, opened) = runs[at], runs[at + 1]
        if not _GREETING.match(greeting) or _GREETING.match(opened) or _MARKED.match(opened):
            continue
        if after != number and _is_heading(opened):
            continue
        runs[at + 1][1] = f"{greeting} {opened}"
        del runs[at]
    out: list[list[str]] = [[] for _ in read]  # in one pass: per paragraph took minutes on 20 MB
    for number, run in runs:
        out[number].append(run)
    return out


def _speaker(run: str) -> str | None:
    """The speaker of a transcript's turn, whose name in capitals opens it. It stays in the
    turn's first sentence too, where a question naming the speaker finds it ("When did Lefèvre
    first hear…?"; read as the section alone, two such questions of eleven sets were lost)."""
    label, colon, _ = run.partition(": ")
    if not colon and run.rstrip().endswith(":"):  # "CHAIR:" on a line of its own
        label, colon = run.rstrip()[:-1], ":"
    if len(label) > SPEAKER_CHARS:
        return None
    name = _ASIDE.sub("", _TIMESTAMP.sub("", label))
    letters = [c for c in name if c.isalpha()]
    if not colon or len(letters) < 2 or len(name.split()) > SPEAKER_WORDS:
        return None
    if name.upper() != name or any(c.isdigit() for c in name):
        return None
    return " ".join(label.split())


def _label(run: str) -> str | None:
    """The words before a run's first ": ", if they may name someone."""
    label, colon, _ = run.partition(": ")
    return " ".join(label.split()) if colon and len(label) <= SPEAKER_CHARS else None


def _named_speaker(run: str, repeated: set[str]) -> str | None:
    """The speaker of an earnings call's or an interview's turn, named in mixed case: a person's
    name, with their title after a comma or not, or a role that labels several turns ("Operator",
    "Analyst"); not a form's field ("Claimant:       Ms D Nørgaard", "From: …")."""
    label = _label(run)
    if label is None or any(c.isdigit() for c in label) or len(label.split()) > SPEAKER_TITLED_WORDS:
        return None
    if _ALIGNED_FIELD.match(run):
        return None
    words = label.split(",")[0].split()
    named = all(w[:1].isupper() and w[:1].isalpha() for w in words if w.lower() not in _NAME_PARTICLES)
    role = len(words) == 1 and label.lower() in _ROLES and label in repeated
    return label if named and (len(words) >= 2 or role) else None


def _wrap_width(paragraphs: list[list[str]]) -> int:
    """At most the width the text was wrapped at: the median length of the lines that another
    line follows in their paragraph (each of them was wrapped because its next word would not
    have fitted within the true width, so the true width is past most of them; a line ending a
    sentence may have been ended by its writer, and is not counted); with too few such lines to
    tell, the longest line, and with none among a few, no width. A text whose paragraphs were
    not wrapped (two lines of prose or more of over UNWRAPPED characters, a tenth of them at
    least) has no width:
    every line break in it was made by its writer, and the lines another follows are a
    signature's or an address's, not wrapped ones."""
    prose = [line.strip() for lines in paragraphs for line in lines if line.count(" ") >= PROSE_SPACES]
    long = sum(len(line) > UNWRAPPED for line in prose)  # a long URL is no sign
    if long >= 2 and long >= 0.1 * len(prose):
        return sys.maxsize
    # A line that ends a sentence may have been ended by its writer ("Work starts in April."
    # over the next sentence); one that stops mid-sentence was wrapped.
    followed = [line.rstrip() for lines in paragraphs for line in lines[:-1]]
    wrapped = sorted(len(line) for line in followed if not _ENDS_SENTENCE.search(line))
    if len(wrapped) >= MIN_WRAPPED:
        return wrapped[len(wrapped) // 2]
    if not wrapped and len(followed) >= MIN_SENTENCE_LINES:  # a sentence a line: none was wrapped
        return sys.maxsize
    return max(len(line.rstrip()) for lines in paragraphs for line in lines)


def _runs(lines: list[str], width: int) -> list[list[str]]:
    """A paragraph's lines in runs that read on: a line after which the next line's first word
    would still have fitted within the wrap width was ended on purpose (a heading, an address
    line), and the next line starts a new run, unless it starts in lower case (it goes on); a
    list item, an email header line ("Sent: …"), a speaker's turn ("MAYOR: It will…") and the
    line after "… wrote:" start one too."""
    runs = [[lines[0]]]
    # After a sign-off, the signature's lines (a name, a post) read with it.
    signed = _SIGN_OFF.match(lines[0]) is not None and _signature(lines[1:])
    for number, (previous, line) in enumerate(pairwise(lines), start=1):
        if signed:
            runs[-1] = [comma_joined([*runs[-1], line])]
            continue
        if _SIGN_OFF.match(line) and _signature(lines[number + 1 :]):
            runs.append([line])
            signed = True
            continue
        first_word = line.split()[0]
        # In lower case, after an opening bracket or quote too ("(an example is provided…").
        goes_on = (first_word.lstrip("(\"“‘'[")[:1].islower() and not URL_LINE.match(line)) or _cut_short(previous)
        ended = len(previous.rstrip()) + 1 + len(first_word) <= width and not goes_on
        # A speaker's turn after a finished sentence ("…told the⏎BBC: …" goes on).
        turn = _ENDS_SENTENCE.search(previous) and _speaker(line)
        if ended or turn or _MARKED.match(line) or _EMAIL_HEADER.match(line) or _ATTRIBUTION.search(previous):
            runs.append([line])
        else:
            runs[-1].append(line)
    return runs


def _cut_short(line: str) -> bool:
    """Whether a line of prose stops mid-sentence where it was wrapped, though the next word
    would have fitted: on a word that goes on ("…any other recipients of the Work or" over
    "Derivative Works a copy…"). A text wrapped by hand, as licences and old mail were, breaks
    lines short of the width it keeps to elsewhere."""
    text = line.strip()
    if _ENDS_SENTENCE.search(text) or text.count(" ") < PROSE_SPACES or _ALIGNED.search(text):
        return False
    return OPEN_END.search(text) is not None


def _signature(lines: list[str]) -> bool:
    """Whether the lines after a sign-off are a signature: a few short lines (a name, a post, a
    telephone number), none a sentence, a speaker's turn ("Thanks,⏎HOST: …"), a list item, a
    header field or the line over a quoted reply ("On Sun, … wrote:")."""
    return len(lines) <= SIGNATURE_LINES and not any(
        len(line.strip()) > SIGNATURE_CHARS
        or _ENDS_SENTENCE.search(line)
        or _speaker(line)
        or _MARKED.match(line)
        or _EMAIL_HEADER.match(line)
        for line in lines
    )


def _looks_like_heading(text: str) -> bool:
    """A line written as a heading: numbered ("2. Finances", "1.1. Motivation"), in capitals,
    or in title case."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 3]
    return bool(
        _NUMBERED.match(text)
        or (text.upper() == text and any(ch.isalpha() for ch in text))
        or (words and all(w[0].isupper() for w in words))
    )


def _dateline(line: str) -> bool:
    """A place and a day on a line of their own, a time after them or not: "Vevey, 15 September
    2025, 07:00 CEST" (not a post's "@kasia_m_82 - 14 Oct 2025, 04:31")."""
    found = dates_in(line)
    if len(found) != 1 or not _PLACE_BEFORE.fullmatch(line[: found[0][0]]):
        return False
    year = _YEAR.search(line, found[0][0])
    return year is not None and bool(_TIME_AFTER.fullmatch(line[year.end() :]))


def _journal_day(line: str) -> bool:
    """A line that is a day, alone or after a journal's name: "6 November 2024", "The Porthelin
    Courier, Monday 20 October 2025" (not "Record of the 41st sitting, 5 November 2025")."""
    if _is_date(line):
        return True
    found = dates_in(line)
    return states_day(line) and _NAME_LINE.fullmatch(line[: found[0][0]].rstrip(" ,")) is not None


def _is_date(text: str) -> bool:
    """A line that is a date: "3 February 2025", "Friday, 3 May 2024"."""
    if len(text.split()) > 5:  # a paragraph: not looked through for dates
        return False
    found = dates_in(text)
    return bool(found) and len(text[: found[0][0]].split()) <= 1


def _dates_it(line: str) -> bool:
    """A short line giving the day a text came out: "Published 9 May 2025", "3 February 2025",
    or opening with it before the place: "Wednesday, 2 April 2025, County Hall, Ashbourne"."""
    words = line.split()
    if len(words) <= DATE_LINE_WORDS:
        return opening_date([line]) is not None
    return len(words) <= DATELINE_WORDS and not _ENDS_SENTENCE.search(line) and _is_date(" ".join(words[:5]))


def _is_heading(text: str, words: int = HEADING_WORDS) -> bool:
    return (
        len(text) <= HEADING_CHARS
        and not (_BYLINE.match(text) and not text.isupper())
        and not _EMAIL_HEADER.match(text)
        and (not _MARKED.match(text) or _NUMBERED.match(text) is not None)
        and len(text.split()) <= words
        and any(ch.isalpha() for ch in text)
        and (not _ENDS_SENTENCE.search(text) or _CLAUSE.fullmatch(text) is not None)
        and not text.rstrip().endswith(",")
        and not URL_LINE.match(text)
        and not _DATE_LINE.match(text)
    )

"""`Document` → `Sentence`s, each an exact substring of its block with its offsets.

Sentence boundaries come from syntok (segtok's successor), whose rules know "Jan. 7",
"Sen. John Cornyn", "U.S.", initials and quotes; our rules add a full stop after a Roman
numeral ("World War II. Over the decades"), after "a.m."/"p.m.", after a decimal number
("firmware 3.2.0. Your unit"), after a temperature's unit ("1.2 °C. Annual") and after an
email or web address before a new sentence, which syntok keeps inside, and keep a table row
whole ("Population (2023) | 4,812" was cut after the parenthesis) and "No. 2004-07" too.
(nupunkt was tried first: its learned abbreviation list holds plain words such as "call" and
"bank", so "a long call. Biden spoke" stayed one sentence.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import version

from syntok import segmenter

from .normalize import ROMAN_NUMERAL
from .records import Block, Document, Sentence

# syntok takes the full stop after a Roman numeral for part of it ("World War II. Over the
# decades..." stays one sentence); a numeral of two or more letters, a stop and a capital end a
# sentence. (One letter may be an initial: "V. Putin".) So does "a.m." or "p.m." before a
# capitalised word ("opened at 7:02 p.m. Councillors…"), unless that word goes on with the time:
# a day or a month, written out or not ("10 a.m. Oct. 3", "9 a.m. Mon. to Fri."), a holiday, a
# time zone named by a few capitalised words ("p.m. Eastern", "Moscow time", "British Summer Time").
_NUMERAL_END = re.compile(rf"\b(?=[IVX]{{2}})({ROMAN_NUMERAL.pattern.upper()}\.)\s+(?=[A-Z])")
_GOES_ON = (
    r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?|Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|"
    r"Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|"
    r"Eastern|Central|Pacific|Mountain|Atlantic|Greenwich|Christmas|Easter|New Year"
)
_TIME_END = re.compile(
    rf"(\b[AaPp]\.[Mm]\.|(?<=\d)\s?[AaPp][Mm]\.)\s+(?=[A-Z][a-z])(?!(?:{_GOES_ON})\b)"
    rf"(?!(?:[A-Z][\w'’]*\s+){{1,3}}[Tt]ime\b)"
)
# A number with a decimal point or a version's dots takes the full stop after it too ("fixed
# in firmware 3.2.0. Your unit…", "rose by 4.5. Analysts…").
# Not a figure's, table's or section's number: "Fig. 3.2. Distribution of bees", "Section 4.2.1. Methods".
_DECIMAL_END = re.compile(
    r"(?<![\w.])(?<![Ff]ig\.\s)(?<![Ff]igure\s)(?<![Tt]able\s)(?<![Ss]ection\s)(?<![Nn]o\.\s)(?<!§\s)"
    r"(\d+(?:\.\d+)+\.)\s+(?=[A-Z])"
)
# A temperature's unit takes the full stop too ("was 1.2 °C. Annual rainfall…").
_DEGREES_END = re.compile(r"((?:°\s?|º)[CF]\.|℃\.|℉\.)\s+(?=[A-Z])")
# An email address or a web address ends a sentence with its full stop ("write to
# careers@ferries.co.uk. Please quote…", "on morketid.no. We cannot…"); syntok reads the stop
# as one of the address's dots.
# (Each part starts where a token does and is bounded: a 200,000-character line of base64 was
# scanned from every position, minutes per line.)
# "Ref.no. AB12", "Art.nr. 5": a capitalised short word and its number's "no.", no address.
_NUMBER_WORD = r"[A-Z][a-z]{1,5}\.n[or]\b"
_TLD = r"(?:com|org|net|edu|gov|info|io|eu|uk|no|se|dk|fi|de|fr|es|it|nl|pl|pt|ie|at|ch|be|cz|ca|au|nz|in|jp)"
_ADDRESS_END = re.compile(
    r"(?<![\w.+-])((?:[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}|(?:https?://|www\.)\S{0,500}?[\w/]"
    rf"|(?!{_NUMBER_WORD})[\w-]{{1,63}}(?:\.[\w-]{{1,63}}){{0,4}}\.{_TLD}(?:/[\w/.-]{{0,200}}?[\w/])?)\.)\s+(?=[A-Z])"
)
# A footnote's marker after a full stop ends the sentence with it ("…2.1 million people.[1] The
# river…" was one sentence; syntok ends one after "[4][citation needed]" but not after "[1]").
# A superscript number reads as digits glued to the stop ("…pore pressure.1 The rest…", a PDF's
# or a newsletter's footnote), after a word of five letters or more: not a decimal ("rose 2.1
# Then") nor an abbreviation's number ("world no.1 Novak Djokovic", "art.6 GDPR", "para.12").
_FOOTNOTE_END = re.compile(
    r"([.!?][\"”’)]?(?:\[(?:\d{1,3}|[a-z]|[A-Za-z][a-z ]{2,30})\])+|(?<=[a-z]{5})[.!?]\d{1,2})\s+(?=[A-Z])"
)
# "No." before a number is no sentence end ("Bylaw No. 2004-07, the…"), which syntok takes
# for one when the number has a hyphen; nor is a law's "Art. 9 para. 1", a book's "p. 12".
_NUMBER_SIGN = re.compile(r"\b(?:No|Nos|Nr|Art|Vol|pp|p|rev|para|paras|sec|ch|cl|fig)\.$", re.IGNORECASE)
_REVISION = re.compile(r"\brev\.$", re.IGNORECASE)
# A reference's code after "Ref.": a digit and a letter or a stroke ("SMM-2025-017", "12/345");
# not a referee's "ref." before "20 minutes later".
_REFERENCE = re.compile(r"\b(?:Ref|REF)\.$")
_CODE = re.compile(r"(?=[\w/.-]*\d)(?=[\w/.-]*[A-Za-z/])[A-Z0-9][\w/.-]*")
_ONE_LETTER = re.compile(r"[A-Z](?![\w'’])")
# A numbered label run in before its text: "7.2 Recommendation 1. | The Government should…",
# "Step 2. | Open the valve", a caption's "Table 1. | Liver enzyme findings by arm"; not a score
# ("Liverpool 2. | Everton had no answer").
_LABEL = re.compile(
    r"\d{1,3}(?:\.\d{1,3})*\s+[A-Z][a-z]+\s+\d{1,3}[a-z]?\."
    r"|(?:Recommendation|Step|Article|Rule|Section|Part|Chapter|Finding|Question|Item|Action|Stage|Table|Figure"
    r"|Chart|Box|Map|Exhibit|Annex|Appendix)\s+\d{1,3}[a-z]?\."
)
# A paragraph's number alone, which syntok ends before its text from 10 on ("10. | Automatic
# Licensing of Downstream Recipients.", "5.1. | Failure to comply…").
_BARE_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.")
# A title before a name, which syntok takes for a sentence's end ("Gov. | Newsom said", "the right
# hon. | Gentleman"), not before a pronoun or "The" ("the rank of Lt. Col. | He then ran…").
# So is a citation's "et al." after its authors ("Ní Bhriain A, Weiß J, et al. | Journal of…";
# not "…by Ludwig et al. | Their results showed…").
_TITLE = re.compile(
    r"(?:\b(?:Gov|Rep|Reps|Sen|Lt|Sgt|Cpl|Cllr|Supt|Insp|Det|Rev|Ald|Hon|Rt|Col|Maj|Capt|Cmdr|Adm|Brig|Amb|Dra|Sra|Srta)"
    r"|\b(?:hon|rt|DR|MR|MRS|MS|PROF)|,\s*et al)\.$"  # capitals: a transcript's "DR. HELENA MÜLLER:"
)
# Short forms that open what follows and never end a sentence, which syntok ends before a
# capital: "a useful bibliography, esp. | German-language archives" (a new user's notes).
_NEVER_ENDS = re.compile(r"(?:^|[\s(])(?:esp|incl|approx|publ|cf|viz|resp|ca|e\.g|i\.e)\.$", re.IGNORECASE)
_NAME_AFTER_TITLE = re.compile(r"(?!(?:He|She|It|They|The|This|That|We|I|A|An|In|On)\b)[A-Z]")
# "…moment on.” | — Jiří Dvořák", '…Thank you!" | - posted by @AmaraInWex'; not '— "Don't."'
_CREDIT_AFTER_QUOTE = re.compile(r"(?:[—–]\s*|-\s+)(?:[A-Z]|(?:posted|written|said)\s+by\b)")
_SAID_NO = re.compile(r"\b(?:said|says|say|replied|answered|voted|was|is|just)\s+no\.$", re.IGNORECASE)
SPLITTER = (
    f"syntok {version('syntok')}, Roman numeral, a.m./p.m. (8.40am.), decimal number, degree, address (a bare "
    "domain too) and footnote ends (a superscript number too); table cells kept; No., Ref., para. and rev. before a "
    "number, No. and Ref. before a code; titles before a name (Gov., hon., DR., Dra., et al.), a semicolon (before "
    "a figure too) and a wordless piece go on; run-in headings, captions' labels and a paragraph's bare number "
    "kept with their sentence; a quotation of a few sentences kept whole"
)

# A run-on "sentence" (a table row, a list with no full stops) is cut at whitespace so that
# one hit stays readable and the encoder, which reads 256 word pieces, sees all of it.
MAX_SENTENCE_CHARS = 600
QUOTATION_CHARS = 400  # a quotation longer than this is left in its sentences


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text, trimmed of surrounding whitespace. A quotation of
    a few sentences stays whole with the words that say whose it is: '"This is not a tourist
    eruption. People should stay away," said Magnús…' was two pieces, each with one quotation
    mark, the second quoted first ("People should stay away," said Magnús…)."""
    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(text):
        opened = len(spans)  # the paragraph's first span
        quoting: int | None = None  # the span that opened a quotation not closed yet
        for sentence in paragraph:
            if sentence:
                start, end = sentence[0].offset, sentence[-1].offset + len(sentence[-1].value)
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                for piece_start, piece_end in _numeral_ends(text, start, end):
                    if _goes_on(text, spans, opened, piece_start, piece_end):
                        piece_start = spans.pop()[0]
                        if quoting is not None and quoting >= len(spans):  # the opener goes on here
                            quoting = None
                    piece = text[piece_start:piece_end]
                    if quoting is not None and _quote_mark(piece) == "close":
                        if piece_end - spans[quoting][0] <= QUOTATION_CHARS:
                            piece_start = spans[quoting][0]
                            del spans[quoting:]
                        quoting = None
                    spans.extend(_cut_long(text, piece_start, piece_end))
                    if quoting is None and _quote_mark(piece) == "open":
                        quoting = len(spans) - 1
    return spans


def _quote_mark(piece: str) -> str | None:
    """ "open" if a piece leaves a double quotation open ('He said: "We will'), "close" if it
    closes one it did not open ('go," he said.'), else None."""
    curly = piece.count("“") - piece.count("”")
    if curly:
        return "open" if curly > 0 else "close"
    if piece.count('"') % 2 == 0:
        return None
    first = piece.index('"')
    # A mark after a word or a comma closes, not after a figure (6" is six inches); one before
    # a word opens.
    if first > 0 and not piece[first - 1].isspace():
        return None if piece[first - 1].isdigit() else "close"
    return "open"


def _goes_on(text: str, spans: list[tuple[int, int]], opened: int, start: int, end: int) -> bool:
    """Whether the piece at `start` goes on with the piece before it, in the same paragraph,
    that syntok cut off: a table row's next cell ("Population (2023) | 4,812"), opening with
    "|" after a piece that does not end as a sentence does ("He left early. | Next item" is
    two), the number after "No." ("Bylaw No. | 2004-07"; not "It said no. | 2023 was…"), the
    code after "Ref." or "No." ("Ref. | SMM-2025-017", "Report No. | SAT/2025/031"), the name
    after a title (_TITLE), the words after a short form that never ends a sentence
    (_NEVER_ENDS), the words after a semicolon ("the end of 2024; | Eastvale County Council has
    asked"), the text after its numbered label (_LABEL) or its bare number (_BARE_NUMBER), and
    a quotation's credit ("…moment on.” | — Jiří Dvořák", '…Thank you!" | - posted by
    @AmaraInWex'); and a piece without a letter or digit, which says nothing alone ("…last
    winter. | (" before a picture's credit taken out)."""
    if len(spans) <= opened:
        return False
    if not any(c.isalnum() for c in text[start:end]):
        return True
    before = text[spans[-1][0] : spans[-1][1]]
    if text.startswith("|", start):
        return before[-1] not in ".!?" or _number_sign(before)  # a table's "No. | Name"
    if _REVISION.search(before) and _ONE_LETTER.match(text, start):  # "REV. C", a revision's letter
        return True
    if (_REFERENCE.search(before) or _number_sign(before)) and _CODE.match(text, start):  # "Ref. | SMM-2025-017"
        return True  # or "Report No. | SAT/2025/031"
    if before.endswith(";"):  # before a figure too: "412 servers encrypted; | 1,380 laptops rebuilt"
        return True
    if text[start].isdigit():
        return _number_sign(before)
    if _LABEL.fullmatch(before) or _BARE_NUMBER.fullmatch(before):
        return True
    if _TITLE.search(before) and _NAME_AFTER_TITLE.match(text, start):
        return True
    if _NEVER_ENDS.search(before):
        return True
    return before[-1] in '"”’' and bool(_CREDIT_AFTER_QUOTE.match(text, start))


def _number_sign(before: str) -> bool:
    return bool(_NUMBER_SIGN.search(before)) and not _SAID_NO.search(before)


def _numeral_ends(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentence cut where syntok missed an end: after a Roman numeral, a.m./p.m., a
    decimal number, a temperature's unit, an address or a footnote's marker."""
    rules = (_NUMERAL_END, _TIME_END, _DECIMAL_END, _DEGREES_END, _ADDRESS_END, _FOOTNOTE_END)
    cuts = sorted((m.end(1), m.end()) for rule in rules for m in rule.finditer(text, start, end))
    for cut, following in cuts:
        if cut > start:
            yield start, cut  # the full stop stays with its sentence
            start = following
    if end > start:
        yield start, end


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Pieces of at most MAX_SENTENCE_CHARS, cut after a semicolon where there is one (a long
    list of clauses), else at a space."""
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind("; ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS) + 1
        if cut <= 0:
            cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > start:
            yield start, piece_end
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _with_run_in(block: Block, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with a run-in heading kept with the sentence after it: a block whose section
    ends with its opening words ("Course policies: Late work" over "Late work. Work handed
    in late…") opens with its own name, no sentence to quote alone ("Late work." came first
    for "What happens to late work?")."""
    if len(spans) < 2 or not block.section:
        return spans
    name = block.section.rsplit(": ", 1)[-1]
    first = block.text[spans[0][0] : spans[0][1]]
    if first.rstrip(".") != name:
        return spans
    return [(spans[0][0], spans[1][1]), *spans[2:]]


def split_document(doc: Document) -> list[Sentence]:
    """Every sentence of the document, numbered in reading order."""
    sentences: list[Sentence] = []
    for paragraph, block in enumerate(doc.blocks):
        for start, end in _with_run_in(block, sentence_spans(block.text)):
            sentences.append(
                Sentence(
                    doc_id=doc.doc_id,
                    position=len(sentences),
                    paragraph=paragraph,
                    start=start,
                    end=end,
                    text=block.text[start:end],
                    page=block.page,
                    section=block.section,
                )
            )
    return sentences

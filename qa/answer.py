"""Hits → an `Answer`: the quotes verbatim with their sources, as safe Markdown.

Document text is untrusted: every piece of it is escaped so that it shows as the literal
characters of the source, never as HTML, a link or a heading. Emphasis on the question's words
is markup placed around exact substrings, so the quote itself stays verbatim.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Sequence
from datetime import date
from urllib.parse import urlsplit

from .normalize import fold, stem, surface_words
from .records import Answer, Hit

# Said when the best sentence scores under the threshold: not "the documents do not answer
# this", which read as false over a right answer that scored just under it (0.56 against 0.58).
NOT_FOUND = "No sentence in the documents clearly answers this."
CLOSEST = "The closest sentences, which may not answer it:"
# Escaped where Markdown would read them: emphasis, code, links, tables, strikethrough, and
# what GFM turns into a link ("//" after a scheme, an address's "@"); a line-opening marker
# apart, a hyphen, a full stop, a colon, a bracket or an underscore inside a word ("my_file",
# never emphasis) stays as written, so that a copied quote reads as the document does
# ("de-escalate", "U.S.", "Subject: dredging").
_MD_SPECIAL = re.compile(r"[\\`*\[\]|~]|(?<![^\W_])_|_(?![^\W_])|(?<=[\w.+-])@|(?<=/)/")
_WWW = re.compile(r"(?<=www)\.", re.IGNORECASE)  # "www.", even mid-word, is a link in GFM
_HTML = re.compile(r"<|&(?=#?\w+;)")  # as entities: never a tag, nor an entity of the text's
_OPENING_MARKER = re.compile(r"^(\d{1,9})([.)])|^([#>+=-])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SAFE_SCHEMES = ("http", "https")
# As the plain-text reader reads a line's end (formats/text.py): importing it would import every
# reader on a one-shot question's path.
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")


def escape(text: str) -> str:
    """Text as Markdown that renders to exactly these characters: no HTML, links or blocks.

    Runs of whitespace become one space (a line break or an indent would start a Markdown
    block) and control characters, which have no glyph, are dropped.
    """
    return _escape_inline(_flatten(text))


def _flatten(text: str) -> str:
    return " ".join(_CONTROLS.sub("", text).split())


def _escape_inline(text: str, opening: bool = True) -> str:
    """`opening`: the text opens its line, where "1." or "#" would start a block."""
    text = _WWW.sub(r"\\.", _MD_SPECIAL.sub(r"\\\g<0>", text))
    text = _HTML.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text)
    if not opening:
        return text
    return _OPENING_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def escape_html(text: str) -> str:
    return html.escape(text, quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain web address, else None (no javascript:, data: or spaces)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    if any(c.isspace() or c in "<>\"'`\\()" or ord(c) < 32 for c in url):
        return None
    return url


def nice_date(day: str | None) -> str | None:
    if not day:
        return None
    try:
        return date.fromisoformat(day).strftime("%-d %B %Y")
    except ValueError:
        return day


def place(hit: Hit, markdown: bool = True) -> str:
    """Where the sentence stands in its document, in words (counted from 1)."""
    parts = []
    if hit.page is not None:
        parts.append(f"page {hit.page}")
    # A note's first heading is often its title, and a text's headline heads its sections
    # ("Radio Maré: interview: ZOË ŠKODA"): the title is said once, beside the quote.
    section = hit.section or ""
    if hit.title and section.startswith(f"{hit.title}: "):
        section = section[len(hit.title) + 2 :]
    if section and section != hit.title:
        parts.append(f"section “{escape(section) if markdown else section}”")
    parts.append(f"paragraph {hit.paragraph + 1}")
    of = f" of {hit.doc_sentences}" if hit.doc_sentences else ""
    parts.append(f"sentence {hit.position + 1}{of}")
    return ", ".join(parts)


def link(hit: Hit) -> str | None:
    url = safe_url(hit.url)
    if not url:
        return None
    return f"[{escape(urlsplit(url).netloc)}]({url})"


def source_line(hit: Hit) -> str:
    """Title, date, link and place of a hit, as one Markdown line; a file without a link is
    named by its id in the collection (two of a reader's files, cited by title alone, could
    not be told apart)."""
    bits = [f"*{escape(hit.title)}*"]
    day = nice_date(hit.date)
    if day:
        bits.append(escape(day))
    bits.append(link(hit) or escape(hit.doc_id))
    bits.append(place(hit))
    return " · ".join(bits)


def emphasise(text: str, stems: Collection[str]) -> str:
    """Escaped text with the words whose stems are in `stems` in bold."""
    text = _flatten(text)
    if not stems:
        return _escape_inline(text)
    out, last = [], 0
    for match in _WORD.finditer(text):
        words = surface_words(match.group())
        if words and stem(fold(words[0])) in stems:
            out.append(_escape_inline(text[last : match.start()], opening=not out))
            out.append(f"**{_escape_inline(match.group(), opening=False)}**")
            last = match.end()
    out.append(_escape_inline(text[last:], opening=not out))
    return "".join(out)


def cut(hit: Hit) -> tuple[str, str]:
    """The marks around a quote that is a piece of a longer sentence: "… " before one going on
    from the piece before it, " …" after one going on into the next. The splitter cuts a
    sentence it cannot keep whole, and a first piece ended "…not before the middle of May at
    the" as if it were whole."""

    def ended(text: str) -> bool:
        return bool(_SENTENCE_END.search(text))

    before = "… " if hit.text[:1].islower() and hit.context_before and not ended(hit.context_before) else ""
    after = " …" if hit.context_after[:1].islower() and not ended(hit.text) else ""
    return before, after


def quote_block(hit: Hit, number: int, stems: Collection[str] = ()) -> str:
    before, after = cut(hit)
    lines = [f"> **{number}.** {before}{emphasise(hit.text, stems)}{after}", ">", f"> — {source_line(hit)}"]
    if hit.duplicates:
        others = (
            "1 more sentence of the documents says"
            if hit.duplicates == 1
            else f"{hit.duplicates} more sentences of the documents say"
        )
        lines.append(f">\n> *{others} the same, in the same or other words.*")
    return "\n".join(lines)


def context_block(hits: Sequence[tuple[int, Hit]]) -> str:
    """Quotes inside their neighbouring sentences, collapsed until the reader opens it: one block
    for quotes of one passage (two sentences side by side showed that passage twice)."""
    sentences: dict[int, str] = {}
    for _, hit in hits:
        if hit.context_before:
            sentences.setdefault(hit.position - 1, escape_html(hit.context_before))
        if hit.context_after:
            sentences.setdefault(hit.position + 1, escape_html(hit.context_after))
    for _, hit in hits:
        sentences[hit.position] = f"<mark>{escape_html(hit.text)}</mark>"
    body = " ".join(sentences[position] for position in sorted(sentences))
    numbers = [str(number) for number, _ in hits]
    named = f"quote {numbers[0]}" if len(numbers) == 1 else f"quotes {', '.join(numbers[:-1])} and {numbers[-1]}"
    return f"<details><summary>Context of {named}</summary>\n\n<p>{body}</p>\n\n</details>"


def passages(hits: Sequence[Hit]) -> list[list[tuple[int, Hit]]]:
    """The numbered hits that have context, grouped by the passage they are in (_near); not a
    passage whose every sentence is quoted already (two quotes side by side, alone in their
    paragraph: its block showed the two again, and nothing else)."""
    groups: list[list[tuple[int, Hit]]] = []
    for number, hit in enumerate(hits, 1):
        if not (hit.context_before or hit.context_after):
            continue
        group = next((g for g in groups if any(_near(h, hit) for _, h in g)), None)
        if group is None:
            groups.append([(number, hit)])
        else:
            group.append((number, hit))
    return [group for group in groups if not _all_quoted(group)]


def _all_quoted(group: list[tuple[int, Hit]]) -> bool:
    quoted = {hit.position for _, hit in group}
    around = {hit.position - 1 for _, hit in group if hit.context_before}
    around |= {hit.position + 1 for _, hit in group if hit.context_after}
    return around <= quoted


def _near(a: Hit, b: Hit) -> bool:
    """Whether two quotes' neighbourhoods meet or touch, so that one block shows them without a
    gap: in one paragraph, at most three sentences apart (two blocks showed a paragraph's
    sentences 22 to 24 and 25 to 27)."""
    return a.doc_id == b.doc_id and a.paragraph == b.paragraph and abs(a.position - b.position) <= 3


SEARCHED_SHOWN = 80  # characters of a long question shown before what a follow-up added to it


def _shortened(question: str, searched: str) -> str:
    """What was searched, a long question cut short before what was added to it: a pasted
    question of 723 characters filled eight lines before "(+ crisis)", and pushed the first
    quote out of sight."""
    if len(question) <= SEARCHED_SHOWN or not searched.startswith(question):
        return searched
    return f"{question[:SEARCHED_SHOWN].rstrip()}…{searched[len(question) :]}"


def compose(
    question: str,
    hits: Sequence[Hit],
    found: bool,
    searched: str | None = None,
    notes: Sequence[str] = (),
    stems: Collection[str] = (),
) -> Answer:
    """The Markdown reply for a question and its ranked hits (best first)."""
    searched = searched or question
    head: list[str] = [f"*{escape(note)}*" for note in notes]
    if searched != question:
        head.append(f"*Searched for: {escape(_shortened(question, searched))}*")
    body = list(head)
    if found and hits:
        body.extend(quote_block(hit, i, stems) for i, hit in enumerate(hits, 1))
    else:
        body.append(f"**{NOT_FOUND}**")
        if hits:
            body.append(CLOSEST)
            body.extend(quote_block(hit, i, stems) for i, hit in enumerate(hits, 1))
    context = [context_block(group) for group in passages(hits)]
    body_text = "\n\n".join(body)
    context_text = "\n\n".join(context)
    return Answer(
        question=question,
        searched=searched,
        found=bool(found and hits),
        quotes=tuple(hits),
        text="\n\n".join(part for part in (body_text, context_text) if part),
        notes=tuple(notes),
        body=body_text,
        context=context_text,
    )

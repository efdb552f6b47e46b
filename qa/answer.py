"""Hits → an `Answer`: the quotes verbatim with their sources, as safe Markdown.

Document text is untrusted: every piece of it is escaped so that it shows as the literal
characters of the source, never as HTML, a link or a heading. Emphasis added around the
question's words is markup placed around exact substrings, so the quote stays verbatim.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

from .records import Answer, Hit

NOT_FOUND = "The documents do not answer this."
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:])")
_SAFE_SCHEMES = ("http", "https")


def escape(text: str) -> str:
    """Text as Markdown that renders to exactly these characters (HTML escaped too)."""
    text = html.escape(text, quote=True)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # Line breaks inside a quote would start new Markdown blocks (lists, headings).
    return re.sub(r"\s*\n\s*", " ", text)


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain web address, else None (no javascript:, data: or spaces)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc or any(c in url for c in " <>\"'`\\"):
        return None
    return url.strip()


def nice_date(day: str | None) -> str | None:
    if not day:
        return None
    try:
        return date.fromisoformat(day).strftime("%-d %B %Y")
    except ValueError:
        return day


def place(hit: Hit) -> str:
    """Where the sentence stands in its document, in words."""
    parts = []
    if hit.page is not None:
        parts.append(f"page {hit.page}")
    if hit.section:
        parts.append(f"section “{escape(hit.section)}”")
    parts.append(f"paragraph {hit.paragraph + 1}")
    of = f" of {hit.doc_sentences}" if hit.doc_sentences else ""
    parts.append(f"sentence {hit.position + 1}{of}")
    return ", ".join(parts)


def source_line(hit: Hit) -> str:
    """Title, date, link and place of a hit, as one Markdown line."""
    title = f"*{escape(hit.title)}*"
    bits = [title]
    day = nice_date(hit.date)
    if day:
        bits.append(escape(day))
    url = safe_url(hit.url)
    if url:
        host = urlsplit(url).netloc
        bits.append(f"[{escape(host)}](<{url}>)")
    bits.append(place(hit))
    if hit.doc_id != hit.title:
        bits.append(f"`{hit.doc_id.replace('`', '')}`")
    return " · ".join(bits)


def quote_block(hit: Hit, number: int) -> str:
    lines = [f"> **{number}.** {escape(hit.text)}", ">", f"> — {source_line(hit)}"]
    if hit.duplicates:
        lines.append(f"> *(also said {hit.duplicates} more time{'s' if hit.duplicates > 1 else ''} in the documents)*")
    return "\n".join(lines)


def compose(
    question: str,
    hits: Sequence[Hit],
    found: bool,
    searched: str | None = None,
    notes: Sequence[str] = (),
) -> Answer:
    """The Markdown reply for a question and its ranked hits."""
    searched = searched or question
    parts: list[str] = [f"*{escape(note)}*" for note in notes]
    if searched != question:
        parts.append(f"*Searched for: {escape(searched)}*")
    if found and hits:
        parts.extend(quote_block(hit, i) for i, hit in enumerate(hits, 1))
    else:
        parts.append(f"**{NOT_FOUND}**")
        if hits:
            parts.append("Closest sentences, not a confident match:")
            parts.extend(quote_block(hit, i) for i, hit in enumerate(hits, 1))
    return Answer(
        question=question,
        searched=searched,
        found=bool(found and hits),
        quotes=tuple(hits),
        text="\n\n".join(parts),
        notes=tuple(notes),
    )

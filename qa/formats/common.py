"""What every reader shares: the `Unreadable` error, decoding, hashing, metadata helpers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

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


def decode_text(data: bytes) -> str:
    """UTF-8 text of a file, or `Unreadable` saying why not."""
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not valid UTF-8 (byte {exc.start})") from None
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


def http_url(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and URL_LINE.match(value) else None


def plain_value(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def stem_title(doc_id: str) -> str:
    stem = Path(doc_id).stem
    return re.sub(r"[_-]+", " ", stem).strip() or stem

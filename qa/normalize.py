"""Words as the lexical channel sees them: NFKC, case-folded, apostrophes unified, accents folded.

Both documents and questions pass through here, so "Erdoğan", "erdogan" and "ERDOGAN" meet.
A question word also yields its letters-lost form ("Çavuşoğlu" → "avuolu"): the shape a name
takes in text whose non-ASCII letters were deleted, as happens to scraped news pages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_POSSESSIVE = re.compile(r"'s$")

STOPWORDS = frozenset(w.replace("'", "") for w in STOPWORDS_EN_PLUS)
_stemmer = Stemmer.Stemmer("english")


def clean(text: str) -> str:
    """NFKC, case-folded, with every apostrophe-like mark turned into "'"."""
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()


def fold(word: str) -> str:
    """Accents removed: "çavuşoğlu" → "cavusoglu"; letters with no base form are kept."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def lost(word: str) -> str:
    """The word with every non-ASCII letter deleted: "çavuşoğlu" → "avuolu"."""
    return "".join(c for c in word if c.isascii())


def _join(word: str) -> str:
    return _POSSESSIVE.sub("", word).replace("'", "")


def surface_words(text: str) -> list[str]:
    """Cleaned, folded words in order, possessives dropped ("Zelensky's" → "zelensky")."""
    return [fold(_join(w)) for w in _WORD.findall(clean(text))]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def is_content(word: str) -> bool:
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


def terms(text: str) -> list[str]:
    """The stemmed content words BM25 indexes."""
    return [stem(w) for w in surface_words(text) if is_content(w)]


def query_variants(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """Each content word of a question: as written, folded, and its candidate spellings.

    "Çavuşoğlu's" → ("Çavuşoğlu's", "cavusoglu", ("cavusoglu", "avuolu")): the folded form for
    clean text, the letters-lost form for text that lost its non-ASCII letters.
    """
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for match in _WORD.finditer(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)):
        written = match.group()
        word = _join(written.casefold())
        folded = fold(word)
        if not is_content(folded):
            continue
        forms = [folded]
        damaged = lost(word)
        if damaged != folded and len(damaged) >= 2:
            forms.append(damaged)
        out.append((written, folded, tuple(forms)))
    return out

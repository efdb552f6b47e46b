"""Words as the lexical channel sees them: NFKC, case-folded, apostrophes unified, accents folded.

Both documents and questions pass through here, so "Erdoğan", "erdogan" and "ERDOGAN" meet.
A question word also yields its letters-lost form ("Çavuşoğlu" → "avuolu"): the shape a name
takes in text whose non-ASCII letters were deleted, as happens to scraped news pages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import Stemmer

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032"})
# Letters that Unicode does not decompose into a base letter and an accent, written the way an
# English text or a keyboard without them writes them: "łódź" → "lodz", "søren" → "soren". Words
# reach fold() case-folded (which already makes "ß" "ss"), so only small letters are listed.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "æ": "ae", "œ": "oe", "þ": "th"}
)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_POSSESSIVE = re.compile(r"'s$")

STOPWORD_FILE = Path(__file__).resolve().parent / "data" / "stopwords-en.txt"
# The list lacks function words that questions use and news pages need not: "What else…?",
# "Is he still…?", "Has anyone…?". Counted as content, a question's "else" missing from the
# documents made a follow-up look unanswerable.
FUNCTION_WORDS = frozenset(
    "else also still yet ever even really anything something nothing everything anyone someone "
    "everyone whatever however whether either neither instead rather quite already perhaps maybe "
    "though although unless".split()
)
_LISTED = [w for w in map(str.strip, STOPWORD_FILE.read_text(encoding="utf-8").splitlines()) if w and w[0] != "#"]
STOPWORDS = frozenset(w.replace("'", "") for w in _LISTED) | FUNCTION_WORDS
_stemmer = Stemmer.Stemmer("english")
_VOWELS = frozenset("aeiouy")
MIN_DAMAGED = 4  # shorter letters-lost forms ("so" from "São") are too often other words


def clean(text: str) -> str:
    """NFKC, case-folded, with every apostrophe-like mark turned into "'"."""
    return plain_marks(text).casefold()


def plain_marks(text: str) -> str:
    """NFKC, with every apostrophe-like mark turned into "'"; case kept."""
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)


def fold(word: str) -> str:
    """Accents removed: "çavuşoğlu" → "cavusoglu", "łódź" → "lodz"; letters of other scripts
    are kept."""
    if word.isascii():
        return word
    # After decomposing: "ǿ" is "ø" and an accent, and the "ø" needs the table too.
    decomposed = unicodedata.normalize("NFKD", word).translate(_UNDECOMPOSED)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def lost(word: str) -> str:
    """The word with every non-ASCII letter deleted: "çavuşoğlu" → "avuolu"."""
    if word.isascii():
        return word
    return "".join(c for c in word if c.isascii())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    # Snowball keeps the "s" of a word with no vowel before it: "CNNs" (CNN's, its apostrophe
    # lost with the other non-ASCII characters), "MPs" and "DVDs" stayed apart from "CNN", "MP"
    # and "DVD". "Mrs" is not "Mr".
    if len(word) > 2 and word[-1] == "s" and word != "mrs" and word.isalpha() and not _VOWELS.intersection(word):
        word = word[:-1]
    return _stemmer.stemWord(word)


def is_content(word: str) -> bool:
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


def _join(word: str) -> str:
    return _POSSESSIVE.sub("", word).replace("'", "")


def damaged_spellings(text: str) -> list[tuple[str, str]]:
    """(letters-lost form, folded form) of each word of the text that has non-ASCII letters:
    "Maëlle" → ("malle", "maelle"), the spelling a damaged copy of it would have."""
    if text.isascii():
        return []
    pairs = []
    for written in _WORD.findall(clean(text)):
        if not written.isascii():
            word = _join(written)
            damaged, folded = lost(word), fold(word)
            if damaged != folded and len(damaged) >= MIN_DAMAGED and is_content(damaged):
                pairs.append((damaged, folded))
    return pairs


def surface_words(text: str) -> list[str]:
    """Cleaned, folded words in order, possessives dropped ("Zelensky's" → "zelensky")."""
    return [fold(_join(w)) for w in _WORD.findall(clean(text))]


# Token flags: what kind of answer a word could be (used by the ranker's answer-type features),
# and a day of the week (a sentence's figures, which two sentences saying the same share).
CAPITALISED, NUMBER, YEAR, MONTH, STOPWORD, UNIT, WEEKDAY = 1, 2, 4, 8, 16, 32, 64
FIGURES = NUMBER | YEAR | MONTH | WEEKDAY
_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2})s?$")
_SYMBOLS = str.maketrans({"%": " percent ", "$": " dollars ", "£": " pounds ", "€": " euros "})
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty "
    "thirty forty fifty hundred hundreds thousand thousands million millions billion billions "
    "trillion half dozen first second third fourth fifth".split()
)
UNIT_WORDS = frozenset(
    "percent per cent km kilometres kilometers miles mi metres meters m ft feet kg tonnes tons "
    "pounds dollars usd euros years months days hours minutes seconds century centuries acres "
    "square degrees".split()
)
# Words that introduce a reason (evidence for "why"), and openings that point back.
CAUSES = frozenset(
    stem(w) for w in "because due since result cause reason therefore thus order lead led so allow enable".split()
)
BACK_REFERENCES = frozenset("he she it they this these those his her its their such there here".split())


def _written(text: str) -> list[str]:
    """Every word of a text as written."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).translate(_SYMBOLS))


@lru_cache(maxsize=200_000)
def _word(written: str) -> tuple[str, str, int]:
    """(folded, stem, flags but CAPITALISED) of a word as written: a collection writes the same
    words again and again, and reading each afresh was most of a build's BM25 time."""
    word = fold(_join(written.translate(_APOSTROPHES).casefold()))
    flag = 0
    if word in NUMBER_WORDS or any(c.isdigit() for c in word):
        flag |= NUMBER
    if _YEAR.match(word):
        flag |= YEAR
    if word in MONTHS and written[:1].isupper():  # "May" the month, not the verb
        flag |= MONTH
    if not is_content(word):
        flag |= STOPWORD
    if word in UNIT_WORDS:
        flag |= UNIT
    if word in WEEKDAYS:
        flag |= WEEKDAY
    return word, stem(word), flag


def stems(text: str) -> list[str]:
    """The stem of every word of a text, stopwords included: analyse() without the flags a
    question does not need."""
    return [_word(written)[1] for written in _written(text)]


def analyse(text: str) -> tuple[list[str], list[str], list[int]]:
    """(folded words, their stems, their flags) for every word of a text, stopwords included;
    a capitalised word after the first is CAPITALISED."""
    words, stems, flags = [], [], []
    for i, written in enumerate(_written(text)):
        word, stemmed, flag = _word(written)
        words.append(word)
        stems.append(stemmed)
        flags.append(flag | CAPITALISED if i and written[:1].isupper() else flag)
    return words, stems, flags


def terms(text: str) -> list[str]:
    """The stemmed content words BM25 indexes."""
    _, stems, flags = analyse(text)
    return [s for s, f in zip(stems, flags) if not f & STOPWORD]


# A Roman numeral up to XXXIX ("II", "xiv"); the empty string matches too, so check the length.
ROMAN_NUMERAL = re.compile(r"x{0,3}(ix|iv|v?i{0,3})", re.IGNORECASE)

# British and American spellings of one word ("defence" and "defense", "organise" and
# "organize", "centre" and "center"): each ending, the other it may be written as, and how many
# vowel groups must come before it, so that short words keep theirs ("four" is no "for",
# "polled" no "poled", "filled" no "filed"; "colour", "travelled" and "labelled" change).
_REGIONAL = [
    (re.compile(pattern), replacement, vowels)
    for pattern, replacement, vowels in [
        (r"our(s|ed|ing|ite|ites|able)?$", r"or\1", 1),
        (r"or(s|ed|ing|ite|ites|able)?$", r"our\1", 1),
        (r"is(e|es|ed|ing|ation|ations)$", r"iz\1", 1),
        (r"iz(e|es|ed|ing|ation|ations)$", r"is\1", 1),
        (r"ys(e|es|ed|ing)$", r"yz\1", 1),
        (r"yz(e|es|ed|ing)$", r"ys\1", 1),
        (r"tre(s)?$", r"ter\1", 1),
        (r"ter(s)?$", r"tre\1", 1),
        (r"ence(s)?$", r"ense\1", 1),
        (r"ense(s)?$", r"ence\1", 1),
        (r"ogue(s)?$", r"og\1", 1),
        (r"og(s)?$", r"ogue\1", 1),
        (r"(?<=[aeiou])ll(ed|ing|er|ers)$", r"l\1", 2),
        (r"(?<=[aeiou])l(ed|ing|er|ers)$", r"ll\1", 2),
        (r"amme(s)?$", r"am\1", 1),
        (r"am(s)?$", r"amme\1", 1),
    ]
]
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def regional_variants(word: str) -> list[str]:
    """The word as the other side of the Atlantic may spell it: "defence" → ["defense"],
    "theatres" → ["theaters"]. Only candidates: the caller keeps those its documents use."""
    out = []
    for pattern, replacement, vowels in _REGIONAL:
        found = pattern.search(word)
        if found is None or len(_VOWEL_GROUP.findall(word[: found.start()])) < vowels:
            continue
        variant = word[: found.start()] + found.expand(replacement)
        if variant not in out:
            out.append(variant)
    return out


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

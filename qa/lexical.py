"""The lexical channel: BM25 over stemmed words (bm25s), and the index vocabulary that lets a
question word find its spelling in the documents.

A question word that the documents never use is looked up three ways before it is given up:
its accent-folded form, its letters-lost form (non-ASCII letters deleted, as damaged text
stores it), and, for words of four letters or more, vocabulary words one edit away (rapidfuzz,
transpositions included) or that the word contains with one to three letters dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from .normalize import is_content, query_variants, stem, surface_words

VERSION = 1  # bump when tokenisation or BM25 settings change, so indexes get rebuilt
BM25_K1 = 1.2
BM25_B = 0.75
MIN_FUZZY_LEN = 4  # shorter words have too many one-edit neighbours to guess safely
MAX_LOST_LETTERS = 3


@dataclass(frozen=True)
class QueryWord:
    """One content word of a question and the index term it was matched to (if any)."""

    written: str  # as it stands in the question
    word: str  # folded
    match: str | None  # the vocabulary word (or stemmed term) it was matched to
    how: str  # "exact", "lost", "typo", "missing"
    term: str | None  # the stemmed term BM25 scores it by


class Lexical:
    """BM25 scores for every sentence, plus the vocabulary for spelling repair."""

    def __init__(self, bm25: bm25s.BM25, rows: np.ndarray, vocabulary: dict[str, int]):
        self._bm25 = bm25
        self.rows = rows  # sentence id of each BM25 row
        self.vocabulary = vocabulary  # folded surface word → sentences containing it
        self._known_terms = {t for t in bm25.vocab_dict if t}
        # Typos are matched against surface words ("Zelenksy" → "zelensky") and stemmed terms
        # ("ofer" → "offer", when the text only says "offered").
        self._words = list(vocabulary) + sorted(self._known_terms - set(vocabulary))

    @classmethod
    def build(cls, ids: np.ndarray, texts: list[str]) -> Lexical:
        words = [surface_words(t) for t in texts]
        vocabulary: dict[str, int] = {}
        for ws in words:
            for w in set(ws):
                if is_content(w):
                    vocabulary[w] = vocabulary.get(w, 0) + 1
        bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        bm25.index([[stem(w) for w in ws if is_content(w)] for ws in words], show_progress=False)
        return cls(bm25, np.asarray(ids, dtype=np.int64), vocabulary)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(folder / "bm25"), allow_pickle=False, show_progress=False)
        np.save(folder / "rows.npy", self.rows, allow_pickle=False)
        (folder / "vocabulary.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> Lexical:
        bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=False, show_progress=False)
        rows = np.load(folder / "rows.npy", allow_pickle=False)
        vocabulary = json.loads((folder / "vocabulary.json").read_text())
        return cls(bm25, rows, vocabulary)

    # -- questions -------------------------------------------------------------------------

    def match_words(self, question: str) -> list[QueryWord]:
        """Each content word of the question, matched to the vocabulary where possible."""
        words = []
        for written, folded, forms in query_variants(question):
            match, how = self._match(folded, forms)
            term = None if match is None else match if match in self._known_terms else stem(match)
            words.append(QueryWord(written, folded, match, how, term))
        return words

    def document_frequency(self, word: str) -> int:
        return self.vocabulary.get(word, 0)

    def _match(self, folded: str, forms: tuple[str, ...]) -> tuple[str | None, str]:
        for form in forms:
            if form in self.vocabulary or stem(form) in self._known_terms:
                return form, "exact" if form == folded else "lost"
        if len(folded) < MIN_FUZZY_LEN or folded.isdigit():
            return None, "missing"
        typo = self._nearest(folded, OSA.distance, 1, lambda w: True)
        if typo:
            return typo, "typo"
        dropped = self._nearest(folded, Indel.distance, MAX_LOST_LETTERS, lambda w: _lost_letters_of(w, folded))
        if dropped:
            return dropped, "lost"
        return None, "missing"

    def _nearest(self, word: str, scorer, cutoff: int, accept) -> str | None:
        """The closest vocabulary word within cutoff; ties go to the more frequent word."""
        found = process.extract(word, self._words, scorer=scorer, score_cutoff=cutoff, limit=20)
        best = [(dist, -self.vocabulary.get(w, 1), w) for w, dist, _ in found if accept(w)]
        return min(best)[2] if best else None

    def scores(self, terms: list[str], weight_mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every row for these stemmed terms (zeros where none occurs)."""
        known = [t for t in dict.fromkeys(terms) if t in self._known_terms]
        if not known:
            return np.zeros(len(self.rows), dtype=np.float32)
        return self._bm25.get_scores(known, weight_mask=weight_mask)


def _lost_letters_of(candidate: str, word: str) -> bool:
    """Could candidate be word with a few letters deleted ("avuolu" in "cavusoglu")?

    A prefix is an inflection ("plan" in "planes"), not damage, so it does not count.
    """
    return (
        len(candidate) >= MIN_FUZZY_LEN
        and len(candidate) >= 0.6 * len(word)
        and not word.startswith(candidate)
        and Indel.distance(word, candidate) == len(word) - len(candidate)
    )

"""The lexical channel: BM25 over stemmed words (bm25s builds it) for sentences and for whole
paragraphs, every sentence's words as term ids with flags (for the ranker's coverage and
answer-type features), and the index vocabulary that lets a question word find its spelling in
the documents.

A question word that the documents never use is looked up these ways before it is given up:
its accent-folded form, its letters-lost form (non-ASCII letters deleted, as damaged text
stores it), its British or American spelling, and, for words of four letters or more,
vocabulary words one edit away (rapidfuzz, transpositions included) or that the word contains
with one to three letters dropped; last, the capitalised words an acronym in capitals stands
for ("NSC": "National Security Council"), or two words the documents write side by side that
join into it ("semi-conductor"). A word the question hyphenates and the documents write joined
("set-up", "setup") is read joined. A word the model's vocabulary holds whole is spelt right
and is not repaired by edits, and a name (capitalised inside the question) gets a one-edit
repair only to a name the documents capitalise.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from .errors import IndexProblem
from .normalize import (
    BACK_REFERENCES,
    CAPITALISED,
    CAUSES,
    FIGURES,
    NUMBER_WORDS,
    ROMAN_NUMERAL,
    STOPWORD,
    analyse,
    clean,
    damaged_spellings,
    fold,
    query_variants,
    regional_variants,
    stem,
    terms,
)

# Bump when tokenisation or BM25 settings change, so indexes get rebuilt (11: a turn thanking
# someone by name, "Dr Inès Lefèvre, thank you.", answers nothing; days of the week flagged).
VERSION = 11
# BM25 settings: article-level cross-validation on SQuAD chose these on every training fold
# (against 1.2/0.75 and 1.5/0.5); short sentences want little length normalisation.
BM25_K1 = 0.9
BM25_B = 0.4
BM25_METHOD = "lucene"  # bm25s's default
MIN_FUZZY_LEN = 4  # shorter words have too many one-edit neighbours to guess safely
MAX_LOST_LETTERS = 3
MIN_HALF = 2  # a joined word splits into parts of at least this many letters
MIN_ACRONYM, MAX_ACRONYM = 2, 6  # letters of an acronym looked for spelt out
PARTS_REMEMBERED = 4096  # unknown words whose acronym or halves are kept
_HYPHENATED = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")
PAD = -1  # term id of a word the index does not know


@dataclass(frozen=True)
class QueryWord:
    """One content word of a question and the index term it was matched to (if any)."""

    written: str  # as it stands in the question
    word: str  # folded
    match: str | None  # the vocabulary word (or stemmed term) it was matched to
    how: str  # "exact", "lost", "variant", "typo", "split" (a half), "acronym" (a word of it), "missing"
    term: str | None  # the stemmed term BM25 scores it by


@dataclass(frozen=True)
class Words:
    """Every word of every sentence as term ids with flags, in compressed rows (CSR), plus
    what the ranker reads per sentence. Rows follow the sentence rows of the index."""

    indptr: np.ndarray  # int64 (rows + 1,)
    ids: np.ndarray  # int32 term ids, stopwords included
    flags: np.ndarray  # uint8 normalize.CAPITALISED | NUMBER | ...
    idf: np.ndarray  # float32 per term id, with a final 0 for PAD
    cause: np.ndarray  # bool per row: holds a word that introduces a reason
    points_back: np.ndarray  # bool per row: opens with he/it/this/they...
    asks: np.ndarray  # bool per row: a question ("…and who pays?") or a turn's "Thank you.": no answer

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, term id, flags) of every word of these rows, in order; `row` is the word's
        place in `rows`."""
        starts = np.asarray(self.indptr[rows])
        lengths = np.asarray(self.indptr[rows + 1]) - starts
        row = np.repeat(np.arange(len(rows)), lengths)
        at = np.arange(len(row)) + np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return row, np.asarray(self.ids)[at], np.asarray(self.flags)[at]

    def figures(self, rows: np.ndarray) -> list[frozenset[int]]:
        """The term ids of each row's numbers, years, months and days of the week."""
        row, ids, flags = self.gather(rows)
        figure = (flags & FIGURES) > 0
        bounds = np.searchsorted(row[figure], np.arange(len(rows) + 1)).tolist()
        values = ids[figure].tolist()
        return [frozenset(values[a:b]) for a, b in itertools.pairwise(bounds)]

    def content_terms(self, rows: np.ndarray) -> list[set[int]]:
        """The term ids of each row's content words: what `normalize.terms` gives its text."""
        row, ids, flags = self.gather(rows)
        content = (flags & STOPWORD) == 0
        bounds = np.searchsorted(row[content], np.arange(len(rows) + 1)).tolist()
        values = ids[content].tolist()
        return [set(values[a:b]) for a, b in itertools.pairwise(bounds)]


def _speakers(texts: Sequence[str], headings: Sequence[str | None]) -> list[str | None]:
    """The speaker of each sentence of a transcript's turn that does not open with their label.

    A turn's section ends in its speaker's label ("Press conference: ÜMIT AKSOY"), which opens
    the turn's first sentence ("ÜMIT AKSOY: Thank you."). Only that sentence named the speaker,
    so "What did Aksoy say about the temperature?" found it, above "The temperature at the
    front is 38 degrees" further on in the turn: each sentence of a turn is read with its
    speaker's name after it (for its words and BM25; not for its vector, as a name before a
    short sentence put it below others: 2 of 1,063 questions lost, none gained). A section whose
    last part opens none of its sentences is a heading like any other."""
    labels = [(heading or "").rpartition(": ")[2] for heading in headings]
    turns = {h for h, label, text in zip(headings, labels, texts) if label and text.startswith(f"{label}:")}
    return [
        label if heading in turns and not text.startswith(f"{label}:") else None
        for heading, label, text in zip(headings, labels, texts)
    ]


def _repairs(texts: list[str], dictionary: Container[str]) -> dict[str, str]:
    """Letters-lost spelling → whole spelling, for the words of the collection with non-ASCII
    letters; a lost spelling two whole words share ("mller": Müller, Möller) is left alone."""
    whole: dict[str, set[str]] = {}
    for text in texts:
        for damaged, folded in damaged_spellings(text):
            whole.setdefault(damaged, set()).add(folded)
    return {damaged: next(iter(f)) for damaged, f in whole.items() if len(f) == 1 and damaged not in dictionary}


_POSTINGS_ARRAYS = ("data", "indices", "indptr")


@dataclass(frozen=True, eq=False)
class Postings:
    """Each term's BM25 score in each row that holds it, as bm25s computes and saves them
    (a sparse matrix by columns: a term's rows and scores lie between indptr[term] and
    indptr[term + 1]). A question reads them back without bm25s: its import (scipy's sparse
    matrices, tqdm) took a fifth of a one-shot question's time."""

    vocab: dict[str, int]  # term → column
    data: np.ndarray  # float32 scores
    indices: np.ndarray  # int32 rows
    indptr: np.ndarray
    size: int  # rows

    @classmethod
    def index(cls, bags: list[list[str]]) -> Postings:
        import bm25s

        # bm25s sets its own logger to DEBUG, over the level the program using qa chose for
        # its logs: every build printed "Building index from tokens". The program decides.
        logging.getLogger("bm25s").setLevel(logging.NOTSET)
        bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B, method=BM25_METHOD)
        bm25.index(bags, show_progress=False)
        scores = bm25.scores
        return cls(bm25.vocab_dict, scores["data"], scores["indices"], scores["indptr"], scores["num_docs"])

    def save(self, folder: Path) -> None:
        """bm25s's own files, so that bm25s.BM25.load reads them too."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in _POSTINGS_ARRAYS:
            np.save(folder / f"{name}.csc.index.npy", getattr(self, name), allow_pickle=False)
        (folder / "vocab.index.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
        params = {"k1": BM25_K1, "b": BM25_B, "method": BM25_METHOD, "num_docs": self.size}
        (folder / "params.index.json").write_text(json.dumps(params, indent=4))

    @classmethod
    def load(cls, folder: Path) -> Postings:
        params = json.loads((folder / "params.index.json").read_text())
        if params.get("method") != BM25_METHOD:  # another variant scores rows without the term too
            raise IndexProblem(
                f"{folder} holds BM25 of method {params.get('method')!r}, not {BM25_METHOD!r}: "
                "rebuild the index with `qa index --full`"
            )
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        arrays = [np.load(folder / f"{name}.csc.index.npy", allow_pickle=False) for name in _POSTINGS_ARRAYS]
        return cls(vocab, *arrays, params["num_docs"])

    def scores(self, terms: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        """Each row's BM25 score for these terms, times `mask` if given: bm25s's get_scores
        to the bit (a term's scores added in turn, in float32)."""
        out = np.zeros(self.size, dtype=np.float32)
        for term in terms:
            column = self.vocab.get(term)
            if column is not None:
                start, end = self.indptr[column], self.indptr[column + 1]
                out[self.indices[start:end]] += self.data[start:end]  # a term is in a row once
        if mask is not None:
            out *= mask
        return out

    def rows_with(self, term: str) -> int:
        column = self.vocab.get(term)
        return 0 if column is None else int(self.indptr[column + 1] - self.indptr[column])


_WORD_FILES = ("indptr", "ids", "flags", "idf", "cause", "points_back", "asks")


class Lexical:
    """BM25 over sentences and over paragraphs, the words of every sentence, and the
    vocabulary for spelling repair."""

    def __init__(
        self,
        bm25: Postings,
        bm25_paragraphs: Postings,
        rows: np.ndarray,
        paragraph: np.ndarray,
        vocabulary: dict[str, int],
        terms: list[str],
        words: Words,
    ):
        self._bm25 = bm25
        self._bm25_paragraphs = bm25_paragraphs
        self.rows = rows  # sentence id of each row
        self.paragraph = paragraph  # paragraph number of each row (paragraphs are contiguous)
        self.vocabulary = vocabulary  # folded surface word → sentences containing it
        self.terms = terms  # term id → stem
        self.term_ids = {t: i for i, t in enumerate(terms)}
        self.words = words
        self._known_terms = {t for t in bm25.vocab if t}
        # Remembered per word: an acronym or a split reads the stored words (0.1 s over a
        # million sentences), and a conversation asks the same words again.
        self._parts = lru_cache(maxsize=PARTS_REMEMBERED)(self._find_parts)

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        texts: list[str],
        paragraph: np.ndarray,
        headings: Sequence[str | None] = (),
        dictionary: Container[str] = frozenset(),
    ) -> Lexical:
        """Index sentence texts; `paragraph` numbers each row's paragraph (contiguous runs).

        `headings`: the heading each row stands under, if any. Its words count in the BM25 of
        the paragraph (not of the sentence): a heading says what the paragraphs under it are
        about, as an FAQ's question does for its answer. Words no sentence uses are left out,
        as a question's word is matched against the sentences' vocabulary. A transcript's
        speaker, named by their turn's heading, counts in each sentence of the turn
        (`_speakers`).

        `dictionary`: words known to be spelt right (the model's whole word pieces). A word of
        a text that lost its non-ASCII letters ("Malle") is stored as the same word written
        whole elsewhere in the collection ("Maëlle"), so a question finds both; unless it is
        itself a word ("Óscar" would make every "scar" a name); with no such list, none is.
        """
        repairs = _repairs(texts, dictionary) if dictionary else {}
        vocabulary: dict[str, int] = {}
        term_ids: dict[str, int] = {}
        indptr, flat_ids, flat_flags, content, cause, points_back = [0], [], [], [], [], []
        asks = [_asks(text) or bool(_PLEASANTRY.match(text)) for text in texts]
        said = _speakers(texts, headings) if headings else [None] * len(texts)
        for text, speaker in zip(texts, said):
            words, stems, flags = analyse(f"{text} {speaker}" if speaker else text)
            if repairs:
                for i, word in enumerate(words):
                    if word in repairs:
                        words[i] = repairs[word]
                        stems[i] = stem(words[i])
            for w in {w for w, f in zip(words, flags) if not f & STOPWORD}:
                vocabulary[w] = vocabulary.get(w, 0) + 1
            flat_ids.extend(term_ids.setdefault(s, len(term_ids)) for s in stems)
            flat_flags.extend(flags)
            indptr.append(len(flat_ids))
            content.append([s for s, f in zip(stems, flags) if not f & STOPWORD])
            cause.append(any(s in CAUSES for s in stems))
            points_back.append(bool(words) and words[0] in BACK_REFERENCES)
        n = len(texts)
        df = np.zeros(len(term_ids) + 1)
        for stems_of_row in content:
            df[[term_ids[t] for t in set(stems_of_row)]] += 1
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        idf[-1] = 0.0
        bm25 = Postings.index(content)
        paragraph = np.asarray(paragraph, dtype=np.int32)
        starts = np.flatnonzero(np.r_[True, paragraph[1:] != paragraph[:-1]]) if n else np.zeros(0, int)
        bounds = [*starts.tolist(), n]
        per_paragraph = [[t for row in range(a, b) for t in content[row]] for a, b in itertools.pairwise(bounds)]
        if headings:
            for bag, start in zip(per_paragraph, starts.tolist()):
                bag.extend(s for s in terms(headings[start] or "") if s in term_ids)
        bm25_paragraphs = Postings.index(per_paragraph)
        words = Words(
            indptr=np.array(indptr, dtype=np.int64),
            ids=np.array(flat_ids, dtype=np.int32),
            flags=np.array(flat_flags, dtype=np.uint8),
            idf=idf,
            cause=np.array(cause, dtype=bool),
            points_back=np.array(points_back, dtype=bool),
            asks=np.array(asks, dtype=bool),
        )
        return cls(bm25, bm25_paragraphs, np.asarray(ids, dtype=np.int64), paragraph, vocabulary, list(term_ids), words)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(folder / "bm25")
        self._bm25_paragraphs.save(folder / "bm25-paragraphs")
        np.save(folder / "rows.npy", self.rows, allow_pickle=False)
        np.save(folder / "paragraph.npy", self.paragraph, allow_pickle=False)
        for name in _WORD_FILES:
            np.save(folder / f"words-{name}.npy", getattr(self.words, name), allow_pickle=False)
        (folder / "vocabulary.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False))
        (folder / "terms.json").write_text(json.dumps(self.terms, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> Lexical:
        bm25 = Postings.load(folder / "bm25")
        bm25_paragraphs = Postings.load(folder / "bm25-paragraphs")
        # Mapped, so a large index is paged in as read; seen as plain arrays, because indexing
        # a np.memmap wraps every result in a memmap, which costs more than the lookup.
        arrays = {
            name: np.asarray(np.load(folder / f"words-{name}.npy", mmap_mode="r", allow_pickle=False))
            for name in _WORD_FILES
        }
        return cls(
            bm25,
            bm25_paragraphs,
            np.load(folder / "rows.npy", allow_pickle=False),
            np.load(folder / "paragraph.npy", allow_pickle=False),
            json.loads((folder / "vocabulary.json").read_text()),
            json.loads((folder / "terms.json").read_text()),
            Words(**arrays),
        )

    def ids_of(self, stems: list[str]) -> np.ndarray:
        """Term ids of stems; PAD for stems the index never saw."""
        return np.array([self.term_ids.get(s, PAD) for s in stems], dtype=np.int32)

    # -- questions -------------------------------------------------------------------------

    def match_words(self, question: str, dictionary: Container[str] = frozenset()) -> list[QueryWord]:
        """Each content word of the question, matched to the vocabulary where possible.

        `dictionary`: words known to be spelt right (the model's whole word pieces), which are
        repaired neither as typos nor as damaged text: an English word typed in ASCII rarely
        has letters to lose (a loanword typed with its accents, "café", still meets "caf"). Of
        the one-edit repairs such words got, about 38 of 45 on SQuAD's questions were wrong
        ("flee" → "free", "rider" → "river") and 31 of 35 on the seed's
        ("how many" → "Manu", a reporter); of the lost-letter ones nearly all ("unproven" →
        "proven", "inequality" → "equality", "exchange" → "change"). The right ones were
        spelling variants and inflections ("kilometers" → "kilometres"), which the dense channel
        still sees. Misspellings and foreign names ("goverment", "Zelenksy", "ofer",
        "Cavusoglu") are rarely whole word pieces.
        """
        words = []
        question = _HYPHENATED.sub(self._joined, question)
        opening = question.lstrip()
        for written, folded, forms in query_variants(question):
            name = written[:1].isupper() and not opening.startswith(written)
            match, how = self._match(folded, forms, name, folded in dictionary)
            if how == "missing":
                how, parts = self._parts(written, folded)
                if parts:
                    words.extend(QueryWord(written, folded, part, how, part) for part in parts)
                    continue
            term = None if match is None else match if match in self._known_terms else stem(match)
            words.append(QueryWord(written, folded, match, how, term))
        return words

    def respelt(self, text: str, words: list[QueryWord]) -> str:
        """The text with its typos written as the documents write the word ("Menendes" →
        "Menendez"), for the model: it reads a one-letter change as another word, and the
        question's vector fell from 0.61 to 0.35 against the sentence naming Menendez. (A lost
        letter is left: the model knows "Erdoğan", not the damaged "Erdoan", and lost two
        questions so.)"""
        for w in words:
            if w.how == "typo" and w.match in self.vocabulary:
                spelt = w.match.capitalize() if w.written[:1].isupper() else w.match
                text = re.sub(rf"(?<!\w){re.escape(w.written)}(?!\w)", spelt, text)
        return text

    def _joined(self, hyphenated: re.Match) -> str:
        """ "semi-conductor" as one word where the documents only write it so ("semiconductor")."""
        left, right = (fold(clean(part)) for part in hyphenated.groups())
        joined = left + right
        if joined in self.vocabulary and not (left in self.vocabulary and right in self.vocabulary):
            return hyphenated.group(1) + hyphenated.group(2)
        return hyphenated.group()

    def _find_parts(self, written: str, folded: str) -> tuple[str, tuple[str, ...]]:
        """The terms an unknown word stands for: the words of an acronym the documents spell
        out, or two words they write side by side; ("missing", ()) if neither."""
        expansion = self._expansion(written)
        if expansion:
            return "acronym", expansion
        halves = self._halves(folded)
        if halves:
            return "split", halves
        return "missing", ()

    def _expansion(self, written: str) -> tuple[str, ...]:
        """ "NSC" → the stems of "National Security Council": the run of capitalised content
        words, most frequent in the documents, whose initials are the acronym's letters."""
        if not (MIN_ACRONYM <= len(written) <= MAX_ACRONYM and written.isascii() and written.isalpha()):
            return ()
        if not written.isupper():
            return ()
        ids = np.asarray(self.words.ids)
        flags = np.asarray(self.words.flags)
        indptr = np.asarray(self.words.indptr)
        letters = written.lower().encode()
        n = len(letters)
        # Runs start at a word with the first letter, kept while each next word fits: one pass
        # over all the stored words, then only over the candidates (a million sentences: 0.1 s).
        starts = np.flatnonzero(self._initials[ids[: max(len(ids) - n + 1, 0)]] == letters[0])

        def opening(at: np.ndarray) -> np.ndarray:  # the first word of its sentence
            return indptr[np.minimum(np.searchsorted(indptr, at), len(indptr) - 1)] == at

        # A sentence's first word carries no capital flag: it may open a run too.
        starts = starts[((flags[starts] & CAPITALISED) > 0) | opening(starts)]
        for k, letter in enumerate(letters):
            at = starts + k
            fits = ((flags[at] & STOPWORD) == 0) & ~self._numerals[ids[at]] & (self._initials[ids[at]] == letter)
            if k:  # inside the same sentence, capitalised
                fits &= (flags[at] & CAPITALISED) > 0
            starts = starts[fits]
        # The run must be the whole stretch of capitalised words, not a piece of a longer one
        # ("CPU" is not "Commission President Ursula" in "European Commission President Ursula
        # von der Leyen"): the words either side, within the sentence, are not capitalised.
        previous = np.maximum(starts - 1, 0)
        # A sentence's first content word counts as capitalised ("European Commission...").
        joined = ((flags[previous] & CAPITALISED) > 0) | (opening(previous) & ((flags[previous] & STOPWORD) == 0))
        starts = starts[opening(starts) | ~joined]
        after = starts + n  # a next sentence's first word has no capital flag: it ends the run
        starts = starts[(after >= len(ids)) | ((flags[np.minimum(after, len(ids) - 1)] & CAPITALISED) == 0)]
        runs = Counter(tuple(ids[start : start + n].tolist()) for start in starts)
        if not runs:
            return ()
        run, count = runs.most_common(1)[0]
        # Punctuation is not stored, so two names in a list ("Germany, Italy") look like a run:
        # a two-letter acronym needs its words together more than once.
        if n == 2 and count < 2:
            return ()
        return tuple(self.terms[i] for i in run)

    @cached_property
    def _initials(self) -> np.ndarray:
        """The first letter of each term, as a byte."""
        return np.frombuffer(b"".join(t[:1].encode("latin-1", "replace") or b" " for t in self.terms), np.uint8)

    @cached_property
    def _numerals(self) -> np.ndarray:
        """Whether each term is a Roman numeral ("II"): no initial of an acronym ("WWI" is not
        "World War II", and "I" itself is a stopword)."""
        return np.array([bool(t) and bool(ROMAN_NUMERAL.fullmatch(t)) for t in self.terms], bool)

    def _halves(self, word: str) -> tuple[str, ...]:
        """The stems of two words the documents write side by side ("semi-conductor",
        "co-operation") that join into this unknown one; the first split point from the left."""
        if any(c.isdigit() for c in word):  # "2024" is not "20, 24": punctuation is not stored
            return ()
        for cut in range(MIN_HALF, len(word) - MIN_HALF + 1):
            left, right = word[:cut], word[cut:]
            if self._uses(left) and self._uses(right):  # "semiconductors": "semi", "conductor"
                first, second = self.term_ids.get(stem(left)), self.term_ids.get(stem(right))
                if first is not None and second is not None and self._adjacent(first, second):
                    return stem(left), stem(right)
        return ()

    def _adjacent(self, first: int, second: int) -> bool:
        ids = np.asarray(self.words.ids)
        at = np.flatnonzero(ids[:-1] == first)
        return bool((ids[at + 1] == second).any())

    @cached_property
    def _names(self) -> frozenset[str]:
        """Stems the documents write capitalised inside a sentence."""
        ids = np.asarray(self.words.ids)[(np.asarray(self.words.flags) & CAPITALISED) > 0]
        return frozenset(self.terms[i] for i in np.unique(ids))

    def document_frequency(self, word: str) -> int:
        """Sentences holding this word; for a stemmed term (the part of a split word or an
        acronym), sentences holding a word of that stem, from BM25's postings."""
        if word in self.vocabulary:
            return self.vocabulary[word]
        return self._bm25.rows_with(word)

    def _match(
        self, folded: str, forms: tuple[str, ...], name: bool = False, spelt_right: bool = False
    ) -> tuple[str | None, str]:
        """`name`: the question capitalises the word inside it. A misspelt name is taken for a
        name the documents capitalise, not for any word an edit away ("Macron" is not
        "macro"); damaged names keep their lost-letter match, as their capital may be lost."""
        for form in forms:
            if self._uses(form):
                return form, "exact" if form == folded else "lost"
        for variant in regional_variants(folded):  # a word spelt right may be spelt otherwise
            if variant in self.vocabulary:  # as written: by stem, "paradize" would be "parade"
                return variant, "variant"
        if spelt_right or len(folded) < MIN_FUZZY_LEN or folded.isdigit():
            return None, "missing"
        accept = (lambda w: stem(w) in self._names) if name else (lambda w: True)
        n = len(folded)
        typo = self._nearest(folded, OSA.distance, 1, range(n - 1, n + 2), accept)
        if typo:
            return typo, "typo"
        shorter = range(n - MAX_LOST_LETTERS, n)  # a damaged word has lost letters
        dropped = self._nearest(
            folded, Indel.distance, MAX_LOST_LETTERS, shorter, lambda w: _lost_letters_of(w, folded)
        )
        if dropped:
            return dropped, "lost"
        return None, "missing"

    def _uses(self, word: str) -> bool:
        """The documents hold this word, or another of its stem."""
        return word in self.vocabulary or stem(word) in self._known_terms

    def _nearest(self, word: str, scorer, cutoff: int, lengths: range, accept) -> str | None:
        """The closest vocabulary word of one of these lengths within cutoff that `accept`
        takes; ties go to the more frequent word. Both distances are at least the difference in
        length, so the other lengths could not be within cutoff: skipping them makes this 3x
        faster on SQuAD. Every word within reach is weighed (before, only the 20 nearest, which
        could leave out an accepted one; no SQuAD or seed question had more than 20)."""
        choices = list(itertools.chain.from_iterable(self._by_length.get(n, ()) for n in lengths))
        found = process.extract(word, choices, scorer=scorer, score_cutoff=cutoff, limit=None)
        best = [(dist, -self.vocabulary.get(w, 1), w) for w, dist, _ in found if accept(w)]
        return min(best)[2] if best else None

    @cached_property
    def _by_length(self) -> dict[int, list[str]]:
        """Typos are matched against surface words ("Zelenksy" → "zelensky") and stemmed terms
        ("ofer" → "offer", when the text only says "offered"), grouped by length."""
        by_length: dict[int, list[str]] = {}
        for word in itertools.chain(self.vocabulary, sorted(self._known_terms - self.vocabulary.keys())):
            by_length.setdefault(len(word), []).append(word)
        return by_length

    def scores(self, terms: list[str], weight_mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every row for these stemmed terms (zeros where none occurs)."""
        return self._bm25.scores(self._known(terms), weight_mask)

    def paragraph_scores(self, terms: list[str], row_mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every paragraph, as one text, for these stemmed terms; with a mask of
        allowed rows, paragraphs holding none of them score 0."""
        count = int(self.paragraph[-1]) + 1 if len(self.paragraph) else 0
        mask = None
        if row_mask is not None:
            mask = np.zeros(count, dtype=np.float32)
            mask[np.asarray(self.paragraph)[row_mask > 0]] = 1.0
        return self._bm25_paragraphs.scores(self._known(terms), mask)

    def _known(self, terms: list[str]) -> list[str]:
        """The terms the sentences use, each once (a paragraph's heading may add others, which
        a question does not score by)."""
        return [t for t in dict.fromkeys(terms) if t in self._known_terms]


def _lost_letters_of(candidate: str, word: str) -> bool:
    """Could candidate be word with a few letters deleted ("avuolu" in "cavusoglu")?

    A prefix is an inflection ("plan" in "planes"), not damage, so it does not count; nor does
    a word that only lacks two or more leading letters, which is a prefix too ("proven" in
    "unproven", "stated" in "restated"). One lost leading letter is damage: "Ç" in "Çavuşoğlu".
    """
    return (
        len(candidate) >= MIN_FUZZY_LEN
        and len(candidate) >= 0.6 * len(word)
        and not word.startswith(candidate)
        and not (word.endswith(candidate) and len(word) - len(candidate) >= 2)
        and Indel.distance(word, candidate) == len(word) - len(candidate)
    )


# A turn of a transcript that only greets or thanks ("MIREIA VALLÈS GÜELL: Good morning.",
# "CHAIR: Thank you."): its label matched "Who is Mireia Vallès Güell?" above every sentence
# saying who she is, and it says nothing, as a question in the text does (`asks`).
_NOT_NAMES = NUMBER_WORDS | {"yes", "no", "yeah", "okay", "ok", "right", "sure", "indeed", "exactly"}
_PLEASANTRY = re.compile(
    # to whom, by name: not an answer ("Yes, thank you.", "Twelve, thank you.")
    rf"^[^:\n]{{1,120}}:\s*(?:(?!(?:{'|'.join(sorted(_NOT_NAMES))})\b)(?-i:[A-Z])[^,.:!?\d\n]{{0,60}},\s*)?"
    r"(?:good (?:morning|afternoon|evening)|thank you(?: very much)?|thanks(?! to\b)|hello|hi)\b"
    r"[^.!?\n]{0,30}[.!]?\s*$",
    re.IGNORECASE,
)
_CLOSING = " \t\"'”’)»"
_STATES = re.compile(r"[a-z]{3}[.!]\s+\S")  # a sentence ended inside, after a word (not "Mr.")


def _asks(text: str) -> bool:
    """Whether a sentence is a question ("…, and who pays for it?"). One that ends in a quotation
    it opened after its first word reports a question and answers with who asked it: 'Jean
    Holloway, 81, told me: “Saturday is market day. What am I supposed to do, swim?”'; so does
    a quotation kept whole that states something before it asks."""
    core = text.rstrip(_CLOSING)
    if not core.endswith("?"):
        return False
    if len(core) == len(text.rstrip(" \t")):
        return True
    if max(core.rfind("“"), core.rfind('"'), core.rfind("«"), core.rfind("‘"), core.rfind(" '")) > 0:
        return False
    # A quotation that says something before it asks ("The road reopens on Friday. Why wait?")
    return not _STATES.search(core)

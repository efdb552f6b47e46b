"""What the ranker knows about each candidate sentence: numpy only, one query vector.

Candidates arrive as whole paragraphs, because the strongest signals compare a sentence with
the other sentences of its paragraph ("which sentence of this paragraph answers?"). Groups:

- dense: cosine of the sentence, its ±1 window and its paragraph (normalised sums of stored
  sentence vectors), and of its neighbours; each also relative to the paragraph's best.
- bm25: sentence and paragraph BM25, max-normalised, and relative to the paragraph's best.
- overlap: IDF-weighted share of the question's words in the sentence, in its window, only in
  it within its paragraph; how many new words it adds; its place in the paragraph.
- answer type: the kind of answer the question asks for (when, who, how many...) crossed with
  words of that kind in the sentence that the question does not already contain.

Built on SQuAD with article-level cross-validation; see docs/ranking.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .lexical import PAD, Words
from .normalize import CAPITALISED, MONTH, NUMBER, STOPWORD, UNIT, YEAR, clean, fold

QUESTION_TYPES: list[tuple[str, re.Pattern]] = [
    ("howmany", re.compile(r"\bhow (many|much)\b")),
    ("percent", re.compile(r"\b(percent|percentage|proportion|fraction|share)\b")),
    (
        "when",
        re.compile(
            r"\bwhen\b|\b(what|which|in what) (year|years|decade|century|centuries|date|month|day|period|era|time)\b"
        ),
    ),
    ("measure", re.compile(r"\bhow (long|old|far|large|big|high|tall|wide|deep|fast|often|heavy)\b")),
    (
        "who",
        re.compile(
            r"\bwho\b|\bwhom\b|\bwhose\b|\b(what|which) (person|people|man|woman|group|king|emperor|leader|"
            r"president|author|company|organization|party)\b"
        ),
    ),
    (
        "where",
        re.compile(
            r"\bwhere\b|\b(what|which) (country|city|place|region|area|state|town|location|continent|river|"
            r"island|nation|part)\b"
        ),
    ),
    ("why", re.compile(r"\bwhy\b")),
    ("how", re.compile(r"\bhow\b")),
    ("what", re.compile(r"\b(what|which)\b")),
]
QUESTION_TYPE_NAMES = [name for name, _ in QUESTION_TYPES] + ["other"]
# A question only a figure answers, asked first: a count, an amount, a time, a date; not
# "when", which "after the vote" answers, nor "Why…, and how many…?".
_ASKS_FIGURE = re.compile(
    r"^\W*(?:(?:and|but|so|then|in|on|at|by|for|from|since|until|of|to|about|roughly|approximately|exactly)\s+)*"
    r"(?:how (?:many|much)|(?:what|which) (?:time|date|day|month|year)s?)\b"
)
EVIDENCE_NAMES = ["cap", "num", "year", "month", "unit", "cue"]

FEATURE_GROUPS: dict[str, list[str]] = {
    "dense": ["d", "d_rel", "d_rank", "d_para_rel", "d_para_best", "d_win", "d_prev", "d_next", "d_para", "d_para_gap"],
    "bm25": ["b", "b_rank", "b_para_rel", "b_para_best", "b_win", "bp", "bp_rel"],
    "overlap": [
        "cov", "idfcov", "idfcov_para_rel", "excl", "local", "para_cov", "win_cov", "prev_cov", "ana_prev_cov",
        "density", "novel", "length", "first", "last", "ana",
    ],
    "atype": [f"{q}_x_{e}" for q in QUESTION_TYPE_NAMES for e in EVIDENCE_NAMES],
}  # fmt: skip
FEATURE_NAMES = [name for group in FEATURE_GROUPS.values() for name in group]
COLUMN = {name: i for i, name in enumerate(FEATURE_NAMES)}


def question_type(question: str) -> int:
    """Index into QUESTION_TYPE_NAMES of the kind of answer the question asks for."""
    text = fold(clean(question))
    for i, (_, pattern) in enumerate(QUESTION_TYPES):
        if pattern.search(text):
            return i
    return len(QUESTION_TYPES)


def asks_figure(question: str) -> bool:
    """Whether only a sentence giving a number, a year, a month or a day answers the question."""
    return bool(_ASKS_FIGURE.match(fold(clean(question))))


@dataclass(frozen=True)
class Question:
    """The question as the features need it."""

    vector: np.ndarray  # unit query vector
    all_terms: np.ndarray  # term ids of every word, stopwords too (PAD for unknown)
    terms: np.ndarray  # sorted unique known content term ids
    n_terms: int  # content words, known or not (a word standing for several terms counts each)
    qtype: int
    asks_figure: bool = False  # only a number, a year, a month or a day answers it (asks_figure())


@dataclass(frozen=True)
class Paragraphs:
    """Where paragraphs start and end among the index rows (paragraphs are contiguous)."""

    of_row: np.ndarray  # paragraph number of each row
    start: np.ndarray  # first row of each paragraph
    length: np.ndarray  # rows in each paragraph

    @classmethod
    def of(cls, numbers: np.ndarray) -> Paragraphs:
        numbers = np.asarray(numbers, dtype=np.int64)
        count = int(numbers[-1]) + 1 if len(numbers) else 0
        return cls(numbers, np.searchsorted(numbers, np.arange(count)), np.bincount(numbers, minlength=count))

    def expand(self, rows: np.ndarray) -> np.ndarray:
        """Every row of every paragraph that holds one of rows, sorted."""
        paras = np.unique(self.of_row[rows])
        starts, lengths = self.start[paras], self.length[paras]
        offsets = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths)
        return (np.arange(lengths.sum()) + offsets).astype(np.int64)


@dataclass(frozen=True)
class _Rows:
    rows: np.ndarray  # index rows, sorted, whole paragraphs
    para: np.ndarray  # paragraph number of each row
    starts: np.ndarray  # offsets where each paragraph begins in rows
    seg: np.ndarray  # which of those paragraphs each row belongs to
    has_prev: np.ndarray
    has_next: np.ndarray

    def seg_max(self, x: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(x, self.starts)[self.seg]


def _shift(x: np.ndarray, has: np.ndarray, step: int, fill=0) -> np.ndarray:
    """x of the previous (step -1) or next (+1) row where `has`, else fill."""
    out = np.full_like(x, fill)
    if step < 0:
        out[1:][has[1:]] = x[:-1][has[1:]]
    else:
        out[:-1][has[:-1]] = x[1:][has[:-1]]
    return out


def _log_rank(x: np.ndarray) -> np.ndarray:
    rank = np.empty(len(x), np.float32)
    rank[np.argsort(-x, kind="stable")] = np.arange(len(x))
    return np.log1p(rank)


def _row_dots(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b)


def _dense(q: Question, vectors: np.ndarray, r: _Rows, f: dict) -> None:
    d = vectors @ q.vector
    best = r.seg_max(d)
    f["d"] = d
    f["d_rel"] = d - d.max()
    f["d_rank"] = _log_rank(d)
    f["d_para_rel"] = d - best
    f["d_para_best"] = (d >= best).astype(np.float32)
    d_prev = _shift(d, r.has_prev, -1, 0.0)
    d_next = _shift(d, r.has_next, +1, 0.0)
    f["d_prev"] = d_prev
    f["d_next"] = d_next
    # The window (a sentence plus its neighbours) and the paragraph are sums of sentence
    # vectors: their cosines come from dot products, without forming and normalising the sums
    # (squared norms included, as vectors decoded from an 8-bit index are not quite unit).
    n = len(d)
    prev, following = r.has_prev.astype(np.float32), r.has_next.astype(np.float32)
    square = _row_dots(vectors, vectors)
    adjacent = np.zeros(n + 1, np.float32)  # adjacent[i]: row i-1 with row i
    adjacent[1:n] = _row_dots(vectors[:-1], vectors[1:])
    across = np.zeros(n, np.float32)  # across[i]: row i-1 with row i+1
    across[1 : n - 1] = _row_dots(vectors[:-2], vectors[2:])
    window = (
        square
        + prev * _shift(square, r.has_prev, -1, 0.0)
        + following * _shift(square, r.has_next, +1, 0.0)
        + 2 * (prev * adjacent[:n] + following * adjacent[1:] + prev * following * across)
    )
    f["d_win"] = (d + d_prev + d_next) / np.maximum(np.sqrt(np.maximum(window, 0)), 1e-12)
    member = np.zeros((len(r.starts), n), np.float32)  # paragraph × row; a product beats reduceat
    member[r.seg, np.arange(n)] = 1.0
    sums = member @ vectors
    paragraph = (member @ d / np.maximum(np.linalg.norm(sums, axis=1), 1e-12))[r.seg]
    f["d_para"] = paragraph
    f["d_para_gap"] = paragraph - paragraph.max()


def _bm25(bm25: np.ndarray, bm25_paragraphs: np.ndarray, r: _Rows, f: dict) -> None:
    b = bm25[r.rows]
    norm = max(float(bm25.max()), 1e-6)
    best = r.seg_max(b)
    f["b"] = b / norm
    f["b_rank"] = _log_rank(b)
    f["b_para_rel"] = (b - best) / norm
    f["b_para_best"] = ((b >= best) & (b > 0)).astype(np.float32)
    f["b_win"] = (b + _shift(b, r.has_prev, -1) + _shift(b, r.has_next, +1)) / norm
    bp = bm25_paragraphs[r.para]
    pnorm = max(float(bm25_paragraphs.max()), 1e-6)
    f["bp"] = bp / pnorm
    f["bp_rel"] = (bp - bp.max()) / pnorm


def _places(terms: np.ndarray, w_ids: np.ndarray, vocabulary: int) -> np.ndarray:
    """Each word's place among the terms, counted from 1; 0 where it is none of them. A table
    the size of the vocabulary, read once per word, is 4x faster than np.isin or searching the
    terms (the candidates hold some 3,500 words), and costs little to make: np.zeros leaves its
    memory untouched until read."""
    table = np.zeros(vocabulary, np.int32)
    table[terms] = np.arange(1, len(terms) + 1, dtype=np.int32)
    return table[w_ids]


def _overlap(
    q: Question, words: Words, w_row: np.ndarray, w_ids: np.ndarray, content: np.ndarray, r: _Rows, f: dict
) -> None:
    n, m = len(r.rows), len(q.terms)
    length = np.bincount(w_row, weights=content, minlength=n)
    # Each word's place among the question's (sorted) terms; m where it is none of them, or a
    # stopword.
    place = _places(q.terms, w_ids, len(words.idf))
    slot = np.where(content & (place > 0), place - 1, m)
    hits = np.bincount(w_row, weights=slot < m, minlength=n)
    present = np.bincount(w_row * (m + 1) + slot, minlength=n * (m + 1)).reshape(n, m + 1)[:, :m] > 0
    w = words.idf[q.terms].astype(np.float32)
    # Question words the documents never use still count against coverage.
    total = max(float(w.sum()) + (q.n_terms - m) * float(words.idf.max(initial=0.0)), 1e-6)
    pf = present.astype(np.float32)
    idfcov = pf @ w / total
    in_para = np.add.reduceat(pf, r.starts, axis=0)  # (paragraphs, m): sentences with the word
    in_para_row = in_para[r.seg]
    f["cov"] = present.sum(1) / max(q.n_terms, 1)
    f["idfcov"] = idfcov
    f["idfcov_para_rel"] = idfcov - r.seg_max(idfcov)
    f["excl"] = (pf * (in_para_row == 1)) @ w / total
    f["local"] = (pf / np.maximum(in_para_row, 1)) @ w / total
    f["para_cov"] = ((in_para > 0).astype(np.float32) @ w / total)[r.seg]
    window = present | _shift(present, r.has_prev, -1, False) | _shift(present, r.has_next, +1, False)
    f["win_cov"] = window.astype(np.float32) @ w / total
    prev_cov = _shift(idfcov, r.has_prev, -1, 0.0)
    back = words.points_back[r.rows].astype(np.float32)
    f["prev_cov"] = prev_cov
    f["ana_prev_cov"] = back * prev_cov
    f["density"] = hits / np.maximum(length, 1)
    f["novel"] = np.log1p(length - hits)
    f["length"] = np.log1p(length)
    f["first"] = (~r.has_prev).astype(np.float32)
    f["last"] = (~r.has_next).astype(np.float32)
    f["ana"] = back


def _answer_type(
    q: Question,
    words: Words,
    w_row: np.ndarray,
    w_ids: np.ndarray,
    w_flags: np.ndarray,
    content: np.ndarray,
    r: _Rows,
    f: dict,
) -> None:
    """Only the question's own type has non-zero columns; the others stay zero."""
    new = content & (_places(q.all_terms[q.all_terms != PAD], w_ids, len(words.idf)) == 0)
    # The flags of each row's new words, or-ed together (a row's words are contiguous).
    n = len(r.rows)
    counts = np.bincount(w_row, minlength=n)
    kinds = np.zeros(n, w_flags.dtype)
    if len(w_flags):
        starts = np.minimum(np.cumsum(counts) - counts, len(w_flags) - 1)
        kinds = np.where(counts > 0, np.bitwise_or.reduceat(np.where(new, w_flags, 0), starts), 0)
    qname = QUESTION_TYPE_NAMES[q.qtype]
    for ename, flag in zip(EVIDENCE_NAMES, (CAPITALISED, NUMBER, YEAR, MONTH, UNIT)):
        f[f"{qname}_x_{ename}"] = ((kinds & flag) > 0).astype(np.float32)
    f[f"{qname}_x_cue"] = words.cause[r.rows]


def compute(
    q: Question,
    rows: np.ndarray,
    vectors: np.ndarray,
    paragraphs: Paragraphs,
    words: Words,
    bm25: np.ndarray,
    bm25_paragraphs: np.ndarray,
) -> np.ndarray:
    """The feature matrix (len(rows), len(FEATURE_NAMES)).

    rows: sorted index rows covering whole paragraphs (Paragraphs.expand); vectors: theirs;
    bm25: sentence BM25 of every row; bm25_paragraphs: BM25 of every paragraph.
    """
    para = paragraphs.of_row[rows]
    new = np.r_[True, para[1:] != para[:-1]]
    position = rows - paragraphs.start[para]
    r = _Rows(
        rows=rows,
        para=para,
        starts=np.flatnonzero(new),
        seg=np.cumsum(new) - 1,
        has_prev=position > 0,
        has_next=position < paragraphs.length[para] - 1,
    )
    w_row, w_ids, w_flags = words.gather(rows)
    content = (w_flags & STOPWORD) == 0
    f: dict[str, np.ndarray] = {}
    # OpenBLAS now and then raises a floating-point "invalid" flag in a product of finite
    # numbers (numpy/numpy#24067), which numpy would print as a warning; every feature here is
    # finite (tests/test_features.py).
    with np.errstate(invalid="ignore"):
        _dense(q, vectors, r, f)
        _bm25(bm25, bm25_paragraphs, r, f)
        _overlap(q, words, w_row, w_ids, content, r, f)
        _answer_type(q, words, w_row, w_ids, w_flags, content, r, f)
    x = np.zeros((len(rows), len(FEATURE_NAMES)), np.float32)
    for name, values in f.items():
        x[:, COLUMN[name]] = values
    return x

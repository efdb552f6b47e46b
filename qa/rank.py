"""Scoring: candidates from both channels, ranked by the learned ranker, near-duplicates folded.

Candidates are the dense top-N (FAISS) and the BM25 top-N, widened to their whole paragraphs;
each gets the features of features.py and a score from the ranker (ranker.py). A hit's score
is the estimated probability that it answers the question: the calibrated probability of the
best sentence, scaled down for the others by how far their ranker scores fall below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .corpus import Layout
from .features import Paragraphs, Question, asks_figure, compute, question_type
from .lexical import PAD, Lexical, QueryWord, Words
from .normalize import stems
from .ranker import Ranker
from .vectors import VectorIndex

# Two sentences say the same thing when their vectors nearly coincide, or when they are close
# and share most of their words. On the seed, the two reports of the call's length sit at
# cosine 0.89 and word overlap 0.64; the closest sentences saying different things at 0.80.
SAME_COSINE = 0.93
SIMILAR_COSINE, SAME_WORDS = 0.85, 0.5
SHOWN_FIRST, SHOWN_LESSER = 0.05, 0.5  # see demotion()
# From each channel, before widening to paragraphs: on SQuAD the gold sentence is among them for
# 99.4% of questions (99.7% at 50, with 2.2x the rows to score and the same MRR).
CANDIDATES = 20


@dataclass(frozen=True)
class Scored:
    id: int
    score: float
    duplicates: int = 0


@dataclass(frozen=True, eq=False)
class Ranking:
    """Sentences, best first, as arrays (a question ranks a few hundred): their ids, their
    index rows and their scores."""

    ids: np.ndarray
    rows: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Ranking:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros(0))

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Query:
    """A question ready to score: its words, its vector, and BM25 for every row and paragraph."""

    text: str
    words: list[QueryWord]
    all_terms: np.ndarray  # term ids of every word of the text, stopwords too
    vector: np.ndarray
    bm25: np.ndarray
    bm25_paragraphs: np.ndarray
    # Share of the question's own words the documents searched use: a follow-up's carried words
    # are the documents' own, and would hide that the question asks about something absent.
    known: float

    @classmethod
    def of(
        cls, text: str, words: list[QueryWord], vector: np.ndarray, lexical: Lexical, mask: np.ndarray | None
    ) -> Query:
        matched = [w.term for w in words if w.term]
        return cls(
            text,
            words,
            lexical.ids_of(stems(text) + matched),
            vector,
            lexical.scores(matched, weight_mask=mask),
            lexical.paragraph_scores(matched, mask),
            _known(words, lexical, mask),
        )

    def blend(self, other: Query, weight: float) -> Query:
        """This query with another mixed in at a weight (a follow-up and its context)."""
        vector = self.vector + weight * other.vector
        vector = vector / (np.linalg.norm(vector) or 1.0)
        return Query(
            self.text,
            self.words + other.words,
            np.concatenate([self.all_terms, other.all_terms]),
            vector.astype(np.float32),
            self.bm25 + weight * other.bm25,
            self.bm25_paragraphs + weight * other.bm25_paragraphs,
            # "When?" has no words of its own to judge: the carried ones stand for it.
            self.known if self.words else other.known,
        )

    def question(self, lexical: Lexical) -> Question:
        known = lexical.ids_of([w.term for w in self.words if w.term])
        return Question(
            vector=self.vector,
            all_terms=self.all_terms,
            terms=np.unique(known[known != PAD]),
            n_terms=len(_terms_of(self.words)),
            qtype=question_type(self.text),
            asks_figure=asks_figure(self.text),
        )


def _known(words: list[QueryWord], lexical: Lexical, mask: np.ndarray | None) -> float:
    """The share of the question's words the documents searched use: with a filter, those it
    allows ("When is the next meeting?" over a handbook that never mentions one is not asked of
    the whole collection, which did, and was answered from the handbook as if it did)."""
    terms = _terms_of(words)

    def used(term: str | None) -> bool:
        return term is not None and (mask is None or bool(lexical.scores([term], weight_mask=mask).any()))

    return sum(used(term) for _, term in terms) / max(len(terms), 1)


def _terms_of(words: list[QueryWord]) -> set[tuple[str, str | None]]:
    """Each question word with each term it stands for: one for most, two or more for a word
    the documents write as several ("semiconductor", "NSC")."""
    return {(w.word, w.term) for w in words}


@dataclass(frozen=True)
class Candidates:
    """The rows a question is ranked over (whole paragraphs) and their feature matrix."""

    rows: np.ndarray
    ids: np.ndarray
    features: np.ndarray
    bm25_max: float
    known: float  # share of the question's own words the documents searched use
    # For a question only a figure answers: the rows giving no figure the question does not give.
    figureless: np.ndarray | None = None


def candidates(
    query: Query,
    vectors: VectorIndex,
    layout: Layout,
    lexical: Lexical,
    paragraphs: Paragraphs,
    allowed: np.ndarray | None,
    depth: int = CANDIDATES,
) -> Candidates | None:
    """Dense top-N and BM25 top-N, widened to their paragraphs, with features; None if none."""
    n = max(CANDIDATES, depth)
    allowed_ids = layout.ids[allowed] if allowed is not None else None
    _, dense_ids = vectors.search(query.vector, n, allowed_ids)
    bm25 = query.bm25
    hit = np.flatnonzero(bm25)
    if len(hit) > n:
        hit = hit[np.argpartition(-bm25[hit], n - 1)[:n]]
    seeds = np.union1d(layout.rows(dense_ids), hit).astype(np.int64)
    if len(seeds) == 0:
        return None
    rows = paragraphs.expand(seeds)
    if allowed is not None:
        rows = rows[allowed[rows]]
    if len(rows) == 0:
        return None
    ids = layout.ids[rows]
    question = query.question(lexical)
    x = compute(question, rows, vectors.vectors(ids), paragraphs, lexical.words, bm25, query.bm25_paragraphs)
    figureless = None
    if question.asks_figure:
        given = frozenset(question.all_terms.tolist())
        figureless = np.array([not (f - given) for f in lexical.words.figures(rows)])
    return Candidates(rows, ids, x, float(bm25.max()), query.known, figureless)


def rank(
    query: Query,
    vectors: VectorIndex,
    layout: Layout,
    lexical: Lexical,
    paragraphs: Paragraphs,
    ranker: Ranker,
    allowed: np.ndarray | None,
    depth: int,
    shown: Sequence[int | None] = (),
) -> Ranking:
    """Every candidate with its score, best first: a follow-up's demotions and the folding of
    near-duplicates (many, in a collection of repeated stories) may reach far down.

    The ranking is that of the usual candidates (CANDIDATES from each channel), whatever the
    depth: some features compare a sentence with the others scored beside it, and a deeper
    search changed what came first ("between what times was the lead stolen": another first
    sentence, at 0.87 instead of 0.40, at k=50). A depth beyond it adds the further candidates
    below, in their own order.

    `shown`: the ids a follow-up's previous answer quoted, best first (see demotion()).
    """

    def ranked(n: int) -> Ranking:
        return _scored(candidates(query, vectors, layout, lexical, paragraphs, allowed, n), lexical, ranker, shown)

    ranking = ranked(CANDIDATES)
    if depth <= CANDIDATES or not len(ranking):
        return ranking
    deeper = ranked(depth)
    more = ~np.isin(deeper.ids, ranking.ids)
    below = np.minimum(deeper.scores[more], ranking.scores[-1])
    return Ranking(
        np.concatenate([ranking.ids, deeper.ids[more]]),
        np.concatenate([ranking.rows, deeper.rows[more]]),
        np.concatenate([ranking.scores, below]),
    )


def _scored(found: Candidates | None, lexical: Lexical, ranker: Ranker, shown: Sequence[int | None]) -> Ranking:
    """The candidates best first, with their chances of answering."""
    if found is None:
        return Ranking.empty()
    scores = ranker.score(found.features)
    # A question in the text (a reporter's, in a transcript) echoes the user's question and
    # answers nothing: it came first, at 0.94, over the reply after it (8 points above it on
    # the ranker's scale). Questions go after every statement, in their order.
    asks = lexical.words.asks[found.rows]
    if asks.any() and not asks.all():
        scores = np.where(asks, scores - np.ptp(scores) - 1.0, scores)
    if shown:
        # Demoted before the answer probability is estimated, so that it is the probability
        # of the sentence now first, not of the one pushed down.
        scores = scores + np.log(demotion(found.ids, shown))
    p = ranker.probability(scores, found.features, found.bm25_max, found.known)
    order = np.argsort(-scores, kind="stable")
    if found.figureless is not None and found.figureless[order[0]]:
        # "How many…?", "In what year…?" is not answered by a sentence giving no figure, however
        # well its words match; and when the best match gives none, the figures further down
        # are mostly other things' (on the question sets: 27 more unanswerable questions
        # refused, 1 answerable, ranked second; moving such sentences down instead ranked 6
        # right answers higher and 1 lower, and refused 10).
        p = 0.0
    return Ranking(found.ids[order], found.rows[order], p * np.exp(scores[order] - scores[order[0]]))


def demotion(ids: np.ndarray, shown: Sequence[int | None]) -> np.ndarray:
    """The factor on each sentence's chances after a follow-up: the sentences quoted last time
    (best first; None for one gone since) drop, so the follow-up brings something new first:
    the one read as the answer almost out of sight, the lesser ones by half."""
    factor = np.ones(len(ids))
    lesser = [i for i in shown[1:] if i is not None]
    factor[np.isin(ids, lesser)] = SHOWN_LESSER
    if shown and shown[0] is not None:
        factor[ids == shown[0]] = SHOWN_FIRST
    return factor


def fold_duplicates(ranking: Ranking, vectors: VectorIndex, words: Words, k: int) -> list[Scored]:
    """The best k, each standing for the near-duplicates ranked below it (counted in it).

    Most questions find k among the first 4k; a collection holding many copies of a story may
    need to look further down, up to every scored candidate."""
    first = max(k * 4, 20)
    kept = _fold(ranking, first, vectors, words, k)
    if len(kept) < k and len(ranking) > first:
        kept = _fold(ranking, len(ranking), vectors, words, k)
    return kept


def _fold(ranking: Ranking, depth: int, vectors: VectorIndex, words: Words, k: int) -> list[Scored]:
    """Fold among the first `depth` of the ranking."""
    ids, scores = ranking.ids[:depth], ranking.scores[:depth]
    if not len(ids):
        return []
    vecs = vectors.vectors(ids)
    cosine = vecs @ vecs.T
    same = cosine >= SAME_COSINE
    below = _below_diagonal(len(ids))
    similar = np.argwhere((cosine >= SIMILAR_COSINE) & ~same & below)  # pairs (i, j), j above i
    if len(similar):
        # The stored term ids of each sentence's content words (re-reading and re-analysing
        # the texts took up to 0.2 ms a question).
        wanted = np.unique(similar)
        terms = dict(zip(wanted.tolist(), words.content_terms(ranking.rows[wanted])))
        for i, j in similar.tolist():
            a, b = terms[i], terms[j]
            same[i, j] = len(a & b) >= SAME_WORDS * max(1, len(a | b))
    # Sentences with other figures say other things, however alike their words: "1,200 tonnes of
    # wheat on Monday" is not "3,400 tonnes on Tuesday", and a reader must see both.
    if (same & below).any():
        kinds: dict[frozenset[int], int] = {}
        key = np.array([kinds.setdefault(f, len(kinds)) for f in words.figures(ranking.rows[: len(ids)])])
        same &= key[:, None] == key[None, :]
    # Each sentence folds into the first kept one it repeats; most repeat none above them.
    earlier = same & below
    repeats = earlier.any(axis=1).tolist()
    kept: list[int] = []
    folded: dict[int, int] = {}
    for i in range(len(ids)):
        twin = next((j for j in kept if earlier[i, j]), None) if repeats[i] else None
        if twin is None:
            kept.append(i)
            folded[i] = 0
            if len(kept) == k:
                break
        else:
            folded[twin] += 1
    return [Scored(int(ids[i]), float(scores[i]), folded[i]) for i in kept]


@lru_cache(maxsize=8)
def _below_diagonal(n: int) -> np.ndarray:
    """(i, j) is True where j < i; read-only, as every search shares it."""
    below = np.tri(n, n, -1, dtype=bool)
    below.setflags(write=False)
    return below

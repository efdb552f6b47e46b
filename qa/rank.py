"""Scoring: candidates from both channels, fused into one score, near-duplicates folded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .corpus import Layout
from .lexical import QueryWord
from .normalize import terms
from .vectors import VectorIndex

# Two sentences say the same thing when their vectors nearly coincide, or when they are close
# and share most of their words. On the seed, the two reports of the call's length sit at
# cosine 0.89 and word overlap 0.64; the closest sentences saying different things at 0.80.
SAME_COSINE = 0.93
SIMILAR_COSINE, SAME_WORDS = 0.85, 0.5
FOUND_THRESHOLD = 0.45  # fused score below which the best sentence is not a confident answer


@dataclass(frozen=True)
class Scored:
    id: int
    score: float
    duplicates: int = 0


@dataclass(frozen=True)
class Query:
    """A question ready to score: its words, its vector, and the BM25 score of every row."""

    text: str
    words: list[QueryWord]
    vector: np.ndarray
    bm25: np.ndarray

    def blend(self, other: Query, weight: float) -> Query:
        """This query with another mixed in at a weight (a follow-up and its context)."""
        vector = self.vector + weight * other.vector
        vector = vector / (np.linalg.norm(vector) or 1.0)
        return Query(self.text, self.words + other.words, vector.astype(np.float32), self.bm25 + weight * other.bm25)


def confident(hits: list) -> bool:
    """Is the best hit a confident answer (rather than merely the closest sentence)?"""
    return bool(hits) and hits[0].score >= FOUND_THRESHOLD


def dense_text(question: str, words: list[QueryWord]) -> str:
    """The question as the encoder should read it."""
    return question


def rank(query: Query, vectors: VectorIndex, layout: Layout, allowed: np.ndarray | None, depth: int) -> list[Scored]:
    """Every candidate with its fused score, best first."""
    bm25 = query.bm25
    allowed_ids = layout.ids[allowed] if allowed is not None else None
    _, dense_ids = vectors.search(query.vector, depth, allowed_ids)
    lexical_rows = np.argsort(-bm25)[:depth]
    lexical_rows = lexical_rows[bm25[lexical_rows] > 0]
    rows = np.union1d(layout.rows(dense_ids), lexical_rows).astype(np.int64)
    if len(rows) == 0:
        return []
    ids = layout.ids[rows]
    dense = vectors.vectors(ids) @ query.vector
    top = float(bm25.max()) or 1.0
    score = 0.7 * dense + 0.3 * (bm25[rows] / top)
    order = np.argsort(-score)
    return [Scored(int(ids[i]), float(score[i])) for i in order]


def demote(scored: list[Scored], ids: set[int], factor: float = 0.9) -> list[Scored]:
    """Sentences already quoted drop a little, so a follow-up brings something new first."""
    moved = [Scored(s.id, s.score * factor if s.id in ids else s.score, s.duplicates) for s in scored]
    return sorted(moved, key=lambda s: -s.score)


def fold_duplicates(
    scored: list[Scored], vectors: VectorIndex, texts: Callable[[list[int]], dict[int, str]], k: int
) -> list[Scored]:
    """The best k, each standing for the near-duplicates ranked below it (counted in it)."""
    if not scored:
        return []
    pool = scored[: max(k * 4, 20)]
    ids = np.array([s.id for s in pool], dtype=np.int64)
    vecs = vectors.vectors(ids)
    cosine = vecs @ vecs.T
    similar = np.argwhere(np.triu((cosine >= SIMILAR_COSINE) & (cosine < SAME_COSINE), 1))
    words: dict[int, set[str]] = {}
    if len(similar):
        wanted = sorted({int(ids[i]) for pair in similar for i in pair})
        words = {i: set(terms(t)) for i, t in texts(wanted).items()}

    def same(i: int, j: int) -> bool:
        if cosine[i, j] >= SAME_COSINE:
            return True
        if cosine[i, j] < SIMILAR_COSINE:
            return False
        a, b = words.get(int(ids[i]), set()), words.get(int(ids[j]), set())
        return len(a & b) >= SAME_WORDS * max(1, len(a | b))

    kept: list[int] = []
    folded: dict[int, int] = {}
    for i in range(len(pool)):
        twin = next((j for j in kept if same(i, j)), None)
        if twin is None:
            kept.append(i)
            folded[i] = 0
            if len(kept) == k:
                break
        else:
            folded[twin] += 1
    return [Scored(pool[i].id, pool[i].score, folded[i]) for i in kept]

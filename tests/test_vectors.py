"""The vector index against brute force: flat is exact, IVF-SQ8 close, filters keep k results."""

from __future__ import annotations

import numpy as np
import pytest

from qa.vectors import APPROXIMATE_FROM, VectorIndex, index_kind, ivf_lists

DIM = 32


def clustered(n: int, seed: int = 0) -> np.ndarray:
    """Unit vectors around 50 random centres: neighbours exist, as in real sentence vectors."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, DIM))
    x = centres[rng.integers(0, 50, n)] + 0.4 * rng.standard_normal((n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def exact(x: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    order = np.argsort(-(x @ query), kind="stable")[:k]
    return ids[order]


@pytest.fixture(scope="module")
def data():
    x = clustered(5000)
    ids = np.arange(1000, 6000, dtype=np.int64)  # ids are sentence ids, not row numbers
    ivf = VectorIndex.empty(DIM, "ivf64-sq8")
    ivf.train(x)
    ivf.add(ids, x)
    return x, ids, ivf


def test_index_kind_switches_to_ivf_at_the_threshold():
    assert index_kind(APPROXIMATE_FROM - 1) == "flat"
    assert index_kind(APPROXIMATE_FROM) == f"ivf{ivf_lists(APPROXIMATE_FROM)}-sq8"
    assert ivf_lists(1_000_000) == 4096


def test_flat_search_is_exact():
    """The 8-bit scan only picks candidates; their float vectors score them, so the results
    and their scores are those of a float scan, also after vectors come and go."""
    x = clustered(500, seed=1)
    ids = np.arange(500, dtype=np.int64) * 3
    flat = VectorIndex.empty(DIM)
    flat.add(ids, x)
    for query in clustered(20, seed=2):
        scores, found = flat.search(query, 10)
        assert list(found) == list(exact(x, ids, query, 10))
        np.testing.assert_allclose(scores, x[np.searchsorted(ids, found)] @ query, rtol=1e-5)
    more = clustered(100, seed=5)
    flat.add(np.arange(2000, 2100, dtype=np.int64), more)
    flat.remove(ids[:250])
    x, ids = np.vstack([x[250:], more]), np.r_[ids[250:], np.arange(2000, 2100)]
    for query in clustered(20, seed=6):
        assert list(flat.search(query, 10)[1]) == list(exact(x, ids, query, 10))


def test_ivf_recall_against_brute_force(data):
    x, ids, ivf = data
    queries = clustered(50, seed=3)
    found = [len(set(ivf.search(q, 10)[1]) & set(exact(x, ids, q, 10))) for q in queries]
    assert sum(found) / (10 * len(queries)) >= 0.9


def test_filtered_ivf_search_still_returns_k(data):
    x, ids, ivf = data
    rng = np.random.default_rng(4)
    allowed = np.sort(rng.choice(ids, 20, replace=False))
    rows = np.searchsorted(ids, allowed)
    recalls = []
    for query in clustered(20, seed=5):
        scores, got = ivf.search(query, 10, allowed=allowed, nprobe=4)
        assert len(got) == 10 and set(got) <= set(allowed)
        assert np.all(np.diff(scores) <= 1e-6)  # best first
        recalls.append(len(set(got) & set(exact(x[rows], allowed, query, 10))) / 10)
    assert np.mean(recalls) >= 0.9


def test_filter_smaller_than_k_returns_what_there_is(data):
    _, ids, ivf = data
    _, got = ivf.search(clustered(1, seed=6)[0], 10, allowed=ids[:3])
    assert sorted(got) == list(ids[:3])


def test_training_uses_a_bounded_sample(data):
    _, ids, ivf = data
    assert ivf.size == len(ids)  # trained on a sample of 64 per list, yet holds every vector
    assert sorted(ivf.all_vectors()[0]) == list(ids)

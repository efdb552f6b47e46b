"""The ranker's features, computed the fast way, against the definitions written out plainly."""

import numpy as np
import pytest

from qa.features import FEATURE_NAMES, Paragraphs, Question, asks_figure, compute
from qa.lexical import PAD, Words
from qa.normalize import NUMBER, STOPWORD

COLUMN = {name: i for i, name in enumerate(FEATURE_NAMES)}
PARAGRAPH_SIZES = [3, 1, 4, 2]  # rows 0-2, 3, 4-7, 8-9


def _unit(v):
    return v / np.linalg.norm(v)


@pytest.fixture
def case():
    rng = np.random.default_rng(7)
    n = sum(PARAGRAPH_SIZES)
    vectors = np.array([_unit(v) for v in rng.standard_normal((n, 16))], dtype=np.float32)
    paragraphs = Paragraphs.of(np.repeat(np.arange(len(PARAGRAPH_SIZES)), PARAGRAPH_SIZES))
    # Terms 0-5 are content words, 6 a stopword; term 4 is a number.
    sentences = [[0, 6, 1], [2, 3], [6, 4], [0], [1, 1, 5], [2, 6], [4, 0, 3], [5], [3, 6, 6], [1, 2, 4, 5]]
    flags = {6: STOPWORD, 4: NUMBER}
    words = Words(
        indptr=np.cumsum([0] + [len(s) for s in sentences]).astype(np.int64),
        ids=np.array([t for s in sentences for t in s], dtype=np.int32),
        flags=np.array([flags.get(t, 0) for s in sentences for t in s], dtype=np.uint8),
        idf=np.array([1.0, 2.0, 0.5, 1.5, 3.0, 0.7, 0.1, 0.0], dtype=np.float32),
        cause=np.zeros(n, bool),
        points_back=np.zeros(n, bool),
        asks=np.zeros(n, bool),
    )
    question = Question(
        vector=_unit(rng.standard_normal(16)).astype(np.float32),
        all_terms=np.array([0, 2, 6, PAD], dtype=np.int32),
        terms=np.array([0, 2], dtype=np.int32),
        n_terms=3,  # one content word the index does not know
        qtype=2,  # "when"
    )
    rows = np.array([0, 1, 2, 4, 5, 6, 7], dtype=np.int64)  # paragraphs 0 and 2, whole
    x = compute(question, rows, vectors[rows], paragraphs, words, rng.random(n), rng.random(4))
    return question, vectors, sentences, words, rows, x


def test_window_and_paragraph_cosines_match_their_definition(case):
    question, vectors, _, _, rows, x = case
    bounds = {0: (0, 3), 1: (0, 3), 2: (0, 3), 4: (4, 8), 5: (4, 8), 6: (4, 8), 7: (4, 8)}
    for at, row in enumerate(rows):
        first, end = bounds[row]
        window = vectors[max(first, row - 1) : min(end, row + 2)].sum(0)
        paragraph = vectors[first:end].sum(0)
        assert x[at, COLUMN["d_win"]] == pytest.approx(_unit(window) @ question.vector, abs=1e-5)
        assert x[at, COLUMN["d_para"]] == pytest.approx(_unit(paragraph) @ question.vector, abs=1e-5)


def test_word_coverage_and_answer_type_match_their_definition(case):
    question, _, sentences, words, rows, x = case
    idf = {int(t): float(words.idf[t]) for t in question.terms}
    total = sum(idf.values()) + (question.n_terms - len(idf)) * float(words.idf.max())
    for at, row in enumerate(rows):
        content = [t for t in sentences[row] if t != 6]
        found = {t for t in content if t in idf}
        assert x[at, COLUMN["idfcov"]] == pytest.approx(sum(idf[t] for t in found) / total, abs=1e-6)
        assert x[at, COLUMN["cov"]] == pytest.approx(len(found) / question.n_terms)
        hits = sum(t in idf for t in content)
        assert x[at, COLUMN["density"]] == pytest.approx(hits / max(len(content), 1))
        assert x[at, COLUMN["length"]] == pytest.approx(np.log1p(len(content)))
        # A "when" question is answered by a sentence adding a number the question lacks.
        assert x[at, COLUMN["when_x_num"]] == float(4 in content)
        assert x[at, COLUMN["who_x_num"]] == 0.0


def test_edge_cases_give_finite_features_and_zero_coverage():
    """A paragraph of one sentence, a sentence of stopwords only, one with no words at all, and
    a question none of whose words the index knows."""
    rng = np.random.default_rng(3)
    vectors = np.array([_unit(v) for v in rng.standard_normal((4, 8))], dtype=np.float32)
    paragraphs = Paragraphs.of(np.array([0, 1, 1, 2]))
    sentences = [[1, 2], [6, 6], [], [2]]
    words = Words(
        indptr=np.cumsum([0] + [len(s) for s in sentences]).astype(np.int64),
        ids=np.array([t for s in sentences for t in s], dtype=np.int32),
        flags=np.array([{6: STOPWORD, 2: NUMBER}.get(t, 0) for s in sentences for t in s], dtype=np.uint8),
        idf=np.ones(8, dtype=np.float32),
        cause=np.zeros(4, bool),
        points_back=np.zeros(4, bool),
        asks=np.zeros(4, bool),
    )
    question = Question(
        vector=_unit(rng.standard_normal(8)).astype(np.float32),
        all_terms=np.array([PAD, PAD], dtype=np.int32),
        terms=np.zeros(0, dtype=np.int32),
        n_terms=2,
        qtype=4,  # "who"
    )
    rows = np.arange(4, dtype=np.int64)
    x = compute(question, rows, vectors, paragraphs, words, np.zeros(4), np.zeros(3))
    assert np.isfinite(x).all()
    for name in ("cov", "idfcov", "win_cov", "para_cov", "density"):
        assert (x[:, COLUMN[name]] == 0).all()
    assert x[:, COLUMN["length"]].tolist() == pytest.approx(np.log1p([2, 0, 0, 1]).tolist())
    # A number only where a sentence has one: not in the one of stopwords, nor in the empty one
    # before a sentence with a number.
    assert x[:, COLUMN["who_x_num"]].tolist() == [1.0, 0.0, 0.0, 1.0]
    # Alone in its paragraph, a sentence's window and paragraph are itself.
    for column in ("d", "d_win", "d_para"):
        assert x[0, COLUMN[column]] == pytest.approx(float(vectors[0] @ question.vector), abs=1e-6)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How many troops are on the border?", True),
        ("In which year did Russia annex Crimea?", True),
        ("At what time of day did the call begin?", True),
        ("“Roughly how much did the pipeline cost?", True),
        ("And how many?", True),  # a follow-up
        ("Which years did he serve?", True),
        ("When did the talks start?", False),  # "after the vote" answers it
        ("Why was NATO founded, and how many members does it have?", False),  # its first ask is no figure
        ("What did he say about how many troops?", False),
        ("What timeline did they set?", False),
    ],
)
def test_a_question_asks_for_a_figure_only_when_it_opens_with_the_ask(question, asks):
    assert asks_figure(question) is asks

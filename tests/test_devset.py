"""The development sets, run on the real model and index, each with a floor just under what
it measures today (figures in docs/ranking.md), so a ranking change that loses ground fails.
"""

import shutil
from pathlib import Path

import pytest

import qa
from qa.evaluate import evaluate, read_cases
from qa.retrieve import open_index

DATA = Path(__file__).parent / "data"


def report_text(report) -> str:
    return "\n".join(
        f"{o.case.question!r}: gold at {o.rank}, first {o.hits[0].text[:80] if o.hits else None!r}"
        for o in report.misses()
    )


def assert_floors(report, p_at_1: float, r_at_5: float, refused: int, answered: int) -> None:
    assert report.p_at_1 >= p_at_1, report_text(report)
    assert report.r_at_5 >= r_at_5, report_text(report)
    assert len(report.wrongly_refused) <= refused, [o.case.question for o in report.wrongly_refused]
    assert len(report.wrongly_answered) <= answered, [o.case.question for o in report.wrongly_answered]


def test_the_seed_development_set_stays_above_its_floor(seed_searcher):
    report = evaluate(read_cases(DATA / "dev.jsonl"), seed_searcher)
    assert len(report.answerable) >= 40 and len(report.unanswerable) >= 8
    assert_floors(report, p_at_1=0.82, r_at_5=0.96, refused=1, answered=1)


def test_the_blind_set_written_without_seeing_the_system_stays_above_its_floor(seed_searcher):
    """tests/data/blind.jsonl was written from the document alone, after the ranker and the
    abstention step were fitted; its first measurement is in docs/ranking.md."""
    report = evaluate(read_cases(DATA / "blind.jsonl"), seed_searcher)
    assert_floors(report, p_at_1=0.84, r_at_5=0.96, refused=1, answered=3)


def test_the_second_blind_set_stays_above_its_floor(seed_searcher):
    """tests/data/blind2.jsonl was written from the document alone by a helper that never ran qa,
    after everything else here was fitted; its first measurement is in docs/ranking.md. Most of
    its unanswerable questions ask for a detail the page leaves out (a date, a cost, a city),
    and qa answers nearly all of them: the floor records that, it does not excuse it."""
    report = evaluate(read_cases(DATA / "blind2.jsonl"), seed_searcher)
    assert len(report.answerable) >= 34 and len(report.unanswerable) >= 10
    assert_floors(report, p_at_1=0.86, r_at_5=0.94, refused=1, answered=9)


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory) -> Path:
    """The seed and a second, hand-written briefing (with its accents intact) in one index."""
    root = tmp_path_factory.mktemp("multidoc")
    seeds = root / "seeds"
    shutil.copytree(Path(__file__).parents[1] / "seeds", seeds)
    shutil.copy(DATA / "extra-seeds" / "black-sea-briefing.txt", seeds)
    qa.build_index(seeds, root / "index", progress=False)
    return root / "index"


def test_questions_across_two_documents_find_the_right_one(two_documents):
    report = evaluate(read_cases(DATA / "multidoc.jsonl"), open_index(two_documents, build=False))
    assert report.p_at_1 >= 0.8, report_text(report)
    assert report.r_at_5 == 1.0, report_text(report)
    assert not report.wrongly_answered and not report.wrongly_refused, report_text(report)

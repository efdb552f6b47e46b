"""Measuring retrieval on a question file: P@1, R@5, MRR, and refusals in both directions.

The file is JSON lines: `{"q": "...", "gold": ["substring", ...]}` for a question whose answer
is any sentence containing one of the gold substrings, `{"q": "..."}` for one the documents do
not answer (it should be refused).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .formats.markdown import inline_text
from .normalize import fold, plain_marks
from .records import Hit
from .retrieve import Searcher, check_question

DEPTH = 10  # ranks looked at for MRR


@dataclass(frozen=True)
class Case:
    question: str
    gold: tuple[str, ...]  # empty: the documents do not answer it

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


@dataclass(frozen=True)
class Outcome:
    case: Case
    rank: int | None  # 1-based rank of the first gold hit, None if not in the top DEPTH
    found: bool  # did qa claim an answer
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    gold_nowhere: tuple[str, ...] = ()  # gold substrings no sentence holds: they can never match

    @property
    def answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.answerable]

    @property
    def unanswerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.case.answerable]

    def _share(self, hit: callable) -> float:
        cases = self.answerable
        return sum(1 for o in cases if hit(o)) / len(cases) if cases else 0.0

    @property
    def p_at_1(self) -> float:
        return self._share(lambda o: o.rank == 1)

    @property
    def r_at_5(self) -> float:
        return self._share(lambda o: o.rank is not None and o.rank <= 5)

    @property
    def mrr(self) -> float:
        cases = self.answerable
        return sum(1 / o.rank for o in cases if o.rank) / len(cases) if cases else 0.0

    @property
    def wrongly_refused(self) -> list[Outcome]:
        return [o for o in self.answerable if not o.found]

    @property
    def wrongly_answered(self) -> list[Outcome]:
        return [o for o in self.unanswerable if o.found]

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.answerable if o.rank != 1]

    def questions(self) -> list[dict]:
        """Each question's outcome as JSON-ready values: where the right sentence ranked (None
        if not in the top DEPTH or no gold), whether qa claimed an answer, and what came first."""
        return [
            {
                "q": o.case.question,
                "gold": list(o.case.gold),
                "rank": o.rank,
                "found": o.found,
                "first": o.hits[0].text if o.hits else None,
                "score": round(o.hits[0].score, 4) if o.hits else None,
            }
            for o in self.outcomes
        ]

    def summary(self) -> dict[str, float | int]:
        return {
            "questions": len(self.outcomes),
            "answerable": len(self.answerable),
            "unanswerable": len(self.unanswerable),
            "p_at_1": round(self.p_at_1, 4),
            "r_at_5": round(self.r_at_5, 4),
            "mrr": round(self.mrr, 4),
            "wrongly_refused": len(self.wrongly_refused),
            "wrongly_answered": len(self.wrongly_answered),
            "gold_in_no_sentence": len(self.gold_nowhere),
        }


def read_cases(path: str | Path) -> list[Case]:
    """The questions of a JSON-lines file, or InputError naming the bad line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()  # a byte-order mark is no text
    except FileNotFoundError:
        raise InputError(f"no file {path}: give a JSON-lines file of questions") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = item["q"]
            gold = item.get("gold") or []
            # A string is not a list: each of its letters would count as a gold substring.
            if not isinstance(question, str) or not isinstance(gold, list) or not all(isinstance(g, str) for g in gold):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise InputError(
                f'{path}:{number}: expected {{"q": "question", "gold": ["substring", ...]}}, got {line[:80]!r}'
            ) from None
        try:
            check_question(question)
        except InputError as exc:  # "the question is empty", without saying where, stopped the run
            raise InputError(f"{path}:{number}: {exc}") from None
        if "gold" in item and not all(g.strip() for g in gold or [""]):  # [] was read as one to refuse, "" as a hit
            raise InputError(f'{path}:{number}: "gold" needs texts that are not empty (none: a question to refuse)')
        cases.append(Case(question, tuple(gold)))
    if not cases:
        raise InputError(f"{path} holds no questions")
    return cases


_MARKUP = re.compile(r"[*_`\[\]<>\\]")  # marks Markdown may hold


def _matchable(text: str) -> str:
    """Text as gold is matched in it: with any apostrophe and without accents, but in its case
    (a gold "Fell", a place, is not the verb). A gold "Tomas Ibanez" never matched "Tomás
    Ibáñez", which the search itself finds."""
    return fold(plain_marks(text))


@lru_cache(maxsize=4096)
def _forms(gold: str) -> tuple[str, ...]:
    """A gold text as typed, and as the rendered page shows it if it is Markdown source (a gold
    copied from a note, "**go-live date**", never matched "go-live date": 17 of a new user's 30)."""
    shown = inline_text(gold) if _MARKUP.search(gold) else gold
    return (gold, shown) if shown and shown != gold else (gold,)


def holds_gold(text: str, gold: tuple[str, ...]) -> bool:
    """Whether a sentence holds one of a question's gold texts (as typed, or else matchable)."""
    forms = [form for g in gold for form in _forms(g)]
    if any(form in text for form in forms):
        return True
    text = _matchable(text)
    return any(_matchable(form) in text for form in forms)


def gold_rank(hits: list[Hit], gold: tuple[str, ...]) -> int | None:
    return next((rank for rank, hit in enumerate(hits, 1) if holds_gold(hit.text, gold)), None)


def evaluate(cases: list[Case], searcher: Searcher) -> Report:
    outcomes = []
    for case in cases:
        hits = searcher.search(case.question, DEPTH)
        outcomes.append(Outcome(case, gold_rank(hits, case.gold), searcher.confident(hits), tuple(hits)))
    return Report(tuple(outcomes), gold_nowhere(cases, searcher))


def gold_nowhere(cases: list[Case], searcher: Searcher) -> tuple[str, ...]:
    """The gold substrings that no sentence of the index holds, in file order: mistyped, or
    spanning two sentences, they count as misses whatever the ranking does."""
    _, texts = searcher.corpus.all_texts()
    everything = "\0".join(texts)  # no gold holds a NUL: one found here is inside one sentence
    golds = dict.fromkeys(g for case in cases for g in case.gold)
    missing = [g for g in golds if not any(form in everything for form in _forms(g))]
    if not missing:  # the usual case: the whole collection is not made matchable for nothing
        return ()
    everything = _matchable(everything)
    return tuple(g for g in missing if not any(_matchable(form) in everything for form in _forms(g)))

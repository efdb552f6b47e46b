"""A conversation: questions in turns, each answered with quotes from the index."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .answer import compose
from .config import MAX_QUESTION_CHARS
from .errors import InputError
from .rank import FOUND_THRESHOLD
from .records import Answer
from .retrieve import Filter, Searcher, check_k, open_index


@dataclass(frozen=True)
class Turn:
    question: str
    answer: Answer


def clean_question(text: str) -> tuple[str, list[str]]:
    """The question without control characters, cut to the limit; notes say what changed."""
    if not isinstance(text, str):
        raise InputError(f"a question must be text, not {type(text).__name__}")
    notes = []
    text = "".join(c if unicodedata.category(c)[0] != "C" or c in "\n\t" else " " for c in text)
    text = " ".join(text.split())
    if len(text) > MAX_QUESTION_CHARS:
        text = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUESTION_CHARS]
        notes.append(f"Your question was cut to its first {MAX_QUESTION_CHARS} characters.")
    if not text:
        raise InputError("the question is empty: type a few words about what you want to find")
    return text, notes


class Conversation:
    """Holds the turns of one reader's conversation with the documents."""

    def __init__(
        self,
        index: str | Path = "index",
        quotes: int = 3,
        searcher: Searcher | None = None,
        where: Filter | None = None,
    ):
        self._index = Path(index)
        self._searcher = searcher
        self.quotes = check_k(quotes)
        self.where = where or Filter()
        self.turns: list[Turn] = []

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None or self._searcher.stale():
            self._searcher = open_index(self._index)
        return self._searcher

    def reset(self) -> None:
        self.turns.clear()

    def ask(self, question: str, quotes: int | None = None) -> Answer:
        """Answer one question, quoting the best sentences."""
        text, notes = clean_question(question)
        k = check_k(quotes if quotes is not None else self.quotes)
        hits = self.searcher.search(text, k, self.where)
        found = bool(hits) and hits[0].score >= FOUND_THRESHOLD
        answer = compose(text, hits, found, notes=notes)
        self.turns.append(Turn(text, answer))
        return answer

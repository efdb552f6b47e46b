"""SQuAD 2.0 dev-half as qa documents: each paragraph one file, each answerable question with
the ids of its gold sentences (ReQA protocol, see ../shared/bench/README.md).

SQuAD 2.0 is CC BY-SA 4.0 (Rajpurkar, Jia and Liang, 2018). The data stays where it is; this
module only reads it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "squad2-dev-half.json"


@dataclass(frozen=True)
class Question:
    text: str
    article: str
    doc_id: str  # the paragraph's file name
    answer_starts: tuple[int, ...]  # empty for unanswerable questions


@dataclass(frozen=True)
class Squad:
    paragraphs: dict[str, tuple[str, str]]  # doc_id → (article title, context)
    answerable: list[Question]
    unanswerable: list[Question]


def load(path: Path = DEFAULT) -> Squad:
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    paragraphs: dict[str, tuple[str, str]] = {}
    answerable, unanswerable = [], []
    for article in data:
        title = article["title"]
        for n, paragraph in enumerate(article["paragraphs"]):
            doc_id = f"{re.sub(r'[^A-Za-z0-9]+', '_', title)}__{n:03d}.txt"
            context = paragraph["context"]
            paragraphs[doc_id] = (title, context)
            for qa in paragraph["qas"]:
                starts = tuple(sorted({a["answer_start"] for a in qa["answers"]}))
                q = Question(qa["question"], title, doc_id, starts)
                (answerable if not qa.get("is_impossible") and starts else unanswerable).append(q)
    return Squad(paragraphs, answerable, unanswerable)


def write_seeds(squad: Squad, folder: Path) -> Path:
    """Each paragraph as a plain-text document (one block, so offsets match the context)."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, (_, context) in squad.paragraphs.items():
        (folder / doc_id).write_text(context.strip("\n"), encoding="utf-8")
    return folder

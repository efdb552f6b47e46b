"""The learned ranker: a linear listwise model whose parameters live in a plain JSON file.

    x = chosen features + products of pairs of core features
    s = ((x - mean) / std) · w                        one score per candidate sentence
    p = logistic(calibrator · summary of the ranking)  P(the top sentence answers the question)
    p' = logistic(abstain · [1, logit p, top dense cosine, share of question words known])

The ranker and calibrator are trained on answerable questions: SQuAD's, about Wikipedia
articles, and those other writers asked of their own collections (tests/data/newuser*: news,
minutes, transcripts, handbooks...), held out by article and collection in cross-validation
(benchmarks/train_ranker.py). The second step (`abstain`) is fitted on the seed development
sets, questions the documents do not answer included, so that a question on another subject
is refused. The shipped weights are in qa/data/ranker.json. Evaluated with numpy only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ModelError
from .features import COLUMN

SHIPPED = Path(__file__).resolve().parent / "data" / "ranker.json"
SUMMARY_NAMES = [
    "bias", "top_score", "margin", "top_softmax", "top_d", "top_idfcov", "top_cov", "top_d_para",
    "top_b_raw_log", "top_win_cov", "top_para_cov", "top_bp",
]  # fmt: skip


@dataclass(frozen=True)
class Ranker:
    spec: dict  # the JSON as read
    columns: np.ndarray
    left: np.ndarray  # interaction pairs
    right: np.ndarray
    weights: np.ndarray  # per design column, divided by its spread in training
    offset: float  # minus the weighted training means: scores are those of standardised columns
    calibrator: np.ndarray
    found_above: float  # answer probability below which qa says the documents do not answer
    abstain: np.ndarray | None  # the second step, if fitted

    @classmethod
    def from_spec(cls, spec: dict) -> Ranker:
        try:
            columns = np.array([COLUMN[n] for n in spec["features"]], dtype=np.int64)
            left = np.array([COLUMN[a] for a, _ in spec["interactions"]], dtype=np.int64)
            right = np.array([COLUMN[b] for _, b in spec["interactions"]], dtype=np.int64)
            weights = np.array(spec["w"], np.float32) / np.array(spec["std"], np.float32)
            return cls(
                spec=spec,
                columns=columns,
                left=left,
                right=right,
                weights=weights,
                offset=-float(np.array(spec["mean"], np.float32) @ weights),
                calibrator=np.array(spec["calibrator"]["w"], np.float64),
                found_above=float(spec["found_above"]),
                abstain=np.array(spec["abstain"]["w"], np.float64) if "abstain" in spec else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"the ranker file is not usable ({exc!r}); reinstall qa") from None

    def score(self, x: np.ndarray) -> np.ndarray:
        """One score per row of a feature matrix (columns in FEATURE_NAMES order)."""
        chosen = len(self.columns)
        products = x[:, self.left] * x[:, self.right]
        return x[:, self.columns] @ self.weights[:chosen] + products @ self.weights[chosen:] + self.offset

    def probability(self, scores: np.ndarray, x: np.ndarray, bm25_max: float, known: float = 1.0) -> float:
        """Calibrated P(the best-scored row answers the question); `known` is the share of the
        question's words the documents searched use."""
        z = float(summary(scores, x, bm25_max) @ self.calibrator)
        if self.abstain is not None:
            z = float(abstain_inputs(z, x[int(np.argmax(scores)), COLUMN["d"]], known) @ self.abstain)
        return float(1.0 / (1.0 + np.exp(-z)))

    def without_abstain(self) -> Ranker:
        spec = {k: v for k, v in self.spec.items() if k != "abstain"}
        return Ranker.from_spec(spec)


ABSTAIN_NAMES = ["bias", "calibrated_logit", "top_d", "known"]


def abstain_inputs(logit: float, top_d: float, known: float) -> np.ndarray:
    return np.array([1.0, logit, top_d, known])


def summary(scores: np.ndarray, x: np.ndarray, bm25_max: float) -> np.ndarray:
    """What the calibrator reads about one ranking: how far the top stands out, and how well
    the top sentence matches."""
    top = int(np.argmax(scores))
    second = np.partition(scores, -2)[-2] if len(scores) > 1 else scores[top] - 10.0
    lse = scores.max() + np.log(np.exp(scores - scores.max()).sum())
    row = x[top]
    c = COLUMN
    return np.array(
        [
            1.0,
            scores[top],
            scores[top] - second,
            scores[top] - lse,
            row[c["d"]],
            row[c["idfcov"]],
            row[c["cov"]],
            row[c["d_para"]],
            np.log1p(bm25_max),
            row[c["win_cov"]],
            row[c["para_cov"]],
            row[c["bp"]],
        ]
    )


@lru_cache(maxsize=4)
def load(path: Path = SHIPPED) -> Ranker:
    try:
        return Ranker.from_spec(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read the ranker file {path} ({exc}); reinstall qa") from None

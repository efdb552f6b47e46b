"""ReQA-style sentence retrieval on SQuAD 2.0 dev-half: BM25 alone, dense alone, a fixed fusion,
and qa's learned ranking (article-level cross-validated), with query times and abstention.

    python benchmarks/squad.py [--data PATH] [--work DIR] [--folds 4] [--seed 0]

Every paragraph is indexed as a document with qa's own pipeline (splitter, encoder, index);
each of the 2,910 answerable questions is searched over the whole pool; gold is the
sentence(s) of its own paragraph holding an annotator's answer start. MRR counts ranks to 100.
The learned ranking is scored out of fold: each question by a model fitted without its
article (on the other articles and, as the shipped one is, on the collections in tests/data).
Abstention: how many of the 3,168 unanswerable questions the shipped model refuses.

Data: SQuAD 2.0 (Rajpurkar, Jia and Liang, 2018), CC BY-SA 4.0, read from ../shared/bench/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from squad_data import DEFAULT, load
from train_ranker import (
    Rows,
    collection_rows,
    cross_validate,
    gold_rows,
    index_squad,
    metrics,
    question_rows,
    question_vectors,
)

from qa import rank

DEPTH = 100


def rank_of(rows: list[int], gold: set[int]) -> float:
    return next((float(i) for i, r in enumerate(rows[:DEPTH], 1) if r in gold), np.inf)


def fused_rows(searcher, vector: np.ndarray, bm25: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """0.7 dense + 0.3 max-normalised BM25 over the union of both channels' top `depth` (BM25
    rows with a score only): (index rows, their scores), best first."""
    _, ids = searcher.vectors.search(vector, depth)
    top = np.argsort(-bm25, kind="stable")[:depth]
    rows = np.union1d(searcher.layout.rows(ids), top[bm25[top] > 0]).astype(np.int64)
    dense = searcher.vectors.vectors(searcher.layout.ids[rows]) @ vector
    score = 0.7 * dense + 0.3 * bm25[rows] / (float(bm25.max()) or 1.0)
    order = np.argsort(-score, kind="stable")
    return rows[order], score[order]


def simple_fusion(searcher, text: str, k: int):
    """The first version of qa.search: the fixed fusion over both channels' top 50,
    near-duplicates folded, hits fetched. The baseline for query time."""
    words = searcher.words(text)
    vector = searcher.encoder.encode([text])[0]
    bm25 = searcher.lexical.scores([w.term for w in words if w.term])
    rows, score = fused_rows(searcher, vector, bm25, 50)
    ranking = rank.Ranking(searcher.layout.ids[rows], rows, score)
    return searcher._hits(rank.fold_duplicates(ranking, searcher.vectors, searcher.lexical.words, k))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT, help="squad2-dev-half.json")
    parser.add_argument("--work", type=Path, help="folder for the seeds and index (default: a temp folder)")
    parser.add_argument("--folds", type=int, default=4, help="article folds for the learned ranking")
    parser.add_argument("--seed", type=int, default=0, help="how articles are shuffled into folds")
    args = parser.parse_args()

    squad = load(args.data)
    work = args.work or Path(tempfile.mkdtemp(prefix="qa-squad-"))
    started = time.perf_counter()
    searcher = index_squad(squad, work)
    build = time.perf_counter() - started
    lay = searcher.layout

    ranks = {
        "BM25 (bm25s, stemmed, stopwords)": [],
        "dense (MiniLM, sentence only)": [],
        "0.7 dense + 0.3 BM25": [],
    }
    names = list(ranks)
    vectors = question_vectors(searcher, [q.text for q in squad.answerable])
    for q, vector in zip(squad.answerable, vectors):
        gold = gold_rows(searcher, q)
        bm25 = searcher.lexical.scores([w.term for w in searcher.words(q.text) if w.term])
        order = np.argsort(-bm25, kind="stable")[:DEPTH]
        ranks[names[0]].append(rank_of([int(r) for r in order if bm25[r] > 0], gold))
        _, ids = searcher.vectors.search(vector, DEPTH)
        dense_rows = [int(r) for r in lay.rows(ids)]
        ranks[names[1]].append(rank_of(dense_rows, gold))
        ranks[names[2]].append(rank_of(fused_rows(searcher, vector, bm25, DEPTH)[0].tolist(), gold))

    # The ranker is trained on SQuAD and on the collections in tests/data (train_ranker.py):
    # each fold's model learns from the other folds' articles and collections.
    rows = question_rows(searcher, squad.answerable)
    n = len(rows.article)
    oof = cross_validate(Rows.join([rows, collection_rows(work / "collections")]), args.folds, args.seed)
    ranks[f"qa ranking, {args.folds}-fold article CV (seed {args.seed})"] = list(oof[:n])

    questions = [q.text for q in squad.answerable]
    sample = questions[:: max(1, len(questions) // 300)][:300]
    timings = {"qa.search": [], "first qa.search (fixed fusion)": []}
    for text in sample:
        t = time.perf_counter()
        simple_fusion(searcher, text, 10)
        timings["first qa.search (fixed fusion)"].append(time.perf_counter() - t)
        t = time.perf_counter()
        searcher.search(text, 10)
        timings["qa.search"].append(time.perf_counter() - t)

    refused = sum(1 for q in squad.unanswerable if not searcher.confident(searcher.search(q.text, 1)))
    answered = sum(1 for q in squad.answerable if searcher.confident(searcher.search(q.text, 1)))

    m = searcher.manifest
    print(f"\nSQuAD 2.0 dev-half (CC BY-SA 4.0): {m.sentences:,} sentences from {m.documents} paragraphs,")
    print(f"{len(squad.answerable):,} answerable questions. {m.pipeline}; model {m.model}, encoder {m.encoder}.")
    print(f"Index ready in {build:.1f} s (built, or reused from --work; build speed: benchmarks/speed.py).")
    print("\n| method | MRR | R@1 | R@5 | R@10 |\n|---|---|---|---|---|")
    for name, values in ranks.items():
        r = metrics(np.array(values, float))
        print(f"| {name} | {r['MRR']:.3f} | {r['R@1']:.3f} | {r['R@5']:.3f} | {r['R@10']:.3f} |")
    print(f"\nQuery time over {len(sample)} questions, k=10, same process:")
    base = statistics.median(timings["first qa.search (fixed fusion)"])
    for name, values in timings.items():
        ms = sorted(v * 1000 for v in values)
        print(
            f"  {name}: p50 {statistics.median(ms):.2f} ms, p95 {ms[int(0.95 * len(ms))]:.2f} ms "
            f"({statistics.median(values) / base:.2f}x the fixed fusion)"
        )
    print(
        f"\nAbstention with the shipped model (found when p >= {searcher.ranker.found_above:.3f}): "
        f"{refused:,} of {len(squad.unanswerable):,} unanswerable refused ({refused / len(squad.unanswerable):.1%}); "
        f"{answered:,} of {len(squad.answerable):,} answerable answered ({answered / len(squad.answerable):.1%})."
    )


if __name__ == "__main__":
    main()

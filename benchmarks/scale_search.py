"""The whole `qa.search` at a million sentences: question encoding, IVF vector search, BM25 over
every sentence and paragraph, the ranker's features, near-duplicate folding and fetching hits.

    python benchmarks/scale_search.py [--copies 278] [--questions 300] [--work DIR]

The collection is SQuAD 2.0 dev-half repeated: each article is written --copies times as one
plain-text document (paragraphs separated by blank lines), 3,596 sentences a copy, so 278 copies
make 999,688 sentences. The texts are real and go through qa's whole build (reading, splitting,
BM25, corpus, IVF-SQ8 index). Encoding a million sentences would take about half an hour here,
so the build is handed an encoder that replays each sentence's real ONNX int8 vector from a
normal index of the same data, with a little noise per copy (cosine about 0.97 to the
original), so copies are near-duplicates, as a news archive's repeated stories are. Questions
are encoded for real: the index's manifest names the ONNX int8 encoder.

Reported: build time and size; then, in a fresh process that opens the index as a user's would,
its resident memory and, over --questions answerable questions (k=10, one at a time, after 10
unmeasured ones), p50/p95 latency, how many hits come back (copies fold into one hit, so with
278 copies of everything fewer than 10 distinct sentences may be among the candidates), and how
often a copy of the gold sentence is first or among them.

Data: SQuAD 2.0 (Rajpurkar, Jia and Liang, 2018), CC BY-SA 4.0, read from ../shared/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
from squad_data import DEFAULT, load
from train_ranker import gold_rows, index_squad

import qa
from qa.retrieve import open_index

NOISE = 0.0128  # per dimension: a noise vector of norm 0.25, so a copy sits at cosine ~0.97


class Replayed:
    """An encoder that answers with the vectors of an existing index (plus noise per call)."""

    def __init__(self, searcher):
        from qa.embed import load_encoder

        # The back end that built the index (the searcher's own encoder is the one for questions).
        encoder = load_encoder(searcher.manifest.model_ref, searcher.manifest.encoder)
        self.model, self.ref, self.kind, self.dim = encoder.model, encoder.ref, encoder.kind, encoder.dim
        self._live = encoder
        ids, texts = searcher.corpus.all_texts()
        vectors = searcher.vectors.vectors(ids)
        self._known = dict(zip(texts, vectors))
        self._rng = np.random.default_rng(0)
        self.replayed = self.encoded = 0

    def encode(self, texts, progress=None) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        unknown = [i for i, t in enumerate(texts) if t not in self._known]
        if unknown:  # a sentence split differently from the normal index: encode it for real
            out[unknown] = self._live.encode([texts[i] for i in unknown])
        known = [i for i, t in enumerate(texts) if t in self._known]
        if known:
            out[known] = np.stack([self._known[texts[i]] for i in known])
        out += self._rng.normal(0.0, NOISE, out.shape).astype(np.float32)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        self.replayed += len(known)
        self.encoded += len(unknown)
        if progress:
            progress(len(texts))
        return out


def write_copies(squad, folder: Path, copies: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    articles: dict[str, list[str]] = {}
    for title, context in squad.paragraphs.values():
        articles.setdefault(title, []).append(context.strip("\n"))
    for copy in range(copies):
        for n, paragraphs in enumerate(articles.values()):
            (folder / f"{copy:04d}-{n:02d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(index: Path, questions: Path) -> None:
    """In a fresh process, as a user's would be: open the index, then search every question."""
    asked = json.loads(questions.read_text(encoding="utf-8"))
    before = resident_mb()
    started = time.perf_counter()
    searcher = open_index(index, build=False)
    opened = time.perf_counter() - started
    after_open = resident_mb()
    for case in asked[:10]:
        searcher.search(case["q"], 10)
    times, first, top10, returned = [], 0, 0, []
    for case in asked:
        started = time.perf_counter()
        hits = searcher.search(case["q"], 10)
        times.append(time.perf_counter() - started)
        gold = set(case["gold"])
        first += bool(hits) and hits[0].text in gold
        top10 += any(h.text in gold for h in hits)
        returned.append(len(hits))
    ms = np.array(times) * 1000
    print(
        f"fresh process: opened in {opened:.2f} s; resident memory {before:.0f} MB before, "
        f"{after_open:.0f} MB after opening, {resident_mb():.0f} MB after the searches\n"
        f"qa.search over {len(asked)} questions, k=10: p50 {np.median(ms):.1f} ms, p95 "
        f"{np.percentile(ms, 95):.1f} ms; hits returned {np.mean(returned):.1f} on average "
        f"(10 for {np.mean(np.array(returned) == 10):.0%}); a copy of the gold sentence first "
        f"{first / len(asked):.3f}, among the hits {top10 / len(asked):.3f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--copies", type=int, default=278)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--work", type=Path, help="folder for seeds and indexes (default: temp)")
    parser.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="qa-scale-search-"))
    squad = load(args.data)

    small = index_squad(squad, work)
    rng = np.random.default_rng(0)
    asked = [squad.answerable[i] for i in sorted(rng.choice(len(squad.answerable), args.questions, False))]
    cases = []
    for q in asked:
        sentences = small.corpus.sentences(small.layout.ids[sorted(gold_rows(small, q))])
        cases.append({"q": q.text, "gold": sorted(s.text for s in sentences.values())})
    questions = work / "questions.json"
    questions.write_text(json.dumps(cases), encoding="utf-8")

    seeds = work / f"seeds-{args.copies}"
    if not seeds.exists():
        write_copies(squad, seeds, args.copies)
    encoder = Replayed(small)
    started = time.perf_counter()
    report = qa.build_index(seeds, work / f"index-{args.copies}", encoder=encoder, progress=True)
    built = time.perf_counter() - started
    print(
        f"built {report.sentences:,} sentences in {report.documents:,} documents in {built:.0f} s "
        f"({encoder.replayed:,} vectors replayed, {encoder.encoded:,} encoded; a build that found the "
        f"index current takes seconds); index kind {report.manifest.index_kind}; "
        f"{folder_mb(report.index):.0f} MB on disk",
        flush=True,
    )
    subprocess.run([sys.executable, __file__, "--measure", str(report.index), str(questions)], check=True)
    small_times = []
    for case in cases:
        started = time.perf_counter()
        small.search(case["q"], 10)
        small_times.append(time.perf_counter() - started)
    print(f"the same questions on the {small.vectors.size:,}-sentence index: p50 {np.median(small_times) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()

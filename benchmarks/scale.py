"""The vector index at a million sentences: IVF-SQ8 build, size, memory, latency and recall
against exact search, and where exact (flat) search stops being the better choice.

    python benchmarks/scale.py [--sentences 1000000] [--queries 1000] [--blend 1.0]
                               [--sizes 25000,50000,100000,200000,400000]

The vectors are SYNTHETIC: encoding a million real sentences takes hours on this machine. Real
SQuAD sentence and question vectors from qa's ONNX int8 encoder are the cluster centres; every
synthetic vector is a centre, plus up to as much again of another (so clusters overlap), plus
isotropic Gaussian noise of a per-vector scale (tight and loose members), renormalised, dimension
384. Queries are further vectors drawn the same way and held out of the index. Recall depends on
how clustered the vectors are (--blend 0.5 gives tighter clusters and higher recall), and real
text may differ: read the recall figures as indicative, the time and memory figures as measured.

The index is qa.vectors.VectorIndex, IVF-SQ8 with qa's number of lists (`ivf_lists(n)`, what
`index_kind(n)` picks from APPROXIMATE_FROM on); flat below it. Recall@10
is against exact inner-product search (FAISS IndexFlatIP) over the same vectors; latency is a
single query at a time, k=10, the default nprobe. The saved IVF index is reopened in a fresh
process, memory-mapped as qa opens it, to measure its resident memory.

Cluster centres come from SQuAD 2.0 (Rajpurkar, Jia and Liang, 2018), CC BY-SA 4.0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from squad_data import load  # noqa: E402

DIM = 384
FLAT_QUERIES = 200  # exact search is slow at the larger sizes: fewer queries time it well enough
NOISE = (0.02, 0.06)  # per-coordinate noise scale, drawn per vector
BLEND = 1.0  # weight of a second random centre, drawn per vector up to this: clusters overlap
MB = 1024 * 1024
ATTRIBUTION = "Cluster centres: SQuAD 2.0 dev-half (Rajpurkar, Jia and Liang, 2018), CC BY-SA 4.0."


@dataclass(frozen=True)
class Size:
    """Exact against IVF search at one collection size."""

    n: int
    flat_p50: float  # ms, FAISS's default threads
    flat_p50_1: float  # ms, one thread
    flat_build: float  # s
    kind: str
    ivf_build: float  # s, train + add
    ivf_ms: np.ndarray
    recall: float  # recall@k at the default nprobe
    recall_64: float  # at nprobe 64


def centres(bench: Path) -> np.ndarray:
    """Real sentence and question vectors of SQuAD from qa's own (ONNX int8) encoder."""
    from qa.embed import load_encoder
    from qa.split import sentence_spans

    squad = load(bench / "squad2-dev-half.json")
    texts = [c[a:b] for _, c in squad.paragraphs.values() for a, b in sentence_spans(c)]
    texts += [q.text for q in squad.answerable + squad.unanswerable]
    return load_encoder("bundled", "onnx-int8").encode(texts)


def synthetic(centre: np.ndarray, n: int, seed: int, blend: float = BLEND) -> np.ndarray:
    """n unit vectors: a random centre, a little of another, Gaussian noise, renormalised."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        noise = rng.standard_normal((m, DIM), dtype=np.float32)
        noise *= rng.uniform(*NOISE, (m, 1)).astype(np.float32)
        weight = rng.uniform(0, blend, (m, 1)).astype(np.float32)
        block = centre[rng.integers(0, len(centre), m)] + weight * centre[rng.integers(0, len(centre), m)] + noise
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + m] = block
    return out


def exact_top(x: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the exact top k of each query (batched, so BLAS does the work)."""
    import faiss

    flat = faiss.IndexFlatIP(DIM)
    flat.add(x)
    return flat.search(queries, k)[1]


def recall(found: list[np.ndarray], truth: np.ndarray) -> float:
    k = truth.shape[1]
    return float(np.mean([len(set(f[:k].tolist()) & set(t.tolist())) / k for f, t in zip(found, truth)]))


def timed_searches(index, queries: np.ndarray, k: int, **options) -> tuple[list[np.ndarray], np.ndarray]:
    """(ids found per query, milliseconds per query), one query at a time."""
    found, ms = [], []
    for q in queries:
        started = time.perf_counter()
        _, ids = index.search(q, k, **options)
        ms.append((time.perf_counter() - started) * 1000)
        found.append(ids)
    return found, np.array(ms)


def build(kind: str, x: np.ndarray):
    """A VectorIndex of this kind holding x under ids 0..n-1: (index, train s, add s)."""
    from qa.vectors import VectorIndex

    index = VectorIndex.empty(DIM, kind)
    started = time.perf_counter()
    index.train(x)
    trained = time.perf_counter()
    index.add(np.arange(len(x), dtype=np.int64), x)
    return index, trained - started, time.perf_counter() - trained


def rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def child_open(path: str, kind: str, queries: str, k: str) -> dict:
    """In a fresh process: open the saved index as qa does, then search; memory at each step."""
    from qa.vectors import VectorIndex

    before = rss()
    started = time.perf_counter()
    index = VectorIndex.load(Path(path), kind)
    opened = time.perf_counter() - started
    after_load = rss()
    q = np.load(queries)
    found, ms = timed_searches(index, q, int(k))
    warm = timed_searches(index, q, int(k))[1]  # the same queries again, their pages now resident
    return {
        "warm_ms": warm.tolist(),
        "open_s": opened,
        "base_rss": before,
        "load_rss": after_load,
        "search_rss": rss(),
        "ms": ms.tolist(),
        "found": [f.tolist() for f in found],
    }


def filtered(index, x: np.ndarray, queries: np.ndarray, allowed_n: int, k: int, seed: int) -> dict:
    """Filtered search on IVF: results returned and recall against exact search over the allowed
    ids, through VectorIndex.search and through plain FAISS at the default nprobe (no widening)."""
    import faiss

    rng = np.random.default_rng(seed)
    got, plain_got, hits, ms = [], [], [], []
    for q in queries:
        allowed = np.sort(rng.choice(len(x), allowed_n, replace=False)).astype(np.int64)
        truth = allowed[np.argsort(-(x[allowed] @ q))[:k]]
        started = time.perf_counter()
        _, ids = index.search(q, k, allowed=allowed)
        ms.append((time.perf_counter() - started) * 1000)
        params = faiss.SearchParametersIVF(sel=faiss.IDSelectorBatch(allowed), nprobe=32)
        _, plain = index._index.search(q.reshape(1, -1), k, params=params)
        got.append(len(ids))
        plain_got.append(int((plain[0] >= 0).sum()))
        hits.append(len(set(ids.tolist()) & set(truth.tolist())) / k)
    return {
        "allowed": allowed_n,
        "returned": float(np.mean(got)),
        "plain_returned": float(np.mean(plain_got)),
        "recall": float(np.mean(hits)),
        "p50": float(np.median(ms)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench", help="folder of the data")
    parser.add_argument("--sentences", type=int, default=1_000_000, help="vectors in the large index")
    parser.add_argument("--queries", type=int, default=1000, help="held-out query vectors")
    parser.add_argument("--sizes", default="25000,50000,100000,200000,400000", help="sizes for the flat/IVF crossover")
    parser.add_argument("--work", type=Path, help="folder for the saved index (default: temp)")
    parser.add_argument("--blend", type=float, default=BLEND, help="most of a second centre in a vector")
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_open(*args.child)))
        return

    import faiss

    from qa.vectors import APPROXIMATE_FROM, TRAIN_PER_LIST, index_kind, ivf_lists

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    work = args.work or Path(tempfile.mkdtemp(prefix="qa-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    k, n = args.k, args.sentences
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    centre = centres(args.bench)
    say(f"{len(centre)} real SQuAD vectors as centres ({time.perf_counter() - started:.0f} s)")
    x = synthetic(centre, n, seed=1, blend=args.blend)
    queries = synthetic(centre, args.queries, seed=2, blend=args.blend)
    sample = x[:10000]
    cos = np.einsum("ij,ij->i", sample, sample[exact_top(sample, sample, 2)[:, 1]])
    say(f"{n} synthetic vectors; nearest-neighbour cosine within the first 10k: median {np.median(cos):.2f}")

    # Crossover: exact against IVF at growing sizes (prefixes of the same vectors).
    sizes = sorted({int(s) for s in args.sizes.split(",") if int(s) <= n} | {n})
    cross = []
    for size in sizes:
        part = x[:size]
        truth = exact_top(part, queries, k)
        flat, _, flat_add = build("flat", part)
        flat_ms = timed_searches(flat, queries[:FLAT_QUERIES], k)[1]
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        flat_ms1 = timed_searches(flat, queries[:FLAT_QUERIES], k)[1]
        faiss.omp_set_num_threads(threads)
        del flat
        kind = f"ivf{ivf_lists(size)}-sq8"
        ivf, train_s, add_s = build(kind, part)
        ivf_found, ivf_ms = timed_searches(ivf, queries, k)
        wide = recall(timed_searches(ivf, queries, k, nprobe=64)[0], truth)
        cross.append(
            Size(
                size,
                float(np.median(flat_ms)),
                float(np.median(flat_ms1)),
                flat_add,
                kind,
                train_s + add_s,
                ivf_ms,
                recall(ivf_found, truth),
                wide,
            )
        )
        say(
            f"{size}: flat p50 {cross[-1].flat_p50:.2f} ms (1 thread {cross[-1].flat_p50_1:.2f}); "
            f"{kind} p50 {np.median(ivf_ms):.2f} ms, recall@{k} {cross[-1].recall:.3f} (nprobe 64: {wide:.3f}), "
            f"built in {train_s + add_s:.0f} s"
        )
        if size == n:
            large, large_truth, large_train, large_add = ivf, truth, train_s, add_s
        else:
            del ivf

    # The large index: sweep nprobe, filtered search, then reopen it from disk in a fresh process.
    kind = large.kind
    sweep = {p: recall(timed_searches(large, queries, k, nprobe=p)[0], large_truth) for p in (8, 16, 32, 64, 128)}
    sweep_ms = {p: float(np.median(timed_searches(large, queries[:300], k, nprobe=p)[1])) for p in (8, 16, 32, 64, 128)}
    filters = [filtered(large, x, queries[:100], m, k, seed=3) for m in (20, 1000, n // 10)]
    path = work / "vectors.faiss"
    large.save(path)
    size_mb = path.stat().st_size / MB
    del large
    np.save(work / "queries.npy", queries)
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), kind, str(work / "queries.npy"), str(k)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    opened = json.loads(out.strip().splitlines()[-1])
    ms, warm = np.array(opened["ms"]), np.array(opened["warm_ms"])
    large_recall = recall([np.array(f) for f in opened["found"]], large_truth)
    flat_row = next(c for c in cross if c.n == n)

    lines = [
        f"SYNTHETIC vectors: {n:,} unit vectors of dimension {DIM}, each one of {len(centre):,} real SQuAD "
        f"sentence/question vectors (qa's ONNX int8 encoder) plus up to {args.blend} of another, plus Gaussian noise "
        f"(scale {NOISE[0]}–{NOISE[1]} per coordinate), renormalised; nearest-neighbour cosine median "
        f"{np.median(cos):.2f} (first 10k); {args.queries} held-out queries drawn the same way. {ATTRIBUTION}",
        f"Load average (1 min) at the start {load_start:.2f}, at the end {os.getloadavg()[0]:.2f}: other work "
        "shared the 2 cores.",
        "",
        f"| {n:,} vectors | {kind} (qa picks {index_kind(n)}) | exact flat (float32) |",
        "|---|---|---|",
        f"| build, s | {large_train + large_add:.0f} (train {large_train:.0f} on ≤{TRAIN_PER_LIST}/list, "
        f"add {large_add:.0f}) | {flat_row.flat_build:.1f} (add only) |",
        f"| size on disk, MB | {size_mb:.0f} | {n * DIM * 4 / MB:.0f} |",
        f"| resident memory after opening (memory-mapped), MB | {(opened['load_rss'] - opened['base_rss']) / MB:.0f}"
        f" (opened in {opened['open_s'] * 1000:.0f} ms) | {n * DIM * 4 / MB:.0f} (read whole) |",
        f"| resident memory after {args.queries} searches, MB | {(opened['search_rss'] - opened['base_rss']) / MB:.0f}"
        " | — |",
        f"| search p50 / p95, ms (k={k}, one query, just opened) | {np.median(ms):.2f} / {np.percentile(ms, 95):.2f} "
        f"| {flat_row.flat_p50:.1f} p50 (1 thread: {flat_row.flat_p50_1:.1f}) |",
        f"| search p50 / p95, ms (the same queries again) | {np.median(warm):.2f} / {np.percentile(warm, 95):.2f} "
        "| — |",
        f"| recall@{k} against exact | {large_recall:.3f} | 1 |",
        "",
        f"nprobe (of {ivf_lists(n)} lists) | " + " | ".join(str(p) for p in sweep),
        "recall@10 | " + " | ".join(f"{r:.3f}" for r in sweep.values()),
        "p50 ms | " + " | ".join(f"{v:.2f}" for v in sweep_ms.values()),
        "",
        "Filtered search on the IVF index (random allowed ids, 100 queries; recall against exact search "
        "over the allowed ids):",
        "",
        "| allowed ids | results, VectorIndex.search | results, FAISS at nprobe 32 unwidened | recall@10 | p50 ms |",
        "|---|---|---|---|---|",
        *(
            f"| {f['allowed']:,} | {f['returned']:.1f} | {f['plain_returned']:.1f} | {f['recall']:.3f} "
            f"| {f['p50']:.1f} |"
            for f in filters
        ),
        "",
        f"Crossover (prefixes of the same vectors; flat p50 over {FLAT_QUERIES} queries with FAISS's default "
        f"{faiss.omp_get_max_threads()} threads and with 1, IVF over {args.queries}; "
        f"APPROXIMATE_FROM is {APPROXIMATE_FROM:,}):",
        "",
        "| vectors | flat p50 ms | flat p50 ms, 1 thread | IVF kind | IVF p50 ms | IVF p95 ms "
        f"| IVF recall@{k} (nprobe 32) | nprobe 64 | IVF build s |",
        "|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {c.n:,} | {c.flat_p50:.2f} | {c.flat_p50_1:.2f} | {c.kind} | {np.median(c.ivf_ms):.2f} "
            f"| {np.percentile(c.ivf_ms, 95):.2f} | {c.recall:.3f} | {c.recall_64:.3f} | {c.ivf_build:.0f} |"
            for c in cross
        ),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()

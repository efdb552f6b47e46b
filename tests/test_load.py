"""Many people at once: `qa chat` in its own process answers 32 simultaneous /ask requests.

Uses the load benchmark's own machinery (benchmarks/load.py) with 32 requests, all in flight
together, so the benchmark is known to work too.
"""

import importlib.util
import json
import shutil
import sys
from collections import Counter

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def load_benchmark():
    spec = importlib.util.spec_from_file_location("load_benchmark", ROOT / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_32_concurrent_questions_are_all_answered_correctly(seed_index, tmp_path):
    load = load_benchmark()
    manifest = json.loads((seed_index / "manifest.json").read_text(encoding="utf-8"))
    shutil.copytree(manifest["seeds"], tmp_path / "seeds")
    index = shutil.copytree(seed_index, tmp_path / "index")

    with load.Server(index) as server:
        assert server.url == f"http://127.0.0.1:{server.port}/"  # the one line `qa chat` prints
        results = load.ask_many(server.url, requests=32, concurrency=32)

    assert [r.error for r in results if r.error] == []
    assert all(r.correct for r in results), [r.question for r in results if not r.correct]
    assert Counter(r.question for r in results) == {q: 8 for q in load.QUESTIONS}

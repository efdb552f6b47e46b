"""Faults and bad input: damaged index files, a build killed midway, odd questions and k."""

import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import qa
from conftest import ROOT, write
from qa.conversation import Conversation
from qa.errors import IndexProblem, InputError
from qa.indexer import build_index
from qa.retrieve import SEEDS_CHECK_SECONDS, Searcher, open_index
from qa.store import read_manifest

QA = str(Path(sys.executable).parent / "qa")


@pytest.fixture
def small_index(tmp_path, fake_encoder):
    seeds = tmp_path / "seeds"
    write(seeds / "a.txt", "The harbour froze in January. Ships waited outside the port.\nFishermen sold ice.")
    write(seeds / "b.txt", "Bees make honey from nectar. A hive holds thousands of bees.")
    build_index(seeds, tmp_path / "index", encoder=fake_encoder, progress=False)
    return tmp_path / "index"


def _data(index: Path) -> Path:
    return index / read_manifest(index).data


def _open(index: Path, fake_encoder) -> Searcher:
    return Searcher(index, read_manifest(index), encoder=fake_encoder)


def test_truncated_faiss_file_names_the_file_and_the_fix(small_index, fake_encoder):
    path = _data(small_index) / "vectors.faiss"
    os.truncate(path, path.stat().st_size // 2)
    with pytest.raises(IndexProblem, match=r"vectors\.faiss is truncated or not a FAISS index.*qa index"):
        _open(small_index, fake_encoder)


def test_sentences_out_of_step_with_vectors(small_index, fake_encoder):
    db = sqlite3.connect(_data(small_index) / "corpus.sqlite")
    db.execute("DELETE FROM sentences WHERE id = (SELECT MAX(id) FROM sentences)")
    db.commit()
    db.close()
    with pytest.raises(IndexProblem, match=r"holds 5 vectors for 4 sentences.*qa index"):
        _open(small_index, fake_encoder)


def test_garbage_corpus_and_missing_lexical_files(small_index, fake_encoder):
    data = _data(small_index)
    (data / "lexical" / "rows.npy").unlink()
    with pytest.raises(IndexProblem, match=r"lexical cannot be read.*qa index"):
        _open(small_index, fake_encoder)
    (data / "corpus.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexProblem, match=r"corpus\.sqlite cannot be read.*qa index"):
        _open(small_index, fake_encoder)


def test_manifest_of_another_model_or_format(small_index):
    path = small_index / "manifest.json"
    raw = json.loads(path.read_text())
    path.write_text(json.dumps({**raw, "format": raw["format"] + 1}))
    with pytest.raises(IndexProblem, match=r"index format \d+, this qa reads format \d+.*qa index"):
        read_manifest(small_index)
    path.write_text(json.dumps({**raw, "data": "data-gone"}))
    with pytest.raises(IndexProblem, match=r"names data folder 'data-gone', which is missing"):
        open_index(small_index, build=False)


def test_cli_reports_damage_in_one_line_and_the_next_build_repairs_it(tmp_path, seed_index):
    index = tmp_path / "index"
    subprocess.run(["cp", "-r", str(seed_index), str(index)], check=True)
    path = _data(index) / "vectors.faiss"
    os.truncate(path, 100)
    out = subprocess.run([QA, "ask", "What did Erdoğan offer?", "--index", str(index)], capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "vectors.faiss is truncated or not a FAISS index" in out.stderr and "qa index" in out.stderr
    seeds = seed_index.parent / "seeds"
    out = subprocess.run([QA, "index", "--seeds", str(seeds), "--index", str(index)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([QA, "ask", "What did Erdoğan offer?", "--index", str(index)], capture_output=True, text=True)
    assert out.returncode == 0 and "mediate talks" in out.stdout


SLOW_BUILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests!r})
    from conftest import FakeEncoder
    from qa.indexer import build_index

    class Slow(FakeEncoder):
        def encode(self, texts, progress=None):
            open({marker!r}, "w").close()  # the build is now midway: say so, then dawdle
            time.sleep(60)
            return super().encode(texts, progress)

    build_index({seeds!r}, {index!r}, encoder=Slow(), progress=False)
    """
)


def test_a_build_killed_midway_leaves_the_previous_index_answering(small_index, fake_encoder, tmp_path):
    seeds = tmp_path / "seeds"
    before = read_manifest(small_index)
    write(seeds / "c.txt", "Otters hold hands while they sleep.")
    marker = tmp_path / "midway"
    script = SLOW_BUILD.format(tests=str(ROOT / "tests"), marker=str(marker), seeds=str(seeds), index=str(small_index))
    build = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while not marker.exists() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the build never reached the embedding step"
    assert any(p.name.startswith(".tmp-") for p in small_index.iterdir())
    build.send_signal(signal.SIGKILL)
    build.wait()

    assert read_manifest(small_index) == before
    searcher = _open(small_index, fake_encoder)
    assert searcher.search("honey nectar", k=1)[0].text == "Bees make honey from nectar."
    assert all(h.doc_id != "c.txt" for h in searcher.search("otters sleep", k=5))

    report = build_index(seeds, small_index, encoder=fake_encoder, progress=False)
    assert report.added == ("c.txt",) and report.embedded == 1
    assert not any(p.name.startswith(".tmp-") for p in small_index.iterdir())
    assert _open(small_index, fake_encoder).search("otters sleep", k=1)[0].doc_id == "c.txt"


def test_odd_questions_get_clear_answers(seed_searcher):
    conv = Conversation(searcher=seed_searcher)
    for empty in ["", "   \n\t ", "\x00\x01\x02"]:
        with pytest.raises(InputError, match="empty"):
            conv.ask(empty)
    # Cut to its end, where a question pasted after its background asks: cut to its start, the
    # background was searched and "Read more about the … crisis here." quoted.
    long = "I am a journalist writing about the talks and I need the facts. " * 40 + "What did Erdoğan offer?"
    answer = conv.ask(long)
    assert "cut to its last 1000 characters" in answer.text and "Erdoan also offered" in answer.quotes[0].text
    odd = conv.ask("Wh\u200bat did Erdo\u0301gan \U0001f600 offer\x07?")
    assert odd.quotes and all(h.text in h.context_before + h.text + h.context_after for h in odd.quotes)
    rtl = conv.ask("ما هو حلف الناتو؟ NATO")
    assert rtl.quotes


def test_k_of_zero_or_ten_thousand_or_not_a_whole_number(seed_searcher):
    for k in (0, 10_000):
        with pytest.raises(InputError, match=f"k must be from 1 to 100 \\(got {k}\\)"):
            seed_searcher.search("NATO", k=k)
    for k in ("many", "5", 2.5, True, float("nan")):
        with pytest.raises(InputError, match="whole number"):
            seed_searcher.search("NATO", k=k)
    assert 50 < len(seed_searcher.search("NATO", k=100)) <= 100 and len(seed_searcher.search("NATO", k=3.0)) == 3
    # The command refuses zero the same way, rather than taking it for its default.
    out = subprocess.run(
        [QA, "ask", "NATO", "-k", "0", "--index", str(seed_searcher.index)], capture_output=True, text=True
    )
    assert out.returncode != 0 and "k must be from 1 to 100 (got 0)" in out.stderr


def test_an_index_path_that_cannot_be_written_says_so_and_a_read_only_index_still_answers(tmp_path, caplog):
    import qa

    seeds = write(tmp_path / "seeds" / "a.txt", "The harbour froze in January. Ships waited outside the port.").parent
    blocker = write(tmp_path / "taken", "a file where the index folder should be")
    with pytest.raises(qa.IndexNotWritable, match="is a file, not a folder: pass another --index"):
        qa.build_index(seeds, blocker, progress=False)
    out = subprocess.run([QA, "index", "--seeds", str(seeds), "--index", str(blocker)], capture_output=True, text=True)
    assert out.returncode != 0
    assert out.stderr.strip() == f"qa: error: {blocker} is a file, not a folder: pass another --index"
    # Adding to it or removing from it, the same, before a file is copied into the seeds folder.
    note = write(tmp_path / "note.txt", "The ferry runs twice a day.")
    for command in (["add", str(note)], ["remove", "a.txt"]):
        out = subprocess.run(
            [QA, *command, "--seeds", str(seeds), "--index", str(blocker)], capture_output=True, text=True
        )
        assert out.returncode != 0
        assert out.stderr.strip() == f"qa: error: {blocker} is a file, not a folder: pass another --index"
    assert not (seeds / "uploads").exists() and (seeds / "a.txt").exists()
    # Asked of it, the same, and nothing is said about building an index there first.
    out = subprocess.run([QA, "ask", "harbour", "--index", str(blocker)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode != 0
    assert (
        out.stderr.strip()
        == f"qa: error: {blocker} is a file, not an index folder: pass the folder (--index, or index= in Python)"
    )

    index = tmp_path / "index"
    qa.build_index(seeds, index, progress=False)
    # Writing needs the lock file; a folder in its place fails as a read-only folder does
    # (permissions cannot be tested as root).
    (index / ".lock").unlink()
    (index / ".lock").mkdir()
    write(seeds / "b.txt", "Bees make honey from nectar.")
    hits = qa.search("When did the harbour freeze?", k=1, index=index)
    assert hits[0].text == "The harbour froze in January."
    assert "cannot write the index folder" in caplog.text and "answering from the index as it is" in caplog.text
    # Not tried again, and not warned about again, until the seeds change again.
    time.sleep(SEEDS_CHECK_SECONDS)
    caplog.clear()
    assert qa.search("When did the harbour freeze?", k=1, index=index)[0].text == hits[0].text
    assert "cannot write" not in caplog.text


def test_an_index_built_by_an_older_qa_is_rebuilt_and_says_so(tmp_path, caplog):
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    write(seeds / "a.txt", "Otters hold hands. They sleep on water.")
    build_index(seeds, index, progress=False)

    def age(folder: Path) -> None:
        path = folder / "manifest.json"
        path.write_text(path.read_text().replace("lexical ", "lexical 0, was "), encoding="utf-8")

    age(index)
    with caplog.at_level("INFO", logger="qa"):
        open_index(index)
    assert f"the index in {index} was built by an older qa: rebuilding it from {seeds}" in caplog.text
    assert "lexical 0" not in read_manifest(index).pipeline

    # With its seeds folder gone it still answers, and says once that it is out of date.
    shutil.copytree(index, tmp_path / "kept")
    age(tmp_path / "kept")
    shutil.rmtree(seeds)
    caplog.clear()
    with caplog.at_level("INFO", logger="qa"):
        assert open_index(tmp_path / "kept").search("Do otters hold hands?", 1)
    assert caplog.text.count("was built by an older qa") == 1 and "rebuild it to match this qa" in caplog.text


def test_rebuilding_for_a_newer_qa_embeds_only_sentences_it_has_not_seen(tmp_path):
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    write(seeds / "a.txt", "Otters hold hands. They sleep on water.")
    write(seeds / "b.txt", "Beavers build dams. Their teeth never stop growing.")
    assert build_index(seeds, index, progress=False).embedded == 4
    before = {h.text: h.score for h in open_index(index, build=False).search("Do otters hold hands?", 4)}

    manifest = index / "manifest.json"
    manifest.write_text(manifest.read_text().replace("lexical ", "lexical 0, was "), encoding="utf-8")
    write(seeds / "b.txt", "Beavers build dams. Their teeth never stop growing. They mate for life.")
    report = build_index(seeds, index, progress=False)
    assert (report.sentences, report.embedded) == (5, 1)  # only the new sentence
    assert "lexical 0" not in read_manifest(index).pipeline
    after = {h.text: h.score for h in open_index(index, build=False).search("Do otters hold hands?", 4)}
    assert after["Otters hold hands."] == pytest.approx(before["Otters hold hands."], abs=0.02)


def test_a_first_build_from_a_folder_with_nothing_to_read_is_announced_once(tmp_path, caplog):
    """A chat over an empty folder tries to build at every page load: it said so a dozen times."""
    (tmp_path / "seeds").mkdir()
    with caplog.at_level(logging.INFO, logger="qa"):
        for _ in range(3):
            with pytest.raises(qa.QAError):
                open_index(tmp_path / "index", seeds=tmp_path / "seeds")
    assert sum("yet: building one from" in r.getMessage() for r in caplog.records) == 1

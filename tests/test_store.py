"""The index folder: save/load round trip, the manifest check, and incremental updates."""

import contextlib
import json
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import write
from qa import indexer, ingest
from qa.errors import IndexNotWritable, IndexProblem, InputError, SeedsError
from qa.indexer import add_files, build_index, remove_document
from qa.ingest import settled
from qa.retrieve import Searcher, open_index
from qa.store import FORMAT_VERSION, data_folder, read_manifest

DOC_A = (
    "Title A\n20220127\nhttps://example.org/a\n"
    "The harbour froze in January. Ships waited outside.\nFishermen sold ice.\n"
)
DOC_B = "# Notes on bees\n\nBees make honey from nectar. Hives hold thousands of bees.\n"


@pytest.fixture
def small(tmp_path, fake_encoder):
    seeds = tmp_path / "seeds"
    write(seeds / "a.txt", DOC_A)
    write(seeds / "sub" / "b.md", DOC_B)
    report = build_index(seeds, tmp_path / "index", encoder=fake_encoder, progress=False)
    return seeds, tmp_path / "index", report


def test_round_trip_keeps_every_sentence_and_its_source(small, fake_encoder):
    seeds, index, report = small
    assert (report.documents, report.sentences, report.embedded) == (2, 5, 5)
    manifest = read_manifest(index)
    assert manifest.format == FORMAT_VERSION
    assert (manifest.model, manifest.encoder, manifest.dimension) == ("fake-hash-64", "fake", 64)
    assert (manifest.documents, manifest.sentences, manifest.index_kind) == (2, 5, "flat")
    assert set(manifest.document_hashes) == {"a.txt", "sub/b.md"}
    folder = data_folder(index, manifest)
    assert sorted(p.name for p in folder.iterdir()) == ["corpus.sqlite", "lexical", "vectors.faiss"]
    assert not list(folder.rglob("*.pkl")) and not list(folder.rglob("*.pickle"))

    searcher = Searcher(index, manifest, encoder=fake_encoder)
    hits = searcher.search("Bees make honey from nectar", k=5)
    top = hits[0]
    assert top.text == "Bees make honey from nectar."
    assert (top.doc_id, top.title, top.section, top.position) == ("sub/b.md", "Notes on bees", "Notes on bees", 0)
    assert top.context_after == "Hives hold thousands of bees."
    assert top.context_before == ""
    source = (seeds / "sub" / "b.md").read_text()
    assert all(h.text in (seeds / h.doc_id).read_text() for h in hits)
    assert top.text in source
    ice = searcher.search("fishermen ice", k=1)[0]
    assert (ice.title, ice.date, ice.url, ice.position, ice.paragraph) == (
        "Title A",
        "2022-01-27",
        "https://example.org/a",
        2,
        1,
    )


def test_vectors_saved_are_the_vectors_loaded(small, fake_encoder):
    _, index, _ = small
    searcher = Searcher(index, read_manifest(index), encoder=fake_encoder)
    texts = {i: s.text for i, s in searcher.corpus.sentences(searcher.layout.ids).items()}
    stored = searcher.vectors.vectors(searcher.layout.ids)
    expected = fake_encoder.encode([texts[int(i)] for i in searcher.layout.ids])
    np.testing.assert_allclose(stored, expected, atol=1e-6)


def test_a_different_model_is_refused_with_the_rebuild_command(small):
    _, index, _ = small
    with pytest.raises(IndexProblem, match=r"built with model 'fake-hash-64'.*qa index --index .* --model bundled"):
        open_index(index, model="bundled", build=False)


def test_damaged_manifest_and_wrong_dimension_are_reported(small, fake_encoder):
    _, index, _ = small
    path = index / "manifest.json"
    raw = json.loads(path.read_text())
    path.write_text(json.dumps({**raw, "dimension": 128}))
    with pytest.raises(IndexProblem, match="128.*qa index"):
        Searcher(index, read_manifest(index), encoder=fake_encoder)
    path.write_text(json.dumps({**raw, "format": 99}))
    with pytest.raises(IndexProblem, match="format 99.*qa index"):
        read_manifest(index)
    path.write_text("{ not json")
    with pytest.raises(IndexProblem, match="manifest.json is damaged"):
        read_manifest(index)


def test_only_changed_documents_are_embedded_again(small, fake_encoder):
    seeds, index, _ = small
    old = read_manifest(index)
    write(seeds / "c.txt", "Otters hold hands while they sleep.")
    (seeds / "sub" / "b.md").write_text(DOC_B + "\nQueens lay eggs.\n")
    (seeds / "a.txt").unlink()
    report = build_index(seeds, index, encoder=fake_encoder, progress=False)
    assert (report.added, report.changed, report.removed) == (("c.txt",), ("sub/b.md",), ("a.txt",))
    assert report.embedded == 1 + 1  # b.md's two sentences as they were keep their vectors
    assert report.sentences == 4
    manifest = read_manifest(index)
    assert manifest.data != old.data and not (index / old.data).exists()
    searcher = Searcher(index, manifest, encoder=fake_encoder)
    assert searcher.search("otters sleep", k=1)[0].text == "Otters hold hands while they sleep."
    assert all(h.doc_id != "a.txt" for h in searcher.search("harbour froze", k=4))
    again = build_index(seeds, index, encoder=fake_encoder, progress=False)
    assert again.embedded == 0 and again.sentences == 4
    assert read_manifest(index).data == manifest.data  # nothing changed: no new data folder
    # A file moved into a folder keeps its vectors (371 sentences of a report were embedded again).
    (seeds / "archive").mkdir()
    (seeds / "c.txt").rename(seeds / "archive" / "c.txt")
    moved = build_index(seeds, index, encoder=fake_encoder, progress=False)
    assert (moved.added, moved.removed, moved.embedded) == (("archive/c.txt",), ("c.txt",), 0)


@pytest.fixture
def settled_at_once(monkeypatch):
    """Files trusted as soon as they are looked at: a file's change time (set by any write, and
    by utime) cannot be put back, and a test would wait two seconds for it to settle."""
    monkeypatch.setattr(ingest, "SETTLE_NS", 0)


def _same_size_change(path: Path, old: str, new: str) -> None:
    """Other words of the same length, the file's modification time left as it was."""
    stat = path.stat()
    text = path.read_text()
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_build_reads_only_the_files_changed_since_the_last(small, fake_encoder, monkeypatch, settled_at_once):
    """Every build read every file: at a few hundred pages, most of an update's time. A file
    whose size, modification time, inode and change time are as the last build saw them is
    taken as unchanged and not read; any write changes its change time, which no one can set
    back (a same-size edit with its modification time put back is read)."""
    seeds, index, _ = small
    raw = json.loads((index / "manifest.json").read_text())
    del raw["document_stats"]  # as an older qa wrote it: read, and its index not rebuilt
    (index / "manifest.json").write_text(json.dumps(raw))
    assert build_index(seeds, index, encoder=fake_encoder, progress=False).embedded == 0  # records the stats
    assert set(read_manifest(index).document_stats) == {"a.txt", "sub/b.md"}
    read = []
    real_read = ingest.read_file
    monkeypatch.setattr(ingest, "read_file", lambda folder, path: read.append(path.name) or real_read(folder, path))
    _same_size_change(seeds / "a.txt", "Fishermen", "Fishwives")
    report = build_index(seeds, index, encoder=fake_encoder, progress=False)
    assert read == ["a.txt"]
    assert (report.added, report.changed, report.removed, report.embedded) == ((), ("a.txt",), (), 1)
    searcher = Searcher(index, read_manifest(index), encoder=fake_encoder)
    assert searcher.search("Fishwives sold ice", k=1)[0].text == "Fishwives sold ice."
    read.clear()
    assert build_index(seeds, index, encoder=fake_encoder, progress=False).embedded == 0
    assert read == []


def test_a_file_written_just_before_a_build_is_read_again_by_the_next(small, fake_encoder):
    """Its size and time may not tell a second change within the same tick of the clock."""
    seeds, index, _ = small  # built right after its files were written
    assert read_manifest(index).document_stats == {}
    _same_size_change(seeds / "a.txt", "Fishermen", "Fishwives")
    report = build_index(seeds, index, encoder=fake_encoder, progress=False)
    assert report.changed == ("a.txt",)


def test_files_left_unread_are_read_when_every_document_is_embedded_again(small, fake_encoder, settled_at_once):
    """Another back end embeds every document again, those the build did not read too."""
    seeds, index, _ = small
    build_index(seeds, index, encoder=fake_encoder, progress=False)

    class Other(type(fake_encoder)):
        kind = "fake-other"

    report = build_index(seeds, index, encoder=Other(), progress=False)
    assert (report.embedded, report.sentences) == (5, 5)
    assert read_manifest(index).encoder == "fake-other"


def test_two_files_of_one_size_and_time_swapped_by_name_are_read_again(small, fake_encoder, settled_at_once):
    """Unpacked from one archive, two files share a size and a time: swapped by name, neither
    was read again, and one's quotes showed under the other's name (a review's). Their inodes
    tell them apart."""
    seeds, index, _ = small
    write(seeds / "draft.txt", "The pier was undermined by scour.\n")
    write(seeds / "final.txt", "The pier was repaired by a diver.\n")
    assert (seeds / "draft.txt").stat().st_size == (seeds / "final.txt").stat().st_size
    for name in ("draft.txt", "final.txt"):
        os.utime(seeds / name, (1_700_000_000, 1_700_000_000))
    build_index(seeds, index, encoder=fake_encoder, progress=False)
    build_index(seeds, index, encoder=fake_encoder, progress=False)  # records the settled stats
    (seeds / "draft.txt").rename(seeds / "swap.txt")
    (seeds / "final.txt").rename(seeds / "draft.txt")
    (seeds / "swap.txt").rename(seeds / "final.txt")
    report = build_index(seeds, index, encoder=fake_encoder, progress=False)
    assert report.changed == ("draft.txt", "final.txt")
    searcher = Searcher(index, read_manifest(index), encoder=fake_encoder)
    assert searcher.search("pier repaired diver", k=1)[0].doc_id == "draft.txt"


def test_a_file_left_unread_that_another_build_found_changed_is_read(small, fake_encoder, monkeypatch, settled_at_once):
    """A build looks at the files before it takes the lock; another build that commits in
    between may record another content for a file the first left unread, which then crashed
    the first (`'Unread' object has no attribute 'blocks'`, a review's)."""
    seeds, index, _ = small
    build_index(seeds, index, encoder=fake_encoder, progress=False)
    build_index(seeds, index, encoder=fake_encoder, progress=False)  # records the settled stats
    real, first = indexer.locked, []

    @contextlib.contextmanager
    def after_another_build(path):
        if not first:
            first.append(True)
            (seeds / "a.txt").write_text(DOC_A.replace("Fishermen sold ice.", "Fishermen sold salt."))
            build_index(seeds, index, encoder=fake_encoder, progress=False)
        with real(path):
            yield

    monkeypatch.setattr(indexer, "locked", after_another_build)
    build_index(seeds, index, encoder=fake_encoder, progress=False)
    searcher = Searcher(index, read_manifest(index), encoder=fake_encoder)
    assert "Fishermen sold salt." in [h.text for h in searcher.search("Fishermen sold salt", k=5)]


def test_a_files_stats_are_trusted_by_when_they_were_taken_not_when_the_build_ends():
    """A file saved a second before a build that took longer was trusted as settled: saved
    again within its clock's tick, it was never read again (a review's)."""
    taken = time.time_ns()
    stats = {"a.txt": f"10:{taken - 1_000_000_000}:1:1", "b.txt": f"10:{taken - 5_000_000_000}:2:2"}
    assert set(settled(stats, taken)) == {"b.txt"}
    assert set(settled(stats, taken + 60_000_000_000)) == {"a.txt", "b.txt"}


def test_a_folder_holding_what_qa_did_not_write_is_no_index_folder(tmp_path, fake_encoder, caplog):
    """`qa index --seeds data-articles --index .` deleted the documents' folder as an old data
    folder, and a project's own manifest.json was overwritten (a developer's)."""
    project = tmp_path / "project"
    write(project / "data-articles" / "a.txt", DOC_A)
    write(project / "data-articles" / "empty.txt", "")  # skipped, with a warning, by a build
    with caplog.at_level(logging.WARNING, logger="qa"), pytest.raises(IndexNotWritable, match="did not write"):
        build_index(project / "data-articles", project, encoder=fake_encoder, progress=False)
    assert not caplog.records  # refused before the documents were read and warned about
    (project / "data-articles" / "empty.txt").unlink()
    assert (project / "data-articles" / "a.txt").read_text() == DOC_A
    write(tmp_path / "list" / "manifest.json", "[1, 2]")  # JSON, but no manifest of qa's either
    with pytest.raises(IndexNotWritable, match="not an index manifest"):
        build_index(project / "data-articles", tmp_path / "list", encoder=fake_encoder, progress=False)
    write(tmp_path / "app" / "manifest.json", '{"name": "my-web-app"}')
    with pytest.raises(IndexNotWritable, match="not an index manifest"):
        build_index(project / "data-articles", tmp_path / "app", encoder=fake_encoder, progress=False)
    assert (tmp_path / "app" / "manifest.json").read_text() == '{"name": "my-web-app"}'
    with pytest.raises(IndexNotWritable):  # nothing copied into the seeds folder either
        add_files([project / "data-articles" / "a.txt"], tmp_path / "seeds", project, encoder=fake_encoder)
    assert not (tmp_path / "seeds").exists()
    # In an index of qa's, a folder qa did not make is let be by a build, however it is named.
    index = tmp_path / "index"
    build_index(project / "data-articles", index, encoder=fake_encoder, progress=False)
    (index / "data-science").mkdir()
    write(project / "data-articles" / "b.md", DOC_B)
    build_index(project / "data-articles", index, encoder=fake_encoder, progress=False)
    assert (index / "data-science").is_dir()


def test_an_upload_folder_that_cannot_be_made_says_so(small, fake_encoder, tmp_path):
    """`qa add` into a seeds folder where uploads/ cannot be made gave "unexpected error:
    PermissionError: … 'rs/uploads'" (a developer's); here a file stands in its place."""
    seeds, index, _ = small
    (seeds / "uploads").write_text("not a folder")
    write(tmp_path / "new.txt", "Otters hold hands while they sleep.")
    with pytest.raises(SeedsError, match="cannot write in the seeds folder"):
        add_files([tmp_path / "new.txt"], seeds, index, encoder=fake_encoder)


def test_a_bar_shows_as_asked_and_never_unasked(tmp_path, fake_encoder, capfd):
    """build_index(progress=…) was not passed on: a bar showed in a terminal when told not to."""
    write(tmp_path / "seeds" / "a.txt", DOC_A)
    build_index(tmp_path / "seeds", tmp_path / "index", encoder=fake_encoder, progress=True)
    assert "Embedding sentences" in capfd.readouterr().err
    write(tmp_path / "seeds" / "b.txt", DOC_B)
    build_index(tmp_path / "seeds", tmp_path / "index", encoder=fake_encoder, progress=False)
    assert capfd.readouterr().err == ""


def test_an_index_whose_folder_cannot_be_written_says_so_and_still_answers(small, fake_encoder, monkeypatch):
    """A read-only index folder raised a bare PermissionError, in the library and the CLI."""
    seeds, index, _ = small
    real = Path.mkdir

    def refuse(self, *args, **kwargs):
        if self.name.startswith(".tmp-"):
            raise PermissionError(1, "Operation not permitted")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    write(seeds / "c.txt", "Otters hold hands while they sleep.")
    with pytest.raises(IndexNotWritable, match="cannot write the index folder.*make it writable"):
        build_index(seeds, index, encoder=fake_encoder, progress=False)
    searcher = Searcher(index, read_manifest(index), encoder=fake_encoder)
    assert searcher.search("harbour froze", k=1)  # the index as it was still answers
    # A file only touched changes no document, but the manifest must say the seeds were seen.
    (seeds / "c.txt").unlink()
    os.utime(seeds / "a.txt", ns=(1, 1))
    real_write = Path.write_text

    def no_manifest(self, *args, **kwargs):
        if self.name.startswith(".manifest.json."):
            raise PermissionError(1, "Operation not permitted")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", no_manifest)
    with pytest.raises(IndexNotWritable, match="cannot write the index folder"):
        build_index(seeds, index, encoder=fake_encoder, progress=False)
    assert not list(index.glob(".manifest.json.*"))

    # Nor can a file be added to a seeds folder that cannot be written.
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(shutil, "copyfile", read_only)
    with pytest.raises(SeedsError, match="cannot write in the seeds folder .*uploads .*make it writable"):
        add_files([write(seeds.parent / "new.txt", "Seals sleep in the water.")], seeds, index, encoder=fake_encoder)


def test_removing_a_document_keeps_the_model_the_index_was_built_with(small):
    seeds, index, _ = small
    report = remove_document("a.txt", seeds, index)
    assert report.removed == ("a.txt",) and report.embedded == 0
    assert read_manifest(index).model == "fake-hash-64"  # not rebuilt with the bundled model
    assert not (seeds / "a.txt").exists()
    with pytest.raises(InputError, match="only document"):
        remove_document("sub/b.md", seeds, index)
    with pytest.raises(InputError, match="no document"):
        remove_document("sub/missing.md", seeds, index)


def test_paragraph_bm25_counts_only_allowed_documents(small, fake_encoder):
    _, index, _ = small
    searcher = Searcher(index, read_manifest(index), encoder=fake_encoder)
    terms = [w.term for w in searcher.words("harbour ships bees honey") if w.term]
    everywhere = searcher.lexical.paragraph_scores(terms)
    assert (everywhere > 0).sum() >= 2
    only_a = np.array([d == searcher.layout.doc_ids.index("a.txt") for d in searcher.layout.doc], dtype=np.float32)
    masked = searcher.lexical.paragraph_scores(terms, only_a)
    allowed_paragraphs = set(np.asarray(searcher.lexical.paragraph)[only_a > 0].tolist())
    assert all(masked[p] == 0 for p in range(len(masked)) if p not in allowed_paragraphs)
    assert all(masked[p] == everywhere[p] for p in allowed_paragraphs)


def test_two_uploads_with_one_name_are_refused_before_anything_is_copied(small, fake_encoder, tmp_path):
    seeds, index, _ = small
    first = write(tmp_path / "one" / "notes.md", "# One\n\nFirst note.\n")
    second = write(tmp_path / "two" / "notes.md", "# Two\n\nSecond note.\n")
    with pytest.raises(InputError, match="both be stored as uploads/notes.md"):
        add_files([first, second], seeds, index, encoder=fake_encoder)
    assert not (seeds / "uploads" / "notes.md").exists()


def test_an_index_inside_its_seeds_folder_is_refused(tmp_path, fake_encoder):
    """Its files would be read back as documents, or skipped with a warning, at every build."""
    seeds = tmp_path / "docs"
    write(seeds / "a.txt", "Otters hold hands while they sleep.")
    for index in (seeds, seeds / "index"):
        with pytest.raises(InputError, match="would be inside the seeds folder .*: put it beside the folder"):
            build_index(seeds, index, encoder=fake_encoder, progress=False)
    assert sorted(p.name for p in seeds.iterdir()) == ["a.txt"]
    # A hidden folder in it is not read as seeds, so it may hold the index.
    build_index(seeds, seeds / ".qa-index", encoder=fake_encoder, progress=False)
    assert read_manifest(seeds / ".qa-index").documents == 1


def test_a_search_given_the_seeds_folder_as_its_index_says_so_before_building(tmp_path, monkeypatch, caplog):
    """`qa ask "who" --index seeds` said it was building an index, then that it could not."""
    import logging

    import qa

    write(tmp_path / "seeds" / "a.txt", "Otters hold hands while they sleep.")
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.INFO, logger="qa"), pytest.raises(InputError, match="inside the seeds folder"):
        qa.search("Who sleeps?", index="seeds")
    assert not caplog.records

"""`qa add`, `qa remove` and `qa ask`'s filters as a user runs them: real processes, real model."""

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import qa
from conftest import write
from qa import cli
from qa.formats import supported_suffixes
from qa.indexer import add_files, remove_document

QA = str(Path(sys.executable).parent / "qa")
FIXTURES = Path(__file__).resolve().parent / "fixtures"

JANUARY = "The ferry left the harbour at noon because of the fog."
MARCH = "The ferry left the harbour at dawn to beat the storm."


@pytest.fixture
def collection(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """Two news documents with different dates, indexed with the real model: (seeds, index).

    The commands run in an empty folder, so one that wrongly falls back on ./seeds fails."""
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    monkeypatch.chdir(write(tmp_path / "elsewhere" / "README", "not a seeds folder").parent)
    write(
        seeds / "harbour-january.txt",
        f"Harbour log, January\n20240105\nhttps://port.example.org/log/january\n{JANUARY}\n"
        "Two trawlers stayed in port all week.\n",
    )
    write(
        seeds / "harbour-march.txt",
        f"Harbour log, March\n20240310\nhttps://port.example.org/log/march\n{MARCH}\n"
        "The lifeboat crew trained on Tuesday.\n",
    )
    out = run("index", "--seeds", str(seeds), "--index", str(index))
    assert out.returncode == 0, out.stderr
    return seeds, index


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([QA, *args], capture_output=True, text=True, timeout=300)


def ask(index: Path, question: str, *options: str) -> dict:
    out = run("ask", question, "--json", "-k", "5", "--index", str(index), *options)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def one_line_error(out) -> str:
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().count("\n") == 0, out.stderr
    return out.stderr


def test_add_a_markdown_note_and_a_text_file_embeds_only_them_and_ask_quotes_them(collection, tmp_path):
    seeds, index = collection
    note = write(tmp_path / "in" / "Quokka census.md", "# Quokka census\n\nThe census counted 412 quokkas.\n")
    otters = write(tmp_path / "in" / "otters.txt", "Sea otters hold hands while they sleep. They float on kelp.\n")

    out = run("add", str(note), str(otters), "--index", str(index))  # no --seeds: the index's own folder

    assert out.returncode == 0, out.stderr
    added, otters_added, summary = out.stdout.splitlines()
    assert added == "added uploads/Quokka census.md: “Quokka census”, 1 sentence"
    assert otters_added == "added uploads/otters.txt: “otters”, 2 sentences"
    assert summary.startswith(f"The index in {index}/ holds 4 documents, 7 sentences (3 embedded in ")
    assert (seeds / "uploads" / "Quokka census.md").read_bytes() == note.read_bytes()
    assert ask(index, "How many quokkas were counted?")["quotes"][0]["text"] == "The census counted 412 quokkas."
    assert ask(index, "How do otters sleep?")["quotes"][0]["text"] == "Sea otters hold hands while they sleep."
    listed = run("documents", "--index", str(index), "--seeds", str(seeds)).stdout  # --seeds as other commands
    assert "uploads/Quokka census.md\t-\t1 sentence\tQuokka census" in listed

    again = run("add", str(note), "--index", str(index))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == "unchanged uploads/Quokka census.md: “Quokka census”, 1 sentence"
    assert "(0 embedded" in again.stdout
    assert "qa: note" not in out.stderr + again.stderr

    # Without an index there, a new collection is started, and said to be.
    fresh = run("add", str(note), "--index", str(tmp_path / "forgot"), "--seeds", str(tmp_path / "new-seeds"))
    assert fresh.returncode == 0, fresh.stderr
    assert f"qa: note: there was no index in {tmp_path / 'forgot'}/, so this started one" in fresh.stderr


def test_add_refuses_a_program_a_missing_file_and_a_folder_in_one_line(collection, tmp_path):
    seeds, index = collection
    program = write(tmp_path / "setup.exe", b"MZ\x90\x00")
    err = one_line_error(run("add", str(program), "--index", str(index)))
    assert err.startswith(f"qa: error: nothing was added: {program}: qa does not read .exe files (it reads ")
    assert ".md" in err and ".pdf" in err
    err = one_line_error(run("add", str(tmp_path / "missing.md"), "--index", str(index)))
    missing = tmp_path / "missing.md"
    assert err.strip() == f"qa: error: {missing}: no such file: check the name and the folder you are in"
    err = one_line_error(run("add", str(tmp_path), str(tmp_path / "gone.md"), "--index", str(index)))
    assert f"{tmp_path}: a folder, not a file" in err and f"{tmp_path / 'gone.md'}: no such file" in err
    assert not (seeds / "uploads").exists()


def test_add_adds_what_it_can_and_names_what_it_cannot_read(collection, tmp_path):
    seeds, index = collection
    good = write(tmp_path / "good.md", "# Gulls\n\nGulls nest on the harbour roofs.\n")
    binary = write(tmp_path / "scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    program = write(tmp_path / "setup.exe", b"MZ\x90\x00")

    out = run("add", str(good), str(binary), str(program), str(tmp_path / "gone.md"), "--index", str(index))

    assert out.returncode == 1  # a script learns that not everything was added
    assert out.stderr.splitlines() == [
        f"qa: warning: not added {tmp_path / 'gone.md'}: no such file: check the name and the folder you are in",
        f"qa: warning: not added {binary}: cannot be read (binary file)",
        f"qa: warning: not added {program}: qa does not read .exe files (it reads {', '.join(supported_suffixes())})",
    ]
    assert out.stdout.splitlines()[0] == "added uploads/good.md: “Gulls”, 1 sentence"
    assert "holds 3 documents" in out.stdout
    assert sorted(p.name for p in (seeds / "uploads").iterdir()) == ["good.md"]
    assert "harbour roofs" in ask(index, "Where do gulls nest?")["quotes"][0]["text"]

    err = one_line_error(run("add", str(binary), "--index", str(index)))
    assert err.strip() == f"qa: error: nothing was added: {binary}: cannot be read (binary file)"
    # A file the collection holds already, under another name, would be a second copy of it.
    err = one_line_error(run("add", str(seeds / "harbour-march.txt"), "--index", str(index)))
    assert err.strip() == (
        f"qa: error: nothing was added: {seeds / 'harbour-march.txt'}: the same file is already in the collection as "
        "harbour-march.txt"
    )
    # A file that cannot be read, put under uploads/ by hand, is skipped by every build: it can
    # be removed like a document.
    write(seeds / "uploads" / "scan.txt", binary.read_bytes())
    out = run("remove", "uploads/scan.txt", "--index", str(index))
    assert out.returncode == 0, out.stderr
    said = out.stdout.splitlines()[0]
    assert said == "removed uploads/scan.txt, a file that was skipped or left out, not in the index"
    assert not (seeds / "uploads" / "scan.txt").exists()
    # So can an empty file put in the seeds folder itself (its warning came at every build).
    write(seeds / "empty.txt", "")
    out = run("remove", "empty.txt", "--index", str(index))
    assert out.returncode == 0, out.stderr
    assert "skipped" not in run("documents", "--index", str(index)).stderr and not (seeds / "empty.txt").exists()


def test_remove_takes_a_document_out_of_the_list_and_the_answers(collection, tmp_path):
    seeds, index = collection
    note = write(tmp_path / "quokkas.md", "# Quokka census\n\nThe census counted 412 quokkas.\n")
    assert run("add", str(note), "--index", str(index)).returncode == 0
    assert "412 quokkas" in ask(index, "How many quokkas were counted?")["quotes"][0]["text"]

    out = run("remove", "uploads/quokkas.md", "--index", str(index))

    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "removed uploads/quokkas.md: “Quokka census”, 1 sentence",
        f"The index in {index}/ holds 2 documents, 4 sentences.",
    ]
    assert not (seeds / "uploads").exists()  # qa made it for uploads; with none left, it goes too
    assert "quokkas" not in run("documents", "--index", str(index)).stdout
    answer = ask(index, "How many quokkas were counted?")
    assert answer["quotes"] and all("quokka" not in q["text"] for q in answer["quotes"])

    err = one_line_error(run("remove", "uploads/quokkas.md", "--index", str(index)))
    assert "no document 'uploads/quokkas.md' in the index" in err
    assert "its documents are harbour-january.txt, harbour-march.txt" in err


def test_a_file_named_on_a_mac_is_found_by_its_name_as_typed(collection):
    """A Mac writes "Peñalara" as "Pen" and a combining tilde: the id typed with "ñ" matched
    nothing ("no document 'Peñalara notas.md'; did you mean Peñalara notas.md?")."""
    seeds, index = collection
    decomposed = unicodedata.normalize("NFD", "Peñalara notas.md")
    write(seeds / decomposed, "# Notas\n\nThe Peñalara lagoon freezes every winter.\n")
    assert run("index", "--index", str(index)).returncode == 0
    answer = ask(index, "When does the lagoon freeze?", "--document", "Peñalara notas.md")
    assert "freezes every winter" in answer["quotes"][0]["text"]
    out = run("remove", "Peñalara notas.md", "--index", str(index))
    assert out.returncode == 0, out.stderr
    assert not (seeds / decomposed).exists()
    # Both spellings there: the one typed exactly is the one meant.
    write(seeds / decomposed, "# Notas\n\nThe lagoon thaws in May.\n")
    write(seeds / "Peñalara notas.md", "# Notas\n\nThe lagoon is 2,017 metres up.\n")
    assert run("index", "--index", str(index)).returncode == 0
    assert run("remove", "Peñalara notas.md", "--index", str(index)).returncode == 0
    assert (seeds / decomposed).exists() and not (seeds / "Peñalara notas.md").exists()


def test_remove_deletes_a_word_processors_file_the_builds_warn_about(collection):
    """Every command warned "left out minutes.docx: qa does not read .docx files", and `qa
    remove minutes.docx` answered that there was no such document (a new user's; qa reads
    .docx since, and an .odt is left out as that was)."""
    seeds, index = collection
    write(seeds / "minutes.odt", b"PK\x03\x04 an OpenDocument text")
    warned = run("index", "--index", str(index))
    assert warned.returncode == 0 and "left out minutes.odt" in warned.stderr
    out = run("remove", "minutes.odt", "--index", str(index))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("removed minutes.odt, a file that was skipped or left out, not in the index")
    assert not (seeds / "minutes.odt").exists()
    again = run("index", "--index", str(index))
    assert again.returncode == 0 and "minutes.odt" not in again.stderr


def test_remove_refuses_a_file_that_is_not_an_indexed_document(collection):
    seeds, index = collection
    write(seeds / "keep.exe", b"MZ")
    err = one_line_error(run("remove", "keep.exe", "--index", str(index)))
    assert "no document 'keep.exe'" in err
    assert (seeds / "keep.exe").exists()
    twin = write(seeds / "copy" / "march.txt", (seeds / "harbour-march.txt").read_bytes())  # skipped as a copy
    out = run("remove", "harbour-march.txt", "--index", str(index))
    assert "copy/march.txt, the same file, is indexed in its place (it was skipped as a copy)" in out.stdout
    twin.rename(seeds / "harbour-march.txt")
    assert run("index", "--index", str(index)).returncode == 0
    (seeds / "harbour-march.txt").unlink()  # deleted by hand, still in the index
    err = one_line_error(run("remove", "harbour-march.txt", "--index", str(index)))
    assert "harbour-march.txt is already deleted from the seeds folder; `qa index` drops it" in err


def test_ask_since_and_until_keep_to_documents_dated_in_range(collection):
    _, index = collection
    question = "When did the ferry leave the harbour?"
    both = ask(index, question)
    assert {q["doc_id"] for q in both["quotes"]} == {"harbour-january.txt", "harbour-march.txt"}

    march = ask(index, question, "--since", "2024-03-01")
    assert march["quotes"][0]["text"] == MARCH
    assert {(q["doc_id"], q["date"]) for q in march["quotes"]} == {("harbour-march.txt", "2024-03-10")}
    january = ask(index, question, "--until", "20240131")  # the seeds' own YYYYMMDD form works too
    assert january["quotes"][0]["text"] == JANUARY
    assert {q["date"] for q in january["quotes"]} == {"2024-01-05"}
    day = ask(index, question, "--since", "2024-01-05", "--until", "2024-01-05")
    assert {q["doc_id"] for q in day["quotes"]} == {"harbour-january.txt"}
    assert ask(index, question, "--since", "2025-01-01")["quotes"] == []

    only = ask(index, question, "--document", "harbour-march.txt", "--document", "harbour-january.txt")
    assert {q["text"] for q in only["quotes"]} == {q["text"] for q in both["quotes"]}
    assert {q["doc_id"] for q in ask(index, question, "--document", "harbour-march.txt")["quotes"]} == {
        "harbour-march.txt"
    }

    err = one_line_error(run("ask", question, "--since", "2024-13-01", "--index", str(index)))
    assert "--since '2024-13-01' is no day of the calendar: check the month and the day" in err
    err = one_line_error(run("ask", question, "--since", "2024-03-01", "--until", "2024-01-01", "--index", str(index)))
    assert "wrong way round: 2024-03-01 is after 2024-01-01; swap them" in err
    err = one_line_error(run("ask", question, "--document", "nope.txt", "--index", str(index)))
    assert "no document 'nope.txt' in the index; its documents are harbour-january.txt, harbour-march.txt" in err
    err = one_line_error(run("ask", question, "--document", "harbour-march.md", "--index", str(index)))
    assert "no document 'harbour-march.md' in the index; did you mean harbour-march.txt or harbour-january.txt?" in err


def test_a_date_range_says_which_undated_documents_it_leaves_out(collection):
    seeds, index = collection
    write(seeds / "harbour-notes.txt", "The ferry left the harbour at dawn, the harbour master wrote.")
    assert run("index", "--seeds", str(seeds), "--index", str(index)).returncode == 0
    question = "When did the ferry leave the harbour?"
    assert ask(index, question)["notes"] == []
    march = ask(index, question, "--since", "2024-03-01")
    assert march["notes"] == [
        "Searched only documents dated from 2024-03-01.",
        "1 document has no date and is left out by the date range: harbour-notes.txt.",
    ]
    assert {q["doc_id"] for q in march["quotes"]} == {"harbour-march.txt"}
    later = ask(index, question, "--since", "2025-01-01")
    assert later["notes"][1] == "No document is dated within that range." and later["quotes"] == []
    only = ask(index, question, "--document", "harbour-march.txt")
    assert only["notes"] == ["Searched only “Harbour log, March” (harbour-march.txt)."]


def test_ask_json_and_text_give_the_page_section_and_date_of_a_pdf_quote(collection):
    _, index = collection
    assert run("add", str(FIXTURES / "report.pdf"), "--index", str(index)).returncode == 0

    quote = ask(index, "How long did residents wait for the fire service?", "--document", "uploads/report.pdf")
    first = quote["quotes"][0]
    assert first["text"] == "Residents waited three hours for the fire service."
    assert (first["page"], first["section"], first["date"]) == (2, "Harbour Flood Defences Review", "2024-03-05")
    cost = ask(index, "What would the work cost?", "--document", "uploads/report.pdf")["quotes"][0]
    assert "1.2 million pounds" in cost["text"]
    assert (cost["page"], cost["section"]) == (2, "Recommendations")

    text = run("ask", "What would the work cost?", "-k", "1", "--index", str(index)).stdout
    assert "page 2, section “Recommendations”, paragraph 4, sentence 8 of 9" in text


def test_show_prints_what_qa_read_from_a_document_sentence_by_sentence(collection):
    """A new user checking how a PDF was read had to open the index's SQLite file."""
    _, index = collection
    assert run("add", str(FIXTURES / "report.pdf"), "--index", str(index)).returncode == 0
    shown = run("show", "uploads/report.pdf", "--index", str(index))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert (
        lines[1]
        == "2024-03-05 · 9 sentences · uploads/report.pdf · https://council.example.org/reports/harbour-flood-review"
    )
    assert "[Recommendations]" in lines
    said = [line for line in lines if "Residents waited three hours for the fire service." in line]
    assert len(said) == 1 and " p.2 ¶" in said[0]
    read = json.loads(run("show", "uploads/report.pdf", "--json", "--index", str(index)).stdout)
    assert read["sentences"] == len(read["read"]) == 9
    assert [x["position"] for x in read["read"]] == list(range(9))
    assert "uploads/report.pdf" in one_line_error(run("show", "report", "--index", str(index)))


def test_ask_json_gives_the_section_of_a_markdown_heading(collection, tmp_path):
    _, index = collection
    note = write(
        tmp_path / "census.md",
        "# Quokka census\n\nThe census counted 412 quokkas.\n\n## Methods\n\nVolunteers walked transects at dawn.\n",
    )
    assert run("add", str(note), "--index", str(index)).returncode == 0
    first = ask(index, "Who walked the transects?")["quotes"][0]
    assert (first["text"], first["section"], first["page"]) == ("Volunteers walked transects at dawn.", "Methods", None)


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_every_command_help_has_a_description_and_an_example(command, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    help_text = capsys.readouterr().out
    usage, description = help_text.split("\n\n")[:2]
    assert usage.startswith(f"usage: qa {command}")
    assert description[:1].isupper() and description.rstrip().endswith(".")
    examples = help_text.split("examples:\n")[1]
    assert f"  qa {command}" in examples


def test_add_files_keeps_one_copy_of_a_file_and_checks_against_what_is_there(collection, tmp_path):
    seeds, index = collection
    gulls = "# Gulls\n\nGulls nest on the harbour roofs.\n"
    first, copy = write(tmp_path / "in" / "gulls.md", gulls), write(tmp_path / "in" / "gulls-copy.md", gulls)

    report = add_files([first, copy], seeds, index)

    assert report.added == ("uploads/gulls.md",)
    assert [(r.path, r.reason) for r in report.refused] == [
        (str(copy), "the same file is already in the collection as uploads/gulls.md")
    ]
    again = add_files([first], seeds, index)  # the same upload again is not a copy of itself
    assert not again.refused and not again.added and not again.changed
    # A twin deleted since the last build is no longer in the collection.
    (seeds / "uploads" / "gulls.md").unlink()
    assert add_files([copy], seeds, index).added == ("uploads/gulls-copy.md",)
    # A file put in the seeds folder since the last build is held too: its twin is refused, and
    # nothing is left in uploads/ to be skipped at every build.
    write(seeds / "notes" / "seals.md", "# Seals\n\nSeals rest on the slipway.\n")
    seals = write(tmp_path / "in" / "seals copy.md", "# Seals\n\nSeals rest on the slipway.\n")
    out = run("add", str(seals), "--index", str(index))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"nothing was added: {seals}: the same file is already in the collection as notes/seals.md" in out.stderr
    assert not (seeds / "uploads" / "seals copy.md").exists()
    # An index that cannot be read does not stop an upload: the build after it rebuilds it. A
    # twin is still found, among the files of the seeds folder.
    (index / "manifest.json").write_text("{ damaged", encoding="utf-8")
    terns = write(tmp_path / "in" / "terns.md", "# Terns\n\nTerns nest on the shingle.\n")
    report = add_files([first, terns], seeds, index)
    assert "uploads/terns.md" in report.added and "uploads/gulls.md" not in report.added
    assert [(r.path, r.reason) for r in report.refused] == [
        (str(first), "the same file is already in the collection as uploads/gulls-copy.md")
    ]


def test_a_different_file_of_a_name_already_uploaded_is_refused_unless_it_replaces_it(collection, tmp_path):
    """Two people's "notes.md" are not one document: the second silently took the first's place."""
    seeds, index = collection
    blue = write(tmp_path / "a" / "notes.md", "# Notes A\n\nThe blue team meets on Mondays.\n")
    red = write(tmp_path / "b" / "notes.md", "# Notes B\n\nThe red team meets on Thursdays.\n")
    assert run("add", str(blue), "--index", str(index)).returncode == 0
    out = run("add", str(red), "--index", str(index))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "another file is already stored as uploads/notes.md: rename this one to keep both" in out.stderr
    assert "--replace" in out.stderr
    assert "blue team" in (seeds / "uploads" / "notes.md").read_text()
    out = run("add", str(red), "--replace", "--index", str(index))
    assert out.returncode == 0, out.stderr
    assert "replaced uploads/notes.md: “Notes B”" in out.stdout
    assert "red team" in (seeds / "uploads" / "notes.md").read_text()


def test_remove_takes_only_an_id_as_listed_and_a_skipped_link_not_its_target(collection, tmp_path):
    """Another spelling of an indexed file's path, a hidden file, or a link to an indexed file
    (skipped as its copy) deleted files the index needs."""
    seeds, index = collection
    write(seeds / ".drafts" / "secret.txt", "Not for the index.")
    (seeds / "zz-link.txt").symlink_to(seeds / "harbour-march.txt")
    qa.build_index(seeds, index, progress=False)
    for wrong in ("./harbour-march.txt", "uploads/../harbour-march.txt", ".drafts/secret.txt", "HARBOUR-MARCH.TXT"):
        with pytest.raises(qa.InputError, match="no document"):
            remove_document(wrong, seeds, index)
    assert (seeds / ".drafts" / "secret.txt").exists() and (seeds / "harbour-march.txt").exists()
    remove_document("zz-link.txt", seeds, index)
    assert not (seeds / "zz-link.txt").is_symlink() and (seeds / "harbour-march.txt").is_file()
    assert "harbour-march.txt" in {d.doc_id for d in qa.documents(index=index)}


def test_indexing_another_folder_into_an_index_says_which_documents_it_drops(collection, tmp_path):
    """`qa index --seeds coll/council --index idx` over an index of `coll` removed ten of its
    documents without a word (a new user's finding)."""
    seeds, index = collection
    write(seeds / "council" / "minutes.md", "# Minutes\n\nThe council met on Monday and approved the budget.\n")
    assert run("index", "--seeds", str(seeds), "--index", str(index)).returncode == 0

    out = run("index", "--seeds", str(seeds / "council"), "--index", str(index))

    assert out.returncode == 0, out.stderr
    assert (
        f"qa: warning: the index in {index} was built from {seeds.resolve()}; built from "
        f"{(seeds / 'council').resolve()} now, it drops 3 of its 3 documents (council/minutes.md, "
        "harbour-january.txt, harbour-march.txt); build in another --index folder to keep both"
    ) in out.stderr
    # The same folder, a document deleted: no such warning.
    (seeds / "council" / "minutes.md").unlink()
    write(seeds / "council" / "agenda.md", "# Agenda\n\nThe budget comes first.\n")
    out = run("index", "--seeds", str(seeds / "council"), "--index", str(index))
    assert out.returncode == 0 and "was built from" not in out.stderr, out.stderr

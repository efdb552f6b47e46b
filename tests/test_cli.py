"""The `qa` command as a user runs it: real processes, real index, one-line errors."""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import qa

QA = str(Path(sys.executable).parent / "qa")
ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([QA, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_ask_prints_the_mediation_sentence_with_its_source(seed_index):
    out = run("ask", "What did Erdoğan offer?", "--index", str(seed_index))
    assert out.returncode == 0, out.stderr
    first = out.stdout.split("\n2. ")[0]
    assert "Erdoan also offered to mediate talks between Russia and Ukraine" in out.stdout.split("\n3. ")[0]
    assert "Tensions simmer in UkraineRussia border crisis" in first
    assert "https://edition.cnn.com/europe/live-news/ukraine-russia-news-01-27-22/" in first
    assert "paragraph 30, sentence 40 of 77" in first  # counted from 1, as the chat shows it
    # A quote that is surely not the answer is scored "below 0.01", never a bare "0.00".
    assert "score 0.00" not in out.stdout and "score below 0.01]" in out.stdout
    assert "Traceback" not in out.stderr


def test_ask_json_gives_hits_with_sources(seed_index):
    out = run("ask", "Which countries lead the battlegroups?", "-k", "2", "--json", "--index", str(seed_index))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["found"] is True
    assert len(data["quotes"]) == 2
    assert {"text", "score", "doc_id", "title", "date", "url", "position"} <= set(data["quotes"][0])
    assert any("led by the UK, Canada, Germany" in q["text"] for q in data["quotes"])
    # The reply's parts apart too: the quotes with their sources, and the collapsible context.
    assert data["text"].startswith(data["body"]) and data["context"] in data["text"]
    assert "<details>" not in data["body"]


def test_errors_are_one_line_and_a_non_zero_exit(tmp_path):
    (tmp_path / "empty").mkdir()
    out = run("index", "--seeds", str(tmp_path / "empty"), "--index", str(tmp_path / "index"))
    assert out.returncode != 0
    assert out.stderr.strip().count("\n") == 0
    assert out.stderr.startswith("qa: error: no readable documents in")
    out = run("ask", "anything", "--index", str(tmp_path / "index"), cwd=tmp_path)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and out.stderr.strip().count("\n") == 0
    assert f"no index in {tmp_path / 'index'} and no seeds folder {tmp_path / 'seeds'} to build one from" in out.stderr
    assert "`qa index --seeds DIR --index" in out.stderr


def test_index_reports_what_it_did(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Otters hold hands. They sleep on water.")
    (seeds / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = run("index", "--seeds", str(seeds), "--index", str(tmp_path / "index"))
    assert out.returncode == 0, out.stderr
    assert "Indexed 1 document, 2 sentences" in out.stdout
    assert "qa: warning: skipped bad.txt: binary file" in out.stderr
    again = run("index", "--full", "--seeds", str(seeds), "--index", str(tmp_path / "index"))
    assert "(2 embedded; rebuilt from scratch; 1 skipped)" in again.stdout, again.stdout
    same = run("index", "--seeds", str(seeds), "--index", str(tmp_path / "index"))
    assert "(0 embedded; nothing changed; 1 skipped)" in same.stdout, same.stdout


def test_updating_an_index_reads_the_folder_it_was_built_from(tmp_path):
    """Without --seeds, `qa index` updates an index from its own folder, as `qa add` does: the
    default ./seeds replaced every document of an index built from another one. Where another
    ./seeds is here too (a copied project), it asks which rather than guess; `qa ask` answers
    from the index's own and says so."""
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "a.txt").write_text("Otters hold hands. They sleep on water.")
    index = str(tmp_path / "index")
    assert run("index", "--seeds", str(papers), "--index", index).returncode == 0
    (papers / "b.txt").write_text("Beavers build dams.")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = run("index", "--index", index, cwd=elsewhere)
    assert out.returncode == 0, out.stderr
    assert "Indexed 2 documents" in out.stdout and "1 added" in out.stdout and "removed" not in out.stdout
    (tmp_path / "seeds").mkdir()  # the default folder, which is not this index's
    (tmp_path / "seeds" / "other.txt").write_text("Crows use tools.")
    out = run("index", "--index", index, cwd=tmp_path)
    assert out.returncode == 1
    assert f"this index was built from {papers}, but seeds is here too: say which with --seeds" in out.stderr
    refused = run("remove", "a.txt", "--index", index, cwd=tmp_path)  # deletes a file: never on a guess
    assert refused.returncode == 1 and "say which with --seeds" in refused.stderr and (papers / "a.txt").exists()
    # Asked there, it answers from its own folder, and says so.
    asked = run("ask", "Who holds hands?", "--index", index, cwd=tmp_path)
    assert asked.returncode == 0 and "Otters hold hands" in asked.stdout
    assert f"this index was built from {papers}, not from seeds here" in asked.stderr
    assert "--seeds seeds answers from this folder's documents" in asked.stderr
    assert run("index", "--seeds", "seeds", "--index", index, cwd=tmp_path).returncode == 0  # named: obeyed
    assert "other.txt" in run("documents", "--index", index).stdout


def test_a_damaged_or_moved_index_is_rebuilt_by_qa_index(tmp_path):
    """The fix a damaged index's message gives (`qa index --full`) works, with or without
    --seeds; and a project moved elsewhere updates from its own ./seeds."""
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "seeds" / "a.txt").write_text("Otters hold hands. They sleep on water.")
    assert run("index", cwd=project).returncode == 0
    (project / "index" / "manifest.json").write_text('{"format": 1', encoding="utf-8")
    out = run("index", "--full", cwd=project)
    assert out.returncode == 0, out.stderr
    assert "Indexed 1 document, 2 sentences" in out.stdout and "rebuilt from scratch" in out.stdout
    moved = project.rename(tmp_path / "moved")
    (moved / "seeds" / "b.txt").write_text("Beavers build dams.")
    out = run("index", cwd=moved)
    assert out.returncode == 0, out.stderr
    assert "Indexed 2 documents" in out.stdout and "1 added" in out.stdout
    assert f"{project / 'seeds'}, the folder this index was built from, is gone; using {moved / 'seeds'}" in out.stderr


def test_a_moved_project_answers_from_its_own_seeds_when_asked(tmp_path):
    """Moved or renamed, the project's index still named the old folder: `qa ask` (and
    qa.search) skipped the update in silence and answered from the old documents."""
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "seeds" / "a.txt").write_text("Otters hold hands. They sleep on water.")
    assert run("index", cwd=project).returncode == 0
    moved = project.rename(tmp_path / "moved")
    (moved / "seeds" / "b.txt").write_text("The library was designed by Ada Ferreira in 1931.")
    (moved / "seeds" / "page_files").mkdir()  # a saved page's pictures are not documents
    for n in range(5):
        (moved / "seeds" / "page_files" / f"photo{n}.png").write_bytes(b"\x89PNG")
    out = run("ask", "Who designed the library?", "-k", "1", cwd=moved)
    assert out.returncode == 0, out.stderr
    assert "designed by Ada Ferreira" in out.stdout
    assert f"{project / 'seeds'}, the folder the index in index was built from, is gone; using {moved / 'seeds'}" in (
        out.stderr
    )
    assert "is gone" not in run("ask", "Who designed the library?", cwd=moved).stderr  # recorded: said once


def test_an_unrelated_seeds_folder_beside_an_index_whose_own_is_gone_is_left_alone(tmp_path):
    """Its documents on a drive not mounted now: a ./seeds of other files beside the index is
    not the project moved, and the index answers as it is rather than rebuilt from it."""
    usb, project = tmp_path / "usb" / "docs", tmp_path / "project"
    usb.mkdir(parents=True)
    (usb / "harbour.txt").write_text("The harbour wall was rebuilt in 1932 after the great storm.")
    (project / "seeds").mkdir(parents=True)
    (project / "seeds" / "otters.txt").write_text("Otters hold hands while they sleep.")
    assert run("index", "--seeds", str(usb), "--index", "index", cwd=project).returncode == 0
    (tmp_path / "usb").rename(tmp_path / "usb-unmounted")
    out = run("ask", "When was the harbour wall rebuilt?", "-k", "1", "--index", "index", cwd=project)
    assert out.returncode == 0, out.stderr
    assert "rebuilt in 1932" in out.stdout and "is gone; using" not in out.stderr
    assert "harbour.txt" in run("documents", "--index", "index", cwd=project).stdout


def test_a_seeds_folder_beside_holding_one_indexed_file_among_many_is_left_alone(tmp_path):
    """An index of one document from a renamed folder was re-pointed, by a question, at the
    ./seeds beside it that held the same file among ten others (a developer's): the index was
    rebuilt over another collection."""
    news = tmp_path / "news"
    (news / "sport").mkdir(parents=True)
    (news / "seeds").mkdir()
    ski = "Halvor Egner jumped 131 metres on the large hill at Holmenkollen on Sunday."
    (news / "sport" / "ski.txt").write_text(ski)
    (news / "seeds" / "ski.txt").write_text(ski)
    for n in range(10):
        (news / "seeds" / f"council-{n}.txt").write_text(f"The council met for the {n + 1}th time about the bridge.")
    assert run("index", "--seeds", "sport", "--index", "sport-index", cwd=news).returncode == 0
    (news / "sport").rename(news / "sport-2025")
    out = run("ask", "How far did Halvor Egner jump?", "-k", "1", "--index", "sport-index", cwd=news)
    assert out.returncode == 0, out.stderr
    assert "131 metres" in out.stdout and "is gone; using" not in out.stderr
    listed = run("documents", "--index", "sport-index", cwd=news).stdout
    assert "ski.txt" in listed and "council-0.txt" not in listed


def test_a_question_with_other_seeds_says_the_index_now_follows_them(tmp_path):
    """`qa ask … --seeds other` rebuilt an index of nine documents from another folder of one,
    exit 0 and nothing said (a developer's): it says so."""
    for folder, text in (
        ("papers", "Otters hold hands while they sleep."),
        ("notes", "Bees dance to show where flowers are."),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(text)
    assert run("index", "--seeds", "papers", "--index", "idx", cwd=tmp_path).returncode == 0
    asked = run("ask", "How do bees show where flowers are?", "--seeds", "notes", "--index", "idx", cwd=tmp_path)
    assert asked.returncode == 0 and "Bees dance" in asked.stdout
    assert "qa: note: the index in idx was built from" in asked.stderr and "it is rebuilt from notes" in asked.stderr
    again = run("ask", "How do bees show where flowers are?", "--seeds", "notes", "--index", "idx", cwd=tmp_path)
    assert "qa: note" not in again.stderr  # its folder now: nothing to say


def test_a_damaged_index_built_from_another_folder_says_to_name_it(tmp_path):
    """The damaged manifest no longer says where the documents are, and there is no ./seeds:
    the message asks for --seeds rather than for a folder that is not there."""
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "a.txt").write_text("Otters hold hands. They sleep on water.")
    assert run("index", "--seeds", "papers", "--index", "idx", cwd=tmp_path).returncode == 0
    (tmp_path / "idx" / "manifest.json").write_text("{bad", encoding="utf-8")
    asked = run("ask", "Do otters sleep on water?", "--index", "idx", cwd=tmp_path)
    assert asked.returncode != 0 and "adding --seeds FOLDER if its documents are not in ./seeds" in asked.stderr
    rebuilt = run("index", "--full", "--index", "idx", cwd=tmp_path)
    assert rebuilt.returncode != 0
    assert "names no seeds folder that is here: name the documents' folder with --seeds" in rebuilt.stderr
    assert run("index", "--full", "--seeds", "papers", "--index", "idx", cwd=tmp_path).returncode == 0


def test_a_fresh_clone_answers_from_its_own_folders(tmp_path):
    """The README's first command starts the chat in a fresh clone, on its default folders: a
    README the repository kept in index/ made every question get "index holds files qa did not
    write" (a new user's). Every file git tracks under seeds/ and index/ goes into a project."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout, or no git: no way to know what a clone holds")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "seeds", "index"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    tracked = [name for name in listed.stdout.split("\0") if name]
    assert any(name.startswith("seeds/") for name in tracked)
    for name in tracked:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    # The defaults, as in a new user's shell; the encoder cache may stay where the run keeps it.
    defaults = {k: v for k, v in os.environ.items() if not k.startswith("QA_") or k == "QA_CACHE"}
    out = subprocess.run(
        [QA, "ask", "What did Erdoğan offer?"], capture_output=True, text=True, cwd=tmp_path, env=defaults, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert "Erdoan also offered to mediate talks between Russia and Ukraine" in out.stdout


def test_chat_on_a_busy_or_impossible_port_says_so_in_one_line_before_gradio_loads(seed_index, tmp_path):
    """A busy port was reported 6 s in, after Gradio and the model had loaded (a new user's
    finding). Here a Gradio that cannot be imported stands in for the real one: the checks
    must come first."""
    (tmp_path / "gradio").mkdir()
    (tmp_path / "gradio" / "__init__.py").write_text("raise ImportError('gradio was imported')\n")
    paths = [str(tmp_path), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}

    def chat(*args: str) -> subprocess.CompletedProcess:
        command = [QA, "chat", "--index", str(seed_index), *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = chat("--port", str(port))
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert f"qa: error: cannot listen on 127.0.0.1:{port}: another program" in out.stderr
    assert "pass --port with another number" in out.stderr
    out = chat("--port", "99999")
    assert out.returncode != 0
    assert out.stderr.strip().endswith("qa: error: port 99999 is not a port number: pick one from 1 to 65535")
    out = chat("--host", "no-such-host.invalid")
    assert out.returncode != 0 and out.stderr.strip().splitlines()[-1] == (
        "qa: error: cannot listen on no-such-host.invalid: no such host name or address; pass --host 127.0.0.1 "
        "(this computer only) or --host 0.0.0.0 (every network it is on)"
    )
    out = chat("--auth", "nopassword")
    assert out.returncode != 0 and "auth must look like user:password" in out.stderr
    assert "gradio was imported" not in out.stderr


def test_help_teaches_with_examples():
    out = run("--help")
    assert out.returncode == 0
    assert 'qa ask "What did Erdoğan offer?"' in out.stdout
    for command in ("index", "ask", "chat"):
        assert command in out.stdout
    ask = run("ask", "--help").stdout
    assert "QA_INDEX" in ask and "-k N" in ask
    alone = run()  # `qa` with no command: the same help, not an error
    assert alone.returncode == 0 and alone.stdout == out.stdout
    version = run("--version")  # errors speak of indexes built by an older qa: which is this one?
    assert version.returncode == 0 and version.stdout.strip() == f"qa {qa.__version__}" != "qa unknown"


def test_asking_an_index_that_is_not_there_yet_says_it_is_built_now(tmp_path):
    """A mistyped --index would otherwise answer, from a new index built in silence."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Otters hold hands. They sleep on water.")
    out = run("ask", "Do otters hold hands?", "--index", "typo-index", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    here = tmp_path.resolve()
    assert f"qa: info: no index in {here / 'typo-index'} yet: building one from {here / 'seeds'}" in out.stderr
    assert "Otters hold hands." in out.stdout
    again = run("ask", "Do otters hold hands?", "--index", "typo-index", cwd=tmp_path)
    assert "no index" not in again.stderr
    # Its documents in a folder of another name, named as `qa index` and `qa eval` name it.
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "b.txt").write_text("Beavers build dams across streams.")
    named = run("ask", "What do beavers build?", "--seeds", "papers", "--index", "papers-index", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert "Beavers build dams" in named.stdout and "Otters" not in named.stdout
    # A folder far away whose parent is not there either is no index to make.
    far = run("ask", "Do otters hold hands?", "--index", str(tmp_path / "nowhere" / "index"), cwd=tmp_path)
    assert far.returncode != 0 and f"no folder {tmp_path / 'nowhere'} to build one in" in far.stderr
    assert not (tmp_path / "nowhere").exists()


def test_ask_without_a_question_holds_a_conversation_on_standard_input(seed_index):
    questions = "What did Erdoğan offer?\nDid Putin accept?\n\ntell me more\nnew\nDid Putin accept?\n???\n"
    out = subprocess.run(
        [QA, "ask", "--json", "-k", "2", "--index", str(seed_index)],
        input=questions,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 1, out.stderr  # a question could not be asked
    turns = [json.loads(line) for line in out.stdout.splitlines()]  # one line each, errors too
    assert [t["question"] for t in turns] == [
        "What did Erdoğan offer?",
        "Did Putin accept?",
        "tell me more",
        "new",  # said on stdout with the answers, one line per question
        "Did Putin accept?",
        "???",
    ]
    assert "no words" in turns[-1]["error"] and "no words" in out.stderr
    assert turns[3]["text"] == "New topic: the next question is read on its own." and not turns[3]["quotes"]
    assert "Erdoan also offered to mediate" in turns[0]["quotes"][0]["text"]
    assert turns[1]["searched"].startswith("Did Putin accept? (+ ") and turns[1]["found"]
    assert "gratefully accepted this invitation" in turns[1]["quotes"][0]["text"]
    assert turns[2]["searched"] == turns[1]["searched"]
    assert not {q["text"] for q in turns[2]["quotes"]} & {q["text"] for q in turns[1]["quotes"]}
    assert turns[4]["searched"] == "Did Putin accept?"  # "new" started a new topic
    # As plain text, "new" and a "more" with nothing to continue say so, and searched nothing;
    # each answer stands under its question, which a file of questions did not show.
    out = subprocess.run(
        [QA, "ask", "--index", str(seed_index)], input="more\nnew\n", capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n\n")[:2] == [
        '> more\nAsk a question first: "more" then brings the next sentences on it.',
        "> new\nNew topic: the next question is read on its own.",
    ]


def test_a_mistyped_option_is_reported_with_its_commands_usage(seed_index):
    out = run("ask", "budget", "--jsn", "--index", str(seed_index))
    assert out.returncode == 2
    assert out.stderr.splitlines()[0].startswith("usage: qa ask")
    assert "qa ask: error: unrecognized arguments: --jsn" in out.stderr
    before = run("--jsn", "ask", "budget", "--index", str(seed_index))
    assert before.returncode == 2 and before.stderr.splitlines()[0].startswith("usage: qa [-h]")
    assert "qa: error: unrecognized arguments: --jsn" in before.stderr


def test_a_question_typed_without_quotes_is_still_one_question(seed_index):
    out = run("ask", "What", "did", "Erdoğan", "offer?", "-k", "1", "--json", "--index", str(seed_index))
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["question"] == "What did Erdoğan offer?" and "Erdoan also offered" in answer["quotes"][0]["text"]


def test_a_reader_that_stops_reading_is_no_error(seed_index):
    """`qa ask … | head -1`: the pipe closes before qa has written its answer."""
    process = subprocess.Popen(
        [QA, "ask", "What did Erdoğan offer?", "--index", str(seed_index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0
    assert err == ""


def test_eval_of_questions_that_should_all_be_refused_ranks_nothing(seed_index, tmp_path):
    questions = tmp_path / "refuse.jsonl"
    questions.write_text('{"q": "What is the capital of Australia?"}\n', encoding="utf-8")
    out = run("eval", str(questions), "--index", str(seed_index))
    assert out.returncode == 0, out.stderr
    assert out.stdout.rstrip().endswith("0 answerable: nothing to rank\n1 unanswerable: wrongly answered 0")


def test_eval_reads_a_file_saved_with_a_byte_order_mark_and_refuses_gold_given_as_a_string(seed_index, tmp_path):
    """Notepad writes a byte-order mark; a gold string rather than a list of them was matched
    letter by letter, every answer a hit."""
    marked = tmp_path / "marked.jsonl"
    line = '{"q": "What did Erdoğan offer?", "gold": ["Erdoan also offered to mediate talks"]}'
    marked.write_bytes(f"\ufeff{line}\r\n".encode())
    out = run("eval", str(marked), "--index", str(seed_index))
    assert out.returncode == 0, out.stderr
    assert "1 answerable: P@1 1.000" in out.stdout
    loose = tmp_path / "loose.jsonl"
    loose.write_text('{"q": "What did Erdoğan offer?", "gold": "a string"}\n', encoding="utf-8")
    out = run("eval", str(loose), "--index", str(seed_index))
    assert out.returncode != 0 and f"{loose}:1: expected" in out.stderr and "Traceback" not in out.stderr
    # An empty question or an empty gold list is named with its line, not run as it is.
    for bad, said in [
        ('{"q": " "}', "the question is empty"),
        ('{"q": "Who won?", "gold": []}', '"gold" needs texts'),
        ('{"q": "Who won?", "gold": ["the cup", ""]}', '"gold" needs texts'),  # "" is in every sentence
    ]:
        loose.write_text(f'{{"q": "What did Erdoğan offer?"}}\n{bad}\n', encoding="utf-8")
        out = run("eval", str(loose), "--index", str(seed_index))
        assert out.returncode != 0 and f"{loose}:2: {said}" in out.stderr


def test_eval_says_which_gold_texts_no_sentence_holds_and_names_a_missing_file(seed_index, tmp_path):
    """A gold mistyped, or spanning two sentences, is a miss whatever the ranking does."""
    questions = tmp_path / "typo.jsonl"
    line = '{"q": "What did Erdoğan offer?", "gold": ["offered to host talks", "Erdoan also offered to mediate"]}'
    questions.write_text(
        f'{line}\n{{"q": "What is NATO?", "gold": ["NATO is a defense allaince"]}}\n', encoding="utf-8"
    )
    out = run("eval", str(questions), "--index", str(seed_index))
    assert out.returncode == 0, out.stderr
    assert "2 answerable: P@1 0.500" in out.stdout
    assert out.stderr.strip() == (
        "qa: warning: no sentence of the documents holds 2 gold texts, so they never match (check the spelling; "
        "a gold is part of one sentence): 'offered to host talks', 'NATO is a defense allaince'"
    )
    listed = json.loads(run("eval", str(questions), "--index", str(seed_index), "--json").stdout)
    assert listed["gold_in_no_sentence"] == 2
    assert listed["gold_texts_in_no_sentence"] == ["offered to host talks", "NATO is a defense allaince"]
    # Each question's outcome too, as the text lists the misses.
    first, second = listed["results"]
    assert first["q"] == "What did Erdoğan offer?" and first["rank"] == 1 and first["found"] is True
    assert "Erdoan also offered to mediate" in first["first"] and 0 < first["score"] <= 1
    assert second["rank"] is None and second["gold"] == ["NATO is a defense allaince"]
    out = run("eval", str(tmp_path / "missing.jsonl"), "--index", str(seed_index))
    assert out.returncode != 0
    assert out.stderr.strip() == f"qa: error: no file {tmp_path / 'missing.jsonl'}: give a JSON-lines file of questions"


def _eval_json(tmp_path, name: str, text: str, lines: list[dict]) -> dict:
    """`qa eval --json` of question lines over an index of one document."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / name).write_text(text, encoding="utf-8")
    qa.build_index(seeds, tmp_path / "index", progress=False)
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return json.loads(run("eval", str(questions), "--index", str(tmp_path / "index"), "--json").stdout)


def test_eval_matches_gold_typed_without_accents_or_with_another_apostrophe_but_in_its_case(tmp_path):
    """A gold "Tomas Ibanez" never matched "Tomás Ibáñez", which the search finds (a new user's
    finding); "Fell", a place, must still not match the verb "fell"."""
    listed = _eval_json(
        tmp_path,
        "council.txt",
        "Council minutes\n\nTomás Ibáñez chaired the meeting at the town’s hall. Water use fell by a tenth.\n"
        "The walkers met at Fell Cottage.\n",
        [
            {"q": "Who chaired the meeting?", "gold": ["Tomas Ibanez chaired the meeting at the town's hall"]},
            {"q": "How much did water use drop?", "gold": ["Fell Cottage"]},
        ],
    )
    assert listed["gold_in_no_sentence"] == 0
    chaired, dropped = listed["results"]
    assert chaired["rank"] == 1
    assert dropped["rank"] != 1 and "fell by a tenth" in dropped["first"]


def test_eval_matches_gold_copied_from_a_notes_markdown_source(tmp_path):
    """A new user copied 17 of 30 gold texts from their notes' source ("**go-live date**"):
    none could match the rendered sentence, even where it came first."""
    gold = "The **go-live date** is `14 March`, agreed with [[Anna Berg|Anna]]"
    listed = _eval_json(
        tmp_path,
        "project.md",
        "# Library project\n\n- The **go-live date** is `14 March`, agreed with [[Anna Berg|Anna]].\n"
        "- The total fee is £12,000.\n",
        [{"q": "When do we go live?", "gold": [gold]}],
    )
    assert listed["gold_in_no_sentence"] == 0 and listed["results"][0]["rank"] == 1


def test_a_script_beside_a_folder_named_qa_imports_the_installed_qa(tmp_path):
    """A developer's script next to their clone of qa (a folder named qa, not a package) got
    that folder as an empty namespace package: "module 'qa' has no attribute 'search'". The
    README's install puts the checkout on the path, where a real package beats the folder."""
    (tmp_path / "qa" / "qa").mkdir(parents=True)
    script = tmp_path / "app.py"
    script.write_text("import qa\nprint(qa.search.__name__, qa.__file__)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["search", qa.__file__]


def test_a_terminal_that_cannot_show_a_letter_gets_it_escaped_not_an_error(tmp_path):
    """A developer's ASCII terminal: every command stopped on a UnicodeEncodeError where a
    document had an accent, and a question piped in with one on a UnicodeDecodeError."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "cafe.md").write_text(
        "# Café Almadena\n\nOwner José Müller said the repairs cost 12,000 euros after the flood.\n", encoding="utf-8"
    )
    ascii_only = {**os.environ, "PYTHONIOENCODING": "ascii"}
    where = ["--seeds", str(seeds), "--index", str(tmp_path / "index")]

    def ask(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([QA, "ask", *args, *where], input=stdin, capture_output=True, env=ascii_only, timeout=300)

    out = ask("How much did the repairs cost?", "-k", "1")
    assert out.returncode == 0, out.stderr
    assert b"Owner Jos\\xe9 M\\xfcller said the repairs cost" in out.stdout
    out = ask("How much did the repairs cost?", "-k", "1", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["quotes"][0]["text"].startswith("Owner José Müller said")
    out = ask("--json", "-k", "1", stdin="Who is José Müller?\n".encode())
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["question"] == "Who is José Müller?"

"""The web app on a local port, called the way code calls it: through gradio_client."""

import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

import qa
from conftest import free_port, write
from qa.answer import NOT_FOUND, compose
from qa.indexer import MAX_FILE_BYTES
from qa.records import Hit
from qa.store import read_manifest
from qa.web import (
    IDLE_POLL_SECONDS,
    Assistant,
    as_typed,
    build_app,
    left_searching,
    limits_label,
    questions,
    shown_with,
    start,
    streamed,
)

pytestmark = pytest.mark.slow

ERDOGAN_OFFER = "Erdoan also offered to mediate talks between Russia and Ukraine"
PUTIN_ACCEPTED = "President Putin gratefully accepted this invitation"


@contextmanager
def serving(assistant: Assistant, auth: tuple[str, str] | None = None):
    """The app for assistant on a free local port, as the chat serves it; its URL."""
    app = build_app(assistant)
    url = start(app, "127.0.0.1", free_port(), auth)
    try:
        yield url
    finally:
        app.close()


def connect(url: str, **kwargs) -> Client:
    return Client(url, analytics_enabled=False, verbose=False, **kwargs)


def plain(markdown: str) -> str:
    """Markdown with its escapes and emphasis removed, to compare with the document's text."""
    return markdown.replace("\\", "").replace("**", "")


def first_quote(markdown: str) -> str:
    """The text of the reply's first quote."""
    return plain(markdown).partition("1. ")[2].partition("\n")[0]


@pytest.fixture(scope="module")
def served(seed_index):
    assistant = Assistant(seed_index)
    with serving(assistant) as url:
        yield url, assistant


@pytest.fixture(scope="module")
def client(served):
    return connect(served[0])


@pytest.fixture
def collection(seed_index, tmp_path) -> tuple[Path, Path]:
    """A copy of the seed collection that a test may change: (seeds, index)."""
    manifest = json.loads((seed_index / "manifest.json").read_text(encoding="utf-8"))
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    shutil.copytree(manifest["seeds"], seeds)  # keeps modification times: no rebuild on open
    shutil.copytree(seed_index, index)
    return seeds, index


def stored_vectors(index: Path) -> dict[int, np.ndarray]:
    from qa.retrieve import Searcher

    ids, vectors = Searcher(index, read_manifest(index)).vectors.all_vectors()
    return dict(zip(ids.tolist(), vectors))


def test_named_endpoints_exist(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/search", "/chat", "/upload", "/documents"} <= set(endpoints)


def test_ask_returns_the_markdown_answer_with_quotes(client):
    reply = client.predict("What did Erdoğan offer?", api_name="/ask")
    assert ERDOGAN_OFFER in plain(reply)
    assert "*Tensions simmer in UkraineRussia border crisis*" in reply
    assert "https://edition.cnn.com/europe/live-news/ukraine-russia-news-01-27-22/" in reply


def test_a_quote_from_a_longer_paragraph_brings_its_neighbours_in_a_context_block(client):
    reply = client.predict("Why was NATO created?", api_name="/ask")
    assert "It was created as the Cold War escalated." in plain(reply)
    # Quote 1's block, which shows the quotes of its passage together ("Context of quotes 1 and 3").
    context = reply[reply.index("<details><summary>Context of quote") :].split("</details>")[0]
    assert "<mark>It was created as the Cold War escalated.</mark>" in context
    assert "threat posed by the Soviet Union" in context


def test_a_quote_from_a_file_without_a_link_names_the_file():
    """Two of a reader's files, cited by title, date and place alone, could not be told apart."""
    hits = [
        Hit("The ferry leaves at nine.", 0.9, "notes/ferry.txt", "Notes", "2024-03-05", None, 0, 0, 2),
        Hit("The ferry left at ten.", 0.5, "b.html", "Notes", None, "https://example.org/b", 0, 0, 1),
    ]
    body = compose("When does the ferry leave?", hits, True).text
    assert "> — *Notes* · 5 March 2024 · notes/ferry.txt · paragraph 1, sentence 1 of 2" in body
    assert "> — *Notes* · [example.org](https://example.org/b) · paragraph 1" in body


def test_a_long_question_read_with_earlier_turns_is_shown_short_before_what_was_added():
    """A pasted question of 723 characters filled eight lines of "Searched for: …" before the
    word added to it, and pushed the first quote out of sight (a reader's)."""
    question = "Background: " + "the talks went on for weeks and nobody would say what was agreed. " * 10 + "Who won?"
    hit = Hit("The talks ended.", 0.9, "notes.txt", "Notes", None, None, 0, 0, 1)
    body = compose(question, [hit], True, searched=f"{question} (+ crisis)").text
    assert f"*Searched for: {question[:80].rstrip()}… (+ crisis)*" in body
    assert body.count("nobody would say") == 1


def test_quotes_side_by_side_share_one_context_block():
    """Two sentences next to each other showed their paragraph twice, once per quote."""

    def hit(text: str, position: int, before: str = "", after: str = "", paragraph: int = 0) -> Hit:
        return Hit(text, 0.5, "notes.txt", "Notes", None, None, position, paragraph, 9, None, None, before, after)

    quotes = [
        hit("The ferry leaves at nine.", 2, "The harbour opens at eight.", "It returns at five."),
        hit("It returns at five.", 3, "The ferry leaves at nine.", "Tickets cost four pounds."),
        hit("The café shuts at six.", 4, "", "It opens at noon.", paragraph=1),  # the next paragraph's
    ]
    context = compose("When does the ferry run?", quotes, True).context
    assert context.count("<details>") == 2
    assert (
        "<summary>Context of quotes 1 and 2</summary>\n\n<p>The harbour opens at eight. <mark>The ferry leaves at "
        "nine.</mark> <mark>It returns at five.</mark> Tickets cost four pounds.</p>"
    ) in context
    assert (
        "<summary>Context of quote 3</summary>\n\n<p><mark>The café shuts at six.</mark> It opens at noon.</p>"
        in context
    )
    # Two quotes alone in their paragraph: a block would show the same two again, and nothing else.
    alone = [
        hit("The ferry leaves at nine.", 2, "", "It returns at five."),
        hit("It returns at five.", 3, "The ferry leaves at nine."),
    ]
    assert compose("When does the ferry run?", alone, True).context == ""
    # Three sentences apart, their neighbours touch: one block, without a gap.
    apart = [
        hit("The ferry leaves at nine.", 2, "The harbour opens at eight.", "It returns at five."),
        hit("Tickets cost four pounds.", 5, "Children go free.", "Dogs cost one pound."),
    ]
    context = compose("When does the ferry run?", apart, True).context
    assert context.count("<details>") == 1 and "five.</p>" not in context and "five. Children go free." in context


def test_the_fold_of_filters_says_what_is_set_in_it():
    assert limits_label("", " ", None) == "Limit the search"
    assert limits_label("2022-01-01", "", ["a.txt"]) == "Limit the search (dates and 1 document set)"
    assert limits_label(None, None, ["a.txt", "b.txt"]) == "Limit the search (2 documents set)"


def test_search_returns_hits_as_json(client):
    hits = client.predict("What did Erdoğan offer?", 3, api_name="/search")
    assert isinstance(hits, list) and len(hits) == 3
    assert any(h["text"].startswith("Erdoan also offered to mediate") for h in hits[:2])
    assert {"text", "score", "doc_id", "title", "date", "url", "position", "context_before"} <= set(hits[0])


def test_chat_understands_a_follow_up_from_the_history_it_is_sent(client):
    history = []
    first = client.predict("What did Erdoğan offer?", history, 3, api_name="/chat")
    assert ERDOGAN_OFFER in plain(first)
    history += [{"role": "user", "content": "What did Erdoğan offer?"}, {"role": "assistant", "content": first}]

    follow_up = client.predict("Did Putin accept?", history, 3, api_name="/chat")
    assert PUTIN_ACCEPTED in plain(follow_up)
    assert "Searched for: Did Putin accept? (+ offer Erdoğan)" in plain(follow_up)

    alone = client.predict("Did Putin accept?", [], 3, api_name="/chat")
    assert "Searched for" not in alone  # without the history it is a question of its own


def test_chat_tell_me_more_continues_the_conversation_it_is_sent(client):
    history = [{"role": "user", "content": "What did Erdoğan offer?"}, {"role": "assistant", "content": "…"}]
    more = client.predict("tell me more", history, 3, api_name="/chat")
    assert "Erdoan" in first_quote(more)
    assert ERDOGAN_OFFER not in plain(more)  # already shown in the first answer
    first = client.predict("tell me more", [], 3, api_name="/chat")
    assert plain(first) == 'Ask a question first: "more" then brings the next sentences on it.'


def test_chat_reads_histories_in_the_shapes_clients_send():
    parts = [{"role": "user", "content": [{"type": "text", "text": "What did Erdoğan offer?"}]}]
    pairs = [["What did Erdoğan offer?", "…"]]
    context = [{"role": "user", "content": "hidden", "metadata": {"title": "x"}}]
    assert questions(parts) == questions(pairs) == ["What did Erdoğan offer?"]
    assert questions(context) == questions("not a list") == questions(None) == []


def test_a_question_answered_sorry_is_not_replayed(client):
    """A reader's dates the wrong way round: replayed without them, the question quoted what
    the reader never saw, and asked again was told the sentence quoted last was still best."""
    first = client.predict("What did Erdoğan offer?", [], 3, api_name="/chat")
    sorry = client.predict("Did Putin accept?", [], 3, "2022-02-01", "2022-01-01", None, api_name="/chat")
    assert sorry.startswith("**Sorry:**")
    history = [
        {"role": "user", "content": "What did Erdoğan offer?"},
        {"role": "assistant", "content": first},
        {"role": "user", "content": "Did Putin accept?"},
        {"role": "assistant", "content": sorry},
    ]
    again = plain(client.predict("Did Putin accept?", history, 3, api_name="/chat"))
    assert PUTIN_ACCEPTED in again and "still the best match" not in again
    assert "Searched for: Did Putin accept? (+ offer Erdoğan)" in again
    assert questions([["What did Erdoğan offer?", first], ["Did Putin accept?", sorry]]) == ["What did Erdoğan offer?"]


def test_the_page_replays_the_questions_as_typed_not_as_it_shows_them():
    typed = ["What did <b>Erdoğan</b> offer?", "Did *Putin* accept?"]
    history = shown_with(shown_with([], typed[0]), typed[1])
    assert [m["content"] for m in history] != typed  # shown escaped
    assert questions(as_typed(history, typed)) == typed
    answered = [history[0], {"role": "assistant", "content": "…"}, history[1]]
    assert questions(as_typed(answered, typed)) == typed and as_typed(answered, typed)[1] == answered[1]


def test_the_page_streams_the_reply_quote_by_quote_then_its_context():
    body, context = "> **1.** One.\n>\n> — *A*", "<details><summary>Context of quote 1</summary></details>"
    history = shown_with([], "A question?")
    steps = list(streamed(f"{body}\n\n{body.replace('1', '2')}", context, history))
    assert [len(step) for step in steps] == [2, 2, 2]
    assert steps[0][-1]["content"] == body
    assert steps[-1][-1]["content"].endswith(context)
    assert shown_with(history, " \n ") == history  # a blank message is not shown
    long = shown_with([], "background " * 10_000 + "What did Erdoğan offer?")[0]["content"]
    assert len(long) < 3000 and long.startswith("…") and long.endswith("What did Erdoğan offer?")  # as searched


def test_chat_filters_by_date_and_document(client, served):
    doc_id = served[1].documents()[0].doc_id
    kept = client.predict("What did Erdoğan offer?", [], 3, "2022-01-27", "2022-01-27", [doc_id], api_name="/chat")
    assert ERDOGAN_OFFER in plain(kept)
    later = client.predict("What did Erdoğan offer?", [], 3, "2023-01-01", "", None, api_name="/chat")
    assert NOT_FOUND in later and "Erdoan" not in later
    bad = client.predict("What did Erdoğan offer?", [], 3, "last week", "", None, api_name="/chat")
    assert bad.startswith("**Sorry:**") and "YYYY" in bad
    backwards = client.predict("What did Erdoğan offer?", [], 3, "2022-02-01", "2022-01-01", None, api_name="/chat")
    assert backwards.startswith("**Sorry:**") and "wrong way round" in backwards
    # One id may come alone, as text (it was read as a list of its letters: "no document '.'").
    # (Another question than the next test's: the app keeps conversations by their questions and
    # filter, and that one would find this one's, its filter note already said.)
    alone = client.predict("What did Erdoğan offer to do?", [], 3, "", "", doc_id, api_name="/chat")
    assert ERDOGAN_OFFER in plain(alone)


def test_search_takes_the_same_filters_and_documents_lists_what_they_name(client, served):
    """A program found the document ids /chat takes nowhere over HTTP, nor when a hit answers."""
    listed = client.predict(api_name="/documents")
    ids = [d["doc_id"] for d in listed["documents"]]
    assert ids == [d.doc_id for d in served[1].documents()] and 0 < listed["found_above"] < 1
    assert {"title", "date", "url", "sentences"} <= set(listed["documents"][0])
    hits = client.predict("What did Erdoğan offer?", 3, "2022-01-27", "", ids[:1], api_name="/search")
    assert hits[0]["doc_id"] == ids[0] and hits[0]["score"] >= listed["found_above"]
    assert client.predict("What did Erdoğan offer?", 3, "2023-01-01", "", None, api_name="/search") == []


def test_a_filter_set_during_a_conversation_is_said_in_the_next_answer_once(client, served):
    doc_id = served[1].documents()[0].doc_id
    first = client.predict("What did Erdoğan offer?", [], 3, api_name="/chat")
    assert "Searched only" not in first
    history = [{"role": "user", "content": "What did Erdoğan offer?"}, {"role": "assistant", "content": first}]

    limited = client.predict("Did Putin accept?", history, 3, "", "", [doc_id], api_name="/chat")

    assert f"({doc_id})." in plain(limited) and "Searched only “" in plain(limited)  # replayed under it, hid it
    assert PUTIN_ACCEPTED in plain(limited)
    history += [{"role": "user", "content": "Did Putin accept?"}, {"role": "assistant", "content": limited}]
    again = client.predict("When will he go?", history, 3, "", "", [doc_id], api_name="/chat")
    assert "Searched only" not in again


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", "the question is empty"),
        (" \n\t ", "the question is empty"),
        ("\x00\x07\x1b", "the question is empty"),
        ("?", "the question has no words"),
        ("What did Erdoğan offer? " * 4200, "cut to its last"),
        ("What\x00 did\x1b Erdoğan\u200b offer?", ERDOGAN_OFFER),
    ],
    ids=["empty", "whitespace", "controls", "punctuation", "100k-characters", "controls-inside"],
)
def test_odd_messages_get_a_clear_reply(client, message, expected):
    reply = client.predict(message, [], 3, api_name="/chat")
    assert expected in plain(reply)


def test_page_says_what_it_answers_about(served):
    url, assistant = served
    docs = assistant.documents()
    sentences = sum(d.sentences for d in docs)
    assert assistant.title() == f"qa · ask 1 document ({sentences} sentences)"
    assert assistant.heading().startswith(f"# Ask 1 document ({sentences} sentences)")  # the page's h1
    page = httpx.get(url)
    assert page.status_code == 200 and f"Ask 1 document ({sentences} sentences)" in page.text


def test_damaged_index_gets_a_reply_not_a_broken_page_and_recovers(collection):
    seeds, index = collection
    vectors = next(index.glob("data-*/vectors.faiss"))
    vectors.write_bytes(vectors.read_bytes()[:1000])
    assistant = Assistant(index, seeds=seeds)
    assert assistant.problem and "qa index" in assistant.problem
    with serving(assistant) as url:
        page = httpx.get(url)
        assert page.status_code == 200 and "The documents cannot be searched right now" in page.text
        client = connect(url)
        reply = client.predict("What did Erdoğan offer?", api_name="/ask")
        assert reply.startswith("**Sorry:**") and "qa index" in plain(reply)
        assert "<" not in reply  # the message is escaped like any text

        qa.build_index(seeds, index, progress=False)  # what the reply asks for; no restart
        assert ERDOGAN_OFFER in plain(client.predict("What did Erdoğan offer?", api_name="/ask"))


def test_missing_index_and_no_documents_then_documents_arrive(tmp_path):
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    assistant = Assistant(index, seeds=seeds)
    assert assistant.problem
    with serving(assistant) as url:
        client = connect(url)
        reply = client.predict("Where do quokkas live?", api_name="/ask")
        assert reply.startswith("**Sorry:**") and "no readable documents" in plain(reply)
        write(seeds / "quokka.md", "# Quokkas\n\nQuokkas live on Rottnest Island, off the coast of Perth.\n")
        assert "Quokkas live on Rottnest Island" in plain(client.predict("Where do quokkas live?", api_name="/ask"))


def test_upload_adds_a_document_then_remove_takes_it_away(collection, tmp_path):
    seeds, index = collection
    note = write(tmp_path / "upload" / "Quokka census.md", "# Quokka census\n\nThe census counted 412 quokkas.\n")
    assistant = Assistant(index, seeds=seeds)
    before, built_by = stored_vectors(index), read_manifest(index).encoder
    with serving(assistant) as url:
        client = connect(url)
        status = client.predict([handle_file(str(note))], api_name="/upload")
        assert plain(status) == "Added: uploads/Quokka census.md (1 sentence)"
        assert (seeds / "uploads" / "Quokka census.md").is_file()
        # Someone else's file of the same name does not take its place.
        other = write(tmp_path / "other" / "Quokka census.md", "# Quokka census 2\n\nThe census counted 9 quokkas.\n")
        refused = plain(client.predict([handle_file(str(other))], api_name="/upload"))
        assert "another file is already stored as uploads/Quokka census.md: rename this one" in refused
        assert "The census counted 412 quokkas." in plain(client.predict("How many quokkas?", api_name="/ask"))
        assert "Ask 2 documents" in assistant.heading()
        # Only the upload was embedded, by the back end that built the index.
        after = stored_vectors(index)
        assert len(after) == len(before) + 1 and all(np.array_equal(after[i], v) for i, v in before.items())
        assert read_manifest(index).encoder == built_by

        assert assistant.remove("uploads/Quokka census.md") == "Removed: uploads/Quokka census.md"
        assert "412 quokkas" not in plain(client.predict("How many quokkas?", api_name="/ask"))
        assert not (seeds / "uploads" / "Quokka census.md").exists()
        with pytest.raises(qa.InputError, match="not added in the chat"):
            assistant.remove(assistant.documents()[0].doc_id)  # the owner's own files stay


def test_an_uploaded_web_page_and_pdf_answer_with_their_title_date_and_page(collection):
    seeds, index = collection
    fixtures = Path(__file__).parent / "fixtures"
    assistant = Assistant(index, seeds=seeds)
    with serving(assistant) as url:
        client = connect(url)
        files = [handle_file(str(fixtures / "news_article.html")), handle_file(str(fixtures / "report.pdf"))]
        status = client.predict(files, api_name="/upload")
        assert plain(status).startswith("Added: uploads/news_article.html") and "uploads/report.pdf" in plain(status)

        article = client.predict("When did the Port Ellery harbour reopen to ferries?", api_name="/ask")
        assert "reopened to ferries on Thursday" in plain(first_quote(article))
        assert "*Harbour reopens after storm repairs* · 7 March 2024" in article

        report = client.predict("How long did residents wait for the fire service?", api_name="/ask")
        assert first_quote(report) == "Residents waited three hours for the fire service."
        source = report.split("\n\n")[0].splitlines()[-1]
        assert source.startswith("> — *Harbour Flood Defences Review* · 5 March 2024")
        assert "page 2" in source


def test_the_examples_of_a_collection_are_questions_on_its_newest_stories(tmp_path):
    """Shown as bare headlines, they looked like buttons that pick a document."""
    seeds = tmp_path / "seeds"
    for day, title, text in [
        ("20240301", "Ferry fares rise", "Ferry fares will rise by ten percent in April, the operator said."),
        ("20240305", "Harbour wall repaired", "The harbour wall was repaired in March after the winter storms."),
    ]:
        write(seeds / f"{title}.txt", f"{title}\n{day}\nhttps://example.org/{day}\n{text}\n")
    qa.build_index(seeds, tmp_path / "index", progress=False)
    assistant = Assistant(tmp_path / "index", seeds=seeds)
    examples = assistant.examples()
    assert examples == ["What is “Harbour wall repaired” about?", "What is “Ferry fares rise” about?"]
    assert "harbour wall was repaired" in qa.Conversation(tmp_path / "index").ask(examples[0]).quotes[0].text


def test_an_idle_chat_polls_its_queue_seldom(collection):
    """An idle chat took 8% of a core (a new user's measurement): Gradio's queue looked for
    events every millisecond and for progress every 10 ms. Served, it looks every 20 and 100 ms
    (idle, 1.5% of a core). The names are Gradio's own: a release that renames them fails here."""
    seeds, index = collection
    app = build_app(Assistant(index, seeds=seeds))
    url = start(app, "127.0.0.1", free_port())
    try:
        polls = {name: getattr(app._queue, name) for name in IDLE_POLL_SECONDS}
        assert polls == IDLE_POLL_SECONDS == {"sleep_when_free": 0.02, "progress_update_sleep_when_free": 0.1}
        assert ERDOGAN_OFFER in plain(connect(url).predict("What did Erdoğan offer?", api_name="/ask"))
    finally:
        app.close()


def test_upload_refuses_other_file_types_big_files_and_unreadable_ones_saying_why(collection, tmp_path):
    seeds, index = collection
    program = write(tmp_path / "upload" / "setup.exe", b"MZ\x90\x00")
    big = tmp_path / "upload" / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    with serving(Assistant(index, seeds=seeds)) as url:
        with pytest.raises(AppError, match="Invalid file type"):
            connect(url).predict([handle_file(str(program))], api_name="/upload")
        # A word processor's file reaches qa, which says what to do with it.
        minutes = write(tmp_path / "upload" / "minutes.odt", b"PK\x03\x04")
        reply = connect(url).predict([handle_file(str(minutes))], api_name="/upload")
        assert plain(reply) == (
            "Sorry: nothing was added: minutes.odt: qa does not read .odt files; "
            "save it as .docx, .pdf, .html or .txt and add that"
        ), reply
        with big.open("rb") as f:  # straight to the server: gradio_client would refuse it itself
            refused = httpx.post(url + "gradio_api/upload", files={"files": ("big.txt", f)})
        assert refused.status_code == 413
        # A file of an accepted type that cannot be read is refused too, and not kept.
        scan = write(tmp_path / "upload" / "scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        reply = connect(url).predict([handle_file(str(scan))], api_name="/upload")
        assert plain(reply) == "Sorry: nothing was added: scan.txt: cannot be read (binary file)", reply
    assert not (seeds / "uploads").exists()


def test_an_upload_of_several_files_adds_those_it_can_read_and_names_the_others(collection, tmp_path):
    seeds, index = collection
    good = write(tmp_path / "upload" / "gulls.md", "# Gulls\n\nGulls nest on the harbour roofs.\n")
    empty = write(tmp_path / "upload" / "empty.txt", "")
    with serving(Assistant(index, seeds=seeds)) as url:
        client = connect(url)
        reply = client.predict([handle_file(str(empty)), handle_file(str(good))], api_name="/upload")
        refused = "Not added: empty.txt: cannot be read (empty)"
        assert plain(reply) == f"Added: uploads/gulls.md (1 sentence)\n\n{refused}"
        again = client.predict([handle_file(str(good)), handle_file(str(empty))], api_name="/upload")
        assert plain(again) == f"Unchanged: uploads/gulls.md (1 sentence)\n\n{refused}"
        assert client.predict([], api_name="/upload") == "Nothing to add: choose one or more files."
        assert "harbour roofs" in client.predict("Where do gulls nest?", api_name="/ask")
    assert sorted(p.name for p in (seeds / "uploads").iterdir()) == ["gulls.md"]


def test_auth_keeps_out_whoever_has_no_password(seed_index):
    with serving(Assistant(seed_index), auth=("ann", "s3cret")) as url:
        assert httpx.get(url + "config").status_code == 401
        client = connect(url, auth=("ann", "s3cret"))
        assert ERDOGAN_OFFER in plain(client.predict("What did Erdoğan offer?", api_name="/ask"))


def test_a_search_the_caller_got_wrong_is_an_error_for_the_caller_not_a_traceback_on_the_server(client, capfd):
    capfd.readouterr()
    with pytest.raises(AppError, match="the question is empty"):
        client.predict("", 5, api_name="/search")
    with pytest.raises(AppError, match="from 1 to 100"):
        client.predict("NATO", 0, api_name="/search")
    assert "Traceback" not in capfd.readouterr().err


def test_removing_a_picked_document_says_what_is_searched_now():
    """Removing the one document picked under "Only these documents" emptied the picker, and
    the next question searched everything, with nothing said (a new user's trial)."""
    assert left_searching("uploads/a.md", None) == ""
    assert left_searching("uploads/a.md", ["uploads/b.md"]) == ""
    assert "every document is searched now" in left_searching("uploads/a.md", ["uploads/a.md"])
    assert left_searching("uploads/a.md", ["uploads/a.md", "uploads/b.md"]).endswith("searched: 1 other is.")

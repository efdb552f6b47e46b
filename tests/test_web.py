"""The web app on a local port, called the way code calls it: through gradio_client."""

import pytest
from gradio_client import Client

from conftest import free_port
from qa.web import Assistant, build_app


@pytest.fixture(scope="module")
def served(seed_index):
    assistant = Assistant(seed_index)
    app = build_app(assistant)
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/", assistant
    finally:
        app.close()


@pytest.fixture(scope="module")
def client(served):
    return Client(served[0], analytics_enabled=False, verbose=False)


def test_named_endpoints_exist(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/search", "/chat"} <= set(endpoints)


def test_ask_returns_the_markdown_answer_with_quotes(client):
    reply = client.predict("What did Erdoğan offer?", api_name="/ask")
    assert "Erdoan also offered to mediate talks between Russia and Ukraine" in reply.replace("\\", "").replace("*", "")
    assert "Tensions simmer in UkraineRussia border crisis" in reply
    assert "https://edition.cnn.com/europe/live-news/ukraine-russia-news-01-27-22/" in reply


def test_search_returns_hits_as_json(client):
    hits = client.predict("What did Erdoğan offer?", 3, api_name="/search")
    assert isinstance(hits, list) and len(hits) == 3
    assert any(h["text"].startswith("Erdoan also offered to mediate") for h in hits[:2])
    assert {"text", "score", "doc_id", "title", "date", "url", "position", "context_before"} <= set(hits[0])


def test_page_title_says_what_it_answers_about(served):
    assert served[1].heading().startswith("# Ask 1 document (77 sentences)")

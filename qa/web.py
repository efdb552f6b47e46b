"""The web chat (Gradio 6) and its API endpoints, around one already-opened index.

The chat handler is a plain function, `Assistant.respond(message, history, quotes)`: the
conversation is rebuilt from the history each tab sends, so two tabs are two conversations
and API clients can hold one by sending their own history.

API endpoints: `/ask` (question → Markdown answer), `/search` (question, k → list of hits),
`/chat` (message, history, quotes → reply).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr

from .answer import escape
from .config import Settings
from .conversation import Conversation
from .errors import QAError
from .retrieve import Searcher, check_k, open_index

log = logging.getLogger("qa")

SEED_EXAMPLES = [
    "What did Erdoğan offer?",
    "How long did the Biden–Zelensky call last?",
    "Which countries lead NATO's battlegroups?",
    "What sanctions is the US Senate considering?",
]
CONCURRENCY = 4  # questions answered at once; each takes milliseconds, the encoder is shared


class Assistant:
    """The functions the page and the API call, sharing one opened index."""

    def __init__(self, index: str | Path = "index", seeds: str | Path | None = None, quotes: int = 3):
        self.index = Path(index)
        self.quotes = quotes
        self._searcher = open_index(self.index, seeds=seeds)

    @property
    def searcher(self) -> Searcher:
        if self._searcher.stale():
            self._searcher = open_index(self.index, build=False)
        return self._searcher

    def conversation(self, history: list | None) -> Conversation:
        """A conversation holding the earlier questions of this history."""
        conv = Conversation(self.index, quotes=self.quotes, searcher=self.searcher)
        for message in history or []:
            role, content = _role_content(message)
            if role == "user" and isinstance(content, str) and content.strip():
                try:
                    conv.ask(content)
                except QAError:
                    continue
        return conv

    def respond(self, message: str, history: list | None, quotes: float | None = None) -> str:
        """The chat handler: the Markdown reply to message, given the earlier turns."""
        try:
            conv = self.conversation(history)
            return conv.ask(message, quotes=int(quotes) if quotes else None).text
        except QAError as exc:
            return f"**Sorry:** {escape(str(exc))}"

    def stream(self, message: str, history: list | None, quotes: float | None = None) -> Iterator[str]:
        reply = self.respond(message, history, quotes)
        blocks = reply.split("\n\n")
        for i in range(1, len(blocks) + 1):
            yield "\n\n".join(blocks[:i])

    def ask(self, question: str) -> str:
        """One question, no history: the Markdown answer."""
        return self.respond(question, [])

    def search(self, question: str, k: float = 5) -> list[dict]:
        """The k best hits as plain dicts (text, score, source, place, context)."""
        try:
            return [hit.to_dict() for hit in self.searcher.search(question, check_k(int(k)))]
        except QAError as exc:
            raise gr.Error(str(exc)) from None

    def heading(self) -> str:
        docs = self.searcher.documents()
        sentences = sum(d.sentences for d in docs)
        titles = "; ".join(escape(d.title) for d in docs[:3]) + ("; …" if len(docs) > 3 else "")
        return (
            f"# Ask {len(docs)} document{'s' if len(docs) != 1 else ''} ({sentences:,} sentences)\n"
            f"Answers are the documents' own sentences, quoted word for word with their source. {titles}"
        )

    def examples(self) -> list[str]:
        docs = self.searcher.documents()
        if any("ukraine" in d.title.lower() for d in docs):
            return SEED_EXAMPLES
        return [f"What is {d.title} about?" for d in docs[:4]]


def _role_content(message) -> tuple[str | None, object]:
    if isinstance(message, dict):
        return message.get("role"), message.get("content")
    if isinstance(message, (list, tuple)) and len(message) == 2:
        return "user", message[0]
    return getattr(message, "role", None), getattr(message, "content", None)


def build_app(assistant: Assistant) -> gr.Blocks:
    with gr.Blocks(title="qa: ask your documents", analytics_enabled=False) as app:
        gr.Markdown(assistant.heading())
        gr.ChatInterface(
            assistant.stream,
            examples=assistant.examples(),
            api_name="chat",
            concurrency_limit=CONCURRENCY,
            analytics_enabled=False,
            fill_height=True,
        )
        gr.api(assistant.ask, api_name="ask", concurrency_limit=CONCURRENCY)
        gr.api(assistant.search, api_name="search", concurrency_limit=CONCURRENCY)
    app.queue(default_concurrency_limit=CONCURRENCY)
    return app


def serve(settings: Settings) -> None:
    """Open the index, then serve the chat until interrupted."""
    seeds = settings.seeds if Path(settings.seeds).is_dir() else None
    assistant = Assistant(settings.index, seeds=seeds, quotes=settings.quotes)
    app = build_app(assistant)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"qa: warning: listening on {settings.host} exposes the chat to your network"
            + ("" if settings.auth else "; consider --auth user:password"),
            file=sys.stderr,
        )
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        auth=parse_auth(settings.auth),
        footer_links=["api"],
    )


def parse_auth(value: str) -> tuple[str, str] | None:
    from .errors import InputError

    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise InputError("auth must look like user:password (both parts non-empty)")
    return user, password

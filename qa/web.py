"""The web chat (Gradio 6) and its API endpoints, around one index folder.

The page: a chat whose answers stream in quote by quote, each quote with its source and, under
the answer, a collapsed block showing it inside its paragraph; a side panel listing the
documents, with the number of quotes, filters (dates, documents), and controls to upload or
remove documents. A tab's conversation is rebuilt from the history that tab sends (recent ones
are cached by their questions), so two tabs are two conversations and nothing is shared.

The same functions serve code, through any Gradio client:

    from gradio_client import Client, handle_file
    client = Client("http://127.0.0.1:7860/", analytics_enabled=False)
    client.predict("What did Erdoğan offer?", api_name="/ask")          # Markdown answer
    client.predict("What did Erdoğan offer?", 5, api_name="/search")    # list of hit dicts
    history = []
    for question in ("What did Erdoğan offer?", "Did Putin accept?"):
        reply = client.predict(question, history, 3, api_name="/chat")   # a follow-up is understood
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": reply}]
    client.predict([handle_file("report.md")], api_name="/upload")      # "Added: uploads/report.md (12 sentences)"
    client.predict(api_name="/documents")   # {"documents": [{"doc_id", "title", "date", ...}], "found_above": 0.58}

`/chat` and `/search` also take `since` and `until` (YYYY-MM-DD) and `documents` (a list of
document ids, or one) to restrict the search. Every reply is Markdown; a problem (an unreadable index, an empty
question) comes back as a reply starting with "**Sorry:**", never as a broken page.
"""

# No `from __future__ import annotations` here: gr.api reads the endpoints' type hints as types.
import contextlib
import copy
import hashlib
import io
import os
import sys
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr

from .answer import escape, nice_date
from .config import MAX_QUESTION_CHARS, Settings, default
from .conversation import Conversation
from .embed import Encoder
from .errors import InputError, QAError
from .formats import MAX_FILE_BYTES, supported_suffixes
from .indexer import UPLOADS, add_files, remove_document
from .ingest import OTHER_DOCUMENTS
from .listen import check_can_listen, parse_auth
from .records import Answer, DocumentInfo
from .retrieve import Filter, Searcher, check_k, documents_filter, open_index, parse_day

SEED_EXAMPLES = [
    "What did Erdoğan offer?",
    "How long did the Biden–Zelensky call last?",
    "Which countries lead NATO's battlegroups?",
    "What sanctions is the US Senate considering?",
]
CONCURRENCY = 4  # questions answered at once, over all endpoints; each takes milliseconds
# How often an idle chat's queue looks for new events and for progress to send (see build_app).
IDLE_POLL_SECONDS = {"sleep_when_free": 0.02, "progress_update_sleep_when_free": 0.1}
MAX_QUOTES = 10  # the slider's top; the API allows up to MAX_K
REPLAYED = 12  # earlier questions of a history read again to understand a follow-up
REMEMBERED = 512  # conversations kept so that the next turn need not replay its history
SORRY = "**Sorry:**"
DOCS_OPEN = 12  # a longer list of documents starts folded
DOCS_LISTED = 100  # the newest; a longer list made the page slow and long
DATE_FIELDS = ("From", "Until")  # the page's date fields, named so in its error messages
SHOWN_CHARS = 2 * MAX_QUESTION_CHARS  # a longer message shows cut in the chat


class Assistant:
    """What the page and the API call: one index folder, reopened whenever a build replaces it.

    It never holds a conversation; each call rebuilds one from the history it is given.
    """

    def __init__(self, index: str | Path = "index", seeds: str | Path | None = None, quotes: int = 3):
        self.index = Path(index)
        self.seeds = Path(seeds) if seeds is not None else None
        self.quotes = check_k(quotes, "quotes")
        self._writing = threading.Lock()  # one upload or removal at a time
        self._replays = Replays()
        self.problem = self.check()  # open (or build) now, so the first question is quick

    @property
    def searcher(self) -> Searcher:
        """The opened index; QAError while it is missing or damaged."""
        return open_index(self.index, seeds=self.seeds)

    def _document_encoder(self) -> str | Encoder:
        """The back end that built the open index, for an upload's vectors: the searcher's
        loaded encoder when it is that one (a torch index), else its name to load."""
        try:
            searcher = self.searcher
        except QAError:
            return "auto"
        kind = searcher.manifest.encoder
        return searcher.encoder if searcher.encoder.kind == kind else kind

    def check(self) -> str | None:
        """Why the index cannot be used right now, or None if it can."""
        try:
            open_index(self.index, seeds=self.seeds)
        except QAError as exc:
            return str(exc)
        return None

    # -- questions -------------------------------------------------------------------------

    def answer(
        self, message: str, history: list | None = None, quotes: int | None = None, where: Filter | None = None
    ) -> Answer:
        """The answer to message, read in the light of the questions in history (QAError if none)."""
        k = check_k(self.quotes if quotes is None else quotes, "quotes")
        where = where or Filter()
        searcher = self.searcher
        asked = questions(history)
        conv = self._replays.get(searcher, k, where, asked)
        if conv is None:
            conv = Conversation(self.index, quotes=k, searcher=searcher, where=where)
            for question in asked[-REPLAYED:]:
                try:
                    conv.ask(question)
                except QAError:
                    continue  # an empty or refused question earlier on does not spoil the next one
            # Replayed under a filter the reader may have set only now: a note it gave that the
            # history does not show is still to be given.
            shown = " ".join(replies(history))
            conv.forget_notes(lambda note: escape(note) in shown)
        answer = conv.ask(message)
        self._replays.put(searcher, k, where, [*asked, message], conv)
        return answer

    def reply(
        self,
        message: str,
        history: list | None = None,
        quotes: int | None = None,
        since: str | None = "",
        until: str | None = "",
        documents: list[str] | None = None,
        fields: tuple[str, str] = ("since", "until"),
    ) -> tuple[str, str]:
        """(quotes with sources, context blocks) as Markdown; a problem is the first, escaped.
        `fields`: what the date fields are called where the reader typed them."""
        try:
            where = make_filter(since, until, documents, fields)
            answer = self.answer(message, history, quotes, where)
        except QAError as exc:
            return f"{SORRY} {escape(str(exc))}", ""
        return answer.body, answer.context

    def chat(
        self,
        message: str,
        history: list[dict] | None = None,
        quotes: int = 3,
        since: str = "",
        until: str = "",
        documents: list[str] | None = None,
    ) -> str:
        """A conversation turn: the Markdown reply to message, following on from history.

        history is the earlier turns as [{"role": "user" | "assistant", "content": text}, ...];
        since and until (YYYY-MM-DD) and documents (ids) restrict what may be quoted.
        """
        return join(*self.reply(message, history, quotes, since, until, documents))

    def ask(self, question: str) -> str:
        """One question, no history: the Markdown answer."""
        return join(*self.reply(question))

    def search(
        self, question: str, k: int = 5, since: str = "", until: str = "", documents: list[str] | None = None
    ) -> list[dict]:
        """The k best hits as plain dicts (text, score, doc_id, title, date, url, position,
        context...), restricted as /chat's are; the first answers the question if its score is
        at least the one /documents gives as found_above."""
        try:
            where = make_filter(since, until, documents)
            return [hit.to_dict() for hit in self.searcher.search(question, check_k(k), where)]
        except QAError as exc:  # the caller's to mend, not a fault of the server to log
            raise gr.Error(str(exc), print_exception=False) from None

    def collection(self) -> dict:
        """The indexed documents (doc_id, title, date, url, kind, sentences, content_hash), the ids /chat and
        /search take, and found_above: the score from which a first hit answers a question."""
        try:
            docs = self.searcher.documents()
            return {"documents": [asdict(d) for d in docs], "found_above": self.searcher.ranker.found_above}
        except QAError as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    # -- the collection --------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        """The indexed documents, or none while the index cannot be read."""
        try:
            return self.searcher.documents()
        except QAError:
            return []

    def seeds_folder(self) -> Path:
        """Where uploads go: the seeds folder given, else the one the index was built from."""
        if self.seeds is not None:
            return self.seeds
        try:
            return Path(self.searcher.manifest.seeds)
        except QAError:
            return Path(default("seeds"))

    def add(self, paths: list[str], names: list[str] | None = None) -> str:
        """Copy files into the seeds folder and index them; what happened, as Markdown: a line,
        then one for each file not added."""
        names = names or [Path(p).name for p in paths]
        with self._writing:
            report = add_files(paths, self.seeds_folder(), self.index, names=names, encoder=self._document_encoder())
        sentences = {d.doc_id: d.sentences for d in self.documents()}
        unchanged = [i for i in report.uploaded if i not in report.added and i not in report.changed]
        parts = []
        for label, ids in (("Added", report.added), ("Updated", report.changed), ("Unchanged", unchanged)):
            if ids:
                # The id, not the file name: it is what the API's documents filter takes.
                shown = ", ".join(f"{i} ({counted(sentences.get(i, 0), 'sentence')})" for i in ids)
                parts.append(f"{label}: {shown}")
        lines = ["; ".join(parts), *(f"Not added: {r.path}: {r.reason}" for r in report.refused)]
        return "\n\n".join(escape(line) for line in lines if line)

    def remove(self, doc_id: str) -> str:
        """Delete an uploaded document from the seeds folder and the index."""
        if not doc_id:
            raise InputError("pick a document to remove first")
        if not doc_id.startswith(f"{UPLOADS}/"):
            raise InputError(f"{doc_id} was not added in the chat; remove its file from the seeds folder")
        with self._writing:
            remove_document(doc_id, self.seeds_folder(), self.index)
        return f"Removed: {doc_id}"

    # -- what the page says about the collection -------------------------------------------

    def version(self) -> str:
        """Which build of the index is open ("" while none can be): it changes with the files."""
        try:
            return self.searcher.manifest.data
        except QAError:
            return ""

    def title(self) -> str:
        docs = self.documents()
        if not docs:
            return "qa · no index" if self.check() else "qa · no documents"
        return f"qa · ask {counted(len(docs), 'document')} ({counted(sum(d.sentences for d in docs), 'sentence')})"

    def heading(self) -> str:
        docs = self.documents()
        problem = self.check()
        if problem:
            return f"# The documents cannot be searched right now\n{escape(problem)}"
        sentences = sum(d.sentences for d in docs)
        return (
            f"# Ask {counted(len(docs), 'document')} ({counted(sentences, 'sentence')})\n"
            "Answers are the documents' own sentences, quoted word for word with their source."
        )

    def examples(self) -> list[str]:
        docs = self.documents()
        if any("ukraine" in d.title.lower() for d in docs):
            return SEED_EXAMPLES
        # A question on a story finds its opening sentences; the newest four, as a reader of
        # news would start there (not the first four ids, often one story). Asked as questions:
        # a bare headline looked like a button that picks its document.
        titles = list(dict.fromkeys(d.title for d in newest_first(docs)))[:4]
        return [f"What is “{title}” about?" for title in titles]


class Replays:
    """Recent conversations by the questions they were asked, so a client that sends its whole
    history each turn costs one search per turn, not one per earlier question.

    A hit is a copy: the cached conversation itself never changes.
    """

    def __init__(self, size: int = REMEMBERED):
        self.size = size
        self._kept: OrderedDict[tuple, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(searcher: Searcher, k: int, where: Filter, asked: list[str]) -> tuple:
        digest = hashlib.sha256("\0".join(asked).encode("utf-8", "surrogatepass")).hexdigest()
        return searcher.manifest.data, k, where, digest

    def get(self, searcher: Searcher, k: int, where: Filter, asked: list[str]) -> Conversation | None:
        if not asked:
            return None
        with self._lock:
            kept = self._kept.get(self.key(searcher, k, where, asked))
        if kept is None:
            return None
        conv = copy.copy(kept)
        conv.turns = list(kept.turns)
        return conv

    def put(self, searcher: Searcher, k: int, where: Filter, asked: list[str], conv: Conversation) -> None:
        with self._lock:
            self._kept[self.key(searcher, k, where, asked)] = conv
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def join(body: str, context: str) -> str:
    return "\n\n".join(part for part in (body, context) if part)


def make_filter(
    since: str | None, until: str | None, documents: list[str] | None, fields: tuple[str, str] = ("since", "until")
) -> Filter:
    """A Filter from the page's or the API's fields: empty fields restrict nothing; one id may
    come alone, as text (it was read as a list of its letters)."""
    chosen = documents_filter(documents) if documents else None
    return Filter(chosen, parse_day(since or None, fields[0]), parse_day(until or None, fields[1]))


def questions(history: list | None) -> list[str]:
    """The user's questions in a history, oldest first. A question answered "Sorry: …" (dates
    the wrong way round) is left out: replayed without its mistake, it quoted what its reader
    never saw, and the same question asked again was told "The sentence quoted last is still
    the best match"."""
    return [question for question, said in turns(history) if question and not (said and said[0].startswith(SORRY))]


def replies(history: list | None) -> list[str]:
    """The assistant's replies in a history, oldest first."""
    return [reply for _, said in turns(history) for reply in said]


def turns(history: list | None) -> list[tuple[str | None, list[str]]]:
    """(question, the replies to it) of each turn of a history, in any of the shapes clients
    send: messages {"role", "content"} whose content is text or a list of text parts, or
    pairs; a message with metadata is a note, not part of the conversation, and replies before
    any question are a turn without one."""
    found: list[tuple[str | None, list[str]]] = []
    for message in history if isinstance(history, (list, tuple)) else []:
        if isinstance(message, dict):
            text = None if message.get("metadata") else text_of(message.get("content"))
            if not text:
                continue
            if message.get("role") == "user":
                found.append((text, []))
            elif message.get("role") == "assistant":
                if not found:
                    found.append((None, []))
                found[-1][1].append(text)
        elif isinstance(message, (list, tuple)) and len(message) == 2:
            question, reply = text_of(message[0]), text_of(message[1])
            if question or reply:
                found.append((question, [reply] if reply else []))
    return found


def as_typed(history: list, asked: list[str]) -> list:
    """The chat's history with its questions as they were typed (the chat shows them escaped)."""
    typed = iter(asked)
    return [
        {**m, "content": next(typed, m.get("content"))} if isinstance(m, dict) and m.get("role") == "user" else m
        for m in history
    ]


def text_of(content: object) -> str | None:
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return content.get("text") if isinstance(content.get("text"), str) else None
    if isinstance(content, (list, tuple)):
        parts = [text_of(part) for part in content]
        return " ".join(p for p in parts if p) or None
    return None


# -- the page ----------------------------------------------------------------------------------


def newest_first(docs: list[DocumentInfo]) -> list[DocumentInfo]:
    return sorted(docs, key=lambda d: (d.date or "", d.title), reverse=True)


def limits_label(since: str | None, until: str | None, only: list[str] | None) -> str:
    """The name of the fold of filters, with what is set in it: folded, it hid that answers came
    from a few documents only (the settings are kept across reloads)."""
    parts = ["dates"] if (since or "").strip() or (until or "").strip() else []
    if only:
        parts.append(f"{len(only)} document{'' if len(only) == 1 else 's'}")
    return f"Limit the search ({' and '.join(parts)} set)" if parts else "Limit the search"


def documents_label(docs: list[DocumentInfo]) -> str:
    return f"Documents ({len(docs):,})"


def document_list(docs: list[DocumentInfo]) -> str:
    """The newest documents first, up to DOCS_LISTED; the picker finds any of them by typing."""
    if not docs:
        return "*No documents yet.*"
    lines = []
    for d in newest_first(docs)[:DOCS_LISTED]:
        facts = [escape(nice_date(d.date))] if d.date else []
        facts.append(counted(d.sentences, "sentence"))
        lines.append(f"**{escape(d.title)}**  \n<small>{' · '.join(facts)}</small>")
    if len(docs) > DOCS_LISTED:
        lines.append(
            f'*… and {len(docs) - DOCS_LISTED:,} older. "Only these documents", under "Limit the search", '
            "finds any of them as you type its title; `qa documents` lists them all.*"
        )
    return "\n\n".join(lines)


def document_choices(docs: list[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, id) pairs for a picker: the title, and the id (titles can clash; filters take ids)."""
    return [(f"{d.title} ({d.doc_id})", d.doc_id) for d in docs]


def shown_with(history: list, text: str) -> list:
    """The chat with the user's message added, as text (markup in it shows, never renders):
    a blank one is not, a very long one is cut to its end, as the search reads it."""
    if not text.strip():
        return history
    shown = ("…" if len(text) > SHOWN_CHARS else "") + escape(text[-SHOWN_CHARS:])
    return [*history, {"role": "user", "content": shown}]


def typed_with(typed: list[str], text: str) -> list[str]:
    """The questions as typed, with this one (a blank message is not shown, so not counted)."""
    return [*typed, text] if text.strip() else typed


def assistant_message(text: str) -> dict:
    return {"role": "assistant", "content": text}


def streamed(body: str, context: str, history: list) -> Iterator[list]:
    """The chat after each quote of the reply, then with the collapsed context under it."""
    blocks = body.split("\n\n")
    for i in range(1, len(blocks) + 1):
        yield [*history, assistant_message("\n\n".join(blocks[:i]))]
    if context:
        yield [*history, assistant_message(join(body, context))]


CSS = """
.qa-heading h1 { margin-bottom: 0.15rem; font-size: var(--text-xxl); }  /* the page's one h1 */
.qa-heading p { color: var(--body-text-color-subdued); margin-top: 0; }
#qa-docs p { margin: 0 0 0.6rem 0; line-height: 1.35; }
#qa-docs small { color: var(--body-text-color-subdued); }
.qa-status p { margin: 0.25rem 0; font-size: var(--text-sm); }
#qa-chat .message details { margin: 0.35rem 0; }
#qa-chat .message summary { cursor: pointer; color: var(--link-text-color); }  /* a control: as readable as a link */
#qa-chat .message mark { background: #fff3b0; color: inherit; padding: 0 0.1em; }
#qa-chat .message blockquote { border-left: 3px solid var(--color-accent-soft); padding-left: 0.75rem; }
#qa-message .submit-button { background: var(--button-primary-background-fill); color: var(--button-primary-text-color);
    padding: 0 1rem; border-radius: var(--button-large-radius); width: auto; }
#qa-message .submit-button:hover { background: var(--button-primary-background-fill-hover); }
@media (max-width: 720px) {  /* a phone: the heading above the button, in a smaller type */
    .qa-top { flex-wrap: wrap; }
    .qa-top > .qa-heading { flex: 1 1 100% !important; }
    .qa-heading h1 { font-size: var(--text-xl); }
    .qa-heading p { font-size: var(--text-sm); }
    /* the answer across the chat's width: Gradio keeps a bubble clear of the other side */
    #qa-chat .message-row.bot-row { max-width: 100%; margin-left: 0; margin-right: 0; }
    #qa-chat .message blockquote { padding-left: 0.5rem; }
}
/* the chat's clear and copy buttons on a line of their own: floating, they covered the text (the
   end of the question shown at the top of an answer: "Did Putin accep") */
#qa-chat .icon-button-wrapper.top-panel { position: static; margin: 0.25rem 0.25rem 0 auto; width: fit-content; }
"""
THEME = gr.themes.Default(
    primary_hue="indigo",
    neutral_hue="slate",
    font=[gr.themes.LocalFont("IBM Plex Sans", weights=(400, 600, 700)), "ui-sans-serif", "system-ui", "sans-serif"],
)
SET_TITLE = "(title) => { if (title) { document.title = title; } }"


# Once an answer is in, the chat shows its start, the question over the first quote: the chat
# follows the text as it comes, and left a phone's reader at the third quote. The chat renders
# the last of the answer a moment after the answer is done, and scrolls then: this waits until
# its height has held for 0.3 s (up to 3 s).
def show_start(restored: bool) -> str:
    """The browser's code that shows the last question at the chat's top once the chat has
    settled: after an answer, and after a reload restored the conversation. Each call stops when
    a later one starts; the one after a reload marks no question as shown, for a question asked
    at once, while it waits, was then left at its answer's end."""
    mark = "" if restored else "window.qaShownQuestion = last;"
    return """() => {
    const mine = window.qaShowing = (window.qaShowing || 0) + 1;
    const scroller = () => [...(document.querySelector('#qa-chat')?.querySelectorAll('*') || [])].find(
        el => el.scrollHeight > el.clientHeight + 5 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowY));
    const asked = () => [...document.querySelectorAll('#qa-chat .message.user')].pop();
    let height = -1, still = 0, ticks = 0;
    const tick = () => {
        if (window.qaShowing !== mine) return;  // a later answer shows its own question
        const el = scroller();
        still = el && el.scrollHeight === height ? still + 1 : 0;
        height = el ? el.scrollHeight : -1;
        if (still < 3) { if (++ticks < 100) setTimeout(tick, 100); return; }
        const last = asked();
        if (!last || last === window.qaShownQuestion) return;  // a blank message: nothing new to show
        MARK
        el.scrollTop += last.getBoundingClientRect().top - el.getBoundingClientRect().top;
    };
    setTimeout(tick, 100);
}""".replace("MARK", mark)


# Removing deletes the uploaded file: asked once more in the browser, which says no by default.
# Every input goes back to Python: "Only these documents" too, which the removal may empty
# (left out, the reader was not told that every document is searched now).
CONFIRM_REMOVE = (
    "(doc, _, only) => [doc, !doc || window.confirm("
    "'Remove ' + doc + '? Its file is deleted from the seeds folder and it leaves the index.'), only]"
)
# What the browser keeps of a tab: its chat, the questions as typed, and the side panel's settings.
KEPT = ("chat", "asked", "quotes", "since", "until", "documents")
# The tab keeps its own copy as well (sessionStorage outlives a reload, not the tab): the copy the
# browser shares is the last conversation of any tab, which a new tab takes up, and a tab reloaded
# after another had asked took up that tab's conversation instead of its own.
TAB_KEY = "qa-conversation"
SAVE_TAB = (
    f"(kept) => {{ try {{ sessionStorage.setItem('{TAB_KEY}', JSON.stringify(kept)); }} "
    f"catch (e) {{ try {{ sessionStorage.removeItem('{TAB_KEY}'); }} catch (e) {{}} }} return []; }}"
)
OWN_TAB = (
    f"(kept) => {{ try {{ const own = sessionStorage.getItem('{TAB_KEY}'); if (own) return [JSON.parse(own)]; }} "
    "catch (e) {} return [kept]; }"
)
# Gradio opens the sidebar on every screen; on a phone it covers the whole chat.
FOLD_ON_PHONE = (
    "() => { if (window.matchMedia('(max-width: 720px)').matches) "
    "{ document.querySelector('#qa-sidebar.open .toggle-button')?.click(); } }"
)


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat page and its API endpoints (`/ask`, `/search`, `/chat`, `/upload`)."""
    docs = assistant.documents()
    with gr.Blocks(title=assistant.title(), analytics_enabled=False, fill_height=True) as app:
        with gr.Sidebar(width=340, label="Documents", elem_id="qa-sidebar"):
            k = min(assistant.quotes, MAX_QUOTES)
            quotes = gr.Slider(1, MAX_QUOTES, value=k, step=1, label="Quotes per answer")
            with gr.Accordion(limits_label("", "", []), open=False) as limits:
                with gr.Row():
                    since = gr.Textbox(label=DATE_FIELDS[0], placeholder="YYYY-MM-DD", max_lines=1, min_width=80)
                    until = gr.Textbox(label=DATE_FIELDS[1], placeholder="YYYY-MM-DD", max_lines=1, min_width=80)
                chosen = gr.Dropdown(document_choices(docs), multiselect=True, label="Only these documents", value=[])
            with gr.Accordion("Add or remove documents", open=False):
                # A word processor's file passes Gradio's type check, to be refused with qa's
                # advice (save it as .pdf...), not with Gradio's bare "Invalid file type".
                upload = gr.UploadButton(
                    "Add files…",
                    file_types=[*supported_suffixes(), *sorted(OTHER_DOCUMENTS)],
                    file_count="multiple",
                    size="sm",
                )
                gr.Markdown(
                    f"<small>{', '.join(supported_suffixes())}; up to {MAX_FILE_BYTES // 2**20} MiB each. "
                    "They are copied into the seeds folder and indexed.</small>",
                    elem_classes="qa-status",
                )
                status = gr.Markdown("", elem_classes="qa-status", latex_delimiters=[])
                with gr.Row(equal_height=True):
                    removable = gr.Dropdown(
                        uploaded_choices(docs),
                        value=None,
                        label="Document to remove",  # read out by screen readers; not shown
                        show_label=False,
                        scale=3,
                        min_width=120,
                        info="A document added here",
                    )
                    # Usable once a document is picked: with none, it only said "pick a document".
                    remove = gr.Button("Remove", variant="stop", size="sm", scale=1, min_width=70, interactive=False)
            # Below the controls, and folded when long: 600 titles pushed them 32,000 px down.
            with gr.Accordion(documents_label(docs), open=len(docs) <= DOCS_OPEN) as doc_panel:
                doc_list = gr.Markdown(document_list(docs), elem_id="qa-docs", latex_delimiters=[])
            page_title = gr.Textbox(assistant.title(), visible=False)

        with gr.Row(elem_classes="qa-top"):
            # No LaTeX: a title's "$$5 to $$10" is text ("$$" is Gradio's default delimiter).
            heading = gr.Markdown(assistant.heading(), elem_classes="qa-heading", latex_delimiters=[])
            new = gr.Button("New conversation", size="sm", scale=0, min_width=160)
        chatbot = gr.Chatbot(
            elem_id="qa-chat",
            show_label=False,
            scale=1,
            height="70vh",
            layout="bubble",
            sanitize_html=True,
            latex_delimiters=[],  # document text is shown as it is, never as formulas
            allow_tags=False,
            feedback_options=None,
            buttons=["copy_all"],
            placeholder="Ask a question: the answer is the documents' own sentences, with their sources.",
            examples=[{"text": q} for q in assistant.examples()],
        )
        message = gr.Textbox(
            elem_id="qa-message",
            label="Your question",  # read out by screen readers; not shown
            show_label=False,
            placeholder="Ask about the documents…",
            autofocus=True,
            max_lines=4,
            submit_btn="Ask",
        )
        pending = gr.State("")
        collection = gr.State("")  # the version of the index the side panel shows
        asked = gr.State([])  # the questions as typed; the chat shows them escaped
        # The conversation and its settings, kept in the browser: a reload lost them all. Under
        # a key of this server's: one started again, perhaps on other documents, starts afresh.
        kept = gr.BrowserState({})

        def refresh(only: list[str] | None, removing: str | None = None) -> tuple:
            """The side panel for the collection as it is; a document picked for removal stays
            picked while it is there (the reader said no to removing it)."""
            docs = assistant.documents()
            ids = {d.doc_id for d in docs}
            return (
                gr.update(label=documents_label(docs)),
                document_list(docs),
                gr.update(choices=document_choices(docs), value=[d for d in only or [] if d in ids]),
                gr.update(choices=uploaded_choices(docs), value=removing if removing in ids else None),
                assistant.heading(),
                assistant.title(),
                assistant.version(),
            )

        def refresh_if_changed(only: list[str] | None, version: str) -> tuple:
            """After an answer: the collection as it is now, if files changed on disk since."""
            if assistant.version() == version:
                return tuple(gr.skip() for _ in shown)
            return refresh(only)

        shown = [doc_panel, doc_list, chosen, removable, heading, page_title, collection]

        def take(text: str, history: list, typed: list[str]) -> tuple[str, list, str, list[str]]:
            return "", shown_with(history, text), text, typed_with(typed, text)

        def take_example(history: list, typed: list[str], event: gr.SelectData) -> tuple[list, str, list[str]]:
            text = text_of(event.value) or ""
            return shown_with(history, text), text, typed_with(typed, text)

        def answer(
            text: str, history: list, typed: list[str], k: float, since_: str, until_: str, only: list[str]
        ) -> Iterator[list]:
            if not text.strip():
                # Nothing asked: no reply. A "Sorry" had no question above it, stacked up at
                # each press of Enter, and ran on from an answer when Ask followed Enter.
                yield history
                return
            earlier = as_typed(history[:-1], typed)
            body, context = assistant.reply(text, earlier, int(k), since_, until_, only, fields=DATE_FIELDS)
            yield from streamed(body, context, history)

        filters = [quotes, since, until, chosen]
        asking = {"concurrency_limit": CONCURRENCY, "concurrency_id": "questions", "show_progress": "minimal"}
        private = {"queue": False, "api_visibility": "private"}
        quietly = {"api_visibility": "private", "show_progress": "hidden"}
        remembered = [chatbot, asked, *filters]

        server = uuid.uuid4().hex  # a tab's own copy is of this server's conversation, or none

        def keep(*values: object) -> dict:
            return {**dict(zip(KEPT, values)), "server": server}

        def restore(saved: dict | None) -> tuple:
            saved = saved if isinstance(saved, dict) and saved.get("server") == server else {}
            return tuple(saved[name] if name in saved else gr.skip() for name in KEPT)

        def kept_in_tab(event: Any) -> None:
            event.then(None, kept, None, js=SAVE_TAB, **private)

        answering = []
        for asked_by in (
            message.submit(take, [message, chatbot, asked], [message, chatbot, pending, asked], **private),
            chatbot.example_select(take_example, [chatbot, asked], [chatbot, pending, asked], **private),
        ):
            inputs = [pending, chatbot, asked, *filters]
            answered = asked_by.then(answer, inputs, chatbot, api_visibility="private", **asking)
            answered.then(None, None, None, js=show_start(restored=False), api_visibility="private")
            kept_in_tab(answered.then(keep, remembered, kept, **private))
            answered.then(refresh_if_changed, [chosen, collection], shown, **quietly).then(
                None, page_title, None, js=SET_TITLE, api_visibility="private"
            )
            answering.append(answered)
        # Both forget the questions kept for follow-ups (the chat's own clear button empties only
        # what it shows), and stop an answer still coming in, which would show the old chat again.
        # The side panel's settings are the reader's, kept across conversations and as they change.
        kept_in_tab(
            new.click(
                lambda *settings: ([], "", [], keep([], [], *settings)),
                filters,
                [chatbot, message, asked, kept],
                cancels=answering,
                **private,
            )
        )
        kept_in_tab(
            chatbot.clear(
                lambda *settings: ([], keep([], [], *settings)), filters, [asked, kept], cancels=answering, **private
            )
        )
        for setting in filters:
            kept_in_tab(setting.change(keep, remembered, kept, **private))
        limited = [since, until, chosen]
        for setting in limited:
            setting.change(lambda *limit: gr.Accordion(label=limits_label(*limit)), limited, limits, **private)

        def add(files: list[str] | None) -> Iterator[str]:
            if not files:
                yield "Nothing to add: choose one or more files."
                return
            names = [Path(f).name for f in files]
            yield f"Indexing {', '.join(names)}…"
            try:
                yield assistant.add(files, names)
            except QAError as exc:
                yield f"{SORRY} {escape(str(exc))}"

        def drop(doc_id: str | None, confirmed: bool, only: list[str] | None) -> object:
            if not confirmed:
                return gr.skip()  # the reader said no: nothing changes, nothing to say
            try:
                return assistant.remove(doc_id or "") + left_searching(doc_id or "", only)
            except QAError as exc:
                return f"{SORRY} {escape(str(exc))}"

        writes = {"concurrency_limit": 1, "concurrency_id": "index-writes"}
        upload.upload(add, upload, status, api_name="upload", **writes).then(refresh, chosen, shown, **quietly).then(
            None, page_title, None, js=SET_TITLE, api_visibility="private"
        )
        removable.change(lambda doc: gr.Button(interactive=bool(doc)), removable, remove, **quietly)
        confirmed = gr.Checkbox(False, visible=False)  # set by CONFIRM_REMOVE in the browser
        remove.click(
            drop, [removable, confirmed, chosen], status, js=CONFIRM_REMOVE, api_visibility="private", **writes
        ).then(refresh, [chosen, removable], shown, **quietly).then(
            None, page_title, None, js=SET_TITLE, api_visibility="private"
        )
        restored = app.load(restore, kept, remembered, js=OWN_TAB, **private)
        # A reload showed the last answer's end, its question and first quotes out of sight.
        restored.then(None, None, None, js=show_start(restored=True), api_visibility="private")
        restored.then(refresh, chosen, shown, **quietly).then(
            None, page_title, None, js=SET_TITLE, api_visibility="private"
        )
        app.load(None, None, None, js=FOLD_ON_PHONE, api_visibility="private")

        for endpoint in (assistant.ask, assistant.search, assistant.chat):
            gr.api(endpoint, api_name=endpoint.__name__, concurrency_limit=CONCURRENCY, concurrency_id="questions")
        gr.api(assistant.collection, api_name="documents", concurrency_limit=CONCURRENCY, concurrency_id="questions")
    app.queue(default_concurrency_limit=CONCURRENCY)
    # Gradio's queue looks for new events every millisecond, and for progress to send every
    # 10 ms, while idle: 8% of a core for a chat nobody uses (a new user saw it on a shared
    # 2-core machine). Looking every 20 and 100 ms adds at most that to an answer.
    queue = getattr(app, "_queue", None)
    for name, seconds in IDLE_POLL_SECONDS.items():
        if getattr(queue, name, seconds) < seconds:
            setattr(queue, name, seconds)
    return app


def left_searching(removed: str, only: list[str] | None) -> str:
    """What a removal does to "Only these documents": the picker drops the document, and with
    it gone, a filter of it alone would search everything, in silence."""
    if not only or removed not in only:
        return ""
    rest = [d for d in only if d != removed]
    if not rest:
        return ". It was the only document picked under “Only these documents”: every document is searched now."
    verb = "is" if len(rest) == 1 else "are"
    return f". It is no longer among the documents searched: {counted(len(rest), 'other')} {verb}."


def uploaded_choices(docs: list[DocumentInfo]) -> list[tuple[str, str]]:
    return [c for c in document_choices(docs) if c[1].startswith(f"{UPLOADS}/")]


# -- serving -----------------------------------------------------------------------------------


def start(app: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None) -> str:
    """Serve the app in background threads; its URL. Never a share link, never analytics."""
    app.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=auth,
        quiet=True,
        prevent_thread_lock=True,
        max_file_size=MAX_FILE_BYTES,
        footer_links=["api"],
        run_history=False,
        ssr_mode=False,
        mcp_server=False,
        theme=THEME,
        css=CSS,
    )
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{app.server_port}/"


def serve(settings: Settings) -> None:
    """Open the index, then serve the chat until interrupted."""
    auth = parse_auth(settings.auth)
    check_can_listen(settings.host, settings.port)  # before the model loads: fail fast
    seeds = None if settings.seeds == default("seeds") else settings.seeds
    assistant = Assistant(settings.index, seeds=seeds, quotes=settings.quotes)
    if assistant.problem:
        print(f"qa: warning: {assistant.problem} (until then, every question gets this reply)", file=sys.stderr)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"qa: warning: listening on {settings.host} exposes the chat to your network"
            + ("" if auth else "; consider --auth user:password"),
            file=sys.stderr,
        )
    app = build_app(assistant)
    url = start(app, settings.host, settings.port, auth)
    print(f"qa: chat on {url}  ({assistant.title().removeprefix('qa · ')}; Ctrl+C to stop)", file=sys.stderr)
    try:
        while app.is_running:
            time.sleep(0.5)
    finally:
        with contextlib.redirect_stdout(io.StringIO()):  # Gradio's own "Closing server" line
            app.close()

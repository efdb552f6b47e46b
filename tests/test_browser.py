"""The chat page in a real headless Chromium: asking, following up, two tabs, hostile documents.

Drives Debian's Chromium (`apt-get install -y chromium`); Playwright never downloads a browser.
Without Chromium the tests are skipped, unless QA_REQUIRE_BROWSER=1 makes that a failure.
"""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import ROOT, free_port, write
from qa import web
from qa.retrieve import SEEDS_CHECK_SECONDS
from qa.web import Assistant, build_app, start

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
WAIT_MS = 60_000
ERDOGAN_OFFER = "also offered to mediate talks between Russia and Ukraine"
PUTIN_ACCEPTED = "President Putin gratefully accepted this invitation"

# A news-format document whose every line tries to become markup, a link or a script.
HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"> Quokka report'
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[click](javascript:window.__pwned=1)",
    "<b>html</b>",
    "# The quokka heading",
    "**bold**",
]
HOSTILE = "\n".join(
    [
        HOSTILE_TITLE,
        "20240305",
        "https://example.com/quokka-report",
        "The quokka script <script>window.__pwned=1</script> was found in the burrow. "
        "Then a quokka <img src=x onerror=alert(1)> hid in the burrow too.",
        'The quokka image <img src=x onerror="window.__pwned=1"> was found in the burrow.',
        "The quokka link [click](javascript:window.__pwned=1) was found in the burrow.",
        "The quokka markup <b>html</b> was found in the burrow.",
        "# The quokka heading was found in the burrow.",
        "The quokka claim **bold** was found in the burrow.",
    ]
)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("QA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}; QA_REQUIRE_BROWSER=1 requires it")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def chat_url(seed_index):
    app = build_app(Assistant(seed_index))
    url = start(app, "127.0.0.1", free_port())
    try:
        yield url
    finally:
        app.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        yield context
    finally:
        context.close()


def open_chat(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.get_by_placeholder("Ask about the documents…").wait_for(timeout=WAIT_MS)
    return page


def ask(page, question: str, expect: str) -> None:
    """Type a question, send it, and wait until the chat shows `expect`."""
    box = page.get_by_placeholder("Ask about the documents…")
    box.fill(question)
    box.press("Enter")
    wait_for_chat(page, expect)


def wait_for_chat(page, text: str) -> None:
    page.wait_for_function(
        "text => (document.querySelector('#qa-chat')?.innerText || '').includes(text)", arg=text, timeout=WAIT_MS
    )


def chat_text(page) -> str:
    return page.locator("#qa-chat").inner_text()


def test_question_then_follow_up_shows_the_right_quotes(context, chat_url):
    page = open_chat(context, chat_url)
    assert page.title().startswith("qa · ask 1 document (")
    # For a screen reader: the page's heading, and the question box by its name.
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ask 1 document (")
    assert page.get_by_role("textbox", name="Your question").count() == 1

    ask(page, "What did Erdoğan offer?", ERDOGAN_OFFER)
    assert page.locator("#qa-chat strong", has_text="offered").count() >= 1  # the question's words stand out
    ask(page, "Did Putin accept?", PUTIN_ACCEPTED)
    text = chat_text(page)
    assert "Searched for: Did Putin accept? (+ offer Erdoğan)" in text
    assert text.index(ERDOGAN_OFFER) < text.index(PUTIN_ACCEPTED)
    # (Those quotes' paragraphs hold nothing else: they have no context block.)
    assert page.locator("#qa-chat details").count() == 0
    ask(page, "Why was NATO created?", "It was created as the Cold War escalated.")

    summary = page.locator("#qa-chat details summary").last
    summary.click()
    # The quotes inside their paragraph: one, or those of one passage ("Context of quotes 2 and 3").
    named = summary.inner_text()
    quotes = 1 if named.startswith("Context of quote ") else named.count(",") + 2
    assert page.locator("#qa-chat details[open] mark").count() == quotes
    page.locator("#qa-chat details[open]").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))


def test_on_a_phone_the_side_panel_starts_folded_and_the_chat_answers(browser, chat_url):
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = open_chat(phone, chat_url)
        page.wait_for_function("!document.querySelector('#qa-sidebar.open')", timeout=WAIT_MS)
        box = page.get_by_placeholder("Ask about the documents…")
        assert box.is_visible() and box.bounding_box()["width"] > 200
        # The heading sits above the button, not squeezed into a column beside it.
        heading = page.locator(".qa-heading").first.bounding_box()
        button = page.get_by_role("button", name="New conversation").bounding_box()
        assert heading["width"] > 300 and button["y"] >= heading["y"] + heading["height"] - 1
        ask(page, "What did Erdoğan offer?", ERDOGAN_OFFER)
        # The answer's start comes into view, not its end: the reader landed on the third quote.
        page.wait_for_function(
            """() => { const chat = document.querySelector('#qa-chat');
                const el = [...chat.querySelectorAll('*')].find(e => e.scrollHeight > e.clientHeight + 5);
                const quote = chat.querySelector('blockquote');
                if (!el || !quote) return false;  // not rendered yet, or not overflowing yet
                const first = quote.getBoundingClientRect().top;
                const shown = el.getBoundingClientRect(); return shown.top - 1 <= first && first < shown.bottom; }""",
            timeout=WAIT_MS,
        )
        page.screenshot(path=str(ARTIFACTS / "phone.png"))
        # The answer runs across the chat: kept clear of the other side, it wrapped at 20 letters.
        chat = page.locator("#qa-chat").bounding_box()
        quote = page.locator("#qa-chat blockquote").first.bounding_box()
        assert quote["width"] > 0.85 * chat["width"], (quote, chat)
        # The chat's clear and copy buttons stand above the answer, not over its first line.
        gap = page.evaluate(
            """() => { const chat = document.querySelector('#qa-chat');
                const scroller = [...chat.querySelectorAll('*')].find(el => el.scrollHeight > el.clientHeight + 5);
                const panel = chat.querySelector('.icon-button-wrapper.top-panel').getBoundingClientRect();
                return scroller.getBoundingClientRect().top - panel.bottom; }"""
        )
        assert gap >= 0, gap
        page.locator("#qa-sidebar .toggle-button").click()  # and it still opens
        page.wait_for_selector("#qa-sidebar.open", timeout=WAIT_MS)
    finally:
        phone.close()
    # On a wide screen it starts open, as before.
    wide = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        page = open_chat(wide, chat_url)
        page.wait_for_timeout(1000)
        assert page.locator("#qa-sidebar.open").count() == 1
    finally:
        wide.close()


def test_two_tabs_are_two_conversations_and_new_conversation_starts_afresh(context, chat_url):
    first, second = open_chat(context, chat_url), open_chat(context, chat_url)
    blank = second.get_by_placeholder("Ask about the documents…")
    blank.fill("   ")
    for _ in range(3):  # a blank message, sent again and again, is neither shown nor answered
        blank.press("Enter")
    ask(first, "How long did the Biden-Zelensky call last?", "hour and 20 minutes")
    assert second.locator("#qa-chat .message").count() == 0
    ask(second, "Did Putin accept?", PUTIN_ACCEPTED)
    assert second.locator("#qa-chat .message.user").count() == 1
    assert "Searched for" not in chat_text(second)  # the other tab's question is not this one's topic

    first.get_by_role("button", name="New conversation").click()
    example = first.locator("#qa-chat").get_by_text("What did Erdoğan offer?")
    example.click()  # the examples are back, and one click asks
    wait_for_chat(first, ERDOGAN_OFFER)
    ask(first, "Did Putin accept?", PUTIN_ACCEPTED)
    assert "Searched for: Did Putin accept? (+ offer Erdoğan)" in chat_text(first)


def test_a_reload_keeps_the_conversation_and_its_settings_until_a_new_one(context, chat_url):
    """A reader who reloaded the page lost the conversation, the quotes per answer and the dates
    they had set, without a word."""
    page = open_chat(context, chat_url)
    page.get_by_label("Quotes per answer").first.fill("5")
    page.get_by_label("Quotes per answer").first.press("Enter")
    ask(page, "What did Erdoğan offer?", ERDOGAN_OFFER)
    page.wait_for_timeout(500)  # the browser keeps it after the answer
    page.reload()
    wait_for_chat(page, ERDOGAN_OFFER)
    assert page.get_by_label("Quotes per answer").first.input_value() == "5"
    ask(page, "Did Putin accept?", PUTIN_ACCEPTED)
    assert "Searched for: Did Putin accept? (+ offer Erdoğan)" in chat_text(page)
    assert page.locator("#qa-chat blockquote").count() >= 6  # five quotes an answer, as set
    page.get_by_role("button", name="New conversation").click()
    page.wait_for_timeout(500)
    page.reload()
    page.get_by_placeholder("Ask about the documents…").wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(1000)
    assert "Erdoan" not in chat_text(page)
    # The settings stay the reader's: kept by a new conversation, and as soon as they change.
    assert page.get_by_label("Quotes per answer").first.input_value() == "5"
    page.get_by_text("Limit the search").click()
    page.get_by_label("Until").fill("2022-12-31")
    page.get_by_label("Until").press("Tab")
    page.wait_for_timeout(500)
    page.reload()
    page.get_by_placeholder("Ask about the documents…").wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(1000)
    page.get_by_text("Limit the search (dates set)").wait_for(timeout=WAIT_MS)  # folded, it says so
    page.get_by_text("Limit the search").click()
    assert page.get_by_label("Until").input_value() == "2022-12-31"


QUESTION_IN_VIEW = """() => { const chat = document.querySelector('#qa-chat');
    const el = [...chat.querySelectorAll('*')].find(e => e.scrollHeight > e.clientHeight + 5);
    const asked = [...chat.querySelectorAll('.message.user')].pop();
    if (!el || !asked) return false;
    const top = asked.getBoundingClientRect().top, shown = el.getBoundingClientRect();
    return shown.top - 1 <= top && top < shown.top + 0.5 * shown.height; }"""


def test_an_answer_and_a_reload_show_the_question_clear_of_the_chats_buttons(context, chat_url):
    """On a wide screen the chat's clear and copy buttons covered the end of the question shown
    at the top of its answer ("Did Putin accep"), and a reload showed the last answer's end,
    its question and first quotes out of sight (a reader's)."""
    page = open_chat(context, chat_url)
    page.get_by_label("Quotes per answer").first.fill("10")
    page.get_by_label("Quotes per answer").first.press("Enter")
    ask(page, "What did Erdoğan offer?", ERDOGAN_OFFER)
    page.wait_for_function(QUESTION_IN_VIEW, timeout=WAIT_MS)
    gap = page.evaluate(
        """() => { const chat = document.querySelector('#qa-chat');
            const scroller = [...chat.querySelectorAll('*')].find(el => el.scrollHeight > el.clientHeight + 5);
            const panel = chat.querySelector('.icon-button-wrapper.top-panel').getBoundingClientRect();
            return scroller.getBoundingClientRect().top - panel.bottom; }"""
    )
    assert gap >= 0, gap
    page.wait_for_timeout(500)  # the browser keeps the conversation after the answer
    page.reload()
    wait_for_chat(page, ERDOGAN_OFFER)
    page.wait_for_function(QUESTION_IN_VIEW, timeout=WAIT_MS)


def test_a_reloaded_tab_keeps_its_own_conversation_and_a_new_tab_takes_up_the_last(context, chat_url):
    """A reader reloaded one tab after asking in another: the reloaded tab showed the other
    tab's conversation, and its own was lost."""
    first = open_chat(context, chat_url)
    ask(first, "What did Erdoğan offer?", ERDOGAN_OFFER)
    first.wait_for_timeout(500)
    second = open_chat(context, chat_url)
    wait_for_chat(second, ERDOGAN_OFFER)  # a new tab takes up the last conversation
    second.get_by_role("button", name="New conversation").click()
    # Its reply empties the chat and the message box together: a question typed before it came
    # back was emptied with the box on a busy machine, and never asked.
    second.wait_for_function("document.querySelectorAll('#qa-chat .message').length === 0", timeout=WAIT_MS)
    ask(second, "How long did the Biden-Zelensky call last?", "hour and 20 minutes")
    second.wait_for_timeout(500)
    first.reload()
    wait_for_chat(first, ERDOGAN_OFFER)
    assert "hour and 20 minutes" not in chat_text(first)
    second.reload()
    wait_for_chat(second, "hour and 20 minutes")
    assert "Erdoan" not in chat_text(second)


def test_the_chats_clear_button_forgets_the_questions_too(context, chat_url):
    """It emptied the chat but not the questions kept for follow-ups: "more" after it went on
    with a cleared question, and a follow-up was read with the cleared topic."""
    page = open_chat(context, chat_url)
    ask(page, "What did Erdoğan offer?", ERDOGAN_OFFER)
    page.locator("#qa-chat").get_by_role("button", name="Clear").click()
    page.wait_for_function("!(document.querySelector('#qa-chat')?.innerText || '').includes('Erdoan')")
    ask(page, "How long did the Biden-Zelensky call last?", "hour and 20 minutes")
    ask(page, "tell me more", "Searched for: How long did the Biden-Zelensky call last?")
    assert "Searched for: What did Erdoğan offer?" not in chat_text(page)


def test_clearing_the_chat_while_an_answer_comes_in_stops_it(context, seed_index):
    """The answer still coming in showed the cleared chat again, and the next question was read
    with a cleared one in place of its own."""
    assistant = Assistant(seed_index)
    earlier_seen: list[list] = []
    reply = assistant.reply

    def slow_reply(text, earlier, *args, **kwargs):
        earlier_seen.append([m.get("content") for m in earlier if isinstance(m, dict) and m.get("role") == "user"])
        if "call" in text:
            time.sleep(3)
        return reply(text, earlier, *args, **kwargs)

    assistant.reply = slow_reply
    app = build_app(assistant)
    url = start(app, "127.0.0.1", free_port())
    try:
        page = open_chat(context, url)
        ask(page, "What did Erdoğan offer?", ERDOGAN_OFFER)
        box = page.get_by_placeholder("Ask about the documents…")
        box.fill("How long did the Biden-Zelensky call last?")
        box.press("Enter")
        page.wait_for_timeout(1000)
        page.locator("#qa-chat").get_by_role("button", name="Clear").click()
        page.wait_for_timeout(4000)  # the slow answer would have arrived by now
        assert "hour and 20 minutes" not in chat_text(page) and "Erdoan" not in chat_text(page)
        ask(page, "Did Putin accept?", PUTIN_ACCEPTED)
        assert earlier_seen[-1] == []  # read on its own
    finally:
        app.close()


def test_a_question_shows_as_typed_and_a_bad_date_is_named_as_on_the_page(context, chat_url):
    page = open_chat(context, chat_url)
    typed = "What did <b>Erdoğan</b> *offer* <img src=x onerror=alert(1)>?"

    ask(page, typed, ERDOGAN_OFFER)

    mine = page.locator("#qa-chat .message.user").last
    assert mine.inner_text().strip() == typed  # markup in a question shows, never renders
    assert mine.locator("b, em, img").count() == 0
    ask(page, "Did Putin accept?", PUTIN_ACCEPTED)  # and the conversation goes on from it
    assert "(+ offer Erdoğan)" in chat_text(page)

    page.get_by_text("Add or remove documents").click()
    page.get_by_label("Document to remove").wait_for(timeout=WAIT_MS)  # named for a screen reader too
    page.get_by_text("Limit the search").click()
    page.get_by_label("From").fill("2024-31-05")
    ask(page, "What did Erdoğan offer?", "From '2024-31-05' is no day of the calendar: check the month and the day")


def test_hostile_document_shows_as_literal_text_and_runs_nothing(browser, seed_index, tmp_path):
    manifest = json.loads((seed_index / "manifest.json").read_text(encoding="utf-8"))
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    shutil.copytree(manifest["seeds"], seeds)
    shutil.copytree(seed_index, index)
    hostile = write(tmp_path / "upload" / "quokka <i>report.txt", HOSTILE)
    app = build_app(Assistant(index, seeds=seeds))
    url = start(app, "127.0.0.1", free_port())
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    dialogs: list[str] = []
    try:
        page = open_chat(context, url)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.get_by_text("Add or remove documents").click()
        page.locator("input[type=file]").set_input_files(str(hostile))
        page.get_by_text("Added: uploads/quokka ireport.txt (7 sentences)").wait_for(timeout=WAIT_MS)
        page.wait_for_function("() => document.title.startsWith('qa · ask 2 documents')", timeout=WAIT_MS)
        page.locator("input[type=number]").first.fill("10")
        page.locator("input[type=number]").first.press("Enter")
        ask(page, "What was found in the burrow by the quokka?", "The quokka")
        for payload in PAYLOADS:
            wait_for_chat(page, payload)  # all six quotes, streamed in
        for summary in page.locator("#qa-chat details summary").all():
            summary.click()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)

        assert HOSTILE_TITLE in page.locator("#qa-docs").inner_text()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert dialogs == []
        chat = page.locator("#qa-chat")
        assert chat.locator("script, img[src='x'], h1, a[href^='javascript']").count() == 0
        assert chat.locator("b", has_text="html").count() == 0
        assert page.locator("img[src='x']").count() == 0
    finally:
        context.close()
        app.close()


def test_a_long_collection_folds_its_list_under_the_controls_and_a_new_file_shows(browser, tmp_path, monkeypatch):
    monkeypatch.setattr(web, "DOCS_OPEN", 3)  # what 12 and 100 do to a real collection, on a small one
    monkeypatch.setattr(web, "DOCS_LISTED", 4)
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    for day in range(1, 8):
        header = f"Tide table {day}\n2024010{day}\nhttps://port.example.org/tides/{day}\n"
        write(tmp_path / f"tide-{day}.txt", f"{header}The tide on day {day} rose {day} m.\n")
        if day < 7:
            shutil.copy(tmp_path / f"tide-{day}.txt", seeds / f"tide-{day}.txt")
    app = build_app(Assistant(index, seeds=seeds))
    url = start(app, "127.0.0.1", free_port())
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        page = open_chat(context, url)
        panel = page.get_by_text("Documents (6)")
        assert page.locator("#qa-docs").is_hidden()  # folded, below the search controls
        assert page.get_by_text("Quotes per answer").bounding_box()["y"] < panel.bounding_box()["y"]
        panel.click()
        listed = page.locator("#qa-docs").inner_text()
        assert "Tide table 6" in listed and "Tide table 2" not in listed and "… and 2 older" in listed

        shutil.copy(tmp_path / "tide-7.txt", seeds / "tide-7.txt")
        page.wait_for_timeout(1000 * (SEEDS_CHECK_SECONDS + 0.5))  # an open index looks this often
        ask(page, "How high did the tide rise on day 7?", "rose 7 m.")
        page.get_by_text("Documents (7)").wait_for(timeout=WAIT_MS)  # the panel catches up with the files
        page.wait_for_function("() => document.title.startsWith('qa · ask 7 documents')", timeout=WAIT_MS)
    finally:
        context.close()
        app.close()


def test_removing_an_upload_asks_first_and_a_no_keeps_it(browser, seed_index, tmp_path):
    manifest = json.loads((seed_index / "manifest.json").read_text(encoding="utf-8"))
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    shutil.copytree(manifest["seeds"], seeds)
    shutil.copytree(seed_index, index)
    note = write(tmp_path / "upload" / "quokka.md", "# Quokka census\n\nThe census counted 412 quokkas.\n")
    app = build_app(Assistant(index, seeds=seeds))
    url = start(app, "127.0.0.1", free_port())
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    answers = iter([False, True])  # no, then yes
    asked: list[str] = []

    def reply(dialog):
        asked.append(dialog.message)
        dialog.accept() if next(answers) else dialog.dismiss()

    try:
        page = open_chat(context, url)
        page.on("dialog", reply)
        page.get_by_text("Add or remove documents").click()
        page.locator("input[type=file]").set_input_files(str(note))
        page.get_by_text("Added: uploads/quokka.md (1 sentence)").wait_for(timeout=WAIT_MS)
        remove = page.get_by_role("button", name="Remove", exact=True)
        assert remove.is_disabled()  # nothing picked: nothing to remove
        page.get_by_label("Document to remove").click()
        page.get_by_role("option", name="Quokka census (uploads/quokka.md)").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('button')].some(b => b.innerText.trim() === 'Remove' && !b.disabled)"
        )
        remove.click()
        page.wait_for_timeout(1500)
        assert asked == ["Remove uploads/quokka.md? Its file is deleted from the seeds folder and it leaves the index."]
        assert (seeds / "uploads" / "quokka.md").is_file()  # said no: kept, and nothing said
        assert "Added: uploads/quokka.md" in page.locator(".qa-status").last.inner_text()
        # Picked alone under "Only these documents", its removal says that everything is searched
        # now (the picker's value never reached the removal, which said nothing).
        page.get_by_text("Limit the search").click()
        page.get_by_label("Only these documents").click()
        page.get_by_role("option", name="Quokka census (uploads/quokka.md)").click()
        page.keyboard.press("Escape")
        remove.click()  # still picked: asked again
        page.get_by_text("Removed: uploads/quokka.md").wait_for(timeout=WAIT_MS)
        assert "every document is searched now" in page.locator(".qa-status").last.inner_text()
        assert len(asked) == 2 and not (seeds / "uploads" / "quokka.md").exists()
        page.wait_for_function(
            "() => [...document.querySelectorAll('button')].some(b => b.innerText.trim() === 'Remove' && b.disabled)"
        )
    finally:
        context.close()
        app.close()

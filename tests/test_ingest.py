"""Reading the seeds folder: each file kind, its metadata, and the files that must be skipped."""

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import qa
from conftest import DATA, SEED_DOCUMENT, write
from qa.errors import SeedsError
from qa.formats import read_document
from qa.formats.lines import Spellings
from qa.ingest import read_documents
from qa.split import split_document


def one_document(path: Path, content: str):
    """The document read from a folder holding this one file."""
    write(path, content)
    (doc,), _ = read_documents(path.parent)
    return doc


def test_the_seed_is_a_news_document_with_its_metadata(tmp_path):
    shutil.copy(SEED_DOCUMENT, tmp_path)
    docs, skipped = read_documents(tmp_path)
    assert skipped == []
    (doc,) = docs
    assert doc.kind == "news"
    assert doc.title == "Tensions simmer in UkraineRussia border crisis"
    assert doc.date == "2022-01-27"
    assert doc.url == "https://edition.cnn.com/europe/live-news/ukraine-russia-news-01-27-22/"
    assert doc.doc_id == "cnn-2022-01-27-ukraine-russia-border-crisis.txt"
    raw = SEED_DOCUMENT.read_text(encoding="utf-8").split("\n")
    assert [b.text for b in doc.blocks] == [line for line in raw[3:] if line.strip()]


def test_plain_text_and_markdown_are_titled_by_heading_or_file_name(tmp_path):
    write(tmp_path / "notes" / "field_notes-day1.txt", "We met the mayor.\nShe spoke briefly.\n\nLater, rain.")
    write(tmp_path / "b.md", "Intro line.\n\n# Border report\n\nTroops moved. Tanks too.\n\n## Later\n\nCalm.")
    write(tmp_path / "a.txt", "Title\n2022013\nhttps://x.org\nNot news: the date has seven digits.")
    docs, skipped = read_documents(tmp_path)
    assert skipped == []
    by_id = {d.doc_id: d for d in docs}
    assert [d.doc_id for d in docs] == ["a.txt", "b.md", "notes/field_notes-day1.txt"]
    assert by_id["a.txt"].kind == "text" and by_id["a.txt"].date is None and by_id["a.txt"].title == "Title"
    notes = by_id["notes/field_notes-day1.txt"]
    assert notes.title == "field notes day1"
    assert [b.text for b in notes.blocks] == ["We met the mayor. She spoke briefly.", "Later, rain."]
    md = by_id["b.md"]
    assert md.title == "Border report"
    assert [(b.text, b.section) for b in md.blocks] == [
        ("Intro line.", None),
        ("Troops moved. Tanks too.", "Border report"),
        ("Calm.", "Later"),
    ]


def test_bad_files_are_skipped_by_name_and_the_rest_indexed(tmp_path, caplog):
    write(tmp_path / "good.txt", "A good sentence about trade.")
    write(tmp_path / "latin1.txt", "Caf\xe9 au lait.".encode("latin-1"))
    write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "empty.md", "  \n\n ")
    write(tmp_path / "ignored.csv", "a,b\n1,2")
    write(tmp_path / ".hidden" / "secret.txt", "Hidden folders are not documents.")
    with caplog.at_level(logging.WARNING, logger="qa"):
        docs, skipped = read_documents(tmp_path)
    assert [d.doc_id for d in docs] == ["good.txt", "latin1.txt"]  # a legacy encoding is read
    assert docs[1].blocks[0].text == "Caf\xe9 au lait."
    assert {s.path: s.reason for s in skipped} == {"binary.txt": "binary file", "empty.md": "empty"}
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2 and all("\n" not in w for w in warnings)
    assert any("binary.txt" in w for w in warnings)


def test_files_of_other_types_are_named_not_passed_over_in_silence(tmp_path, caplog):
    write(tmp_path / "good.txt", "A good sentence about trade.")
    write(tmp_path / "story.odt", b"PK\x03\x04")
    write(tmp_path / "tables" / "data.csv", "a,b\n1,2")
    write(tmp_path / ".cache" / "notes.rtf", "hidden, so not said")
    write(tmp_path / "~$story.docx", b"\x00Word's lock file")  # nor is a word processor's lock file
    with caplog.at_level(logging.INFO, logger="qa"):
        docs, skipped = read_documents(tmp_path)
    assert [d.doc_id for d in docs] == ["good.txt"] and not skipped
    # A word processor's file is a document the user meant to be read: a warning says how.
    [(level, odt), (_, other)] = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert level == "WARNING"
    assert (
        odt == "left out story.odt: qa does not read .odt files; save it as .docx, .pdf, .html or .txt to have it read"
    )
    assert other.startswith("left out 1 file of a type qa does not read (.csv): tables/data.csv;")


def test_missing_or_empty_seeds_folder_says_what_to_do(tmp_path):
    import qa

    with pytest.raises(SeedsError, match="does not exist"):
        read_documents(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SeedsError, match="no readable documents"):
        qa.build_index(tmp_path / "empty", tmp_path / "index", progress=False)


@pytest.mark.parametrize("day", ["20241029", "2024-10-29", "2024/10/29"])
def test_the_news_header_takes_its_date_with_or_without_separators(tmp_path, day):
    write(
        tmp_path / "earnings.txt", f"Northwind cuts its outlook\n{day}\nhttps://x.org/nw\nRevenue rose.\nShares fell."
    )
    (doc,), _ = read_documents(tmp_path)
    assert (doc.kind, doc.title, doc.date, doc.url) == (
        "news",
        "Northwind cuts its outlook",
        "2024-10-29",
        "https://x.org/nw",
    )
    assert [b.text for b in doc.blocks] == ["Revenue rose.", "Shares fell."]


def test_a_plain_text_headline_is_its_title_not_a_sentence_to_quote(tmp_path):
    write(
        tmp_path / "ruling.txt",
        "Łódź court overturns protest ban\n\nA court overturned the ban.\n\nThe city may appeal.",
    )
    # Saved with one paragraph per line, and no blank lines.
    write(
        tmp_path / "budget.txt", "Council passes budget\nThe vote was 6-3.\nIt takes effect in July.\nTaxes stay flat."
    )
    docs, _ = read_documents(tmp_path)
    by_id = {d.doc_id: d for d in docs}
    assert by_id["ruling.txt"].title == "Łódź court overturns protest ban"
    assert [b.text for b in by_id["ruling.txt"].blocks] == ["A court overturned the ban.", "The city may appeal."]
    assert by_id["budget.txt"].title == "Council passes budget"
    assert [b.text for b in by_id["budget.txt"].blocks] == [
        "The vote was 6-3.",
        "It takes effect in July.",
        "Taxes stay flat.",
    ]


def assert_silent(script: str, folder: Path) -> None:
    """Run a Python script (given the folder as its argument) in a fresh process: it must
    succeed and print nothing, to stdout or stderr."""
    run = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and run.stderr == ""


def test_the_library_prints_nothing_about_skipped_files(tmp_path):
    """Skipped files are logged and returned, never printed: the program using qa decides (the
    command line shows them). pypdf's own complaints about a damaged PDF stay quiet too."""
    pdf = (Path(__file__).parent / "fixtures" / "report.pdf").read_bytes()
    write(tmp_path / "truncated.pdf", pdf[: len(pdf) // 2])
    write(tmp_path / "empty.md", "")
    write(tmp_path / "good.txt", "A good sentence about trade.")
    script = (
        "import sys, qa; from qa.ingest import read_documents; "
        "docs, skipped = read_documents(__import__('pathlib').Path(sys.argv[1])); "
        "assert [d.doc_id for d in docs] == ['good.txt'] and len(skipped) == 2, skipped"
    )
    assert_silent(script, tmp_path)


def test_a_second_copy_of_a_file_is_skipped_and_named_with_its_twin(tmp_path):
    write(tmp_path / "budget.md", "# Budget\n\nThe council raised taxes by 2%.")
    write(tmp_path / "old" / "copy of budget.md", "# Budget\n\nThe council raised taxes by 2%.")
    write(tmp_path / "other.md", "# Budget\n\nThe council cut taxes by 2%.")
    docs, skipped = read_documents(tmp_path)
    assert [d.doc_id for d in docs] == ["budget.md", "other.md"]
    assert [(s.path, s.reason) for s in skipped] == [("old/copy of budget.md", "the same file as budget.md")]
    # The original, written first, is indexed whatever the names' order ("-" sorts before ".").
    write(tmp_path / "council.txt", "The bridge vote was lost by two.")
    copy = write(tmp_path / "council-copy.txt", "The bridge vote was lost by two.")
    os.utime(copy, ns=(copy.stat().st_atime_ns, (tmp_path / "council.txt").stat().st_mtime_ns + 10**9))
    _, skipped = read_documents(tmp_path)
    assert ("council-copy.txt", "the same file as council.txt") in [(s.path, s.reason) for s in skipped]


def test_a_program_logging_warnings_sees_none_from_a_build_and_a_search(tmp_path):
    """bm25s sets its own logger to DEBUG; a program that asks for warnings only must not get
    its "Building index from tokens"."""
    write(tmp_path / "seeds" / "otters.txt", "Sea otters hold hands while they sleep.")
    script = (
        "import logging, sys; logging.basicConfig(level=logging.WARNING); import qa; "
        "qa.build_index(sys.argv[1] + '/seeds', sys.argv[1] + '/index', progress=False); "
        "assert qa.search('How do otters sleep?', index=sys.argv[1] + '/index')"
    )
    assert_silent(script, tmp_path)


def test_no_readable_document_names_the_skipped_files_and_why(tmp_path):
    write(tmp_path / "seeds" / "empty.md", "")
    write(tmp_path / "seeds" / "noise.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SeedsError, match=r"skipped: empty\.md \(empty\); noise\.txt \(binary file"):
        qa.build_index(tmp_path / "seeds", tmp_path / "index", progress=False)


MINUTES = """\
MARSHFIELD PARISH COUNCIL
Minutes of the meeting held on Monday 3 June 2024
at 7.30 pm in the village hall

Present: Cllr Ann Fisher (Chair), Cllr Bob Grant, Cllr Carol Hughes, Cllr
David Irving, Cllr Emma Jones and Cllr Frank Kelly, with the clerk.

12/24 Play area
The clerk reported that the swings had failed their annual safety in-
spection in May and had been taped off. Replacement seats would cost
about 1,800 pounds, to be met from the general reserve of the council.
Cllr Grant asked whether the supplier offered a well-
known warranty scheme.

13/24 Any other business
None.
"""


def test_a_hand_wrapped_text_is_read_as_its_writer_meant(tmp_path):
    """Lines wrapped by hand are joined and words hyphenated at a line end mended; a line the
    writer ended early (the next word would have fitted) is a line of its own, and a short one
    that does not end as a sentence is a heading, naming the paragraphs under it (the first is
    the title too).
    The date is the one the opening states."""
    write(tmp_path / "minutes.txt", MINUTES)
    (doc,), _ = read_documents(tmp_path)
    assert (doc.title, doc.date) == ("MARSHFIELD PARISH COUNCIL", "2024-06-03")
    assert [(b.section, b.text) for b in doc.blocks] == [
        (
            "MARSHFIELD PARISH COUNCIL",
            "Minutes of the meeting held on Monday 3 June 2024 at 7.30 pm in the village hall",
        ),
        (
            "MARSHFIELD PARISH COUNCIL",
            "Present: Cllr Ann Fisher (Chair), Cllr Bob Grant, Cllr Carol Hughes, Cllr David Irving, "
            "Cllr Emma Jones and Cllr Frank Kelly, with the clerk.",
        ),
        (
            "12/24 Play area",
            "The clerk reported that the swings had failed their annual safety inspection in May and had "
            "been taped off. Replacement seats would cost about 1,800 pounds, to be met from the general "
            "reserve of the council. Cllr Grant asked whether the supplier offered a well-known warranty "
            "scheme.",
        ),
        ("13/24 Any other business", "None."),
    ]


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        # List items are lines of their own, and no headings.
        (
            "Shopping tips\n\n1. Buy milk before noon\n2. Check the eggs\n\nThat is all.",
            ["1. Buy milk before noon", "2. Check the eggs", "That is all."],
        ),
        # Quoted lines read as text, their marks dropped; a bare ">" separates their paragraphs.
        (
            "Re: wall\n\nThanks.\n\n> The repairs to the north wall are scheduled for next\n> week, once the permit "
            "from the council comes through.\n>\n> Bob\n\nBest, Ann",
            [
                "Thanks.",
                "The repairs to the north wall are scheduled for next week, once the permit from the council "
                "comes through.",
                "Bob",
                "Best, Ann",
            ],
        ),
        # Short lines of their own written as sentences stay text.
        (
            "Notes\n\nMeeting moved to Thursday\n\nBring the budget figures\n\nSee you there",
            ["Meeting moved to Thursday", "Bring the budget figures", "See you there"],
        ),
        (
            "Report\n\nSales fell.\n\nPrices rose 5% in March\n\nMore follows.",
            ["Sales fell.", "Prices rose 5% in March", "More follows."],
        ),
        # A line of only spaces, a no-break space or a form feed separates paragraphs.
        (
            "Alpha\n\nBeta is first.\n \n\t\nGamma next.\n\x0c\nDelta too.\n\xa0\nEnd.",
            ["Beta is first.", "Gamma next.", "Delta too.", "End."],
        ),
        # A letter's date under its heading dates it (each quote's source gives it): it heads
        # nothing and is no sentence.
        (
            "Riverton Rowing Club\n\n3 February 2025\n\nDear Members,\n\nThe boathouse reopens in March.",
            ["Dear Members, The boathouse reopens in March."],
        ),
        # A byline names the writer, not the paragraphs under it.
        (
            "Stand upgrade\n\nBy Carmen Vidal | Hoy Almadena\n\nThe council approved the plan on Thursday night.",
            ["By Carmen Vidal | Hoy Almadena", "The council approved the plan on Thursday night."],
        ),
    ],
    ids=["list", "quoted", "short-lines", "unpunctuated-statement", "blank-looking-lines", "letter-date", "byline"],
)
def test_plain_text_lines_that_are_no_headings_are_text_to_quote(tmp_path, text, blocks):
    write(tmp_path / "note.txt", text)
    (doc,), _ = read_documents(tmp_path)
    assert [b.text for b in doc.blocks] == blocks


BUSY = "This report describes the year. It was busy."


@pytest.mark.parametrize(
    "text",
    [
        f"Annual Report 2023\n\nIntroduction\n\n{BUSY}\n\nFinances\n\nWe spent less.",
        f"Annual Report 2023\n\n1. Introduction\n{BUSY}\n\n2. Finances\nWe spent less.",
        f"Annual Report 2023\n===\n\nIntroduction\n------------\n\n{BUSY}\n\nFinances\n--------\n\nWe spent less.",
    ],
    ids=["set-apart", "numbered", "underlined"],
)
def test_headings_set_apart_numbered_or_underlined_name_the_text_under_them(tmp_path, text):
    write(tmp_path / "report.txt", text)
    (doc,), _ = read_documents(tmp_path)
    assert doc.title == "Annual Report 2023"
    sections = [(b.section or "").removeprefix("1. ").removeprefix("2. ") for b in doc.blocks]
    assert [b.text for b in doc.blocks] == [BUSY, "We spent less."]
    assert sections == ["Introduction", "Finances"]


def test_compounds_broken_at_a_line_end_keep_their_hyphen_and_split_words_are_mended(tmp_path):
    """A plain text is wrapped at its spaces and hyphens ("long-⏎term"); a word split by a
    hyphen of its own is one whose tail is no word of the text ("condi-⏎tion")."""
    doc = one_document(
        tmp_path / "study.txt",
        "Kettle study\n\nThe long-\nterm follow-\nup of state-of-the-\nart kettles found the condi-\ntion of "
        "each lid\nfine, in the long term and as a follow up. A well-\nknown test was run. The chair was re-\nelected "
        "and the co-\nauthor said --\nwhich was true.\n",
    )
    assert doc.blocks[0].text == (
        "The long-term follow-up of state-of-the-art kettles found the condition of each lid fine, "
        "in the long term and as a follow up. A well-known test was run. The chair was re-elected and the "
        "co-author said -- which was true."
    )
    # Typeset (a PDF), a word is split wherever it is long, inside a compound too.
    spellings = Spellings.of([])
    assert spellings.join_all(["a cost-effec-", "tive and self-suffi-", "cient plan"]) == (
        "a cost-effective and self-sufficient plan"
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Hostages freed\n\nFour hostages held since 7 October 2023 were released on Saturday.", None),
        ("Rain\n\nOn 29 April 2024 heavy rain began.", None),
        ("Rain\n\nThe most rain recorded since 1 January 1900 fell today.", None),
        # A date at the end of a wrapped sentence is no date line of its own.
        ("Harbour wall\n\nThe wall, built in 1890, was badly damaged in the great storm of\n3 March 1987.", None),
        ("Notice\n\nPublished 8 May 2024.\n\nText here.", "2024-05-08"),
        ("Bulletin\n\nHarbour office bulletin of 8 May 2024\n\nText here.", "2024-05-08"),
        ("RADIO ONE\nBroadcast: Tuesday 11 February 2025, 12.05pm\nTranscript\n\nHOST: Hello.", "2025-02-11"),
        ("Harbour notes\n\nMinutes of the meeting on 8 May 2024\n\nText follows here.", "2024-05-08"),
        ("Talk\n\nInterview recorded in London on 8 May 2024\n\nText.", "2024-05-08"),
        ("Notices\n\nBulletin of 8 May 2024\nThe harbour reopens today after the storm damage.", "2024-05-08"),
        ("Release\n\nLONDON, 3 May 2024 -- The harbour reopened today after repairs.", "2024-05-03"),
        ("Re: wall\n\nThanks.\n\nOn Mon, 6 May 2024, Bob wrote:\n> The repairs are next week.", None),
        ("Stand upgrade\n\nBy Carmen Vidal | Hoy Almadena | 18 April 2025\n\nThe council approved it.", "2025-04-18"),
        ("Fares\n\nBy Tom Reed | Fares rise from 1 June 2024 | Transport\n\nBus fares rise.", None),
        ("Heatwave\n\nTemperatures broke records on Monday — 29 April 2024 — across the south.", None),
        ("Stand\n\nBy Carmen Vidal · 18 April 2025 · Updated 19 April 2025\n\nThe council approved it.", "2025-04-18"),
        # A life or a period is no day the text was written, nor is an advert's last day.
        ("Søren Ødegård\n14 July 1938 – 3 February 2024\n\nHe died at home.\n\nPublished 8 Feb 2024", "2024-02-08"),
        ("Exhibition\n\n1 March 2024 to 30 June 2024\n\nThe museum shows maps.", None),
        ("Deck officer\n\nClosing date: 30 June 2024\n\nApply online.", None),
        # A field further down than the header the text opens with, a revision that has no number.
        ("Committee notes\n\nWe met.\n\n" + "Items.\n\n" * 6 + "4. Next meeting\nDate: 14 October 2025\n", None),
        ("Rules\n\nThis text replaces the revision of 2 May 2019 in full, with changes.\n", None),
        # A transcript's date after the word, a version's date, a header field far down.
        (
            "LODE FM - BREAKFAST\nTranscript - Tuesday 18 March 2025, 07:00-09:00 (speech only)\n\nDEV: Hi.",
            "2025-03-18",
        ),
        ("Survey report\n\nVersion 1.1 – 30 July 2025 (this version corrects Table 2)\n\nText.", "2025-07-30"),
        (
            "-----BEGIN SECURITY ADVISORY-----\n\nAdvisory KFSA-2024-02\n=====================\n\n"
            + "".join(f"Field {n}:   value {n}\n" for n in range(8))
            + "Published:   2024-10-03\nLast updated: 2024-10-09\n\nA flaw was found.\n",
            "2024-10-03",
        ),
    ],
)
def test_a_plain_texts_date_is_the_one_its_opening_gives_as_its_own(tmp_path, text, day):
    write(tmp_path / "note.txt", text)
    (doc,), _ = read_documents(tmp_path)
    assert doc.date == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("# Bees\n\nA. Kowal, B. Nowak\n\nReceived 4 September 2023 · Published 11 March 2024\n\nText.", "2024-03-11"),
        ("# Corner\n\n*Green City Quarterly · Interview by A. Bak · 20 May 2024*\n\nIn March, we met.", "2024-05-20"),
        ("---\ndate: 2024-01-02\n---\n# Bees\n\nPublished 11 March 2024\n\nText.", "2024-01-02"),
        ("# Rain\n\nOn 29 April 2024 heavy rain began in the south of the state.", None),
        ("# Flood timeline\n\n| Event | Date |\n|--|--|\n| Heavy rain began | 29 April 2024 |\n", None),
    ],
)
def test_a_markdown_date_is_its_front_matters_or_the_one_its_opening_gives(tmp_path, text, day):
    write(tmp_path / "note.md", text)
    (doc,), _ = read_documents(tmp_path)
    assert doc.date == day


@pytest.mark.parametrize(
    ("text", "title", "blocks"),
    [
        # Wrapped by hand: the second line continues the first, it is no paragraph of its own.
        (
            "The council voted on the budget late on\nTuesday night after a long debate.",
            "note",
            ["The council voted on the budget late on Tuesday night after a long debate."],
        ),
        ("https://example.com/story\n\nBody text here.", "note", ["https://example.com/story", "Body text here."]),
        ("2024-06-12\n\nBody text here.", "note", ["2024-06-12", "Body text here."]),
        ("Only a headline", "note", ["Only a headline"]),
    ],
    ids=["wrapped", "url-first", "date-first", "one-line"],
)
def test_plain_text_that_has_no_headline_keeps_its_lines(tmp_path, text, title, blocks):
    write(tmp_path / "note.txt", text)
    (doc,), _ = read_documents(tmp_path)
    assert (doc.title, [b.text for b in doc.blocks]) == (title, blocks)


EMAIL = """From: Theo Lefevre <theo@support.example.com>
To: Anna Nowak <anna@mail.example.pl>
Date: Fri, 14 Mar 2025 09:12:40 +0100
Subject: Re: RE: T4 red blinking light after installation

Hi Anna,

Glad to hear the extender solved it. Since your thermostat was bought less than 30 days ago, \
we will refund the 29.90 you paid for the kit to the card you used for the purchase.

Best regards,
Theo Lefevre
Customer Support | Hearthline by Brightwater Controls
Mon-Fri 8:00-18:00 CET | +49 30 5557 1200

On Thu, 13 Mar 2025 at 21:47, Anna Nowak <anna@mail.example.pl> wrote:
> Hello Theo,
>
> The kit arrived on Tuesday and my brother-in-law installed it in about twenty minutes, so I think it works now.
> Second, the morning schedule starts at 07:30 instead of 06:30. Is this something I did wrong?
"""


def test_an_email_saved_as_text_is_titled_by_its_subject_and_dated_by_its_header(tmp_path):
    """The subject (without "Re:") is the title, the day it was sent the date; who wrote to
    whom stays text. A greeting reads with the paragraph it opens and a signature with its
    sign-off ("Dear Mayor," came first for "What did the mayor say?", a signature's last line
    "Harbour Master, Porto Velha" for "Who is the harbour master?"), and the line over a quoted
    reply is no part of the greeting under it."""
    write(tmp_path / "thread.txt", EMAIL)
    (doc,), _ = read_documents(tmp_path)
    assert (doc.title, doc.date) == ("T4 red blinking light after installation", "2025-03-14")
    assert [b.text[:40] for b in doc.blocks] == [
        "From: Theo Lefevre <theo@support.example",
        "To: Anna Nowak <anna@mail.example.pl>",
        "Hi Anna, Glad to hear the extender solve",
        "Best regards, Theo Lefevre, Customer Sup",
        "On Thu, 13 Mar 2025 at 21:47, Anna Nowak",
        "Hello Theo, The kit arrived on Tuesday a",
        "Second, the morning schedule starts at 0",
    ]
    assert all(b.text.endswith("wrote:") for b in doc.blocks if "On Thu" in b.text)
    # The signature's lines apart by commas: run together, "Renee Castellanos Head of Parking
    # Services Wexcombe Borough Council" read as one long title.
    signed = next(b.text for b in doc.blocks if b.text.startswith("Best regards"))
    assert signed.startswith("Best regards, Theo Lefevre, Customer Support")
    # Five lines of a business's signature, a blank line under the sign-off: each was a sentence
    # ("Chief Executive" came first for "What is her salary?", a new user's).
    letter = "From: D <d@x.org>\nTo: G <g@x.org>\nSubject: Closures\n\nDear Ms Prys-Jones,\n\n"
    letter += "The branch will close on 23 June as planned.\n\nYours sincerely,\n\nDorota Ząbkowska\n"
    letter += "Chief Executive\nPennine & Marches Building Society\nBroad Street, Ludlow SY8 1NG\n"
    letter += "Tel: 01584 555 200 | www.pmbs.co.uk\n"
    write(tmp_path / "letter.txt", letter)
    docs, _ = read_documents(tmp_path)
    assert next(d for d in docs if d.doc_id == "letter.txt").blocks[-1].text == (
        "Yours sincerely, Dorota Ząbkowska, Chief Executive, Pennine & Marches Building Society, "
        "Broad Street, Ludlow SY8 1NG, Tel: 01584 555 200 | www.pmbs.co.uk"
    )


def test_an_emails_body_wrapped_by_hand_is_read_as_its_sentences(tmp_path):
    """Each line of an email's body was a paragraph of its own: a sentence wrapped at 55
    characters was quoted as three pieces."""
    mail = "From: A <a@x.org>\nTo: B <b@x.org>\nSubject: Lease\n\nHi Bob,\n\n"
    mail += "The lease on the boathouse runs out in June, and the\ncouncil wants 30,000 euros a year for a new one,"
    mail += " which\nis twice what we pay now.\n\nBest,\nAnn\n"
    write(tmp_path / "lease.txt", mail)
    (doc,), _ = read_documents(tmp_path)
    assert [b.text for b in doc.blocks] == [
        "From: A <a@x.org>",
        "To: B <b@x.org>",
        "Hi Bob, The lease on the boathouse runs out in June, and the council wants 30,000 euros a year for a "
        "new one, which is twice what we pay now.",
        "Best, Ann",
    ]
    # A body written a sentence a line keeps its lines; a closing that is no sign-off, or lines
    # after it that are no signature (a quoted reply's "… wrote:"), stay as they were; a greeting
    # opens the text under it, in its paragraph too, but not a heading or a list, and "Hi-tech"
    # greets no one.
    header = "From: A <a@x.org>\nTo: B <b@x.org>\nSubject: Lease\n\n"
    for text, blocks in [
        (
            header + "The lease runs out in June.\nWork starts in April.\nThe contractor is Dragados.\nOk.\n",
            ["The lease runs out in June.", "Work starts in April."],
        ),
        (header + "Yes.\n\nThanks,\nAnn\nOn Sun, 2 Mar 2025, Bob wrote:\n> Monday?\n", ["Thanks,", "Ann"]),
        ("We met.\n\nThank you.\nHOST: Next question.\nGUEST: Sure.\n", ["Thank you.", "HOST: Next question."]),
        ("We met.\n\nThanks,\n- the hall\n- the chairs\n", ["Thanks,", "the hall"]),
        ("Dear Mayor,\nI write about the dredging.\n\nIt is late.\n", ["Dear Mayor, I write about the dredging."]),
        ("Dear Mayor,\n\nHARBOUR DREDGING\n\nIt is late again this year.\n", ["Dear Mayor,"]),
        ("Hi all,\n\n1. The dredger arrives on Monday.\n", ["Hi all,", "1. The dredger arrives on Monday."]),
        ("Hi-tech firms:\n\nThe port hosts twelve of them.\n", ["Hi-tech firms:", "The port hosts twelve of them."]),
    ]:
        write(tmp_path / "other" / "t.txt", text)
        (doc,), _ = read_documents(tmp_path / "other")
        texts = [b.text for b in doc.blocks if not b.text.startswith(("From:", "To:"))]
        assert texts[: len(blocks)] == blocks or texts[1 : len(blocks) + 1] == blocks, texts


PRESS_RELEASE = """FOR IMMEDIATE RELEASE

Northfell Water announces £45 million Brackwater Community Recovery Fund

Millbeck, 19 September 2024 — Northfell Water plc today announced a £45 million fund for the households
affected by the failure of Brackwater Dam.

The fund will make three kinds of payment:

- Household grants of up to £25,000 for families whose homes were flooded;
- Business recovery grants of up to £50,000.

Helen Marsh-Okafor, Chief Executive of Northfell Water, said:

"The panel has told us plainly that we got things wrong, and I am sorry. Nothing we do can undo that."

ENDS

Media contact:
Northfell Water Press Office
Tel: +44 (0)1632 960 415
Email: press@northfellwater.example.co.uk

Follow us: @NorthfellWater
"""


def test_a_press_release_is_titled_by_its_headline_and_dated_by_its_dateline(tmp_path):
    """From a new user's press release: "FOR IMMEDIATE RELEASE" was its title and the name of
    every section, the contact block quoted line by line ("Tel: +44…"), the date missing; "…,
    said:" was a sentence alone, quoted first for "What did the chief executive say?", apart
    from the words she said; list items kept their "- "."""
    write(tmp_path / "release.txt", PRESS_RELEASE)
    (doc,), _ = read_documents(tmp_path)
    assert (doc.title, doc.date) == (
        "Northfell Water announces £45 million Brackwater Community Recovery Fund",
        "2024-09-19",
    )
    texts = [b.text for b in doc.blocks]
    assert texts[2] == "Household grants of up to £25,000 for families whose homes were flooded;"
    assert texts[4].startswith('Helen Marsh-Okafor, Chief Executive of Northfell Water, said: "The panel has told')
    assert texts[-1].endswith('Nothing we do can undo that."')
    assert not any(text in ("ENDS", "FOR IMMEDIATE RELEASE") or "@" in text or "Tel:" in text for text in texts)
    assert {b.section for b in doc.blocks} == {doc.title}
    # Only a release's own marks: a report's, a story's or a transcript's lines like them stay.
    for text, kept in [
        ("Press inquiries into the fund's spending began in 2019.", "Press inquiries into the fund's spending"),
        ("For further information about the panel's methods, see Annex B.", "For further information about"),
        ("Embargoed electronics made up most of the haul, officials said.", "Embargoed electronics made up"),
        ('INTERVIEWER:\n\n"Why did you not inspect the dam?"', '"Why did you not inspect the dam?"'),
        ("+ 3% for milk, the council said.", "+ 3% for milk"),
    ]:
        write(
            tmp_path / "other" / "t.txt", f"Report\n\nThe dam failed in the night after three days of rain.\n\n{text}\n"
        )
        (doc,), _ = read_documents(tmp_path / "other")
        assert any(b.text.startswith(kept) for b in doc.blocks), [b.text for b in doc.blocks]


def test_the_day_under_a_title_and_headings_in_sentence_case_read_as_set(tmp_path):
    """From a new user's release: "FOR IMMEDIATE RELEASE" over "Sunday 16th March 2025" were
    its first two sentences, and of its headings in sentence case ("Updated figures", "Notes
    to editors") only "Staff", a title-case word, headed anything."""
    release = (
        "Harbour trust: ferry service restored after the storm\n\n"
        "FOR IMMEDIATE RELEASE\nSunday 16th March 2025\n\n"
        "The harbour trust confirmed this evening that the ferry runs again. It stopped on Sunday 9 March.\n\n"
        "Updated figures\n\n"
        "In total, 412 sailings were cancelled during the week. The earlier figure covered two days only.\n\n"
        "Staff\n\nMore than 60 crew worked through the storm.\n\n"
        "Notes to editors\n\n1. The trust runs four ferries.\n"
    )
    write(tmp_path / "release.txt", release)
    (doc,), _ = read_documents(tmp_path)
    assert doc.date == "2025-03-16"
    assert [(b.section, b.text) for b in doc.blocks] == [
        (
            doc.title,
            "The harbour trust confirmed this evening that the ferry runs again. It stopped on Sunday 9 March.",
        ),
        (
            "Updated figures",
            "In total, 412 sailings were cancelled during the week. The earlier figure covered two days only.",
        ),
        ("Staff", "More than 60 crew worked through the storm."),
        ("Notes to editors", "1. The trust runs four ferries."),
    ]
    # A transcript's day and place under its title headed every turn.
    doc = one_document(
        tmp_path / "hearing" / "hearing.txt",
        "Harbour committee: evidence session on the storm\n\nWednesday, 2 April 2025, County Hall, Kelvport\n\n"
        "CHAIR: Good morning.\n\nMS LIND: The ferry ran again on 16 March.\n\nCHAIR: Thank you.\n",
    )
    assert doc.date == "2025-04-02"
    assert [b.section for b in doc.blocks] == [f"{doc.title}: CHAIR", f"{doc.title}: MS LIND", f"{doc.title}: CHAIR"]


def test_a_wire_storys_update_mark_and_credits_are_no_text(tmp_path):
    """A wire story's mark "UPDATE 2-" was in its title and every section, and its credits
    "(Reporting by…; editing by…)" a sentence; the story's own brackets stay."""
    doc = one_document(
        tmp_path / "wire.txt",
        "UPDATE 2-Ferry operator halts sailings after engine fire\n\nBy Ann Holt | Nordpress | 8 March 2025\n\n"
        "KELVPORT, March 8 (Nordpress) - The ferry operator halted all sailings on Friday.\n\n"
        "(The operator said the fire was put out within minutes.)\n\n"
        "(Reporting by Ann Holt; additional reporting by Marta Gonçalves; editing by Oliver Brandt)\n",
    )
    assert doc.title == "Ferry operator halts sailings after engine fire"
    assert {b.section for b in doc.blocks} == {doc.title}
    assert [b.text for b in doc.blocks][-1] == "(The operator said the fire was put out within minutes.)"


def test_a_senders_letterhead_an_issued_day_and_a_meetings_day_read_as_set(tmp_path):
    """From a new user's sources: the museum's name over "PRESS RELEASE" was the release's title
    and "PRESS RELEASE" its first sentence; a report was dated by the day of the theft in its
    title, not by "Issued 14 March 2025"; a hearing's "Extraordinary meeting, Monday 17 March
    2025, City Hall, Committee Room 2" dated nothing; "Ref. | SMM-2025-017" was cut in two."""
    doc = one_document(
        tmp_path / "release" / "release.txt",
        "SØNDERGAARD MARITIME MUSEUM\nPRESS RELEASE\n\nFOR IMMEDIATE RELEASE\n\n"
        "Museum and insurer offer DKK 500,000 reward for return of stolen astrolabe\n\n"
        "Aarhus, 10 March 2025 — The Søndergaard Maritime Museum today offered a reward.\n",
    )
    assert doc.title == "Museum and insurer offer DKK 500,000 reward for return of stolen astrolabe"
    assert doc.date == "2025-03-10"
    assert [b.text[:21] for b in doc.blocks] == ["Aarhus, 10 March 2025"]
    doc = one_document(
        tmp_path / "report" / "report.txt",
        "Preliminary Incident Report: Theft of 9 March 2025\n\nTo: the Agency for Culture, Museums Division\n"
        "Ref. SMM-2025-017\n\nIssued 14 March 2025\n\nTwo intruders entered the east gallery on Sunday.\n",
    )
    assert doc.date == "2025-03-14"
    doc = one_document(
        tmp_path / "hearing" / "hearing.txt",
        "City Council: Culture Committee\nExtraordinary meeting, Monday 17 March 2025, City Hall, Committee Room 2\n\n"
        "CHAIR: Good afternoon.\n\nMS BJØRNSTAD: Thank you, Chair.\n\nCHAIR: Please begin.\n",
    )
    assert doc.date == "2025-03-17"
    doc = one_document(
        tmp_path / "minutes" / "minutes.txt",
        "Porthelin District Council\nTuesday 14 October 2025, 18:30, Council Chamber, Porthelin Town Hall\n\n"
        "Present: Councillor Siobhán Ó Dálaigh (Chair) and 16 others.\n",
    )
    assert doc.date == "2025-10-14"  # a time between the day and the place
    # A headline and a dateline over the release's mark are no letterhead.
    doc = one_document(
        tmp_path / "lagoon" / "lagoon.txt",
        "Blue Lagoon extends temporary closure\n\nGrindavík, Iceland – 20 December 2023\n\nFOR IMMEDIATE RELEASE\n\n"
        "Blue Lagoon has decided to extend the closure of its operations.\n",
    )
    assert (doc.title, doc.date) == ("Blue Lagoon extends temporary closure", "2023-12-20")
    # Nor a headline over "PRESS RELEASE" and the story (a review's case); and a date some
    # sentence cues ("The date of the hearing is…") does not outrank the day under the title.
    doc = one_document(
        tmp_path / "museum" / "museum.txt",
        "Harbour Museum Reopens East Wing\nPRESS RELEASE\n\nKOLVIK, 14 March 2025 - The museum reopens on Friday.\n",
    )
    assert doc.title == "Harbour Museum Reopens East Wing"
    assert [b.text for b in doc.blocks] == ["KOLVIK, 14 March 2025 - The museum reopens on Friday."]
    doc = one_document(
        tmp_path / "appeal" / "appeal.txt",
        "Council Sets Appeal Hearing\n14 March 2025\n\nThe date of the appeal hearing is 3 June 2025, we hear.\n",
    )
    assert doc.date == "2025-03-14"


LETTER_BODY = (
    "I read with relief your report of last Tuesday's council meeting, where councillors voted to pay Westlink "
    "Ferries to keep the 07:15 and 18:45 sailings on weekdays this winter. I would like to thank them.\n\n"
    "I came to the island from Kraków in 2014 to work at the fish plant, and I now run the bakery beside the "
    "pier. In 2019 there were eight sailings a day in winter. Since then we have gone to seven, then six.\n"
)


def test_a_quoted_messages_header_and_a_journals_line_under_the_headline_are_no_text(tmp_path):
    """From a new user's sources: the quoted messages of an email thread kept their "Date: …"
    and "Subject: …" lines as sentences, a reply signed "Lucía" alone headed the message it
    quoted, "Dra." was a sentence of its own; an interview's "Pharma Ledger" and "6 November
    2024", under its headline in one paragraph, were its first two sentences."""
    doc = one_document(
        tmp_path / "mail" / "thread.txt",
        "From: Lucía Ferrández <lucia@example.es>\nTo: Ewa Zielińska <ewa@example.com>\n"
        "Date: Tue, 15 Oct 2024 17:48:09 +0200\nSubject: RE: site 0412\n\n"
        "Dear Ewa,\n\nWe reached 22 of our 23 participants.\n\nLucía\n\nDra. Lucía Ferrández\n\n"
        "> From: Ewa Zielińska <ewa@example.com>\n> Date: Mon, 14 Oct 2024 08:02:17 +0200\n"
        "> Subject: site 0412\n>\n> Please contact every participant today.\n",
    )
    texts = [b.text for b in doc.blocks]
    assert "Lucía" not in {b.section for b in doc.blocks}
    assert "From: Ewa Zielińska <ewa@example.com>" in texts  # who wrote stays, as in the header
    assert not any(t.startswith(("Date:", "Subject:")) for t in texts)
    assert {b.section for b in doc.blocks} == {None}
    assert "Dra. Lucía Ferrández" in [s.text for s in split_document(doc)]
    doc = one_document(
        tmp_path / "interview" / "interview.txt",
        '"We would not second-guess the board": the medical chief on the halt\nPharma Ledger\n6 November 2024\n\n'
        "Three weeks after the halt, its chief medical officer spoke to us.\n\nQ: Where were you?\n\nA: Copenhagen.\n",
    )
    assert doc.date == "2024-11-06"
    assert doc.blocks[0].text == "Three weeks after the halt, its chief medical officer spoke to us."
    # A letter's long headline over its paper and day, and "Sir," opening its first paragraph
    # (a third new user's: its title was the file's name, and both lines were sentences).
    doc = one_document(
        tmp_path / "letter" / "letter.txt",
        "Letter to the editor: Three boats a day is no way to live on an island\n"
        "The Porthelin Courier, Monday 20 October 2025\n\nSir,\n\n" + LETTER_BODY,
    )
    assert doc.title == "Letter to the editor: Three boats a day is no way to live on an island"
    assert doc.date == "2025-10-20"
    assert doc.blocks[0].text.startswith("Sir, I read with relief your report of last Tuesday's council meeting")
    # A memo's own header is its text, a heading over a "Date:" field heads it, and a fact
    # with a day under a headline is a sentence (a review's cases).
    doc = one_document(
        tmp_path / "memo" / "memo.txt",
        "MEMORANDUM\n\nTo: All staff\nFrom: Facilities\nDate: 3 May 2024\nSubject: Car park closure\n\n"
        "Next Meeting\n\nDate: 3 June 2025\n\nThe car park closes on Friday.\n",
    )
    assert doc.date == "2024-05-03" and "Subject: Car park closure" in [b.text for b in doc.blocks]
    assert ("Next Meeting", "Date: 3 June 2025") in [(b.section, b.text) for b in doc.blocks]
    write(tmp_path / "ferry" / "ferry.txt", "Ferry Service Suspended\nNo sailings until 3 June 2025\n\nIt is out.\n")
    (doc,), _ = read_documents(tmp_path / "ferry")
    assert doc.blocks[0].text == "No sailings until 3 June 2025"


def test_an_earnings_calls_speakers_in_mixed_case_head_their_turns(tmp_path):
    """A new user's earnings call: "Matthias Züger, Chief Financial Officer: …" and "Operator:"
    turns were all under the title (only names in capitals were speakers); a tribunal's form
    fields ("Claimant:       Ms D Nørgaard") and an email's "From:" lines are no speakers."""
    doc = one_document(
        tmp_path / "call" / "call.txt",
        "Lémanique Q3 2025 call\n\n"
        "Operator: Good morning, and welcome to the call. Please go ahead.\n\n"
        "Matthias Züger, Chief Financial Officer: We have restated first-half EBIT to CHF 17.6 million. "
        "Net profit is unchanged.\n\n"
        "Operator: The first question comes from Chiara Bellù.\n\n"
        "Analyst: How did the misclassification get through your controls?\n\n"
        "Matthias Züger, Chief Financial Officer: Our auditors found it.\n\n"
        "Analyst: Thank you.\n",
    )
    sections = [(b.section, b.text) for b in doc.blocks]
    speaker = "Lémanique Q3 2025 call: Matthias Züger, Chief Financial Officer"
    assert (speaker, "Net profit is unchanged.") in [(s.section, s.text) for s in split_document(doc)]
    assert sections[0][0] == "Lémanique Q3 2025 call: Operator"
    assert sections[3][0] == "Lémanique Q3 2025 call: Analyst"
    doc = one_document(
        tmp_path / "form" / "form.txt",
        "EMPLOYMENT TRIBUNALS\n\nClaimant:       Ms D Nørgaard\nRespondent:     Calderbrook Logistics\n\n"
        "Heard at: Leeds\n\nClaimant:       Mr R Okonkwo, counsel\nRespondent:     Ms L Fairclough, solicitor\n\n"
        "The claim succeeds.\n",
    )
    assert not any(b.section and b.section.endswith(("Claimant", "Respondent")) for b in doc.blocks)


def test_a_pipe_table_in_a_text_and_a_dateline_of_its_own_head_nothing(tmp_path):
    """A new user's stock-exchange announcement: "|---|---|" was a sentence, the table's header
    row "| Item | Detail |" headed every paragraph after the table, and the dateline "Vevey, 15
    September 2025, 07:00 CEST" the ones before it."""
    doc = one_document(
        tmp_path / "ad-hoc.txt",
        "Lémanique: Board recommends cash offer at CHF 41.20 per share\n\nVevey, 15 September 2025, 07:00 CEST\n\n"
        "Østergaard Foods will launch a public tender offer for all shares.\n\n"
        "| Item | Detail |\n|---|---|\n| Offer price | CHF 41.20 per share, in cash |\n| Shares | 28,640,000 |\n\n"
        "The Fondation Dufaux, which holds 29.6% of the shares, will tender them.\n",
    )
    assert doc.date == "2025-09-15"
    assert {b.section for b in doc.blocks} == {doc.title}
    texts = [b.text for b in doc.blocks]
    assert "| Offer price | CHF 41.20 per share, in cash |" in texts
    assert not any(t.startswith(("|---", "| Item")) for t in texts)


def test_a_scanned_letters_page_breaks_and_signature_read_as_written(tmp_path):
    """From a new user's OCR'd letter: "Page 1 of 3" and the scan's stamp were sentences, cutting
    "…on the north wall of" from "Building 7."; the signature's "Fire Chief, Kolvik Fire and
    Rescue", apart from "Yours faithfully," and the name, came first for "Who leads it?"."""
    letter = (
        "KOLVIK FIRE AND RESCUE\n\nThe most probable cause of ignition was an overheated charger\n"
        "at the battery charging station, on the north wall of\n\nPage 1 of 3\nSCANNED BY KOLVIK RECORDS"
        " 02/04/2024\n\nBuilding 7. The thermal cut-out had been bypassed.\n\nYours faithfully,\n\n"
        "Malgorzata Wisniewska\nFire Chief, Kolvik Fire and Rescue\n\n\nPage 3 of 3\n"
    )
    write(tmp_path / "letter.txt", letter)
    (doc,), _ = read_documents(tmp_path)
    assert [b.text for b in doc.blocks] == [
        "The most probable cause of ignition was an overheated charger at the battery charging station, on the"
        " north wall of Building 7. The thermal cut-out had been bypassed.",
        "Yours faithfully, Malgorzata Wisniewska, Fire Chief, Kolvik Fire and Rescue",
    ]


def test_a_memo_with_one_header_line_is_plain_text(tmp_path):
    write(tmp_path / "memo.txt", "From: the clerk\n\nThe hall will be closed on Friday for repairs to the roof.\n")
    (doc,), _ = read_documents(tmp_path)
    assert doc.title == "memo"  # no headline: "From: …" is no heading
    assert [b.text[:20] for b in doc.blocks] == ["From: the clerk", "The hall will be clo"]


def test_a_hand_wrapped_text_with_two_long_addresses_is_still_read_as_wrapped(tmp_path):
    wrapped = (
        "Grant for the harbour wall\n\nThe harbour wall will be repaired this summer after the town\n"
        "received a grant of 1.2 million pounds from the coastal fund, the\nclerk said on Monday. "
        "The committee chair, Councillor Jean\nHolloway, said the town had waited six years for the "
        "money and\nthanked the minister for the decision.\n\n"
        "https://example.org/news/2024/05/harbour-wall-grant-approved-by-the-coastal-fund-after-six-years-of-waiting\n"
        "https://example.org/documents/coastal-fund/decisions/2024/harbour-wall-grant-letter-signed-by-the-minister.pdf\n"
    )
    write(tmp_path / "grant.txt", wrapped)
    (doc,), _ = read_documents(tmp_path)
    assert doc.blocks[0].text.startswith("The harbour wall will be repaired") and "Jean Holloway, said" in (
        doc.blocks[0].text
    )


def test_a_memos_own_fields_after_its_header_are_its_text():
    memo = (
        "From: Town Clerk <clerk@x.org>\nTo: All councillors\nSubject: Extra council meeting\n"
        "Date: Mon, 3 Mar 2025 09:00:00 +0000\nMessage-ID: <abc@x.org>\nTime: 7 pm on Thursday 6 March\n"
        "Place: Town hall, committee room 2\n\nPlease let me know if you cannot come.\n"
    )
    doc = read_document(memo.encode(), "memo.txt")
    assert (doc.title, doc.date) == ("Extra council meeting", "2025-03-03")
    text = "\n".join(b.text for b in doc.blocks)
    assert "Place: Town hall, committee room 2" in text and "Message-ID" not in text


def test_a_text_of_one_paragraph_per_line_and_a_list_of_long_items_keeps_its_lines(tmp_path):
    minutes = "Questions from the public\n\n" + "".join(
        f"{name} asked why the bus to the hospital no longer stops at the market square on Sundays, "
        "and the clerk promised a written answer within a fortnight of the meeting.\n"
        for name in ("Mr Reed", "Ms Patel", "Dr Evans")
    )
    minutes += "\n" + "".join(f"- Item {n}: the clerk will write to the bus company\n" for n in range(1, 9))
    write(tmp_path / "minutes.txt", minutes)
    (doc,), _ = read_documents(tmp_path)
    assert [b.text[:9] for b in doc.blocks[:3]] == ["Mr Reed a", "Ms Patel ", "Dr Evans "]


def test_the_date_lines_of_a_diary_head_its_days(tmp_path):
    """A letter's one date line heads nothing; a diary's several head their days."""
    diary = "Site diary\n\nMonday 3 March 2025\n\nThe crane arrived at eight.\n\n"
    diary += "Tuesday 4 March 2025\n\nRain stopped work.\n"
    write(tmp_path / "diary.txt", diary)
    (doc,), _ = read_documents(tmp_path)
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("Monday 3 March 2025", "The crane arrived at eight."),
        ("Tuesday 4 March 2025", "Rain stopped work."),
    ]


def test_a_transcripts_speaker_is_the_section_of_every_sentence_of_their_turn():
    transcript = "Press conference\n\nKINGA OSTROWSKA: Good morning. Director Aksoy.\n\n"
    transcript += "[00:01:05] ÜMIT AKSOY: Thank you. The temperature at the front is 38 degrees.\n\n"
    transcript += "JOURNALIST (Marek Sołtys, TVR): When will you reach them?\n\nÜMIT AKSOY: I will not give a time.\n"
    doc = read_document(transcript.encode(), "press.txt")
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("Press conference: KINGA OSTROWSKA", "KINGA OSTROWSKA: Good morning. Director Aksoy."),
        (
            "Press conference: [00:01:05] ÜMIT AKSOY",
            "ÜMIT AKSOY: Thank you. The temperature at the front is 38 degrees.",
        ),
        (
            "Press conference: JOURNALIST (Marek Sołtys, TVR)",
            "JOURNALIST (Marek Sołtys, TVR): When will you reach them?",
        ),
        ("Press conference: ÜMIT AKSOY", "ÜMIT AKSOY: I will not give a time."),
    ]
    # Turns on lines of their own, with no blank line between them, are still turns.
    lines = "The Visit\n\nHOST: Welcome back to the programme. Tonight we talk about the harbour.\n"
    lines += "MAYOR: Thank you for having me.\nHOST: Will the ferry run next year?\nMAYOR: It will, with two boats.\n"
    assert [b.section for b in read_document(lines.encode(), "visit.txt").blocks] == [
        "The Visit: HOST",
        "The Visit: MAYOR",
        "The Visit: HOST",
        "The Visit: MAYOR",
    ]
    # A turn runs on over paragraphs until the next speaker; a speaker on a line of their own
    # names what follows, and a transcriber's note ends the turn, no sentence to quote itself
    # (nor a time alone, "[10:05]").
    meeting = "Meeting\n\nCHAIR:\nWelcome. We start with the lease.\n\nOKAFOR: The lease costs 30,000 euros.\n\n"
    meeting += "It was 20,000 last year.\n\n[10:05]\n\nCHAIR: Thank you.\n\n[End of recording]\n\nNotes by the clerk.\n"
    assert [(b.section, b.text) for b in read_document(meeting.encode(), "meeting.txt").blocks] == [
        ("Meeting: CHAIR", "Welcome. We start with the lease."),
        ("Meeting: OKAFOR", "OKAFOR: The lease costs 30,000 euros."),
        ("Meeting: OKAFOR", "It was 20,000 last year."),
        ("Meeting: CHAIR", "CHAIR: Thank you."),
        ("Meeting", "Notes by the clerk."),
    ]
    # A name and a colon inside a wrapped sentence is no turn ("…told the⏎BBC: …").
    wrapped = 'Strike\n\nUnion leaders left the talks at eight. Their negotiator told the\nBBC: "We are apart."\n'
    blocks = read_document(wrapped.encode(), "strike.txt").blocks
    assert [(b.section, b.text) for b in blocks] == [
        ("Strike", 'Union leaders left the talks at eight. Their negotiator told the BBC: "We are apart."')
    ]
    # Labels that come once each, or only twice, are a memo's or a post's, not speakers taking turns.
    memo = "Budget\n\nTO: All staff.\n\nFROM: Maria Lopez.\n\nRE: Cuts.\n\nWe lose four posts.\n"
    assert {b.section for b in read_document(memo.encode(), "memo.txt").blocks} == {"Budget"}
    posts = "Posts\n\nBREAKING: A shake was felt.\n\nUPDATE: Two men are out.\n"
    assert {b.section for b in read_document(posts.encode(), "posts.txt").blocks} == {"Posts"}


def test_a_malformed_email_date_is_no_date():
    doc = read_document(b"From: Ann <a@x.org>\nDate: Sat, 1 Jan 10000000000000000000000 00:00\n\nIt moved.\n", "e.txt")
    assert doc.date is None and [b.text for b in doc.blocks] == ["From: Ann <a@x.org>", "It moved."]


def test_a_memos_header_keeps_who_wrote_to_whom_and_joins_a_field_going_on_below():
    memo = (
        "TO: All staff,\n    the finance team\nFROM: Maria Lopez, Director of Finance\nDATE: 3 March 2025\n"
        "Message-ID: <abc@x.org>\nRE: Budget cuts\n\nThe department will lose four posts from April.\n"
    )
    doc = read_document(memo.encode(), "memo.txt")
    assert (doc.title, doc.date) == ("Budget cuts", "2025-03-03")
    assert [(b.section, b.text) for b in doc.blocks] == [
        (None, "To: All staff, the finance team"),
        (None, "From: Maria Lopez, Director of Finance"),
        (None, "The department will lose four posts from April."),
    ]


def test_a_signed_messages_armour_is_no_text_and_no_title(tmp_path):
    text = "-----BEGIN SECURITY ADVISORY-----\n\nAdvisory KFSA-2024-02\n=====================\n\n"
    text += "A flaw in the login page lets an attacker in.\n\n-----END SECURITY ADVISORY-----\n"
    write(tmp_path / "advisory.txt", text)
    (doc,), _ = read_documents(tmp_path)
    assert doc.title == "Advisory KFSA-2024-02"
    assert [b.text for b in doc.blocks] == ["A flaw in the login page lets an attacker in."]
    # A clear-signed message: its hash line and its signature are no text either.
    signed = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nAdvisory 7\n\nThe login page lets an attacker in.\n"
    signed += "-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCAAdFiEE\n=Xk9d\n-----END PGP SIGNATURE-----\n"
    write(tmp_path / "advisory.txt", signed)
    (doc,), _ = read_documents(tmp_path)
    assert doc.title == "Advisory 7" and [b.text for b in doc.blocks] == ["The login page lets an attacker in."]
    # A line of dashes far longer than armour is read in linear time.
    write(tmp_path / "advisory.txt", "-----BEGIN " + "-" * 200_000 + " x\n\nThe gate is shut at night.\n")
    assert read_documents(tmp_path)[0][0].blocks[-1].text == "The gate is shut at night."


def test_a_question_set_apart_heads_what_follows_where_other_lines_head_too(tmp_path):
    """A press release's "When will the bridge reopen?" among its "Temporary footbridge" and
    "Emergency services" was quoted as a sentence, and what answered it was cited under
    "Emergency services" (a new user's)."""
    release = (
        "Funding approved for Aune Bridge repairs\n\n"
        "The council welcomed the funding on Friday. It will pay for the first works.\n\n"
        "Temporary footbridge\n\nA footbridge will open on 28 April. It will be 3 metres wide.\n\n"
        "When will the bridge reopen?\n\n"
        "The council's target is to reopen the bridge on 15 September. That is not a promise.\n"
    )
    write(tmp_path / "release.txt", release)
    (doc,), _ = read_documents(tmp_path)
    read = [(b.section, b.text) for b in doc.blocks]
    assert (
        "When will the bridge reopen?",
        "The council's target is to reopen the bridge on 15 September. That is not a promise.",
    ) in read
    assert all(text != "When will the bridge reopen?" for _, text in read)
    # Where no line heads anything, a question alone is a sentence.
    write(tmp_path / "release.txt", release.replace("Temporary footbridge\n\n", ""))
    (doc,), _ = read_documents(tmp_path)
    assert "When will the bridge reopen?" in [b.text for b in doc.blocks]


def test_lines_of_fields_are_text_not_a_heading_over_each_other():
    """ "Members present: Siân Ellis-Hughes MS (Chair), …" over "Witnesses: …" headed every turn
    of a committee's transcript, and "Who chairs the committee?" found nothing to quote (a new
    user's)."""
    path = DATA / "newuser28-seeds" / "senedd-committee-transcript-2025-05-08.txt"
    doc = read_document(path.read_bytes(), path.name)
    texts = [b.text for b in doc.blocks]
    assert "Members present: Siân Ellis-Hughes MS (Chair), Gareth Morfitt MS, Anwen Richards MS" in texts
    assert all("Members present" not in (b.section or "") for b in doc.blocks)
    assert doc.blocks[-1].section.endswith(": SIÂN ELLIS-HUGHES")

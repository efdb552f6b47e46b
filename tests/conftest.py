"""Shared fixtures: the real seed index (real model, real FAISS files) and a fast fake encoder."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# The document the repository ships: tests copy it alone, so documents a user has added to
# seeds/ (as the README invites) change no test.
SEED_DOCUMENT = SEEDS / "cnn-2022-01-27-ukraine-russia-border-crisis.txt"
DATA = Path(__file__).resolve().parent / "data"


class FakeEncoder:
    """Hashed bag of words: deterministic, instant, good enough to test plumbing (not ranking)."""

    model = "fake-hash-64"
    ref = "fake-hash-64"
    kind = "fake"
    dim = 64
    words = frozenset()

    def encode(self, texts, progress=None):
        from qa.normalize import surface_words

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in surface_words(text):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0 if h & 1 << 20 else -1.0
            out[row] /= np.linalg.norm(out[row]) or 1.0
        if progress:
            progress(len(texts))
        return out


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """The bundled seed document indexed once with the real default encoder."""
    import qa

    work = tmp_path_factory.mktemp("seed")
    (work / "seeds").mkdir()
    shutil.copy(SEED_DOCUMENT, work / "seeds")
    qa.build_index(work / "seeds", work / "index", progress=False)
    return work / "index"


@pytest.fixture(scope="session")
def seed_searcher(seed_index):
    from qa.retrieve import open_index

    return open_index(seed_index, build=False)


def _writers_collection(tmp_path_factory, folder: str):
    """The searcher of one of tests/data's collections that helpers wrote before they ran qa."""
    import qa
    from qa.retrieve import open_index

    index = tmp_path_factory.mktemp(folder) / "index"
    qa.build_index(Path(__file__).parent / "data" / folder, index, progress=False)
    return open_index(index, build=False)


@pytest.fixture(scope="session")
def three_stories_searcher(tmp_path_factory):
    """Nine short pieces on three stories (floods in southern Brazil, a freight takeover, a
    dinosaur find) that a helper wrote before it ever ran qa, with its questions: two news
    .txt, two plain .txt, two HTML pages, two Markdown notes and a PDF printed by Chromium."""
    return _writers_collection(tmp_path_factory, "newuser2-seeds")


@pytest.fixture(scope="session")
def fourth_writer_searcher(tmp_path_factory):
    """Nine documents on three stories (a footbridge closure, a kettle recall, a deep-sea find)
    that a fourth helper wrote before it ever ran qa: council minutes wrapped and hyphenated by
    hand, a radio transcript, an FAQ in Markdown, blog posts, web pages, a PDF printed by
    Chromium; some lost their non-ASCII letters."""
    return _writers_collection(tmp_path_factory, "newuser3-seeds")


@pytest.fixture(scope="session")
def fifth_writer_searcher(tmp_path_factory):
    """Nine documents on three subjects (a football club, a thermostat, wild bees) that a fifth
    helper wrote before it ever ran qa: an encyclopedia page and a match report in HTML, an
    email thread, a manual, release notes, a paper and an interview in Markdown, an arbitration
    decision; two lost their non-ASCII letters."""
    return _writers_collection(tmp_path_factory, "newuser4-seeds")


@pytest.fixture(scope="session")
def sixth_writer_searcher(tmp_path_factory):
    """Ten documents on three subjects (a coastal town and its ferry, headphones, beekeeping)
    that a sixth helper wrote before it ever ran qa: a press release and an encyclopedia page
    in HTML, a results statement, a review, meeting notes and a trail guide in Markdown, a
    podcast transcript, a licence contract and a letter (its non-ASCII letters lost) as text,
    a museum guide printed to PDF by Chromium."""
    return _writers_collection(tmp_path_factory, "newuser5-seeds")


@pytest.fixture(scope="session")
def seventh_writer_searcher(tmp_path_factory):
    """Ten documents on unrelated subjects that a seventh helper wrote before it ever ran qa: a
    recipe blog, a live match report, a ferry FAQ and a forum thread in HTML, a syllabus, a local
    history wiki page and a job advert in Markdown, a noise bylaw and an obituary as text, a
    medicine leaflet made as PDF by fpdf2."""
    return _writers_collection(tmp_path_factory, "newuser6-seeds")


@pytest.fixture(scope="session")
def eighth_writer_searcher(tmp_path_factory):
    """Ten documents on one story (a mine collapse in Poland, over three weeks) that an eighth
    helper wrote before it ever ran qa: a live blog, a timeline and a column in HTML, a ministry
    statement and an NGO report with a table in Markdown, a news article that lost its non-ASCII
    letters, a press conference transcript, a parliamentary record and social media posts as
    text, the company's statement as PDF."""
    return _writers_collection(tmp_path_factory, "newuser7-seeds")


@pytest.fixture(scope="session")
def ninth_writer_searcher(tmp_path_factory):
    """Nine documents a ninth helper wrote before it ever ran qa: a holiday cabin listing, a
    council budget with a table and a warranty page in HTML, a school newsletter, a conference
    programme and a tour itinerary in Markdown, a club's season report with a fixed-width table
    and an 1893 diary as text, a laboratory safety procedure as PDF."""
    return _writers_collection(tmp_path_factory, "newuser8-seeds")


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def tenth_writer_searcher(tmp_path_factory):
    """Nine pieces of a small town's local news over a month that a tenth helper wrote before
    it ever ran qa, not asked to write them any particular way: newspaper articles, a letters
    page, a police appeal and a council press release in HTML, a community radio transcript,
    a repair café's blog post in Markdown, a school newsletter as PDF with a running header."""
    return _writers_collection(tmp_path_factory, "newuser9-seeds")


@pytest.fixture(scope="session")
def eleventh_writer_searcher(tmp_path_factory):
    """Nine documents of one small hardware and software company that an eleventh helper wrote
    before it ever ran qa: an FAQ, a pricing page, a blog post and terms of service in HTML,
    release notes and an API reference in Markdown, a security advisory as text, a manual
    chapter and a datasheet with tables as PDF."""
    return _writers_collection(tmp_path_factory, "newuser10-seeds")


@pytest.fixture(scope="session")
def twelfth_writer_searcher(tmp_path_factory):
    """Eight documents on one river basin that a twelfth helper wrote before it ever ran qa: an
    encyclopedia page with an infobox, a consultation outcome, a think-tank briefing with a
    key-points box and a magazine interview in HTML, a paper and a statistics bulletin as PDF,
    a field report in Markdown, a water board's minutes as text."""
    return _writers_collection(tmp_path_factory, "newuser11-seeds")


@pytest.fixture(scope="session")
def thirteenth_writer_searcher(tmp_path_factory):
    """Eight documents on a region's culture and sport that a thirteenth helper wrote before it
    ever ran qa: a theatre review with a fact box, a concert listing, a match report and a
    cycling race's results tables in HTML, a museum guide as PDF, a podcast transcript, a
    festival FAQ and a club's AGM minutes in Markdown."""
    return _writers_collection(tmp_path_factory, "newuser12-seeds")


@pytest.fixture(scope="session")
def fourteenth_writer_searcher(tmp_path_factory):
    """Eight documents an employee or a patient would search that a fourteenth helper wrote
    before it ever ran qa: a staff handbook and a pharmacy leaflet as PDF, an IT policy in
    Markdown, a hospital page, a GP's appointments page and a pension newsletter in HTML, a
    tribunal judgment summary and an email thread as text."""
    return _writers_collection(tmp_path_factory, "newuser13-seeds")


@pytest.fixture(scope="session")
def fifteenth_writer_searcher(tmp_path_factory):
    """Five documents on a harbour town that a helper trying qa as a new user wrote before it
    asked anything (stop 19): a news page with a byline, an email with a signature, a radio
    transcript with time stamps, a survey in Markdown, a shipyard's annual report as PDF."""
    return _writers_collection(tmp_path_factory, "newuser14-seeds")


@pytest.fixture(scope="session")
def sixteenth_writer_searcher(tmp_path_factory):
    """Pages modelled on big news sites that a second helper trying qa wrote before it asked
    anything (stop 19): a BBC and a Guardian article, a CNN and a Guardian live page, a Reuters
    and an AP wire story, a page with other stories' cards, a central bank's statement as PDF
    and a press release as text."""
    return _writers_collection(tmp_path_factory, "newuser15-seeds")


@pytest.fixture(scope="session")
def seventeenth_writer_searcher(tmp_path_factory):
    """One story, a dam's failure, from seven sources that a helper trying qa wrote before it
    asked anything (stop 20): a Wikipedia page, a newsletter, an inquiry's report as PDF, a
    Commons debate, a briefing in Markdown, a press release and a wire story."""
    return _writers_collection(tmp_path_factory, "newuser16-seeds")


@pytest.fixture(scope="session")
def eighteenth_writer_searcher(tmp_path_factory):
    """Six damaged documents on a fire that a helper trying qa wrote before it asked anything
    (stop 20): a story that lost its non-ASCII letters, a statement in mojibake, an OCR'd letter
    with page breaks, a page in Windows-1252, a two-column PDF, a broken Markdown export."""
    return _writers_collection(tmp_path_factory, "newuser17-seeds")


@pytest.fixture(scope="session")
def nineteenth_writer_searcher(tmp_path_factory):
    """Seven sources on one study that a helper trying qa wrote before it asked anything (stop
    21): a university's press release, a news story and an opinion column (HTML), the paper's
    abstract (PDF), an agency's FAQ (Markdown), a podcast's transcript and a correction notice."""
    return _writers_collection(tmp_path_factory, "newuser18-seeds")


@pytest.fixture(scope="session")
def twentieth_writer_searcher(tmp_path_factory):
    """Seven sources on a ransomware attack on a hospital group that a helper trying qa wrote
    before it asked anything (stop 22): a news page and an opinion column (HTML), a press
    release and a committee's transcript (text), a regulator's penalty notice (PDF with a
    table), an IT firm's incident review and a patients' FAQ (Markdown)."""
    return _writers_collection(tmp_path_factory, "newuser19-seeds")


@pytest.fixture(scope="session")
def twenty_first_writer_searcher(tmp_path_factory):
    """Seven sources on an infant formula's recall that a helper trying qa wrote before it asked
    anything (stop 22): an agency's notice with a table of batches (PDF), the maker's statement,
    a parents' forum thread and an analysis (HTML), a wire story, a press conference's
    transcript (text) and a paediatricians' advice page (Markdown)."""
    return _writers_collection(tmp_path_factory, "newuser20-seeds")


@pytest.fixture(scope="session")
def twenty_second_writer_searcher(tmp_path_factory):
    """Seven sources on a museum theft that a helper trying qa wrote before it asked anything
    (stop 23): a news page and an opinion column (HTML), a press release under its sender's
    letterhead, a committee's transcript and a wire story (text), the museum's incident report
    with two tables (PDF) and its FAQ (Markdown)."""
    return _writers_collection(tmp_path_factory, "newuser21-seeds")


@pytest.fixture(scope="session")
def twenty_third_writer_searcher(tmp_path_factory):
    """Seven sources on a drug trial halted for liver injuries that a helper trying qa wrote
    before it asked anything (stop 23): a regulator's report with a cover, footnotes and two
    columns (PDF), a safety board's minutes, an email thread with quoted replies and a Q/A
    interview (text), a news page and a forum thread with replies (HTML), an explainer (Markdown)."""
    return _writers_collection(tmp_path_factory, "newuser22-seeds")


@pytest.fixture(scope="session")
def twenty_fourth_writer_searcher(tmp_path_factory):
    """Six sources on a ferry's winter sailings that a helper wrote before it asked anything,
    then uploaded and asked in the chat (stop 23): a council's agenda and minutes (PDF), a live
    blog (HTML), a radio interview, a press release and a letter to the editor (text), and a
    community newsletter (Markdown)."""
    return _writers_collection(tmp_path_factory, "newuser23-seeds")


@pytest.fixture(scope="session")
def twenty_fifth_writer_searcher(tmp_path_factory):
    """Seven sources on a chocolate maker's takeover that a helper wrote before it asked
    anything (stop 23): a half-year report with a page in narrow columns (PDF), an earnings
    call's transcript, a stock-exchange announcement with a pipe table and a union's statement
    (text), a trade paper's page (HTML), a chief executive's post and a competition decision
    (Markdown)."""
    return _writers_collection(tmp_path_factory, "newuser24-seeds")


@pytest.fixture(scope="session")
def twenty_sixth_writer_searcher(tmp_path_factory):
    """Five sources on a sunken cargo ship's fuel removal that a helper wrote before it asked
    anything (stop 24): a news page with a caption above the story's container and a byline's
    plain-text date (HTML), a salvage company's press release and a radio interview (text), an
    environmental group's fact sheet with a timeline table (Markdown), and a response centre's
    bulletin with a table and a correction (PDF)."""
    return _writers_collection(tmp_path_factory, "newuser25-seeds")


@pytest.fixture(scope="session")
def twenty_seventh_writer_searcher(tmp_path_factory):
    """Six sources on an Anglo-Saxon cemetery found under a car park that a helper wrote before
    it asked anything (stop 24): an interim report (PDF), a news page with a cookie banner and
    comments (HTML), a radio interview, an email that lost its accents and a newsletter in
    mojibake (text), and a grave register (Markdown)."""
    return _writers_collection(tmp_path_factory, "newuser26-seeds")


@pytest.fixture(scope="session")
def twenty_eighth_writer_searcher(tmp_path_factory):
    """Five sources on a bridge closed after its pier was undermined that a helper wrote before
    it asked anything (stop 25): a news page (HTML), a council's press release with a question
    for a subheading and a meeting's transcript (text), a residents' FAQ with a timeline
    (Markdown), and a consultants' report written by hand in PDF operators, with a table."""
    return _writers_collection(tmp_path_factory, "newuser27-seeds")


@pytest.fixture(scope="session")
def twenty_ninth_writer_searcher(tmp_path_factory):
    """Five sources on a building society closing branches that a helper wrote before it asked
    anything (stop 25): a report printed to PDF by a browser, with two tables, a news page
    (HTML), a briefing (Markdown), an email with a signature of five lines and a committee's
    transcript (text); figures corrected between them."""
    return _writers_collection(tmp_path_factory, "newuser28-seeds")


@pytest.fixture(scope="session")
def thirtieth_writer_searcher(tmp_path_factory):
    """Six sources on an invasive shrimp found in a lake that a helper wrote before it asked
    anything (stop 25): a university's press release and a podcast's transcript (text), a news
    page and a forum thread (HTML), an explainer of questions (Markdown), and an agency's report
    printed to PDF by a browser, with a table."""
    return _writers_collection(tmp_path_factory, "newuser29-seeds")

"""The splitter on hard news cases: abbreviations, initials, quotes, dashes; offsets exact."""

import pytest

from qa.records import Block, Document
from qa.split import MAX_SENTENCE_CHARS, sentence_spans, split_document


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_abbreviations_do_not_end_sentences():
    text = (
        "Lawmakers are eyeing a bill from Republican Sen. John Cornyn and Democratic Sen. Jeanne Shaheen. "
        "NATO said on Jan. 7 they are robust. The U.S. will send troops to Washington, D.C. next week."
    )
    assert sentences(text) == [
        "Lawmakers are eyeing a bill from Republican Sen. John Cornyn and Democratic Sen. Jeanne Shaheen.",
        "NATO said on Jan. 7 they are robust.",
        "The U.S. will send troops to Washington, D.C. next week.",
    ]


def test_quotes_and_dashes_stay_with_their_sentence():
    text = (
        'The official described the call as "long and serious," but "productive." '
        "I want to be very clear — nothing is off the table, she said. "
        '"Will you go?" he asked.'
    )
    assert sentences(text) == [
        'The official described the call as "long and serious," but "productive."',
        "I want to be very clear — nothing is off the table, she said.",
        '"Will you go?" he asked.',
    ]


def test_every_sentence_is_an_exact_substring_at_its_offsets():
    text = "  First one.   Second, with Dr. Smith at 5 p.m. Monday!\tThird?  "
    doc = Document("d.txt", "t", None, None, "text", (Block(text), Block("Another block. Here.")))
    out = split_document(doc)
    assert [s.text for s in out] == [
        "First one.",
        "Second, with Dr. Smith at 5 p.m. Monday!",
        "Third?",
        "Another block.",
        "Here.",
    ]
    assert [s.position for s in out] == [0, 1, 2, 3, 4]
    assert [s.paragraph for s in out] == [0, 0, 0, 1, 1]
    for s in out:
        assert doc.blocks[s.paragraph].text[s.start : s.end] == s.text


def test_run_on_text_is_cut_at_whitespace():
    text = " ".join(["word"] * 400)
    spans = sentence_spans(text)
    assert len(spans) > 1
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert " ".join(text[a:b] for a, b in spans) == text


def test_a_full_stop_after_a_roman_numeral_ends_the_sentence():
    text = "It was created after World War II. Over the decades it grew. V. Putin met Henry VIII. He left."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "It was created after World War II.",
        "Over the decades it grew.",
        "V. Putin met Henry VIII.",  # one letter may be an initial
        "He left.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "The meeting opened at 7:02 p.m. Councillors Brandt and Lee were present.",
            ["The meeting opened at 7:02 p.m.", "Councillors Brandt and Lee were present."],
        ),
        ("It is open from 9 a.m. to 8 p.m. Entry costs $4.", ["It is open from 9 a.m. to 8 p.m.", "Entry costs $4."]),
        # The word after the time goes on with it: a day, a time zone, a city's time.
        ("The vote is at 5 p.m. Monday. Then lunch.", ["The vote is at 5 p.m. Monday.", "Then lunch."]),
        ("Talks start at 6 p.m. Moscow time, officials said.", ["Talks start at 6 p.m. Moscow time, officials said."]),
        ("It ended at 9 p.m. ET on Friday.", ["It ended at 9 p.m. ET on Friday."]),
        ("At 10 p.m. Eastern the polls closed.", ["At 10 p.m. Eastern the polls closed."]),
        ("The vote is at 10 a.m. Oct. 3 in the chamber.", ["The vote is at 10 a.m. Oct. 3 in the chamber."]),
        ("Open 9 a.m. Mon. to Fri. daily.", ["Open 9 a.m. Mon. to Fri. daily."]),
        ("At 10 a.m. British Summer Time the race starts.", ["At 10 a.m. British Summer Time the race starts."]),
        ("The party starts at 11 p.m. Christmas Eve.", ["The party starts at 11 p.m. Christmas Eve."]),
        # Written without the dots, after its number.
        (
            "The bus will be at school by 8.40am. Children must be signed up.",
            ["The bus will be at school by 8.40am.", "Children must be signed up."],
        ),
        ("Open until 10.30pm. Entry is free.", ["Open until 10.30pm.", "Entry is free."]),
    ],
)
def test_a_time_of_day_ends_a_sentence_before_a_new_one(text, sentences):
    assert [text[a:b] for a, b in sentence_spans(text)] == sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "It was fixed in firmware 3.2.0. Your unit is still on 3.1.4, so update it.",
            ["It was fixed in firmware 3.2.0.", "Your unit is still on 3.1.4, so update it."],
        ),
        ("Inflation rose by 4.5. Analysts were surprised.", ["Inflation rose by 4.5.", "Analysts were surprised."]),
        # No new sentence: the number goes on, or the next word is in lower case.
        ("The U.S. economy grew 2.1 percent in May.", ["The U.S. economy grew 2.1 percent in May."]),
        ("See item 1.2. below for the rules.", ["See item 1.2. below for the rules."]),
        ("The mean was 1.2 °C. Annual rain is 900 mm.", ["The mean was 1.2 °C.", "Annual rain is 900 mm."]),
        # A table row is one: its cells are no sentences of their own.
        ("Population (2023) | 4,812", None),
        ("He left early. | Next item here.", ["He left early.", "| Next item here."]),
        ("It was 4 ºC. Then it rained.", ["It was 4 ºC.", "Then it rained."]),
        # An address's full stop ends its sentence; "No." before a number does not.
        (
            "Apply to careers@ferries.co.uk. Please quote SF-24.",
            ["Apply to careers@ferries.co.uk.", "Please quote SF-24."],
        ),
        ("See www.example.com/news. It is there.", ["See www.example.com/news.", "It is there."]),
        (
            "Buy through the Tickets button on morketid.no. We cannot vouch for others.",
            ["Buy through the Tickets button on morketid.no.", "We cannot vouch for others."],
        ),
        ("Go to kunstmuseum.no/lyd. Headphones are free.", ["Go to kunstmuseum.no/lyd.", "Headphones are free."]),
        ("Please quote Ref.no. AB12 when you call.", None),  # a number's word, not an address
        ("Buy tickets at order.com. We ship fast.", ["Buy tickets at order.com.", "We ship fast."]),
        ("Write to j.doe@x.com for details.", None),
        ("12.1 Bylaw No. 2004-07, the Noise Bylaw, is repealed.", None),
        ("It was item no. 5. Then it ended.", ["It was item no. 5.", "Then it ended."]),
        ("It said no. 2023-24 was a hard year.", ["It said no.", "2023-24 was a hard year."]),
        ("See Bylaw no. 2004-07, the rule on dogs.", None),
        ("Museums Division Ref. SMM-2025-017 Issued 14 March 2025.", None),  # a reference's code
        ("Table 1. Liver enzyme findings by arm, to 11 October 2024.", None),  # a caption's label
        ("The thresholds of Art. 9 para. 1 of the Cartel Act are met.", None),
        ("He swore at the ref. 20 minutes later he was off.", ["He swore at the ref.", "20 minutes later he was off."]),
        ("File it under Ref. 12/345 today.", None),
        ("Its Report No. SAT/2025/031 is out. It is late.", ["Its Report No. SAT/2025/031 is out.", "It is late."]),
        ("Answer no. Then leave.", ["Answer no.", "Then leave."]),
        ('"Brilliant afternoon. Thank you!" - posted by @AmaraInWex, 14 June', None),  # a post's credit
        ("Employees (end of period) | 684 | 641 | +43", None),
        ("As Fig. 3.2. Distribution of bees shows, most were found in June.", None),
        ("Section 4.2.1. Methods describes the traps.", None),
        # A footnote's marker ends its sentence; "rev." before its number does not.
        (
            "It is home to 2.1 million people.[1] The river is their main source of water.",
            ["It is home to 2.1 million people.[1]", "The river is their main source of water."],
        ),
        ("A list of them.[a] Next one.", ["A list of them.[a]", "Next one."]),
        ("See the datasheet TW-DS-T3 rev. 5, August 2024.", None),
        ("TIDEWELL T3 USER MANUAL · REV. C", None),
        # A superscript footnote number, as a PDF or a newsletter gives it, ends its sentence;
        # a decimal does not.
        (
            "Only 14 per cent have monitoring of pore pressure.1 The rest depend on an engineer.",
            ["Only 14 per cent have monitoring of pore pressure.1", "The rest depend on an engineer."],
        ),
        ("Sales rose 2.1 Then fell.", None),
        # A title before a name, a semicolon, a numbered label and a quotation's credit go on.
        ("The right hon. Gentleman raises a serious point.", None),
        ("Hon. Members: Shame.", None),
        ("Gov. Newsom and Rep. Jones met Det. Insp. Morse.", None),
        ("DR. HELENA MÜLLER: Thank you, Minister.", None),
        ("MR. JONES and PROF. ADA KING agreed.", None),
        ("It remained open at the end of 2024; Eastvale County Council wants a wetland.", None),
        ("412 of 640 servers encrypted; 1,380 of about 5,100 laptops rebuilt as a precaution.", None),
        ("7.2 Recommendation 1. The Government should act.", None),
        ("“A seized valve is a dam you can’t steer.” — Jiří Dvořák, engineer", None),
        ("He won Game 3. They lost.", ["He won Game 3.", "They lost."]),
        ("No. | Recommendation | Addressed to", None),
        ("He said no. | 2023 was hard.", ["He said no.", "| 2023 was hard."]),
        # Not a footnote: an abbreviation's number; not a label: a score; not a credit: a reply.
        ("The world no.1 Novak Djokovic beat the no.2 Carlos Alcaraz.", None),
        ("Under art.6 GDPR the controller must act.", None),
        ("Liverpool 2. Everton had no answer.", ["Liverpool 2.", "Everton had no answer."]),
        ('"I am leaving." — "Do not."', ['"I am leaving."', '— "Do not."']),
        # "et al." before a name goes on, before "The" it ends; a piece with no word is no sentence.
        ("Source: Ní Bhriain A, Weiß J, et al. Journal of Geriatric Infection Research, 2025.", None),
        ("As shown by Smith et al. The results were clear.", ["As shown by Smith et al.", "The results were clear."]),
        (
            "It ran in Vienna by Ludwig et al. Their results held.",
            ["It ran in Vienna by Ludwig et al.", "Their results held."],
        ),
        ("Fewer residents were confined to bed last winter. (", None),
        ("It rained. — Then it stopped.", ["It rained.", "— Then it stopped."]),
        # A short form that opens what follows never ends a sentence (a new user's notes).
        ("A useful bibliography, esp. German-language archival work.", None),
        ("Brine and Empire, publ. Hanse Press, 2019.", None),
        ("Costs rose, incl. Staff overtime. Then they fell.", ["Costs rose, incl. Staff overtime.", "Then they fell."]),
        # A paragraph's number of two digits stays with its text (a licence's "10." was a sentence).
        ("10. Automatic Licensing of Downstream Recipients.", None),
        ("5.1. Failure to comply ends the licence.", None),
        ("See section 10. It says more.", ["See section 10.", "It says more."]),
    ],
)
def test_sentence_ends_syntok_misses_and_table_rows_kept_whole(text, sentences):
    assert [text[a:b] for a, b in sentence_spans(text)] == (sentences or [text])


def test_a_quotation_of_a_few_sentences_stays_whole_with_whose_it_is():
    """It was cut in two, and the second half quoted first with a stray mark."""
    said = '"This is not a tourist eruption. People should stay away," said Magnús, a geophysicist. Lava flows.'
    assert [said[a:b] for a, b in sentence_spans(said)] == [said[: said.index(" Lava")], "Lava flows."]
    curly = "“We will not go. We will stay here,” she said. Then she left."
    assert next(curly[a:b] for a, b in sentence_spans(curly)) == "“We will not go. We will stay here,” she said."
    # Inches and an unclosed quote join nothing.
    pipes = 'The report, titled "Water for All, was published in May. It found leaks. Most mains are 6" across.'
    assert len(sentence_spans(pipes)) == 3


def test_a_long_list_of_clauses_is_cut_after_a_semicolon():
    """Joined at its semicolons, a list longer than a sentence may be is cut after one, not
    mid-clause ("and its findings." was left a sentence of its own)."""
    text = (
        "; ".join(f"clause {n} is about the panel's findings and its recommendations for the council" for n in range(9))
        + "."
    )
    pieces = [text[a:b] for a, b in sentence_spans(text)]
    assert len(pieces) > 1 and all(piece.endswith((";", ".")) for piece in pieces)

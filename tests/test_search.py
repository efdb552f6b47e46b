"""The Python API on the real bundled model and a real FAISS index on disk."""

import itertools
import logging
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import qa
from qa.errors import InputError, unknown_document
from qa.lexical import _PLEASANTRY, Lexical, Postings
from qa.normalize import _LISTED, terms
from qa.retrieve import check_question


def one_paragraph_each(texts: list[str]) -> Lexical:
    """The lexical index of a few sentences, each its own paragraph."""
    return Lexical.build(np.arange(len(texts)), texts, np.arange(len(texts)))


def test_erdogan_offer_finds_the_mediation_sentence(seed_index):
    hits = qa.search("What did Erdoğan offer?", k=5, index=seed_index)
    assert len(hits) == 5
    mediation = "Erdoan also offered to mediate talks between Russia and Ukraine"
    assert any(h.text.startswith(mediation) for h in hits[:2])
    top = next(h for h in hits if h.text.startswith(mediation))
    assert top.title == "Tensions simmer in UkraineRussia border crisis"
    assert top.date == "2022-01-27"
    assert top.url == "https://edition.cnn.com/europe/live-news/ukraine-russia-news-01-27-22/"
    assert top.doc_id == "cnn-2022-01-27-ukraine-russia-border-crisis.txt"
    assert isinstance(top.position, int) and 0 <= top.position < top.doc_sentences
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_every_hit_is_an_exact_substring_of_its_seed_file(seed_index):
    source = (seed_index.parent / "seeds" / "cnn-2022-01-27-ukraine-russia-border-crisis.txt").read_text()
    for question in ["Who leads the battlegroups?", "What is NATO?", "sanctions bill", "Ukraine"]:
        for hit in qa.search(question, k=5, index=seed_index):
            assert hit.text in source
            assert hit.context_before == "" or hit.context_before in source


def test_conversation_answer_quotes_and_cites(seed_index):
    answer = qa.Conversation(index=seed_index).ask("What did Erdoğan offer?")
    assert answer.found
    assert len(answer.quotes) == 3
    assert any("mediate talks" in h.text for h in answer.quotes[:2])
    assert "mediate talks between Russia and Ukraine" in answer.text
    assert "27 January 2022" in answer.text
    assert "](https://edition.cnn.com/europe/live-news/ukraine-russia-news-01-27-22/)" in answer.text
    conversation = qa.Conversation(index=seed_index, quotes=2)
    assert len(conversation.ask("What did Erdoğan offer?").quotes) == 2
    assert len(conversation.ask("Did Putin accept?", k=4).quotes) == 4  # named as in qa.search
    assert len(conversation.ask("Who is Jen Psaki?", 1).quotes) == 1
    with pytest.raises(InputError, match="say different things"):
        conversation.ask("Who is Jen Psaki?", 1, k=2)


def test_the_call_length_reported_twice_is_quoted_once(seed_index):
    answer = qa.Conversation(index=seed_index).ask("How long did the call between Biden and Zelensky last?")
    lengths = [h for h in answer.quotes if "hour and 20 minutes" in h.text]
    assert len(lengths) == 1
    assert lengths[0].duplicates >= 1


def test_alike_sentences_with_other_figures_are_each_quoted(tmp_path):
    """A reader's three briefs, one per day, were folded into one quote "said the same": the
    1,200 tonnes of Monday never reached them."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for day, shipped in [("mon", "1,200 tonnes of wheat on Monday"), ("tue", "3,400 tonnes of wheat on Tuesday")]:
        (seeds / f"odesa-{day}.txt").write_text(f"The port of Odesa shipped {shipped}, port officials said.\n")
    (seeds / "odesa-wed.txt").write_text("The port of Odesa shipped no wheat on Wednesday, port officials said.\n")
    again = "Port officials said the port of Odesa shipped 3,400 tonnes of wheat on Tuesday.\n"
    (seeds / "odesa-again.txt").write_text(again)
    qa.build_index(seeds, tmp_path / "index", progress=False)
    answer = qa.Conversation(index=tmp_path / "index").ask("How much wheat did the port of Odesa ship?", k=5)
    assert {h.doc_id for h in answer.quotes} >= {"odesa-mon.txt", "odesa-wed.txt"} and len(answer.quotes) == 3
    assert sum(h.duplicates for h in answer.quotes) == 1  # the same figures, in other words


@pytest.mark.parametrize(
    "question",
    ["What did Mevlüt Çavuşoğlu tell reporters?", "How many times have the presidents spoken this month?"],
)
def test_asking_for_more_quotes_keeps_the_first_ones(seed_searcher, question):
    """Some features compare a sentence with the others scored beside it: a deeper search
    scored more of them, and another sentence came first, at another score."""
    few, many = seed_searcher.search(question, 5), seed_searcher.search(question, 60)
    assert [(h.text, h.score) for h in many[:5]] == [(h.text, h.score) for h in few]
    assert len(many) == 60 and all(a.score >= b.score for a, b in itertools.pairwise(many))


def test_a_question_the_documents_do_not_answer_is_not_found(seed_index):
    answer = qa.Conversation(index=seed_index).ask("What is the recipe for chocolate chip cookies?")
    assert not answer.found
    assert "No sentence in the documents clearly answers this." in answer.text
    # From qa.search, as the conversation decides it (a developer had to guess the threshold).
    assert not qa.found(qa.search("What is the recipe for chocolate chip cookies?", index=seed_index))
    assert qa.found(qa.search("What did Erdoğan offer?", index=seed_index)) and not qa.found([])


def test_an_unknown_document_id_is_answered_with_the_ids_it_may_mean():
    ids = ["news/riverton-bridge.html", "minutes/2024-03.md", "water.pdf", "a.md", "b.md", "c.md"]
    assert unknown_document("riverton-bridge.html", ids).endswith("did you mean news/riverton-bridge.html?")
    assert unknown_document("watter.pdf", ids).endswith("did you mean water.pdf?")
    assert unknown_document("Water.PDF", ids).endswith("did you mean water.pdf?")
    assert unknown_document("a.md", []) == "no document 'a.md' in the index, which holds none"
    message = unknown_document("budget.xlsx", ids)
    assert "its documents are a.md, b.md, c.md, minutes/2024-03.md, news/riverton-bridge.html and 1 more" in message


def test_bad_k_and_empty_question_raise_input_errors(seed_index):
    with pytest.raises(InputError, match="from 1 to 100"):
        qa.search("NATO", k=0, index=seed_index)
    with pytest.raises(InputError, match="^quotes must be from 1 to 100"):  # named as the caller named it
        qa.Conversation(index=seed_index, quotes=0)
    with pytest.raises(InputError, match="empty"):
        qa.search("   ", index=seed_index)
    with pytest.raises(InputError, match="no words"):
        qa.search(" ?! ", index=seed_index)
    with pytest.raises(InputError, match="from 1 to 100"):
        qa.search("NATO", k=10_000, index=seed_index)


def test_half_a_character_and_a_very_long_question_are_searched_as_the_model_reads_them(seed_searcher, tmp_path):
    """A lone surrogate raised the tokenizer's TypeError, not a QAError; a question of two
    million characters took seconds, though the model reads 256 word pieces only; its last 1,000
    characters are read, where a question pasted after its background asks."""
    question = "What did Erdoğan offer?"
    best = seed_searcher.search(question, k=1)[0].text
    assert seed_searcher.search(question + "\ud800", k=1)[0].text == best
    assert check_question("and " * 500_000 + question) == "and " * 244 + question  # 999 characters
    with pytest.raises(InputError, match="no words"):  # what is read of it is judged
        check_question(question + " !!!!" * 300)
    assert seed_searcher.search("and " * 500_000 + question, k=1)[0].text == best
    with pytest.raises(InputError, match="no words"):
        qa.search("\udfff ?", index=tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()  # an invalid question builds no index


def test_dir_of_qa_lists_what_it_offers():
    assert {"search", "Conversation", "build_index", "documents", "InputError"} <= set(dir(qa))
    assert "import_module" not in dir(qa)


def test_a_question_in_the_text_is_not_quoted_as_the_answer(tmp_path):
    """A reporter's question echoes the reader's and answers nothing: it came first, at 0.94,
    over the reply after it."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    briefing = (
        "Press conference on the ferry disaster\n\n"
        "MAYOR: Good morning. The ferry Marisol capsized last night in the outer harbour.\n\n"
        "REPORTER (Kelvport Courier): How much will the salvage operation cost, and who pays for it?\n\n"
        "MAYOR: The salvage is estimated at 4.2 million euros. The regional government pays two thirds.\n\n"
        "REPORTER (Radio Nord): When will ferry service resume?\n\n"
        "HARBOUR MASTER: Service on the northern route resumes on Monday with the Columbine alone.\n"
    )
    (seeds / "briefing.txt").write_text(briefing, encoding="utf-8")
    qa.build_index(seeds, tmp_path / "index", progress=False)
    cost = qa.search("How much will the salvage cost?", k=2, index=tmp_path / "index")
    assert cost[0].text == "MAYOR: The salvage is estimated at 4.2 million euros."
    resume = [h.text for h in qa.search("When will ferry service resume?", k=10, index=tmp_path / "index")]
    assert resume[0].startswith("HARBOUR MASTER: Service on the northern route resumes on Monday")
    assert "REPORTER (Radio Nord): When will ferry service resume?" in resume[1:]  # still found, after
    # A question someone is quoted asking is a statement of what they said: "Jean Holloway, 81,
    # told me: “… What am I supposed to do, swim?”" went below every sentence for "How old is
    # Jean Holloway?".
    (seeds / "minibus.txt").write_text(
        "Minibus\n\nThe council will run a free minibus on weekdays only. Jean Holloway, 81, told me: "
        "“Saturday is market day. What am I supposed to do, swim?”\n\nThe minibus starts in May.\n",
        encoding="utf-8",
    )
    qa.build_index(seeds, tmp_path / "index", progress=False)
    assert qa.search("How old is Jean Holloway?", k=1, index=tmp_path / "index")[0].text.startswith(
        "Jean Holloway, 81, told me"
    )


def test_a_turn_that_only_greets_or_thanks_is_not_quoted_as_the_answer(tmp_path):
    """A reader's "Who is Mireia Vallès Güell?" quoted "MIREIA VALLÈS GÜELL: Good morning." first,
    at 0.96: her label matched the question, and the turn says nothing; as did the thanks that
    name her ("Dr Inès Lefèvre, thank you.")."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "briefing.txt").write_text(
        "Press conference on the drought\n\n"
        "MIREIA VALLÈS GÜELL: Good morning.\n\n"
        "MIREIA VALLÈS GÜELL: The reservoirs now hold 15.8% of their capacity, down from 16.4% last week.\n\n"
        "JOAN PÉREZ: Thank you. As director of the Catalan Water Agency, Mireia Vallès Güell leads the response.\n\n"
        "MIREIA VALLÈS GÜELL: Thank you, Joan.\n\n"
        "JOAN PÉREZ: Mireia Vallès Güell, thank you.\n",
        encoding="utf-8",
    )
    qa.build_index(seeds, tmp_path / "index", progress=False)
    first = qa.search("Who is Mireia Vallès Güell?", k=1, index=tmp_path / "index")[0]
    assert "director of the Catalan Water Agency" in first.text
    # An answer before the thanks is one: "Yes", "Twelve" are no one's names.
    for answer in ("MINISTER: Yes, thank you.", "MAYOR: Twelve, thank you.", "CHAIR: The surplus, thanks to reserves."):
        assert not _PLEASANTRY.match(answer), answer


def test_an_answer_opening_its_paragraph_has_the_question_above_it_as_context(tmp_path):
    """An interview's answer came without the question it answers ("Tell us about the farm.")."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    interview = "The farmer\n\nHow big is your farm now?\n\nIt is 140 hectares, south of the town.\n\n"
    interview += "Mostly sugar beet and maize grow there. The rest is grass.\n"
    (seeds / "interview.txt").write_text(interview)
    qa.build_index(seeds, tmp_path / "index", progress=False)
    hits = qa.search("How many hectares is the farm?", k=3, index=tmp_path / "index")
    answer = next(hit for hit in hits if hit.text.startswith("It is 140 hectares"))
    assert answer.context_before == "How big is your farm now?"
    beet = qa.search("What grows on the farm?", k=3, index=tmp_path / "index")
    first = next(hit for hit in beet if hit.text.startswith("Mostly sugar beet"))
    assert first.context_before == ""  # above it a statement, no question: no context of another paragraph
    # Nor a question that ends another section.
    (seeds / "faq.md").write_text(
        "# FAQ\n\n## Tickets\n\nDo you want a discount?\n\n## Parking\n\nThe car park opens at nine.\n"
    )
    qa.build_index(seeds, tmp_path / "index", progress=False)
    parking = qa.search("When does the car park open?", k=1, index=tmp_path / "index")[0]
    assert parking.text == "The car park opens at nine." and parking.context_before == ""
    # In a transcript each turn has its speaker in its section: the question is the other's turn.
    press = "Press conference\n\nKINGA OSTROWSKA: Good morning. Director Aksoy is here.\n\n"
    press += "JOURNALIST (TVR): When will the firefighters reach the village?\n\nÜMIT AKSOY: I will not give a time.\n"
    (seeds / "press.txt").write_text(press)
    qa.build_index(seeds, tmp_path / "index", progress=False)
    hits = qa.search("Will Aksoy give a time for reaching the village?", k=5, index=tmp_path / "index")
    reply = next(hit for hit in hits if hit.text.startswith("ÜMIT AKSOY"))
    assert reply.context_before == "JOURNALIST (TVR): When will the firefighters reach the village?"


def test_first_search_builds_a_missing_index_and_notices_changed_seeds(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "otters.txt").write_text("Sea otters hold hands while they sleep so they do not drift apart.")
    index = tmp_path / "index"
    from qa.retrieve import SEEDS_CHECK_SECONDS, open_index

    searcher = open_index(index, seeds=seeds)
    assert (index / "manifest.json").exists()
    assert searcher.search("Why do otters hold hands?", k=1)[0].text.startswith("Sea otters")
    (seeds / "bees.txt").write_text("Honey bees dance to tell each other where flowers are.")
    time.sleep(SEEDS_CHECK_SECONDS)
    hits = qa.search("How do bees share where flowers are?", k=1, index=index)
    assert hits[0].doc_id == "bees.txt"
    # Within the wait, a program that wrote a file builds the index itself, and is answered from it.
    (seeds / "bees.txt").write_text("Honey bees waggle to tell each other where water is.")
    qa.build_index(seeds, index, progress=False)
    assert "water" in qa.search("How do bees share where water is?", k=1, index=index)[0].text
    # A conversation held open looks too: it answered from the files as they were when it began
    # (a developer's), a file added or deleted since unseen.
    conversation = qa.Conversation(index)
    assert conversation.ask("Why do otters hold hands?").quotes[0].doc_id == "otters.txt"
    (seeds / "owls.txt").write_text("Barn owls swallow mice whole and cough up the bones as pellets.")
    (seeds / "otters.txt").unlink()
    time.sleep(SEEDS_CHECK_SECONDS)
    assert conversation.ask("What do barn owls cough up?").quotes[0].doc_id == "owls.txt"
    assert all(h.doc_id != "otters.txt" for h in conversation.ask("Why do otters hold hands?", quotes=5).quotes)


def test_a_seeds_folder_emptied_for_now_leaves_the_index_answering(tmp_path, caplog):
    """A drive not mounted, a sync under way: the seeds folder empty, every search failed with
    "no readable documents" although the index was whole (a developer's). It answers from the
    index as it is, and says why."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "otters.txt").write_text("Sea otters hold hands while they sleep so they do not drift apart.")
    index = tmp_path / "index"
    qa.build_index(seeds, index, progress=False)
    (seeds / "otters.txt").unlink()
    with caplog.at_level(logging.WARNING, logger="qa"):
        hits = qa.search("Why do otters hold hands?", k=1, index=index)
    assert hits[0].text.startswith("Sea otters")
    assert "no readable documents" in caplog.text and "answering from the index as it is" in caplog.text


def test_a_search_while_the_first_build_runs_waits_for_it(tmp_path, monkeypatch):
    """`qa index` started, and a program searched the index three seconds later: "no index …
    and no seeds folder … to build one from", with the build's lock in the folder."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "otters.txt").write_text("Sea otters hold hands while they sleep so they do not drift apart.")
    index = tmp_path / "index"
    qa_command = Path(sys.executable).parent / "qa"
    build = subprocess.Popen([qa_command, "index", "--seeds", seeds, "--index", index], stderr=subprocess.PIPE)
    elsewhere = tmp_path / "elsewhere"  # no seeds folder here: only the running build can answer
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    while not (index / ".lock").exists() and build.poll() is None:
        time.sleep(0.05)
    building = build.poll() is None and not (index / "manifest.json").exists()
    hits = qa.search("Why do otters hold hands?", k=1, index=index)
    assert build.wait(timeout=300) == 0
    assert building  # the search began before the build was done
    assert hits[0].text.startswith("Sea otters")


def test_many_copies_of_a_story_still_leave_room_for_other_quotes(tmp_path):
    """A wire story printed by 25 papers: its copies fold into one quote, and the other
    quotes come from further down the ranking instead of going missing."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    wire = "The harbour authority said the new storm wall would be finished by the end of March."
    who = ["The ferry operator", "Local fishermen", "The town council", "Two shopkeepers", "A coastguard officer"]
    what = [
        "complained about the noise of the pile drivers",
        "asked for the car park to reopen before Easter",
        "praised the engineers for working through the gales",
        "warned that the old slipway is crumbling",
        "want a public footpath along the top of the wall",
    ]
    for i in range(25):
        local = f"{who[i % 5]} {what[i // 5]}."
        (seeds / f"paper-{i:02d}.txt").write_text(f"{wire} {local}\n", encoding="utf-8")
    qa.build_index(seeds, tmp_path / "index", progress=False)
    hits = qa.search("When will the storm wall be finished?", k=5, index=tmp_path / "index")
    assert len(hits) == 5
    assert hits[0].text == wire
    assert hits[0].duplicates >= 15
    assert len({h.text for h in hits}) == 5


def test_spelling_repair_takes_typos_but_not_real_words_or_other_names(seed_searcher):
    question = "How many troops did Zelenksy say Erdogan would ofer?"
    matched = {w.written: (w.match, w.how) for w in seed_searcher.words(question)}
    assert matched["many"] == (None, "missing")  # a word spelt right, not a typo of the reporter "Manu"
    assert matched["Zelenksy"] == ("zelensky", "typo")
    assert matched["Erdogan"] == ("erdoan", "typo")  # the document lost the "ğ"
    assert matched["ofer"] == ("offer", "typo")
    # "Macron" is a name one edit from "macro" (in "macro-financial"), which is no name.
    macron = seed_searcher.words("What did Macron say?")[0]
    assert (macron.written, macron.match, macron.how) == ("Macron", None, "missing")
    assert not qa.Conversation(searcher=seed_searcher).ask("What did Macron say?").found
    # Words spelt right are not read as damaged either ("exchange" holds "change", and so on);
    # a foreign name typed without its accents still finds what the damaged text kept of it.
    repaired = {w.written: w.match for w in seed_searcher.words("Did Cavusoglu hesitate to impose an exchange?")}
    assert repaired == {"Cavusoglu": "avuolu", "hesitate": None, "impose": None, "exchange": None}


def test_a_typo_is_read_by_the_model_as_the_documents_spell_the_word(seed_searcher):
    """The model reads "Menendes" as another word than "Menendez": the lexical channel found the
    name, the dense one did not, and the sentence naming him came second."""
    typo = "When did Menendes convene senators to push the sanctions bill forward?"
    right = typo.replace("Menendes", "Menendez")
    assert seed_searcher.lexical.respelt(typo, seed_searcher.words(typo)) == right
    assert np.allclose(seed_searcher.vector(typo, seed_searcher.words(typo)), seed_searcher.vector(right, []))
    first = seed_searcher.search(typo, k=1)[0]
    assert first.text.startswith("CNN's Manu Raju reported earlier this week that Menendez")
    assert first.score == seed_searcher.search(right, k=1)[0].score
    # A lost letter stays as typed: the model knows "Erdoğan", not the damaged "Erdoan".
    lost = "What did Erdoğan offer?"
    assert seed_searcher.lexical.respelt(lost, seed_searcher.words(lost)) == lost


def test_the_stored_content_words_of_each_sentence_are_those_of_its_text(seed_searcher):
    """Folding near-duplicates compares the stored term ids, not re-analysed texts."""
    from qa.normalize import terms

    lexical = seed_searcher.lexical
    ids, texts = seed_searcher.corpus.all_texts()
    stored = lexical.words.content_terms(seed_searcher.layout.rows(ids))
    assert stored == [{lexical.term_ids[t] for t in terms(text)} for text in texts]
    assert any(len(s) > 5 for s in stored)


def test_a_word_the_documents_hyphenate_is_found_when_typed_joined(seed_searcher):
    """The seed writes "semi-conductor" and "macro-financial"; a reader types them joined."""
    words = [(w.written, w.match, w.how) for w in seed_searcher.words("semiconductor macrofinancial")]
    assert words == [
        ("semiconductor", "semi", "split"),
        ("semiconductor", "conductor", "split"),
        ("macrofinancial", "macro", "split"),
        ("macrofinancial", "financi", "split"),  # stems
    ]
    assert "semi-conductor chips" in seed_searcher.search("semiconductor sanctions", 1)[0].text
    # Two known words that never stand side by side in the documents are no split.
    assert [(w.match, w.how) for w in seed_searcher.words("bidenputin")] == [(None, "missing")]


def test_a_word_spelt_the_other_side_of_the_atlantic_finds_the_documents_spelling():
    texts = [
        "The theater's new program honored the organization.",
        "Defense officials analyzed the color of the labor market.",
        "Critics said the dog traveled far to the parade.",
        "The Poles filed a complaint.",
    ]
    lexical = one_paragraph_each(texts)
    question = "Did the theatre programme honour an organisation's defence, analyse colours or the travelled dog?"
    # Every one of them is spelt right (as the model's word pieces say in use): no typo repair.
    spelt_right = {"theatre", "programme", "honour", "organisation", "defence", "analyse", "colours", "travelled"}
    matched = {w.written: (w.match, w.how) for w in lexical.match_words(question, spelt_right)}
    assert matched == {
        "theatre": ("theater", "variant"),
        "programme": ("program", "variant"),
        "honour": (None, "missing"),  # the text says "honored": a variant counts only as written
        "organisation's": ("organization", "variant"),
        "defence": ("defense", "variant"),
        "analyse": (None, "missing"),
        "colours": (None, "missing"),
        "travelled": ("travelled", "exact"),  # the stems are equal already
        "dog": ("dog", "exact"),
    }
    assert [(w.match, w.how) for w in lexical.match_words("honoured colour analysed", spelt_right | {"honoured"})] == [
        ("honored", "variant"),
        ("color", "variant"),
        ("analyzed", "variant"),
    ]
    # Short words keep their spelling, and a variant is not matched by its stem alone.
    wrong = lexical.match_words("Was the paradise polled or filled?", {"paradise", "polled", "filled"})
    assert [(w.written, w.match) for w in wrong] == [("paradise", None), ("polled", None), ("filled", None)]


def test_an_acronym_finds_the_words_the_documents_spell_out(seed_searcher):
    question = "Who is the NSC spokeswoman?"
    matched = [(w.written, w.match, w.how) for w in seed_searcher.words(question) if w.how != "exact"]
    assert matched == [("NSC", "nation", "acronym"), ("NSC", "secur", "acronym"), ("NSC", "council", "acronym")]
    assert "National Security Council spokeswoman" in seed_searcher.search(question, 1)[0].text
    # A part's stem has a document frequency too: follow-ups rank topic words by it.
    lexical = seed_searcher.lexical
    assert lexical.document_frequency("secur") == lexical.document_frequency("security") > 0
    texts = [
        "Germany, Italy and Spain met.",
        "The Scottish Parliament voted.",
        "Later the Scottish Parliament adjourned.",
        "After World War II it ended.",
        "European Commission President Ursula von der Leyen spoke.",
        "On March 20, 24 people were hurt.",
    ]
    lexical = one_paragraph_each(texts)
    matched = [(w.written, w.match, w.how) for w in lexical.match_words("Did SP, GI, CPU or WWI vote in 2024?")]
    assert matched == [
        ("SP", "scottish", "acronym"),
        ("SP", "parliament", "acronym"),
        # Two names in a list once ("Germany, Italy") are no acronym; nor is a piece of a longer
        # run of capitals ("Commission President Ursula"), nor a run ending in a numeral.
        ("GI", None, "missing"),
        ("CPU", None, "missing"),
        ("WWI", None, "missing"),
        ("vote", "vote", "exact"),
        ("2024", None, "missing"),  # not "20, 24": a number is not split
    ]


def test_a_word_hyphenated_in_the_question_finds_the_documents_joined_spelling():
    texts = ["Semiconductor exports fell.", "Biden-Putin talks and macro-financial aid."]
    lexical = one_paragraph_each(texts)
    matched = [(w.written, w.match, w.how) for w in lexical.match_words("semi-conductor Biden-Putin macro-financial")]
    assert matched == [
        ("semiconductor", "semiconductor", "exact"),
        # Written hyphenated in the documents too: the two words stay two.
        ("Biden", "biden", "exact"),
        ("Putin", "putin", "exact"),
        ("macro", "macro", "exact"),
        ("financial", "financial", "exact"),
    ]


def test_bm25_read_back_without_bm25s_scores_as_bm25s_does(seed_index):
    """The postings a question reads (`Postings`) give bm25s's own scores to the bit."""
    import bm25s

    folder = next(seed_index.glob("data-*/lexical"))
    for name in ("bm25", "bm25-paragraphs"):
        ours, theirs = Postings.load(folder / name), bm25s.BM25.load(str(folder / name), show_progress=False)
        vocabulary = sorted(t for t in theirs.vocab_dict if t)
        assert ours.vocab == theirs.vocab_dict and len(vocabulary) > 100
        mask = (np.arange(ours.size) % 3 > 0).astype(np.float32)
        for start in range(0, len(vocabulary), 7):
            some = vocabulary[start : start + 5]
            assert np.array_equal(ours.scores(some), theirs.get_scores(some))
            assert np.array_equal(ours.scores(some, mask), theirs.get_scores(some, weight_mask=mask))
            assert ours.rows_with(some[0]) == np.count_nonzero(theirs.get_scores([some[0]]))


def test_the_stop_word_list_kept_in_qa_is_bm25s_list():
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    assert set(_LISTED) == set(STOPWORDS_EN_PLUS) and len(_LISTED) == len(STOPWORDS_EN_PLUS)


def test_a_headings_words_count_for_the_paragraphs_under_it_not_for_its_sentences():
    """An FAQ's answer ("No. We collect it in any packaging.") is found by its question's words."""
    texts = ["No.", "We collect the kettle in any packaging.", "Keep the receipt of the glass model."]
    paragraph = np.array([0, 0, 1])
    headings = ["Do I need the receipt?", "Do I need the receipt?", None]
    receipt = terms("receipt")
    plain = Lexical.build(np.arange(3), texts, paragraph)
    headed = Lexical.build(np.arange(3), texts, paragraph, headings)
    assert plain.paragraph_scores(receipt)[0] == 0 < headed.paragraph_scores(receipt)[0]
    assert headed.paragraph_scores(receipt)[1] > 0
    assert list(headed.scores(receipt)) == list(plain.scores(receipt)) and headed.scores(receipt)[0] == 0


def test_a_transcripts_speaker_counts_in_every_sentence_of_their_turn():
    """Only a turn's first sentence carries its speaker's label; the others name them too."""
    texts = ["HARBOUR MASTER: Good morning.", "The pier reopens on Monday.", "The pier has a new gate."]
    headings = ["Briefing: HARBOUR MASTER", "Briefing: HARBOUR MASTER", "Briefing: Opening hours"]
    lexical = Lexical.build(np.arange(3), texts, np.array([0, 0, 1]), headings)
    scores = lexical.scores(terms("harbour master"))
    assert scores[0] > 0 and scores[1] > 0  # the label opens the first sentence only
    assert scores[2] == 0  # a heading whose last part opens none of its sentences names no speaker


def test_what_a_speaker_said_is_found_further_on_in_their_turn(tmp_path):
    """Asked "What did Aksoy say about the temperature?", qa quoted "ÜMIT AKSOY: Thank you.", the one
    sentence of his turn holding his name, above the one about the temperature."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "briefing.txt").write_text(
        "Briefing on the flooded tunnel\n\n"
        "CHAIR: Good afternoon. Ms Varga will give the facts first.\n\n"
        "ILONA VARGA: Thank you, chair. Four pumps are running at the north portal. "
        "The water level has fallen by 30 centimetres since midnight. "
        "We expect the tunnel to reopen to freight on Thursday.\n\n"
        "REPORTER (Metro Radio): Will passenger trains run on Thursday as well?\n\n"
        "ILONA VARGA: No. Passenger trains return only after the signals are tested.\n\n"
        "CHAIR: Thank you all.\n",
        encoding="utf-8",
    )
    qa.build_index(seeds, tmp_path / "index", progress=False)
    level = qa.search("What did Ilona Varga say about the water level?", k=3, index=tmp_path / "index")
    assert level[0].text == "The water level has fallen by 30 centimetres since midnight."


def test_an_acronyms_s_is_no_new_word():
    """A text that lost its curly apostrophes writes "CNN's" as "CNNs", and a plural is "MPs":
    Snowball keeps the "s" of a word without a vowel, so "Which CNN anchor…?" missed "told
    CNNs Christiane Amanpour"."""
    lexical = one_paragraph_each(["She told CNNs Christiane Amanpour.", "Three MPs voted against.", "Mrs Holt won."])
    assert lexical.scores(terms("CNN"))[0] > 0 and lexical.scores(terms("MP"))[1] > 0
    assert lexical.scores(terms("Mr"))[2] == 0


def test_a_word_that_lost_its_letters_is_stored_as_its_whole_spelling_elsewhere():
    texts = [
        "Malle Dubreuil wrote by email.",  # a copy that lost its non-ASCII letters
        "Maëlle Dubreuil leads the team.",
        "Óscar Pérez and Oscar Perez met.",
        "The scar healed; Prez left.",
        "Müller and Möller spoke, then Mller.",  # whose is "Mller"? Neither.
    ]
    lexical = Lexical.build(np.arange(5), texts, np.arange(5), dictionary=frozenset({"scar"}))
    assert "malle" not in lexical.vocabulary and lexical.vocabulary["maelle"] == 2

    def rows(word: str) -> set[int]:
        return set(np.flatnonzero(lexical.scores(terms(word)) > 0).tolist())

    assert rows("Maëlle") == {0, 1}
    assert rows("Óscar") == {2}  # "scar" is a word, not a damaged "Óscar"
    assert rows("Pérez") == {2, 3}
    assert rows("Müller") == {4} and "mller" in lexical.vocabulary


def test_letters_unicode_does_not_decompose_fold_like_accents():
    """Names like "Łódź", "Søren", "Ærø", "Işık" are typed "Lodz", "Soren", "Aero", "Isik" on a
    keyboard without them, and the other way round."""
    texts = [
        "The court in Łódź overturned the ban.",
        "Søren Kierkegaard was born in Copenhagen.",
        "The ferry sails to Aero twice a day.",
        "Coach Ali Isik praised the team.",
    ]
    lexical = one_paragraph_each(texts)
    words = lexical.match_words("Lodz Soren Ærø Işık", frozenset())
    assert [(w.written, w.how) for w in words] == [
        ("Lodz", "exact"),
        ("Soren", "exact"),
        ("Ærø", "exact"),
        ("Işık", "exact"),
    ]
    assert np.argmax(lexical.scores([words[0].term])) == 0 and np.argmax(lexical.scores([words[3].term])) == 3


def test_function_words_are_not_content_a_question_must_find():
    """ "else", "still", "anyone" are missing from most pages; as content words they made a
    follow-up ("Where else are they?") look like a question about something absent."""
    lexical = one_paragraph_each(["Troops gathered near the border.", "Talks went on."])
    assert [w.written for w in lexical.match_words("Has anyone else still seen troops?", frozenset())] == [
        "seen",
        "troops",
    ]


def test_the_library_lists_the_documents_of_an_index(seed_index, tmp_path):
    [seed] = qa.documents(seed_index)
    assert seed.doc_id == "cnn-2022-01-27-ukraine-russia-border-crisis.txt" and seed.date == "2022-01-27"
    assert seed.sentences == qa.search("NATO", k=1, index=seed_index)[0].doc_sentences > 50
    with pytest.raises(qa.IndexProblem, match="no index in"):
        qa.documents(tmp_path / "none")


def test_a_search_runs_blas_on_one_thread_and_gives_the_threads_back():
    from threadpoolctl import threadpool_info

    from qa.retrieve import _one_blas_thread

    def blas() -> list[int]:
        """The thread count of numpy's BLAS, which a search's products run on and whose threads
        the whole process shares (FAISS's OpenMP build counts each thread's own, and a search
        sets it in its thread; scipy's, which other tests load, qa does not use)."""
        return [lib["num_threads"] for lib in threadpool_info() if "numpy" in lib["filepath"]]

    before = blas()
    with _one_blas_thread():
        assert blas() == [1]
        with _one_blas_thread():  # a second search beside it
            assert blas() == [1]
        assert blas() == [1]  # the first is still searching
    assert blas() == before


def test_a_date_written_another_way_and_a_day_that_does_not_exist_are_told_apart():
    from qa.retrieve import parse_day

    assert parse_day("20250331", "From") == parse_day("2025-03-31", "From") == "2025-03-31"
    with pytest.raises(InputError, match=r"^From '31/03/2025' is not a date: use YYYY-MM-DD$"):
        parse_day("31/03/2025", "From")
    # Written as asked, it was told to be written as asked.
    with pytest.raises(InputError, match=r"^From '2025-02-30' is no day of the calendar: check the month and the day$"):
        parse_day("2025-02-30", "From")


def test_a_piece_of_a_sentence_too_long_to_keep_whole_is_quoted_with_the_marks_of_a_cut(tmp_path):
    """A sentence of some 120 words is quoted in pieces; its first piece ended "…before the
    middle of May at the" as if it were whole, and the next began "earliest, and…"."""
    from qa.split import MAX_SENTENCE_CHARS

    clauses = [
        "The repairs to the northern pier have to wait because the divers who must inspect the piles",
        "cannot work while the river is in flood, because the contractor's crane barge is booked on",
        "the southern breakwater until the end of April, because the council has not yet approved the",
        "revised budget for the works after the cost of the timber rose by a third over the winter,",
        "and because the harbour master has ruled that no work may start while the ferry timetable is",
        "being changed, so the first piles will not be replaced before the middle of May at the",
        "earliest, and possibly not until June if the spring tides are as high as the forecasters expect",
    ]
    sentence = " ".join(clauses) + "."
    assert len(sentence) > MAX_SENTENCE_CHARS
    (tmp_path / "seeds").mkdir()
    text = f"Pier repairs\n\nThe pier closed in March. {sentence} It reopens in July.\n"
    (tmp_path / "seeds" / "pier.txt").write_text(text, encoding="utf-8")
    qa.build_index(tmp_path / "seeds", tmp_path / "index", progress=False)
    answer = qa.Conversation(index=tmp_path / "index", quotes=5).ask("Why do the repairs to the northern pier wait?")
    blocks = answer.body.split("\n\n")
    lines = {
        hit.text: next(b for b in blocks if b.startswith(f"> **{number}.** ")).split("\n")[0]
        for number, hit in enumerate(answer.quotes, 1)
        if hit.text in sentence
    }
    assert len(lines) >= 2 and sentence not in lines  # quoted in pieces
    for text, line in lines.items():
        number = line.split("**")[1]  # "2."
        assert line.startswith(f"> **{number}** … ") == (not sentence.startswith(text))
        assert line.endswith(" …") == (not sentence.endswith(text))
    assert "… The pier closed" not in answer.text and "It reopens in July. …" not in answer.text

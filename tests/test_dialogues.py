"""Conversations over the seed: follow-ups understood from earlier turns, on the real index.

tests/data/dialogues.json holds 14 dialogues of 2-3 turns; a turn counts when its first quote
is one of the sentences that answer it. The floor is issue 4's: 85% of turns. A turn with no
"gold" is one the document does not answer: it should be refused.
"""

import json
import re
from pathlib import Path

import pytest

import qa
from qa.answer import NOT_FOUND
from qa.conversation import MORE_SHARE, NEW_TOPIC_REPLY, STILL_FIRST

DATA = Path(__file__).parent / "data"
FLOOR = 0.85


def dialogues(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def first_quote_answers(conversation: qa.Conversation, turn: dict) -> tuple[bool, qa.Answer]:
    answer = conversation.ask(turn["q"])
    top = answer.quotes[0].text if answer.quotes else ""
    return any(gold in top for gold in turn["gold"]), answer


def test_the_first_quote_answers_at_least_85_percent_of_turns(seed_searcher):
    right, misses, turns = 0, [], 0
    for dialogue in dialogues("dialogues.json"):
        conversation = qa.Conversation(searcher=seed_searcher)
        for turn in dialogue["turns"]:
            good, answer = first_quote_answers(conversation, turn)
            turns += 1
            right += good
            if not good:
                misses.append(f"{dialogue['name']}: {turn['q']!r} searched {answer.searched!r}")
    assert turns >= 30
    assert right / turns >= FLOOR, "\n".join(misses)


def play(searcher, names: tuple[str, ...]) -> dict[str, list[tuple[bool, bool]]]:
    """Every turn of the named sets, as (first quote right, said to be found), by kind of
    turn: "opening", "follow-up" (answerable) and "unanswerable" (a follow-up with no gold)."""
    kinds: dict[str, list[tuple[bool, bool]]] = {"opening": [], "follow-up": [], "unanswerable": []}
    for name in names:
        for dialogue in dialogues(name):
            conversation = qa.Conversation(searcher=searcher)
            for i, turn in enumerate(dialogue["turns"]):
                if "gold" in turn:
                    good, answer = first_quote_answers(conversation, turn)
                    kinds["follow-up" if i else "opening"].append((good, answer.found))
                else:
                    kinds["unanswerable"].append((False, conversation.ask(turn["q"]).found))
    return kinds


def test_dialogues_written_later_without_seeing_the_system_stay_above_their_floor(seed_searcher):
    """Three sets written from the document alone after the conversation logic was settled
    (holdout, blind, blind2): they score lower than the set it was developed on; see
    docs/ranking.md. The floors guard against losing more."""
    kinds = play(seed_searcher, ("dialogues_holdout.json", "dialogues_blind.json", "dialogues_blind2.json"))
    answerable = kinds["opening"] + kinds["follow-up"]
    assert len(answerable) >= 80 and len(kinds["unanswerable"]) >= 12
    assert sum(good for good, _ in answerable) / len(answerable) >= 0.58
    assert sum(not found for _, found in kinds["unanswerable"]) >= 7


# Floors just under what each set measures. In stop 27 the ranker trained on these writers'
# questions too put 8 more turns right first over these sets (19 gained, 11 lost): eleven floors
# went up to one turn under the lower of the int8 and fp32 measurements, four went down
# (newuser20, 23, 24, 26: "When does the car park reopen?" now quotes another date).
@pytest.mark.parametrize(
    ("collection", "name", "turns", "right", "unanswerable", "refused"),
    [
        ("three_stories_searcher", "dialogues_newuser2.json", 20, 11, 4, 2),  # nine short pieces, a third writer
        ("fourth_writer_searcher", "dialogues_newuser3.json", 18, 8, 4, 1),  # minutes, transcript, FAQ...
        ("fifth_writer_searcher", "dialogues_newuser4.json", 18, 10, 2, 1),  # email thread, match report...
        ("sixth_writer_searcher", "dialogues_newuser5.json", 16, 9, 2, 0),  # transcript, contract, letter...
        ("seventh_writer_searcher", "dialogues_newuser6.json", 27, 14, 5, 1),  # recipe, bylaw, leaflet...
        ("eighth_writer_searcher", "dialogues_newuser7.json", 28, 16, 4, 1),  # one story, ten sources
        ("ninth_writer_searcher", "dialogues_newuser8.json", 27, 9, 5, 2),  # listing, budget, diary...
        ("tenth_writer_searcher", "dialogues_newuser9.json", 31, 11, 1, 1),  # local news
        ("eleventh_writer_searcher", "dialogues_newuser10.json", 29, 13, 2, 0),  # a company's documents
        ("twelfth_writer_searcher", "dialogues_newuser11.json", 26, 8, 2, 0),  # a river basin's reports
        ("thirteenth_writer_searcher", "dialogues_newuser12.json", 30, 9, 2, 0),  # culture and sport
        ("fourteenth_writer_searcher", "dialogues_newuser13.json", 30, 16, 1, 0),  # an employee's, a patient's
        ("nineteenth_writer_searcher", "dialogues_newuser18.json", 15, 4, 0, 0),  # seven sources on one study
        ("twentieth_writer_searcher", "dialogues_newuser19.json", 14, 6, 2, 0),  # a ransomware attack
        ("twenty_first_writer_searcher", "dialogues_newuser20.json", 14, 4, 2, 1),  # a formula's recall
        ("twenty_second_writer_searcher", "dialogues_newuser21.json", 14, 8, 2, 1),  # a museum theft
        ("twenty_third_writer_searcher", "dialogues_newuser22.json", 14, 8, 1, 1),  # a drug trial halted
        ("twenty_fourth_writer_searcher", "dialogues_newuser23.json", 10, 6, 2, 1),  # a ferry's winter sailings
        ("twenty_fifth_writer_searcher", "dialogues_newuser24.json", 15, 8, 1, 1),  # a chocolate maker's takeover
        ("twenty_sixth_writer_searcher", "dialogues_newuser25.json", 13, 6, 2, 1),  # a sunken ship's fuel
        ("twenty_seventh_writer_searcher", "dialogues_newuser26.json", 14, 4, 1, 0),  # a cemetery under a car park
        ("twenty_eighth_writer_searcher", "dialogues_newuser27.json", 14, 9, 2, 1),  # a bridge closed
        ("twenty_ninth_writer_searcher", "dialogues_newuser28.json", 15, 7, 2, 0),  # branch closures
        ("thirtieth_writer_searcher", "dialogues_newuser29.json", 14, 7, 2, 0),  # an invasive shrimp
        ("seed_searcher", "dialogues_blind6.json", 19, 16, 3, 1),  # the seed, a sixth blind set
    ],
)
def test_dialogues_other_writers_wrote_before_running_qa_stay_above_their_floor(
    request, collection, name, turns, right, unanswerable, refused
):
    """Five to eight dialogues each, on documents their writers made, some turns unanswered."""
    kinds = play(request.getfixturevalue(collection), (name,))
    answerable = kinds["opening"] + kinds["follow-up"]
    assert len(answerable) == turns and len(kinds["unanswerable"]) == unanswerable
    assert sum(good for good, _ in answerable) >= right
    assert sum(not found for _, found in kinds["unanswerable"]) >= refused


def test_more_goes_on_in_the_documents_of_quotes_near_the_best_not_those_shown_for_context(fourth_writer_searcher):
    """A third quote at 0.00 from another story is context; "more" after a found answer stays
    with the documents of the quotes that came near the best (within a tenth of its score)."""
    questions = [json.loads(line)["q"] for line in (DATA / "newuser3.jsonl").read_text().splitlines()]
    moved = 0
    for question in questions:
        conversation = qa.Conversation(searcher=fourth_writer_searcher)
        first = conversation.ask(question)
        if not first.found:
            continue
        near = {h.doc_id for h in first.quotes if h.score >= MORE_SHARE * first.quotes[0].score}
        more = conversation.ask("more")
        assert {h.doc_id for h in more.quotes} <= near, question
        moved += any(h.doc_id not in near for h in first.quotes)
    assert moved >= 10  # questions whose answer showed a quote from a document left out


def test_a_question_naming_another_story_starts_a_new_topic_and_and_continues(three_stories_searcher):
    conversation = qa.Conversation(searcher=three_stories_searcher)
    assert "dinosaur" in conversation.ask("Who found the dinosaur?").quotes[0].text
    # Short, and naming what the dinosaur stories never do: read alone, not with "found dinosaur".
    other = conversation.ask("How much is Skovgård paying?")
    assert other.searched == "How much is Skovgård paying?"
    assert other.found and "€58 a share" in other.quotes[0].text
    assert conversation.ask("And the unions?").searched == "And the unions? (+ paying Skovgård)"


def test_a_short_question_of_words_the_last_documents_never_use_starts_its_own_topic(three_stories_searcher):
    """ "Where are schools closed?" after the dinosaur: what it asks about is its own, read
    alone (searched with "found dinosaur", a question's "last" had found a strike that "would
    last three days"), and the next follow-up carries its words, not the dinosaur's (they piled
    up turn after turn)."""
    conversation = qa.Conversation(searcher=three_stories_searcher)
    conversation.ask("Who found the dinosaur?")
    stray = conversation.ask("Where are schools closed?")
    assert stray.searched == "Where are schools closed?"
    assert "schools are closed" in stray.quotes[0].text
    after = conversation.ask("And the pupils?")
    assert after.searched == "And the pupils? (+ closed schools)"


def test_a_question_naming_someone_the_last_quotes_do_not_starts_a_new_topic_in_one_long_page(seed_searcher):
    """The seed is one live page that names everyone: "What did Erdoğan offer?" after the
    Biden call was searched with "(+ last long call Biden)", and every question after it too
    (a new user's trial in the browser). What the last quotes and the sentences around them
    name decides, not their whole document."""
    conversation = qa.Conversation(searcher=seed_searcher)
    conversation.ask("How long did the Biden-Zelensky call last?")
    offer = conversation.ask("What did Erdoğan offer?")
    assert offer.searched == "What did Erdoğan offer?"
    assert "offered to mediate talks" in offer.quotes[0].text
    assert conversation.ask("Did Putin accept?").searched.startswith("Did Putin accept? (+ offer")


def test_a_question_that_points_back_may_name_what_the_last_documents_name(seventeenth_writer_searcher):
    """ "Did Northfell know about it?" after a quote from the inquiry's report: "it" points back,
    and the report names Northfell, though not in the quote or beside it."""
    conversation = qa.Conversation(searcher=seventeenth_writer_searcher)
    conversation.ask("Why was the scour valve out of action?")
    assert conversation.ask("Did Northfell know about it?").searched.startswith("Did Northfell know about it? (+ ")


def test_a_follow_up_of_one_word_its_own_words_answer_better_stands_alone(eighth_writer_searcher):
    """ "How many survived?" after the Dolna Wola rescue: "survived" is nowhere in the quotes
    ("rescued alive"), and one word was taken as too little to stand alone. Since stop 27 it
    stands alone, as any follow-up does whose own words answer it better than the topic's: the
    ranker trained on other writers' collections scores "Eleven of the survivors were treated in
    hospital" above the topic's quotes. Always keeping one-word follow-ups on the topic made two
    follow-ups fewer right first over all the dialogues (docs/ranking.md). The count is still
    among the first three quotes."""
    conversation = qa.Conversation(searcher=eighth_writer_searcher)
    conversation.ask("Who rescued the miners at Dolna Wola?")
    survived = conversation.ask("How many survived?")
    assert survived.searched == "How many survived?"
    assert survived.found
    assert any("14 lives saved" in q.text or "rescued alive" in q.text for q in survived.quotes[:3])


def test_he_or_she_after_a_who_question_stands_for_the_person_its_answer_named(fourth_writer_searcher):
    """No question named Jean Holloway: the answer to "who" did. Carrying the question's words
    instead ("elderly asked residents") brought the same quote back."""
    conversation = qa.Conversation(searcher=fourth_writer_searcher)
    first = conversation.ask("Who asked the council how elderly Millfield residents would get to the surgery?")
    assert first.found and "Mrs Jean Holloway asked" in first.quotes[0].text
    age = conversation.ask("How old is she?")
    assert age.searched == "How old is she? (+ Jean Holloway)"
    assert "Jean Holloway, 81," in age.quotes[0].text
    # Still her, though this question asked no "who".
    assert conversation.ask("What did she say about Saturdays?").searched.endswith("(+ Jean Holloway)")
    # "it" is no person: the topic's words again.
    assert conversation.ask("Why did it close?").searched != "Why did it close? (+ Jean Holloway)"
    # A "who" question that names her: "she" is the one it named, not the next name in the quote.
    # (Her age is in the sentence that answers "Who is…?" first, or in the follow-up's.)
    conversation = qa.Conversation(searcher=fourth_writer_searcher)
    who = conversation.ask("Who is Jean Holloway?")
    age = conversation.ask("How old is she?")
    assert age.searched == "How old is she? (+ Jean Holloway)"
    assert any("Jean Holloway, 81," in answer.quotes[0].text for answer in (who, age))


@pytest.mark.parametrize(
    ("who", "follow_up", "carried"),
    [
        # The question's words may lead the name ("Russian President"), not be the name.
        ("Who is the Russian president?", "Whom did he invite?", "Vladimir Putin"),
        ("Who did Biden speak to on Thursday?", "What did he ask for?", "Ukrainian President Volodymyr Zelensky"),
        ("who is volodymyr zelensky?", "What did he restate?", "volodymyr zelensky"),  # named, in lower case
    ],
)
def test_he_after_a_who_question_on_the_seed(seed_searcher, who, follow_up, carried):
    conversation = qa.Conversation(searcher=seed_searcher)
    assert conversation.ask(who).found
    assert conversation.ask(follow_up).searched == f"{follow_up} (+ {carried})"


def test_a_question_leaning_lightly_on_the_last_stands_alone_when_that_answers_it_better(
    fifteenth_writer_searcher,
):
    """Two words of its own, one of them in the last answer's passage: searched with "company
    building vessel", the question on the seagrass was refused; alone, it is answered."""
    conversation = qa.Conversation(searcher=fifteenth_writer_searcher)
    conversation.ask("Which company is building the vessel?")
    answer = conversation.ask("How fast does seagrass recover?")
    assert answer.searched == "How fast does seagrass recover?"
    assert answer.found and "ten centimetres a year" in answer.quotes[0].text
    # One that goes on with the topic is still read with it.
    assert conversation.ask("Who decided that?").searched != "Who decided that?"


def test_who_else_leaves_out_what_was_quoted_even_when_it_would_stand_alone(seed_searcher):
    """A review caught the rule above reading "Who else backed sanctions?" alone, and quoting
    again what the last answer had: "else" asks past it, whichever reading scores best."""
    conversation = qa.Conversation(searcher=seed_searcher)
    first = conversation.ask("What sanctions did Menendez propose?")
    other = conversation.ask("Who else backed sanctions?")
    assert not {(h.doc_id, h.position) for h in first.quotes} & {(h.doc_id, h.position) for h in other.quotes}


def test_he_after_a_who_question_answered_by_a_signature(fifteenth_writer_searcher):
    """A role the question wrote in lower case may end the name: "Who is the harbour master?"
    answered by "Best regards, José Muñoz Harbour Master, Porto Velha" carried "Porto Velha"."""
    conversation = qa.Conversation(searcher=fifteenth_writer_searcher)
    assert "José Muñoz" in conversation.ask("Who is the harbour master?").quotes[0].text
    warned = conversation.ask("What did he warn about?")
    assert warned.searched == "What did he warn about? (+ José Muñoz)"
    assert "would need a new charging mast" in warned.quotes[0].text


def test_she_after_a_who_question_is_the_person_not_the_body_or_place_named_first(seed_searcher):
    """ "Who is the US ambassador to the UN?" is answered by "…called for the first UN Security
    Council UNSC meeting on the situation along the Russia-Ukraine border, US ambassador to the
    United Nations Linda Thomas-Greenfield said…": "she" stood for "Security Council UNSC" (a
    blind set's); a body's word ends no person's name, and "the Russia-Ukraine border" names no one."""
    conversation = qa.Conversation(searcher=seed_searcher)
    assert "Linda Thomas-Greenfield" in conversation.ask("Who is the US ambassador to the UN?").quotes[0].text
    announced = conversation.ask("What meeting did she announce?")
    assert announced.searched == "What meeting did she announce? (+ Linda Thomas Greenfield)"
    # Her own words on it came first in stop 27 ("the United States called an open meeting of
    # the Security Council", Thomas-Greenfield wrote), the report of her announcement second.
    assert "Security Council" in announced.quotes[0].text and "Thomas-Greenfield" in announced.quotes[0].text


def test_a_question_asked_again_is_answered_as_it_was_with_as_many_quotes_as_asked(seed_searcher):
    """A reader set ten quotes and asked again: read as a follow-up of itself, its own quotes
    pushed down, the answer came back in another order (a reader's, in the chat)."""
    conversation = qa.Conversation(searcher=seed_searcher)
    first = conversation.ask("What did Erdoğan offer?")
    again = conversation.ask("what did Erdoğan offer", quotes=10)
    assert [h.text for h in again.quotes[:3]] == [h.text for h in first.quotes]
    assert len(again.quotes) == 10 and not again.notes
    assert "Searched for" not in again.text  # read alone, as it was: its case changes nothing
    # "What else…?" again goes on past what the last answer showed (a review's).
    conversation.ask("What else did he say?")
    shown = {(h.doc_id, h.position) for h in conversation.turns[-1].answer.quotes}
    further = conversation.ask("What else did he say?")
    assert not shown & {(h.doc_id, h.position) for h in further.quotes}


def test_saying_is_no_topic_to_carry(seed_searcher):
    """ "How long did it last?" after two questions of what someone said was searched with
    "(+ say senior Thursday's official)": "say" names nothing the conversation is about (a
    blind set's)."""
    conversation = qa.Conversation(searcher=seed_searcher)
    conversation.ask("What did a senior Ukrainian official say about Thursday's Biden-Zelensky call?")
    conversation.ask("What did the White House say about that?")
    lasted = conversation.ask("How long did it last?")
    assert lasted.searched.startswith("How long did it last? (+ ") and "say" not in lasted.searched
    assert "lasted an hour and 20 minutes" in lasted.quotes[0].text


def test_i_is_no_name_a_question_brings_in(seed_searcher):
    """ "What should I do about it?" points back: its "I" is no new subject, which read it alone."""
    conversation = qa.Conversation(searcher=seed_searcher)
    conversation.ask("What did Erdoğan offer?")
    assert conversation.ask("What should I make of it?").searched.startswith("What should I make of it? (+ ")


def test_a_follow_up_answered_first_is_said_to_be_found_and_one_the_document_leaves_out_is_refused(seed_searcher):
    """The answer probability of a follow-up is that of the sentence it quotes first, after the
    last answer's quotes were pushed down; and it rests on the question's own words, not on
    the words carried from earlier turns (which the documents always know)."""
    kinds = play(seed_searcher, ("dialogues.json", "dialogues_refusals.json"))
    right = [found for good, found in kinds["follow-up"] if good]
    assert len(right) >= 15
    assert sum(right) / len(right) >= 0.8
    refused = [not found for _, found in kinds["unanswerable"]]
    assert len(refused) >= 10 and sum(refused) / len(refused) >= 0.8


def test_a_follow_up_says_what_was_searched_and_a_new_topic_does_not(seed_searcher):
    conversation = qa.Conversation(searcher=seed_searcher)
    first = conversation.ask("What did Erdoğan offer?")
    assert first.searched == "What did Erdoğan offer?"
    follow = conversation.ask("Did Putin accept?")
    assert follow.searched.startswith("Did Putin accept? (+ ")
    assert "Erdoğan" in follow.searched or "offer" in follow.searched
    assert "Searched for:" in follow.text
    fresh = conversation.ask("How many Russian troops are deployed on the Ukrainian border?")
    assert fresh.searched == "How many Russian troops are deployed on the Ukrainian border?"
    assert "More than 100,000 Russian troops" in fresh.quotes[0].text


@pytest.mark.parametrize("more", ["Tell me more", "more", "go on"])
def test_tell_me_more_brings_the_next_sentences_not_the_same_ones(seed_searcher, more):
    conversation = qa.Conversation(searcher=seed_searcher, quotes=2)
    first = conversation.ask("What did Biden warn Zelensky about?")
    again = conversation.ask(more)
    seen = {(h.doc_id, h.position) for h in first.quotes}
    assert len(again.quotes) == 2
    assert not seen & {(h.doc_id, h.position) for h in again.quotes}
    assert again.searched == first.searched
    # The continuation of an answer is not "not answered", though each sentence scores lower.
    assert first.found and again.found and NOT_FOUND not in again.text
    third = conversation.ask(more)
    assert not (seen | {(h.doc_id, h.position) for h in again.quotes}) & {(h.doc_id, h.position) for h in third.quotes}


def test_matched_words_are_emphasised_inside_a_verbatim_quote(seed_searcher):
    answer = qa.Conversation(searcher=seed_searcher).ask("What did Erdogan offer?")
    quote = answer.quotes[0].text
    assert quote.startswith("Erdoan also offered")
    assert "**Erdoan** also **offered**" in answer.text
    # Removing the emphasis and the escapes gives back the sentence exactly.
    line = next(line for line in answer.text.splitlines() if "**offered**" in line)
    assert quote in re.sub(r"\\(.)", r"\1", line.replace("**", ""))


def test_a_name_that_lost_its_accents_is_shown_in_bold_beside_its_whole_spelling(tmp_path):
    """With a second document spelling "Erdoğan" whole, the seed's "Erdoan" was found as the
    name, and not in bold: the quote's own word was read as another."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ankara.txt").write_text(
        "Ankara briefing\n\nPresident Erdoğan met the Ukrainian ambassador in Ankara on Friday.\n", encoding="utf-8"
    )
    (seeds / "kyiv.txt").write_text(
        "Kyiv briefing\n\nErdoan also offered to mediate talks between Russia and Ukraine.\n", encoding="utf-8"
    )
    qa.build_index(seeds, tmp_path / "index", progress=False)
    answer = qa.Conversation(index=tmp_path / "index").ask("What did Erdoğan offer?")
    assert answer.quotes[0].text.startswith("Erdoan also offered") and "**Erdoan** also **offered**" in answer.text
    assert "President **Erdoğan**" in answer.text


def test_a_modal_verb_is_no_word_to_show_nor_a_topic_to_carry(seed_searcher):
    """ "would" was in bold in every quote that had it, and carried into the next question."""
    conversation = qa.Conversation(searcher=seed_searcher)
    answer = conversation.ask("Who said the talks would take place in Paris?")
    assert "would" in " ".join(h.text for h in answer.quotes) and "**would**" not in answer.text.lower()
    assert "**Paris**" in answer.text
    assert "would" not in conversation.ask("When?").searched


def test_the_many_of_how_many_is_no_word_to_show(tmp_path):
    """It asks for a number: "many" in bold in "…and many of them catch the early boat" told
    the reader it was a word of the question that matched."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "ferry.txt").write_text(
        "Ferry\n\nThirty-eight pupils cross to the high school every morning, and many of them catch the 07:15 boat.\n",
        encoding="utf-8",
    )
    qa.build_index(tmp_path / "seeds", tmp_path / "index", progress=False)
    answer = qa.Conversation(index=tmp_path / "index").ask("How many pupils cross to the high school?")
    assert "**pupils**" in answer.text and "**many**" not in answer.text


def test_new_starts_a_new_topic_in_any_edge(seed_searcher):
    conversation = qa.Conversation(searcher=seed_searcher)
    conversation.ask("What did Erdoğan offer?")
    reset = conversation.ask("New topic.")
    assert not reset.quotes and reset.text == NEW_TOPIC_REPLY and not conversation.turns
    assert conversation.ask("Did Putin accept?").searched == "Did Putin accept?"


def test_a_follow_up_that_finds_nothing_better_than_the_last_quote_says_so(seed_searcher):
    conversation = qa.Conversation(searcher=seed_searcher)
    first = conversation.ask("What did Jen Psaki say?")
    again = conversation.ask("When?")
    assert again.quotes[0].text == first.quotes[0].text
    assert STILL_FIRST in again.notes and "still the best match" in again.text  # shown, escaped
    other = conversation.ask("Which countries lead the battlegroups?")
    assert STILL_FIRST not in other.notes


def test_what_else_brings_sentences_the_last_answer_did_not_quote(seed_searcher):
    """ "What else did Erdoğan say?" gave back the three quotes of "What did Erdoğan offer?",
    in the same order (a journalist's trial)."""
    conversation = qa.Conversation(searcher=seed_searcher)
    first = conversation.ask("What did Erdogan offer?")
    again = conversation.ask("What else did Erdoğan say?")
    assert first.quotes and len(again.quotes) == len(first.quotes)
    assert not {(h.doc_id, h.position) for h in first.quotes} & {(h.doc_id, h.position) for h in again.quotes}
    assert any("Erdoan" in hit.text for hit in again.quotes)
    # "more" then goes on past both, twice; and "or else" in a question of its own leaves nothing out.
    more, further = conversation.ask("more"), conversation.ask("more")
    earlier = {_place(h) for h in first.quotes + again.quotes}
    assert more.quotes and not {_place(h) for h in more.quotes} & earlier
    assert further.quotes and not {_place(h) for h in further.quotes} & (earlier | {_place(h) for h in more.quotes})
    # "What else" after "more" leaves out both of those answers too.
    other = qa.Conversation(searcher=seed_searcher)
    shown = {_place(h) for q in ("What did Erdogan offer?", "more") for h in other.ask(q).quotes}
    assert not {_place(h) for h in other.ask("What else did Erdogan say?").quotes} & shown
    fresh = qa.Conversation(searcher=seed_searcher)
    alone = fresh.ask("What did Erdogan offer?")
    assert fresh.ask("What did Erdogan offer, or else propose?").quotes[0].text == alone.quotes[0].text


def _place(hit) -> tuple[str, int]:
    return hit.doc_id, hit.position


def test_who_said_so_is_answered_by_the_source_the_last_quote_names(seed_searcher):
    """ "Did it go well?" quoted "…'did not go well,' a senior Ukrainian official told CNN";
    "Who said so?" then quoted the length of the call, pushed the source out of sight."""
    conversation = qa.Conversation(searcher=seed_searcher)
    conversation.ask("how long was bidens phone call with zelenskyy")
    went = conversation.ask("Did it go well?")
    assert "did not go well" in went.quotes[0].text
    source = conversation.ask("Who said so?")
    assert source.quotes[0].text == went.quotes[0].text and "official told CNN" in source.quotes[0].text
    assert source.found and STILL_FIRST not in source.notes
    # "he" after it is the source the quote names ("…, Peskov said."), not its first name (a
    # reader's "What else did he say?" was searched with "President Putin").
    conversation = qa.Conversation(searcher=seed_searcher)
    for question in ("What did Erdogan offer?", "Did Putin accept?", "Who said so?"):
        conversation.ask(question)
    assert conversation.ask("What else did he say?").searched == "What else did he say? (+ Peskov)"
    # After "more", whose quotes score low, the quote shown first is still the one asked about.
    conversation = qa.Conversation(searcher=seed_searcher)
    for question in ("What did Erdogan offer?", "Did Putin accept?"):
        conversation.ask(question)
    more = conversation.ask("Tell me more")
    source = conversation.ask("who said so?")
    assert source.found and source.quotes[0].text == more.quotes[0].text and "Peskov" in source.quotes[0].text
    # Only the whole question: "said so far" asks something else.
    conversation = qa.Conversation(searcher=seed_searcher)
    conversation.ask("how long was bidens phone call with zelenskyy")
    conversation.ask("Did it go well?")
    other = conversation.ask("What has the Pentagon said so far about the troops?")
    assert "did not go well" not in other.quotes[0].text


def test_who_said_so_of_a_transcripts_quote_brings_its_speakers_turn_back(tmp_path):
    """A reader's press conference: "Who said so?" after "JOAN PÉREZ-ARAGÜÉS: The government has
    approved an emergency fund…" quoted another speaker's turn; the label names its source."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "briefing.txt").write_text(
        "Press conference on the drought emergency\n\n"
        "MIREIA VALLÈS GÜELL: We have also found leaks that lose 18% of the water in the "
        "network, and repairing them will cost about €60 million.\n\n"
        "JOAN PÉREZ-ARAGÜÉS: The government has approved an emergency fund of €480 million for the works.\n\n"
        "MIREIA VALLÈS GÜELL: The reservoirs now hold 15.8% of their capacity.\n\n"
        "JOAN PÉREZ-ARAGÜÉS: Thank you.\n",
        encoding="utf-8",
    )
    qa.build_index(tmp_path / "seeds", tmp_path / "index", progress=False)
    conversation = qa.Conversation(index=tmp_path / "index")
    conversation.ask("How much will the leak repairs cost?")
    fund = conversation.ask("And the emergency fund?")
    assert fund.quotes[0].text.startswith("JOAN PÉREZ-ARAGÜÉS: The government has approved")
    assert conversation.ask("Who said so?").quotes[0].text == fund.quotes[0].text


def test_a_name_typed_with_and_without_its_accents_is_one_word_of_the_topic(seed_searcher):
    """ "(+ offer Erdogan accept Erdoğan)": the same name carried twice."""
    conversation = qa.Conversation(searcher=seed_searcher)
    for question in ("What did Erdogan offer?", "Did he accept?", "What else did Erdoğan say?"):
        conversation.ask(question)
    searched = conversation.ask("And what did he say about Crimea?").searched
    assert searched.count("Erdogan") + searched.count("Erdoğan") == 1, searched


def test_a_follow_up_carries_the_thing_the_question_asked_about(tmp_path):
    """Asked "What fine did the regulator give the harbour company for the spill?" and then
    "When must it be paid?": the words carried were the question's rarest, and "fine", the
    thing asked about, was the most common of them."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "harbour.txt").write_text(
        "Harbour spill\n\n"
        "The regulator fined the harbour company 40,000 euros for the oil spill in March. "
        "The fine is the largest the regulator has given a port. "
        "The fine must be paid by 1 June.\n\n"
        "Fishing crews lost a fine week of catches. A fine net costs 900 euros, and a fine of "
        "this size is rare, said a skipper. Crews will be paid by the company for the lost week on 15 May.\n",
        encoding="utf-8",
    )
    qa.build_index(seeds, tmp_path / "index", progress=False)
    conversation = qa.Conversation(index=tmp_path / "index")
    conversation.ask("What fine did the regulator give the harbour company for the spill?")
    paid = conversation.ask("When must it be paid?")
    assert "fine" in paid.searched.split("(+ ", 1)[1]
    assert paid.quotes[0].text == "The fine must be paid by 1 June."


def test_more_brings_nothing_an_earlier_turn_quoted(seed_searcher):
    """After "What did Erdoğan offer?", "Did Putin accept?" and "When will he visit?", "tell me
    more" quoted the offer and the acceptance again, as if new."""
    conversation = qa.Conversation(searcher=seed_searcher)
    earlier = set()
    for question in ("What did Erdogan offer?", "Did Putin accept?", "When will he visit?"):
        earlier |= {(h.doc_id, h.position) for h in conversation.ask(question).quotes}
    more = conversation.ask("tell me more")
    assert more.quotes and not {(h.doc_id, h.position) for h in more.quotes} & earlier

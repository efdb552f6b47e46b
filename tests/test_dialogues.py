"""Conversations over the seed: follow-ups understood from earlier turns, on the real index.

tests/data/dialogues.json holds 14 dialogues of 2-3 turns; a turn counts when its first quote
is one of the sentences that answer it. The floor is issue 4's: 85% of turns.
"""

import json
import re
from pathlib import Path

import pytest

import qa
from qa.answer import NOT_FOUND

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


def test_dialogues_written_later_without_seeing_the_system_stay_above_their_floor(seed_searcher):
    """Two sets written from the document alone after the conversation logic was settled
    (holdout, then blind): they score lower than the set it was developed on; see
    docs/ranking.md. The floor guards against losing more."""
    right = turns = 0
    for name in ("dialogues_holdout.json", "dialogues_blind.json"):
        for dialogue in dialogues(name):
            conversation = qa.Conversation(searcher=seed_searcher)
            for turn in dialogue["turns"]:
                right += first_quote_answers(conversation, turn)[0]
                turns += 1
    assert turns >= 40
    assert right / turns >= 0.62


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

"""A conversation: questions in turns, follow-ups understood from the turns before them.

No language model rewrites anything. A question that leans on earlier turns (a pronoun such
as he/it/they/there, "and Germany?", "why not?", a very short question) is searched together
with what the conversation is about: the rarest words of the questions that set the topic, the
thing asked about first ("What fine…", "How much ransom…"; not the words of the sentences
quoted: carrying those made follow-ups worse, docs/ranking.md), except that
"he" or "she" after a "who" question stands for the name its answer gave. A question
that stands on its own starts a new topic, and so do "new" and a question naming something the
last answer's quotes and the sentences around them never mention (their documents, if it also
points back: "Did Northfell know about it?"); a short question using only some of its words
in them leans on the last turn lightly and starts its own topic, one of two words using
neither is read alone. "Tell me more" continues the last
answer with the next best sentences of the documents of its best quotes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .answer import compose
from .config import MAX_K, MAX_QUESTION_CHARS
from .errors import InputError
from .lexical import QueryWord
from .normalize import MIN_DAMAGED, clean, fold, is_content, lost, stem, terms
from .records import Answer, Hit
from .retrieve import Context, Filter, Searcher, check_k, check_question, documents_filter, open_index, parse_day

# Words that point back to something said before.
REFERENCES = frozenset(
    {
        "he", "she", "it", "they", "them", "him", "her", "his", "hers", "its", "their", "theirs",
        "there", "this", "that", "these", "those", "then", "such", "former", "latter",
    }
)  # fmt: skip
# Openings that continue the previous question ("and Germany?", "what about the EU?").
CONTINUATIONS = re.compile(r"^\s*(and|but|also|so|or|what about|how about|same for|then)\b", re.IGNORECASE)
MORE = re.compile(
    r"^\s*(tell me more|more|go on|continue|keep going|what else|anything else|and then|more please)\W*$",
    re.IGNORECASE,
)
NEW_TOPIC = re.compile(r"^\s*(new|new topic|new conversation|start over)\W*$", re.IGNORECASE)
NEW_TOPIC_REPLY = "New topic: the next question is read on its own."
NOTHING_TO_CONTINUE = 'Ask a question first: "more" then brings the next sentences on it.'
STILL_FIRST = "The sentence quoted last is still the best match."
# "Who said so?", the whole question: one about the last answer's quote itself ("What has the
# Pentagon said so far?" is not).
ABOUT_THE_QUOTE = re.compile(
    r"^\s*(?:(?:and\s+)?who\s+(?:said|says|claimed|claims|reported|wrote|told\s+(?:them|us|you))(?:\s+(?:so|that|this|it))?"
    r"|says\s+who|according\s+to\s+(?:whom|who)|who\s+was\s+the\s+source)\W*$",
    re.IGNORECASE,
)
# A name and the verb saying what it said: "…, Peskov said.", "Dmitry Peskov told reporters".
SAID_BY = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)\s+(?:said|says|told|wrote|added|continued|warned)\b"
)
ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to|announced|wrote|reported|stated|tweeted|posted)\b", re.I)
# "What else did Erdoğan say?"; not "Can I cancel by text or else by phone?", "Can anyone else…?"
ELSE = re.compile(r"^\s*(?:and\s+)?(?:what|who|where|which|when|how)\s+else\b|\banything\s+else\b|^\s*besides\b", re.I)
NOTHING_MORE = "There is nothing more on this in the documents."
_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

SHORT = 2  # a question with this few content words of its own is read as a follow-up
QUANTITY = frozenset({"many", "much"})  # "how many…?" asks for a number; the words say of what
SAYING = frozenset("say says said saying tell tells told telling".split())
# Words that weigh in a search but name no topic, nor a match worth showing: "many" of "how many",
# the modal verbs ("would" was carried into a follow-up, "+ grain corridor stay would"), and
# saying ("How long did it last? (+ say senior Thursday's official)").
UNSHOWN = QUANTITY | {"would", "could", "might", "must", "shall", "ought"} | SAYING
LONG = 5  # a question with this many content words of its own leans on earlier turns only lightly
MORE_SHARE = 0.1  # "more" goes on in the documents of quotes this close to the best one
CARRIED = 4  # words carried from earlier turns into a follow-up's search
# How much the carried words count against the question's own: a question that points back
# ("when will he go there?") needs them; a short one naming its own subject ("did Putin
# accept?") only leans on them.
POINTS_BACK, LEANS = 0.6, 0.3


@dataclass(frozen=True)
class Turn:
    question: str
    searched: str
    answer: Answer
    topic: tuple[str, ...]  # the words this turn was about, rarest first
    shown: int  # how many hits the reader has seen for this search (for "tell me more")
    context: Context | None = None
    person: tuple[str, ...] = ()  # whom "he" or "she" stands for, once a "who" was answered
    left_out: frozenset[tuple[str, int]] = frozenset()  # quotes a "what else" turn is not to repeat


def clean_question(text: str) -> tuple[str, list[str]]:
    """The question without control characters, cut to the limit; notes say what changed."""
    check_question(text)
    notes = []
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") else c for c in text)
    text = " ".join(text.split())
    if len(text) > MAX_QUESTION_CHARS:
        notes.append(f"Your question was cut to its last {MAX_QUESTION_CHARS} characters, where it asks.")
    return check_question(text), notes  # empty once control characters are gone; cut


def _asked_again(text: str, previous: str) -> bool:
    """Whether a question is the last one again, but for case, spaces and its last stops."""

    def plain(question: str) -> str:
        return " ".join(question.casefold().split()).rstrip(" ?!.")

    return plain(text) == plain(previous)


def _place(hit: Hit) -> tuple[str, int]:
    """Where a quote stands: the same sentence whatever search found it."""
    return hit.doc_id, hit.position


def _same(a: Hit, b: Hit) -> bool:
    return _place(a) == _place(b)


def reliance(question: str, words: list[QueryWord]) -> float:
    """How much the question needs earlier turns: 0 (stands alone), LEANS or POINTS_BACK."""
    lowered = [w.lower() for w in _WORDS.findall(question)]
    own = len([w for w in words if w.term])
    if CONTINUATIONS.match(question):
        return POINTS_BACK
    if any(w in REFERENCES for w in lowered):
        # In a long question a "those" or "there" is seldom about the last answer ("Who led
        # those grappling with…", "How many MSPs are there?"): read with it only lightly.
        return POINTS_BACK if own < LONG else LEANS
    if own <= SHORT:
        return LEANS if _names(question) else POINTS_BACK
    return 0.0


def _source(hit: Hit) -> tuple[str, ...]:
    """Who a quote says said it: its transcript turn's speaker, or the name before its last
    "said" ("President Putin gratefully accepted this invitation, Peskov said.": Peskov, not
    the first name in it)."""
    if _spoken(hit):
        return tuple(_WORDS.findall((hit.section or "").rpartition(": ")[2]))
    said = list(SAID_BY.finditer(hit.text))
    return tuple(_WORDS.findall(said[-1]["name"])) if said else ()


def _names_source(hit: Hit) -> bool:
    """Whether a quote says who said it: "…, Peskov said", or a transcript's turn."""
    return bool(ATTRIBUTION.search(hit.text)) or _spoken(hit)


def _spoken(hit: Hit) -> bool:
    """Whether a quote names who said it as a transcript does: its turn's label opens it and ends
    its section ("JOAN PÉREZ-ARAGÜÉS: The government has approved…")."""
    speaker = (hit.section or "").rpartition(": ")[2]
    return bool(speaker) and hit.text.startswith(f"{speaker}:")


def _emphasised(words: list[QueryWord]) -> set[str]:
    """The terms a quote shows in bold: the question's words, not "many" nor "would" (UNSHOWN);
    and a word's spelling without its accented letters ("Erdoan" for "Erdoğan"), which the
    search finds as the word when another document spells it whole, and the quote does not."""
    shown = {w.term for w in words if w.term and w.written.lower() not in UNSHOWN}
    damaged = (lost(clean(w.written)) for w in words if w.term and not w.written.isascii())
    return shown | {stem(d) for d in damaged if len(d) >= MIN_DAMAGED}


def _passages(answer: Answer) -> frozenset[str]:
    """The terms of an answer's quotes and the sentences around them: what a follow-up may name.
    The quotes' whole documents were too much: a live page names everyone, and "What did
    Erdoğan offer?" after a quote on the Biden call was searched with "(+ call Biden)"."""
    texts = [text for hit in answer.quotes for text in (hit.text, hit.context_before, hit.context_after)]
    return frozenset(term for text in texts for term in terms(text))


def _names(question: str) -> list[str]:
    """Capitalised words after the first: names the question brings in itself ("I" is none:
    "What should I do about it?" points back)."""
    tokens = _WORDS.findall(question)
    return [t for t in tokens[1:] if t[:1].isupper() and t.split("'")[0] != "I"]


# The thing a question asks about comes right after its question word: "What fine did the
# regulator give…?", "How much ransom…", "Which company…".
FOCUS = re.compile(r"^\W*(?:what|which|whose|how\s+(?:many|much))\s+([^\W\d_][\w'’-]*)", re.IGNORECASE)


def _focus(question: str) -> str | None:
    found = FOCUS.match(question)
    return found[1] if found and is_content(found[1].lower()) else None


PERSONAL = frozenset({"he", "she", "him", "her", "his", "hers"})
WHO = re.compile(r"\bwho(m|se)?\b", re.IGNORECASE)
# "Who is Jean Holloway?": the question names the person it asks about.
WHO_IS = re.compile(r"^\s*who\s+(?:is|was)\s+(?P<name>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)+)\W*$", re.IGNORECASE)
TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "dame"})
ARTICLES = frozenset({"the", "a", "an"})
# Words that make a name a body's or a place's, not a person's; a person's name may follow one
# in a run: "she" after "Who is the US ambassador to the UN?" stood for "Security Council UNSC"
# of "called for the first UN Security Council UNSC meeting…, US ambassador to the United
# Nations Linda Thomas-Greenfield said", not for "Linda Thomas-Greenfield".
BODIES = frozenset(
    """
    administration agency assembly association authority bank board bureau cabinet centre center
    city club college commission committee company congress corporation council county department
    embassy federation foundation fund government group hospital institute kingdom ministry
    nations office organisation organization parliament party police republic school senate
    service services society states street trust union university
    """.split()
)


def _person(previous: Turn, text: str) -> tuple[str, ...]:
    """Whom "he" or "she" in a follow-up stands for: the name a "who" question was answered
    with ("How old is she?" after "Who asked…?" answered by "Mrs Jean Holloway asked…" is
    about Jean Holloway, whom no question named), the one "Who is Jean Holloway?" named, or
    the person the last turn was about. A name is a run of two capitalised words or more,
    titles and function words apart; in a quote, the first that is not the question's own:
    its leading words may be ("Who is the Russian president?": "Russian President Vladimir
    Putin"), and its trailing ones if the question wrote them in lower case ("Who is the
    harbour master?": "José Muñoz Harbour Master"), but not the name ("Who did Biden call?" is
    not answered by "President Joe Biden"). No sure sign tells a person from a place."""
    if not any(w.lower() in PERSONAL for w in _WORDS.findall(text)):
        return ()
    if not (WHO.search(previous.question) and previous.answer.found and previous.answer.quotes):
        return previous.person
    if ABOUT_THE_QUOTE.match(previous.question):  # "Who said so?": whom the quote says said it
        source = _source(previous.answer.quotes[0])
        if source:
            return source
    quote = previous.answer.quotes[0].text
    named = WHO_IS.match(previous.question)
    if named:
        words = _WORDS.findall(named["name"])
        capitalised = {w.lower() for w in _WORDS.findall(quote) if w[:1].isupper()}
        # Typed in lower case ("who is volodymyr zelensky?"): a name if the quote writes it as one.
        if all(is_content(w.lower()) for w in words) and all(w[:1].isupper() or w in capitalised for w in words):
            return tuple(words)
    asked = {w.lower() for w in _WORDS.findall(previous.question)}
    # Words the question wrote in lower case (a role: "the harbour master") may end the run too:
    # "José Muñoz Harbour Master" of a signature; a name it wrote ("Biden") may not.
    roles = {w.lower() for w in _WORDS.findall(previous.question)[1:] if not w[:1].isupper()}
    runs: list[list[str]] = []
    end, before = 0, ""
    for match in _WORDS.finditer(quote):
        token = match.group()
        if token[:1].isupper() and token.lower() not in TITLES and is_content(token.lower()):
            # Only spaces or a hyphen within a name: "PRICE-LLEWELLYN: Hello" ends at the colon.
            if runs and runs[-1] and not quote[end : match.start()].strip(" -"):
                runs[-1].append(token)
            elif before.lower() not in ARTICLES:  # "the Russia-Ukraine border" names no one
                runs.append([token])
            else:
                runs.append([])
        else:
            runs.append([])
        end, before = match.end(), token
    for run in runs:
        while run and run[0].lower() in asked:  # "Russian President" of "Russian President Vladimir Putin"
            run.pop(0)
        while run and run[-1].lower() in roles:
            run.pop()
        bodies = [i for i, w in enumerate(run) if w.lower() in BODIES]
        run = run[bodies[-1] + 1 :] if bodies else run  # "United Nations Linda Thomas-Greenfield"
        if len(run) >= 2 and not asked & {w.lower() for w in run}:
            return tuple(run)
    return previous.person


class Conversation:
    """Holds the turns of one reader's conversation with the documents."""

    def __init__(
        self,
        index: str | Path = "index",
        quotes: int = 3,
        searcher: Searcher | None = None,
        where: Filter | None = None,
        *,
        documents: str | Sequence[str] | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ):
        """`documents` (ids), `since` and `until` (dates, inclusive) limit what every turn may
        quote, as in `qa.search`; `where` is the same as one Filter."""
        self._index = Path(index)
        self._searcher = searcher
        self._given = searcher is not None  # else the open index, which looks for changed files
        self.quotes = check_k(quotes, "quotes")
        if where is None:
            where = Filter(documents_filter(documents), parse_day(since, "since"), parse_day(until, "until"))
        self.where = where
        self.turns: list[Turn] = []

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None or self._searcher.stale():
            self._searcher = open_index(self._index)
        return self._searcher

    def reset(self) -> None:
        """Forget the earlier turns: the next question starts a new topic."""
        self.turns.clear()

    def ask(self, question: str, quotes: int | None = None, *, k: int | None = None) -> Answer:
        """Answer one question, reading it in the light of the earlier turns, with `quotes`
        sentences at most (`k` says the same, named as in `qa.search`)."""
        text, notes = clean_question(question)
        if not self._given:
            # The open index, updated when its files changed (at most every few seconds): a
            # conversation held for hours answered from the files as they were when it began.
            self._searcher = open_index(self._index)
        if quotes is not None and k is not None and quotes != k:
            raise InputError(f"quotes={quotes!r} and k={k!r} say different things: give one of them")
        k = check_k(next((n for n in (quotes, k) if n is not None), self.quotes))
        if MORE.match(text):
            if self.turns:
                return self._more(text, k, notes)
            return Answer(text, "", False, (), NOTHING_TO_CONTINUE, tuple(notes), body=NOTHING_TO_CONTINUE)
        if NEW_TOPIC.match(text):
            self.reset()
            return Answer(text, "", False, (), NEW_TOPIC_REPLY, tuple(notes), body=NEW_TOPIC_REPLY)
        words = self.searcher.words(text)
        previous = self.turns[-1] if self.turns else None
        # "What else did he say?" again goes on past what the last answer showed.
        if previous is not None and _asked_again(text, previous.question) and not ELSE.search(text):
            return self._again(previous, text, words, k, notes)
        context, person = None, ()
        weight, goes_on = self._reading(previous, text, words) if previous is not None else (0.0, False)
        if previous is not None and weight > 0:
            person = _person(previous, text)
            context = self._context(previous, words, weight, person)
        left_out = self._shown_on_topic(previous) if context is not None and ELSE.search(text) else frozenset()
        hits = self._search(text, k, context, previous, left_out)
        if context is not None and not goes_on and not left_out and not ABOUT_THE_QUOTE.match(text):
            # It leans on the earlier turns only lightly (_reading): when its own words answer it
            # better alone, it stands alone. "How fast does seagrass recover?" after a question
            # on a vessel's builder was searched with "company building vessel", and refused.
            # ("Who else…?" and "Who said so?" are about the last answer, whatever scores best.)
            alone = self.searcher.search(text, k, self.where)
            if self.searcher.confident(alone) and (not hits or alone[0].score > hits[0].score):
                context, person, left_out, hits = None, (), frozenset(), alone
        # "Who said so?" of a quote that names its source is answered by it, however it scored:
        # asked after "more", whose quotes score low, it was refused.
        sourced = (
            bool(hits and ABOUT_THE_QUOTE.match(text) and context is not None and previous.answer.quotes)
            and hits[0] is previous.answer.quotes[0]
            and _names_source(hits[0])
        )
        found = sourced or self.searcher.confident(hits)
        notes += self._filter_notes(found)
        # Pushed down, and still the best: nothing new fits better. Not beside "the documents do
        # not answer this", which it would seem to contradict.
        repeated = context and hits and previous.answer.quotes and _same(hits[0], previous.answer.quotes[0])
        repeated = repeated and not ABOUT_THE_QUOTE.match(text)
        if repeated and found:
            notes.append(STILL_FIRST)
        searched = f"{text} (+ {context.text})" if context and context.text else text
        topic = self._topic(text, words, previous if context and goes_on else None)
        return self._answer(
            text, searched, hits, notes, topic, context, words, len(hits), person, left_out, found=found
        )

    def _filter_notes(self, found: bool) -> list[str]:
        """What the filter's notes say, once; and again beside a refusal, which is of the
        documents searched alone."""
        said = {note for turn in self.turns for note in turn.answer.notes}
        return [note for note in self.searcher.filter_notes(self.where) if not found or note not in said]

    def _again(self, previous: Turn, text: str, words: list[QueryWord], k: int, notes: list[str]) -> Answer:
        """The last question asked again, searched as it was then, with the number of quotes now
        asked. Read as a follow-up of itself, its own quotes pushed down, it came back with
        another first quote (asked again for ten quotes rather than three, "Erdoğan repeated his
        offer…" gave way to "Erdoan also offered…")."""
        left_out = previous.left_out
        hits = self.searcher.search(text, min(k + len(left_out), MAX_K), self.where, previous.context)
        hits = [hit for hit in hits if _place(hit) not in left_out][:k]
        found = self.searcher.confident(hits)
        notes += self._filter_notes(found)
        # Read alone then, it is read alone now, whatever its case: not "Searched for" itself.
        searched = text if previous.searched == previous.question else previous.searched
        return self._answer(
            text, searched, hits, notes, previous.topic, previous.context, words, len(hits),
            previous.person, left_out, found=found,
        )  # fmt: skip

    def _shown_on_topic(self, previous: Turn) -> frozenset[tuple[str, int]]:
        """Every quote shown on the last turn's search (its "more" too), and what it left out."""
        shown = (_place(h) for t in self.turns if t.searched == previous.searched for h in t.answer.quotes)
        return frozenset(shown) | previous.left_out

    def _search(
        self, text: str, k: int, context: Context | None, previous: Turn | None, left_out: frozenset[tuple[str, int]]
    ) -> list[Hit]:
        """The hits for a question. A follow-up asking "Who said so?" gets the quote it asks
        about first again, if that names a source; one asking "What else did she say?" none of
        the last answer's quotes (they came back, the same three in the same order)."""
        if context is None or not previous.answer.quotes:  # read alone
            return self.searcher.search(text, k, self.where, context)
        if ABOUT_THE_QUOTE.match(text):
            # "Who said so?" asks for the source of the sentence just quoted, and it names it.
            first = previous.answer.quotes[0]
            hits = self.searcher.search(text, k, self.where, context)
            if _names_source(first):
                hits = [first, *(hit for hit in hits if _place(hit) != _place(first))]
            return hits[:k]
        hits = self.searcher.search(text, min(k + len(left_out), MAX_K), self.where, context)
        return [hit for hit in hits if _place(hit) not in left_out][:k]

    def _reading(self, previous: Turn, text: str, words: list[QueryWord]) -> tuple[float, bool]:
        """How much the earlier turns count for this question (0, LEANS or POINTS_BACK), and
        whether it goes on with their topic (else its own words start the topic afresh).

        A question that does not plainly continue ("and…", "what about…") and names something
        the last answer's quotes and the sentences around them never name (_passages) is read
        alone: "Where is the Scottish Parliament?" after a quote about Genghis Khan, not "Did
        Putin accept?" after one about Putin's visit; a question that leans on the last turn
        only lightly must name something there. One that also points back ("Did Northfell
        know about it?") may name anything the quotes' documents name. (Their documents alone
        decided before: one live page names everyone, and "What did Erdoğan offer?" after the
        Biden call went on with it.) Over 200 unrelated questions asked as one conversation, 41
        were read as follow-ups and 3 answers spoilt; with this and LONG, 6 and 1. A short
        question that names nothing and points nowhere ("Who is the city engineer?" after a
        quote about a bird survey) leans only lightly, and starts its own topic, unless those
        quotes use each of its words: read as pointing back, the survey's words outweighed its
        own. If it has two and they use neither, it is read alone: "Why did the bakers strike?"
        after a quote about a phone call's length was searched with "last" and found "the
        strike would last three days" (of 196 unrelated questions, 26 read as follow-ups
        instead of 37)."""
        weight = reliance(text, words)
        if not weight:
            return 0.0, False
        if CONTINUATIONS.match(text):
            return weight, True
        quoted = _passages(previous.answer)
        names = set(_names(text))
        refers = any(w.lower() in REFERENCES for w in _WORDS.findall(text))
        if names or weight != POINTS_BACK:
            named = [w.term for w in words if w.written in names and w.term]
            documents = {h.doc_id for h in previous.answer.quotes}
            goes_on = any(t in quoted for t in named) or (refers and self.searcher.mention(documents, named))
            return (weight, True) if goes_on else (0.0, False)
        if refers:
            return weight, True
        own = [w.term for w in words if w.term and w.written.lower() not in UNSHOWN]
        mentioned = [term in quoted for term in own]
        if all(mentioned):
            return weight, True
        # Two words of its own that the last quotes never use make a question about
        # something else; one ("How many survived?") is too little to stand alone.
        return (0.0, False) if len(own) >= 2 and not any(mentioned) else (LEANS, False)

    def forget_notes(self, seen: Callable[[str], bool]) -> None:
        """Count as not yet given the notes of earlier turns that the reader has not seen
        (`seen` says which they have): a web client's history, replayed under a filter it
        was not asked with, gave them to no one."""
        self.turns = [
            replace(t, answer=replace(t.answer, notes=tuple(n for n in t.answer.notes if seen(n)))) for t in self.turns
        ]

    def _context(self, previous: Turn, words: list[QueryWord], weight: float, person: tuple[str, ...]) -> Context:
        """What a follow-up is searched with: whom it says "he" or "she" of, or else the
        topic's rarest words not already asked."""
        own = {w.term for w in words}
        carried = person or [w for w in previous.topic if self.searcher.words(w)[0].term not in own][:CARRIED]
        avoid = tuple((h.doc_id, h.position) for h in previous.answer.quotes)
        return Context(" ".join(carried), weight, avoid)

    def _topic(self, question: str, words: list[QueryWord], previous: Turn | None) -> tuple[str, ...]:
        """The words a turn is about: the words of the question that set the topic, the thing
        it asks about first (see FOCUS), then the rarest; then those each follow-up added."""
        searcher = self.searcher
        focus = _focus(question)
        own = sorted(
            {w.written: w for w in words if w.match and w.written.lower() not in UNSHOWN}.values(),
            key=lambda w: (w.written != focus, searcher.lexical.document_frequency(w.match)),
        )
        topic = list(previous.topic) if previous is not None else []
        # One word once, however it was typed: "(+ offer Erdogan accept Erdoğan)".
        topic += [w.written for w in own if fold(w.written).lower() not in {fold(t).lower() for t in topic}]
        return tuple(topic[: CARRIED * 2])

    def _answer(
        self,
        text: str,
        searched: str,
        hits: list[Hit],
        notes: list[str],
        topic: tuple[str, ...],
        context: Context | None,
        words: list[QueryWord],
        shown: int,
        person: tuple[str, ...],
        left_out: frozenset[tuple[str, int]] = frozenset(),
        found: bool | None = None,
    ) -> Answer:
        found = self.searcher.confident(hits) if found is None else found
        answer = compose(text, hits, found, searched=searched, notes=notes, stems=_emphasised(words))
        self.turns.append(Turn(text, searched, answer, topic, shown, context, person, left_out))
        return answer

    def _more(self, text: str, k: int, notes: list[str]) -> Answer:
        """The next best sentences for the last search, after those already shown, from the
        documents of its best quotes: further down a ranking, other documents only share words."""
        last = self.turns[-1]
        searcher = self.searcher  # once: a rebuild in between would change what it holds
        shown = [h for t in self.turns if t.searched == last.searched for h in t.answer.quotes]
        # Not again what an earlier turn quoted: after "What did Erdoğan offer?", "Did Putin
        # accept?" and "When will he visit?", "more" brought back the first two turns' quotes.
        seen = {_place(h) for t in self.turns for h in t.answer.quotes}
        left_out = last.left_out - seen  # what a "what else" turn left out stays out
        # A quote far less likely than the best was shown for context: its document does not
        # carry the answer on (a water report's sentence, 0.00, under a bird count's 0.87).
        best = max((h.score for h in shown), default=0.0)
        quoted = tuple(
            dict.fromkeys(h.doc_id for h in shown if h.doc_id in searcher.docs and h.score >= MORE_SHARE * best)
        )
        query = last.question
        fresh: list[Hit] = []
        if quoted or not shown:  # documents all removed since: nothing continues the answer
            where = replace(self.where, documents=quoted) if quoted else self.where
            hits = searcher.search(query, min(len(seen) + len(left_out) + k, MAX_K), where, last.context)
            fresh = [h for h in hits if _place(h) not in seen | left_out][:k]
        if not fresh:
            # Not "the documents do not answer this": they did, and have no more to say.
            answer = Answer(text, "", False, (), NOTHING_MORE, tuple(notes), body=NOTHING_MORE)
            self.turns.append(replace(last, answer=answer))
            return answer
        if last.answer.found:
            notes = [*notes, "More on this, each sentence less close than those before:"]
        stems = _emphasised(searcher.words(query))
        # The next sentences of an answered question are its continuation, not new answers
        # to be judged alone: scored against the best one, they would all look like misses.
        answer = compose(text, fresh, last.answer.found, searched=last.searched, notes=notes, stems=stems)
        self.turns.append(replace(last, answer=answer, shown=last.shown + len(fresh)))
        return answer

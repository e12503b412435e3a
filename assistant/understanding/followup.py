"""Conversation state for follow-ups: what the conversation is about, turn by turn.

The state (benefit, attribute, the question that set the topic, the founder's profile) is folded over the
founder's own questions, so a stored session, an OpenAI-style ``messages`` list and the chat page all resolve
a follow-up the same way. A follow-up that names another benefit ("那住房补贴呢？") switches topic and keeps
the attribute asked; an ellipsis ("and for how long?", 「那硕士呢？」) keeps the benefit and changes the slot. Whether a
turn leans on the conversation is read from its ask, not the chatter around it; a short ask naming nothing that the
recogniser reads as about the clause of this topic or of an earlier one remembered is read in that topic's context.
A follow-up on a benefit resolves to one ask (the benefit's name, the follow-up, the slot carried only when it
asks none of its own) that the service frames like a first turn, so a ranking or a part the plan leaves unstated
is judged as it would be asked alone; a follow-up on a topic that is no benefit is searched with the topic's
question and framed on its own ask. The profile is one FounderProfile merged turn by turn (later turns win
field by field), rendered in the founder's own terms from corpus/questions.yaml, never from cut-off text, so it
cannot come back inverted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.knowledge.claims import fold
from assistant.library.retrieve import content_words
from assistant.types import FounderProfile, Frame, Turn
from assistant.understanding.followup_parts import framed_as, sibling_described, siblings_named
from assistant.understanding.followup_profile import merged, told_in_words
from assistant.understanding.followup_text import asks_attribute, asks_only, bare, compose, tail, topic_named_short
from assistant.understanding.followup_text import is_followup as is_followup  # (re-exported: the service asks it)
from assistant.understanding.followup_topics import both_named, other_of
from assistant.understanding.followup_words import (
    ACK,
    BOTH,
    ENDS_WITH_NE,
    OPENER,
    QUESTION,
    YES_NO,
)
from assistant.understanding.intents import PART_SURE
from assistant.understanding.text import detect_language, tokenize

if TYPE_CHECKING:
    from assistant.types import Ask
    from assistant.understanding.intents import Recogniser, Recognition
    from assistant.understanding.questions import ProfileValues, QuestionRules

SWITCH_MIN = 0.6  # a follow-up switches to a benefit it does not name in words only when this sure ...
SWITCH_SURE = 0.8  # ... or this sure when it asks a slot of its own
# An ask naming no benefit leans on the conversation's clause (Conversation._leans) when it has at most
# LEAN_WORDS content words and is read in that clause; read in no clause at least CLAUSE_PLACED sure, the benefit
# it most likely names counts too, when at least ALTERNATIVE_MIN likely.
LEAN_WORDS = 8
CLAUSE_PLACED = 0.5
ALTERNATIVE_MIN = 0.15
CHATTER_WORDS = 4  # a part around the asks of at most this many content words may be chatter ("明白。")
REMEMBERED = 3  # earlier topics an ask may go back to
CLAUSE_SURE = 0.3  # a topic that is no benefit is remembered by the clause its question is read in when this sure
OWN_SLOT = ("ranking", "unstated")  # a follow-up framed as one of these asks its own slot: nothing carried
Framer = Callable[[str, str], "Frame | None"]


@dataclass
class State:
    """What the conversation is about after a turn."""

    benefit: str | None = None  # a fact id of the plan
    attribute: str | None = None  # amount | duration | condition | procedure | validity
    anchor: str | None = None  # the question that set the topic (its standalone form)
    profile: FounderProfile = field(default_factory=FounderProfile)  # the founder's situation so far, merged
    asked: str | None = None  # what the answer is framed on: the resolved ask (None: the question as written)
    clause: str | None = None  # the plan's clause the topic is in (a benefit's, or the one its question was read in)
    earlier: tuple[State, ...] = ()  # the topics before it, latest first (an ask may lean on one: "補貼呢？")


@dataclass
class Reading:
    """A turn read once: what the recogniser and the frame make of it."""

    question: str
    rec: Recognition | None
    frame: Frame | None
    own: Ask | None  # its own main ask, as a first turn's
    said: str  # its asks, the chatter around them left out
    named: bool  # it names a benefit or topic itself
    benefit: str | None  # the benefit it is about, read alone
    own_attr: str | None  # the slot it asks itself (amount, duration…), when it asks one
    lang: str  # "en" or "zh": the language its resolved ask is composed in
    told: ProfileValues  # what it tells of the founder


def _elsewhere(rec: Recognition | None, state: State) -> bool:
    """The recogniser surely reads the ask in a clause other than the topic's."""
    return rec is not None and bool(rec.likely_clause) and rec.likely_clause != state.clause \
        and rec.clause_confidence >= SWITCH_MIN


def _moved(rec: Recognition, state: State, said: str, question: str, own: Ask | None) -> bool:
    """The follow-up moves to another clause's topic, asked as written."""
    other = bool(rec.likely_clause) and rec.likely_clause != state.clause
    # described, not named: an ask pointing back ("…投呢個階段？") that the recogniser surely reads in a clause
    # other than the topic's (a fund after the talent measures); not a bare one ("and talent?" after the startups
    # target: an ellipsis) nor a part asked of the topic
    if other and not rec.benefit and state.clause is not None and rec.clause_confidence >= SWITCH_MIN \
            and not bare(said) and not (own is not None and own.kind in OWN_SLOT):
        return True
    # a clause read surely, though not which of its benefits, moves even a bare ask: 「咁租屋方面呢？」 after the
    # hukou subsidy is the housing clause (a benefit read surely would switch to that benefit instead)
    if other and bool(rec.benefit) and rec.confidence < SWITCH_MIN and state.clause is not None \
            and rec.clause_confidence >= SWITCH_SURE:
        return True
    # a bare switch followed by a remark (「住的呢？深圳租房太贵了」 after the hukou subsidy): the remark, chatter to
    # the ask, places the message in another clause fairly surely; the ellipsis switches there, not back
    return _elsewhere(rec, state) and bare(said) and said != question \
        and not (rec.benefit and rec.confidence >= SWITCH_MIN)


def _remember(state: State) -> tuple[State, ...]:
    """The topics to remember once ``state``'s is left: it, then those before it (at most REMEMBERED)."""
    if state.anchor is None:
        return state.earlier
    return (replace(state, earlier=()), *state.earlier)[:REMEMBERED]


def _words(text: str) -> set[str]:
    return set(content_words(tokenize(text)))


class Conversation:
    """Resolves follow-ups with the recogniser (assistant/understanding/intents.py), the question rules
    (questions.yaml) and, when given, the message framer (what a turn asks: a ranking, a part the plan leaves
    unstated, the plan itself)."""

    def __init__(self, recogniser: Recogniser | None = None, rules: QuestionRules | None = None,
                 framer: Framer | None = None) -> None:
        self.recogniser = recogniser
        self.rules = rules
        self.framer = framer

    def state(self, history: list[Turn]) -> State:
        state = State()
        for turn in history:
            _, state = self.step(state, turn.question)
        return state

    def resolve(self, question: str, history: list[Turn]) -> tuple[str | None, State]:
        """The standalone question to search with (None when the question stands alone) and the new state."""
        return self.step(self.state(history), question)

    def step(self, state: State, question: str) -> tuple[str | None, State]:
        """One turn; a bare ellipsis naming a topic by a short word (「住的呢」 after the loans) read with the
        topic's name, and asked so when it starts a topic."""
        short = self._short_topic(question) if state.anchor is not None else question
        standalone, new = self._step(state, short)
        return (short if standalone is None and short != question else standalone), new

    def _step(self, state: State, question: str) -> tuple[str | None, State]:
        """One turn: a few decisions in order. Which topic (one named of its own > one pointed back to > the one
        carried), whether that leaves the conversation's topic (a new one, asked as written), which benefit (a
        switch named or described > the one carried) and which slot (the turn's own > the one carried)."""
        turn = self._read(question)
        rec, said, own = turn.rec, turn.said, turn.own
        profile = merged(state.profile, turn.told)
        if state.anchor is None:
            return None, self._new_topic(turn, state, profile)
        followup, leaned = self._leaning(turn, state)
        if leaned is not None and leaned is not state:  # going back to an earlier topic (the profile as it is now)
            state = replace(leaned, profile=state.profile, earlier=_remember(state))
        # a follow-up describing another benefit of the topic's clause in that benefit's own words ("and if it's a
        # factory pilot instead?", 「那换成工厂里的示范应用呢？」) switches to it, bare or not, unless it names a benefit
        # in words or the recogniser is fairly sure of another one, or surely reads the ask in another clause
        # (「那些投融資路演多久辦一次？」 after a loan is the funds' clause, whatever loan words it shares)
        sibling = sibling_described(self.recogniser, said, rec, state.benefit, state.clause, bare(said)) \
            if followup and not _elsewhere(rec, state) else None
        if not followup or self._leaves(turn, state, leaned, sibling):
            return None, self._new_topic(turn, state, profile)
        own_slot = self._own_slot(turn)
        # a benefit the turn does not name in words wins over the carried one when the recogniser is fairly sure
        # of it; when the turn asks a slot of its own, only when sure: the slot's words alone lean towards some
        # benefit ("and how long does approval take?" towards the plan's validity, by its "how long")
        switched = rec is not None and rec.benefit and rec.benefit != state.benefit and (
            rec.explicit or rec.confidence >= (SWITCH_SURE if own_slot else SWITCH_MIN))
        # an ellipsis naming another benefit of the clause in that benefit's own words (「那换成工厂里的示范应用呢？」
        # after the government-service product) switches to it, however unsure the recogniser is of it alone (no
        # benefit, or one read below the switching bar)
        if sibling is not None and rec is not None and not switched:
            rec, switched = replace(rec, benefit=sibling, explicit=False), True
        ask = OPENER.sub("", ACK.sub("", said)) or question
        lang = turn.lang
        carry = "" if own_slot else self._carry(state.attribute, lang)
        if switched and rec is not None and rec.benefit:  # "那住房补贴呢？": the new benefit, asked what the last turn asked
            # "can these two stack?": the one left and the one switched to
            both = self._both(rec.benefit, (state, *state.earlier), said, lang) if not rec.explicit else ""
            name = both or ("" if rec.explicit else self._name(rec.benefit, lang))  # said in other words: name it
            standalone = compose([name, ask, carry], lang)
            return standalone, State(rec.benefit, turn.own_attr or state.attribute, standalone, profile,
                                     framed_as(self.framer, standalone, said, own), self._clause(rec.benefit, rec),
                                     _remember(state))
        if state.benefit is not None:  # "能领多久？", "那硕士呢？": the same benefit, another slot
            # whether the founder qualifies is told with the profile; where or how to apply is not about them
            told = "" if own is not None and own.kind in OWN_SLOT else told_in_words(self.rules, question, profile, lang)
            both = self._both(state.benefit, (state, *state.earlier), said, lang)  # 「这两个可以叠加吗？」
            standalone = compose([both or self._name(state.benefit, lang), ask, carry], lang)
            standalone = f"{told}{'. ' if lang == 'en' else '，'}{standalone}" if told else standalone
            return standalone, State(state.benefit, turn.own_attr or state.attribute, state.anchor, profile,
                                     framed_as(self.framer, standalone, said, own), state.clause, state.earlier)
        # a topic that is not a benefit (the plan's communities, its goals): searched with the topic's question,
        # the answer framed on the follow-up's own ask (the places it names, the ranking or the part it asks)
        standalone = f"{tail(state.anchor or '')} {question}"
        return standalone, State(None, turn.own_attr or state.attribute, state.anchor, profile, question, state.clause,
                                 state.earlier)

    # --- the decisions ---------------------------------------------------------------------------
    def _read(self, question: str) -> Reading:
        """The turn read once: what the recogniser and the frame make of it, and its asks without the chatter."""
        rec = self.recogniser.recognise(question) if self.recogniser is not None else None
        frame = self.framer(question, detect_language(question)) if self.framer is not None else None
        own = frame.main if frame is not None else None  # the follow-up's own main ask, as a first turn's
        # the slot asked is read in Mandarin words: 「要幾耐？」 asks a duration as 「要多久？」 does
        mandarin = self.recogniser.cantonese.to_mandarin(question) if self.recogniser is not None else question
        # the benefit the turn is about: the recogniser's, else the one its frame names ("when did the plan take
        # effect?" is about the plan's validity, a benefit record the recogniser reads no benefit in)
        benefit = rec.benefit if rec is not None and rec.benefit else self._fact(own.topic if own else None)
        # whether it leans on the conversation is read from its asks and what matters around them: chatter
        # ("我用廣東話問啦。", "明白。") neither makes it a question of its own nor hides its ellipsis, while a
        # description told beside a short ask ("he has no PhD but … Does the plan say anything for people like
        # him?") makes it one
        return Reading(question, rec, frame, own, asks_only(question, frame, self._keeps),
                       own is not None and own.topic is not None, benefit,
                       rec.attribute if rec is not None and asks_attribute(mandarin, self.rules) else None,
                       "en" if detect_language(question) == "en" else "zh", self._profile(question))

    def _new_topic(self, turn: Reading, state: State, profile: FounderProfile) -> State:
        """A new topic, asked as written."""
        rec = turn.rec
        return State(turn.benefit, turn.own_attr or (rec.attribute if rec else None), turn.question, profile,
                     clause=self._clause(turn.benefit, rec), earlier=_remember(state))

    def _leaning(self, turn: Reading, state: State) -> tuple[bool, State | None]:
        """Whether the turn leans on the conversation, and the topic an ask naming nothing is read in (None: none
        such): this one, or an earlier one it goes back to."""
        rec, said = turn.rec, turn.said
        followup = is_followup(said, None if turn.named else rec, self._length(said))
        # a turn that only tells, naming nothing ("sorry, I meant a PhD", 「我说错了，我是硕士」): a correction of the
        # profile (later wins), the topic kept
        followup = followup or (not turn.named and not (rec is not None and rec.benefit) and bool(turn.told)
                                and not QUESTION.search(turn.question))
        leaned = self._leans(said, rec, turn.named, state, turn.frame)
        return followup or leaned is not None, leaned

    def _leaves(self, turn: Reading, state: State, leaned: State | None, sibling: str | None) -> bool:
        """The follow-up leaves the topic: it asks the plan itself, moves to another clause, names a topic of its
        own or several siblings alike, or tells a year outside the plan's validity."""
        rec, said, own = turn.rec, turn.said, turn.own
        if own is not None and own.kind == "plan":
            return True
        # words of several siblings alike ("鲲鹏那个项目呢？" after the loans): a new topic, asked as written
        if sibling is None and state.benefit is not None and not getattr(rec, "explicit", False) \
                and len(siblings_named(self.recogniser, said, state.benefit, state.clause)) > 1:
            return True
        # after the plan's own validity, an ask of what it offers in a year outside it ("and what will it offer in
        # 2029?") is judged on its own ask, as a first turn is: carried, it would read as the validity again
        if turn.frame is not None and bool(turn.frame.years_told) and not ENDS_WITH_NE.search(said) and \
                self.recogniser is not None and state.benefit in self.recogniser.spec.validity_benefits:
            return True
        # a follow-up asking about a topic of its own, apart from the benefit carried ("那首批OPC社区在哪几个区？"
        # after the plan's validity), is one too ("and talent?" only names what changes: an ellipsis)
        if turn.named and sibling is None and state.benefit is not None and turn.benefit != state.benefit \
                and not bare(said) and not self._related(own.topic if own is not None else None, state.benefit):
            return True
        return rec is not None and leaned is None and sibling is None and _moved(rec, state, said, turn.question, own)

    def _own_slot(self, turn: Reading) -> bool:
        """The turn asks a slot of its own. One that only tells ("我2024年毕业的") asks none and is not given the
        last one: the carried words would be read as its ask (and its year as a figure asked about); a yes/no
        question ("要交税吗？", "and is that free?") asks its own predicate (a part read surely — documents, where
        to apply — is the turn's own slot with or without a frame)."""
        rec, own = turn.rec, turn.own
        tells_only = turn.own_attr is None and bool(turn.told) and not QUESTION.search(turn.question)
        return turn.own_attr is not None or tells_only or bool(YES_NO.search(turn.question)) or \
            (own is not None and own.kind in OWN_SLOT) or \
            (rec is not None and rec.part not in (None, "answer") and rec.part_confidence >= PART_SURE)

    # --- pieces ----------------------------------------------------------------------------------
    def _leans(self, ask: str, rec: Recognition | None, named: bool, state: State,
               frame: Frame | None) -> State | None:
        """The topic an ask leans on, this one or an earlier one (None: none): an ask that names no benefit or
        topic and that the recogniser cannot place alone, but reads as most likely about the clause of a topic of
        the conversation ("博士係咪一定攞到最高嗰檔？" after the hukou subsidy, "how big in total?" after the
        communities, "补贴能领多久？" back after an aside), is read in that topic's context, the latest first. A
        list or comparison across benefits asks the whole plan, and a long ask is a question of its own."""
        if self._detail(ask, rec, named, state, frame):
            return state
        if named or rec is None or rec.benefit or self.recogniser is None or not QUESTION.search(ask):
            return None  # (a turn that only tells, "现在已经入驻OPC社区了", asks nothing to read in a context)
        if self._length(ask) > LEAN_WORDS:
            return None
        if self.rules is not None and self.rules.lists(fold(ask)):
            return None
        if frame is not None and frame.years_told:
            return None  # it tells its own story ("我2028年先開公司…"): judged on it, as a first turn is
        likely = {rec.likely_clause}
        if rec.alternatives and rec.clause_confidence < CLAUSE_PLACED and rec.alternatives[0][1] >= ALTERNATIVE_MIN:
            # unsure of any clause: the benefit it most likely names counts too (补贴 after the housing subsidy)
            fact = self.recogniser.facts.get(rec.alternatives[0][0])
            likely.add(fact.clause_id if fact is not None else None)
        if state.clause is not None and state.clause in likely:
            return state
        # going back past the topic at hand takes a word of the earlier one too (补贴 of 住房补贴): the recogniser's
        # reading of a bare "税后呢？" is no reason to leave the benefit just asked about
        words = _words(ask)
        return next((topic for topic in state.earlier if topic.clause is not None and topic.clause in likely
                     and words & self._topic_words(topic)), None)

    def _detail(self, ask: str, rec: Recognition | None, named: bool, state: State, frame: Frame | None) -> bool:
        """The ask is a detail of the topic at hand the plan may leave unstated (how often, per use, how many
        weeks, what number to call): short, naming no benefit in words, read surely in no other clause. Its words
        alone lean towards some benefit ("weeks" towards the plan's validity), which is no reason to leave the topic."""
        if named or rec is None or frame is None or frame.main is None or frame.main.kind != "unstated":
            return False
        if rec.explicit or (rec.benefit and rec.confidence >= SWITCH_SURE) or frame.years_told:
            return False
        elsewhere = bool(rec.likely_clause) and rec.likely_clause != state.clause and rec.clause_confidence >= SWITCH_MIN
        return not elsewhere and self._length(ask) <= LEAN_WORDS

    def _length(self, text: str) -> int:
        """The content words of a text in Mandarin words: Cantonese (咗, 除咗稅) makes no ask longer."""
        mandarin = self.recogniser.cantonese.to_mandarin(text) if self.recogniser is not None else text
        return len(content_words(tokenize(mandarin)))

    def _topic_words(self, topic: State) -> set[str]:
        """The content words of the question that set a topic and of its benefit's names."""
        names = [self._name(topic.benefit, lang) for lang in ("zh", "en")] if topic.benefit else []
        return _words(" ".join([topic.anchor or "", *names]))

    def _clause(self, benefit: str | None, rec: Recognition | None) -> str | None:
        """The clause a topic is in: its benefit's, else the one its question is fairly surely about."""
        fact = self.recogniser.facts.get(benefit) if benefit is not None and self.recogniser is not None else None
        if fact is not None:
            return fact.clause_id
        if rec is not None and rec.likely_clause and rec.clause_confidence >= CLAUSE_SURE:
            return rec.likely_clause
        return None

    def _keeps(self, part: str) -> bool:
        """A part of a follow-up around its asks that matters: more than a few words (a description), or it tells
        the founder's situation, names a benefit or holds a figure (a year, an amount)."""
        claims = self.recogniser.claims if self.recogniser is not None else None
        return len(_words(part)) > CHATTER_WORDS or bool(
            self._profile(part) or (claims is not None and claims.subjects_in(part)) or re.search(r"\d", part))

    def _fact(self, topic: str | None) -> str | None:
        """The benefit record a frame's topic names, when it names one by its id."""
        return topic if topic is not None and self.recogniser is not None and topic in self.recogniser.facts else None

    def _related(self, topic: str | None, benefit: str) -> bool:
        """The topic is the benefit's subject, a part of it or a family it belongs to."""
        rec = self.recogniser
        fact = rec.facts.get(benefit) if rec is not None else None
        if topic is None or rec is None or rec.claims is None or fact is None or fact.subject is None:
            return True
        return topic == benefit or rec.claims.compatible(topic, fact.subject)

    def _both(self, benefit: str, topics: tuple[State, ...], said: str, lang: str) -> str:
        """When the ask points at two ("these two", 兩樣): the names of the other benefit it means and of ``benefit``
        ("" otherwise)."""
        other = other_of(self.recogniser, benefit, topics) if BOTH.search(said) else None
        return both_named(self._name(other, lang), self._name(benefit, lang), lang) if other else ""

    def _name(self, benefit: str, lang: str) -> str:
        fact = self.recogniser.facts.get(benefit) if self.recogniser is not None else None
        return "" if fact is None else (fact.names.en if lang == "en" else fact.names.zh)

    def _carry(self, attribute: str | None, lang: str) -> str:
        if attribute is None or self.recogniser is None:
            return ""
        return self.recogniser.spec.carry.get(attribute, {}).get(lang, "")

    def _short_topic(self, question: str) -> str:
        rec = self.recogniser
        if rec is None or not rec.spec.ellipsis_topics:
            return question
        topics = [({rec.normalise(w) for w in t.words}, t.name) for t in rec.spec.ellipsis_topics]
        lang = "en" if detect_language(question) == "en" else "zh"
        return topic_named_short(question, topics, rec.normalise, lang)

    def _profile(self, question: str) -> ProfileValues:
        return self.rules.profile_from(question) if self.rules is not None else {}


def resolve_followup(question: str, history: list[Turn], recogniser: Recogniser | None = None,
                     rules: QuestionRules | None = None, framer: Framer | None = None) -> str | None:
    """The standalone question for ``question`` after ``history`` (None when it stands alone)."""
    if not history:
        return None
    return Conversation(recogniser, rules, framer).resolve(question, history)[0]

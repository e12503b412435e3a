"""Conversation state for follow-ups: what the conversation is about, turn by turn.

The state (benefit, attribute, the question that set the topic, the founder's profile) is folded over the
founder's own questions, so a stored session, an OpenAI-style ``messages`` list and the chat page all resolve
a follow-up the same way. A follow-up that names another benefit ("那住房补贴呢？") switches topic and keeps
the attribute asked; an ellipsis ("and for how long?", 「那硕士呢？」) keeps the benefit and changes the slot.
The profile accumulates (later turns win field by field) and is rendered in the founder's own terms from
corpus/questions.yaml, never from cut-off text, so it cannot come back inverted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.library.retrieve import content_words
from assistant.types import Turn
from assistant.understanding.text import detect_language, split_sentences, tokenize

if TYPE_CHECKING:
    from assistant.understanding.intents import Recogniser
    from assistant.understanding.questions import ProfileValues, QuestionRules

_MARKER = re.compile(
    r"^\s*(?:(?:and|also|what about|how about|what if|and if|or|but|then|so|instead|same for|for)\b"
    r"|那|那么|如果|还有|另外|再问|而|要是|换成|改成|咁|噉|仲有)",
    re.IGNORECASE,
)
_ENDS_WITH_NE = re.compile(r"(?:呢|嘞|啦|先)[？?！!。.\s]*$")
_ANAPHORA = re.compile(
    r"\b(it|that|this|they|them|those|these|one|there)\b|这笔|这个|那个|它|他们|这项|该项|这些|那些|这种|那种|还能"
    r"|呢個|嗰個|佢",
    re.IGNORECASE,
)
MAX_CARRIED = 300  # characters of the topic's question carried into a follow-up (whole sentences, from its end)
SWITCH_MIN = 0.6  # a follow-up switches to a benefit it does not name in words only when this sure


def is_followup(question: str) -> bool:
    """True when the question leans on the previous turn for its topic."""
    words = len(content_words(tokenize(question)))
    if _MARKER.search(question) or _ENDS_WITH_NE.search(question):
        return words <= 6
    if words <= 2:
        return True
    return bool(_ANAPHORA.search(question)) and words <= 4


@dataclass
class State:
    """What the conversation is about after a turn."""

    benefit: str | None = None  # a fact id of the plan
    attribute: str | None = None  # amount | duration | condition | procedure | validity
    anchor: str | None = None  # the question that set the topic (its standalone form)
    profile: ProfileValues = field(default_factory=dict)  # the founder's situation so far (FounderProfile fields)


def _tail(text: str, limit: int = MAX_CARRIED) -> str:
    """The last whole sentences of ``text`` within ``limit`` characters: a cut never splits a negation off."""
    out = ""
    for sentence in reversed(split_sentences(text) or [text]):
        if out and len(sentence) + len(out) > limit:
            break
        out = sentence + out
    return out[-limit:] if len(out) > limit else out


class Conversation:
    """Resolves follow-ups with the recogniser (assistant/understanding/intents.py) and the question rules (questions.yaml)."""

    def __init__(self, recogniser: Recogniser | None = None, rules: QuestionRules | None = None) -> None:
        self.recogniser = recogniser
        self.rules = rules

    def state(self, history: list[Turn]) -> State:
        state = State()
        for turn in history:
            _, state = self.step(state, turn.question)
        return state

    def resolve(self, question: str, history: list[Turn]) -> tuple[str | None, State]:
        """The standalone question to search with (None when the question stands alone) and the new state."""
        return self.step(self.state(history), question)

    def step(self, state: State, question: str) -> tuple[str | None, State]:
        rec = self.recogniser.recognise(question) if self.recogniser is not None else None
        profile = {**state.profile, **self._profile(question)}
        own_attr = rec.attribute if rec is not None and _asks_attribute(question, self.rules) else None
        if state.anchor is None or not is_followup(question):
            return None, State(rec.benefit if rec else None, own_attr or (rec.attribute if rec else None),
                               question, profile)
        lang = "en" if detect_language(question) == "en" else "zh"
        switched = rec is not None and rec.benefit and rec.benefit != state.benefit and (
            rec.explicit or rec.confidence >= SWITCH_MIN)
        if switched and rec is not None and rec.benefit:  # "那住房补贴呢？": the new benefit, asked what the last turn asked
            carry = "" if own_attr else self._carry(state.attribute, lang)
            name = "" if rec.explicit else self._name(rec.benefit, lang)  # said in other words: name it
            standalone = " ".join(p for p in (name, question, carry) if p)
            return standalone, State(rec.benefit, own_attr or state.attribute, standalone, profile)
        if state.benefit is not None:  # "能领多久？", "那硕士呢？": the same benefit, another slot
            name = self._name(state.benefit, lang)
            carry = "" if own_attr else self._carry(state.attribute, lang)
            standalone = " ".join(p for p in (name, question, carry, self._told(question, profile, lang)) if p)
            return standalone, State(state.benefit, own_attr or state.attribute, state.anchor, profile)
        # a topic that is not a benefit (the plan's dates, its communities): searched with the topic's question
        standalone = f"{_tail(state.anchor)} {question}"
        return standalone, State(None, own_attr or state.attribute, state.anchor, profile)

    # --- pieces ----------------------------------------------------------------------------------
    def _name(self, benefit: str, lang: str) -> str:
        fact = self.recogniser.facts.get(benefit) if self.recogniser is not None else None
        return "" if fact is None else (fact.names.en if lang == "en" else fact.names.zh)

    def _carry(self, attribute: str | None, lang: str) -> str:
        if attribute is None or self.recogniser is None:
            return ""
        return self.recogniser.spec.carry.get(attribute, {}).get(lang, "")

    def _profile(self, question: str) -> ProfileValues:
        return self.rules.profile_from(question) if self.rules is not None else {}

    def _told(self, question: str, profile: ProfileValues, lang: str) -> str:
        """The founder's situation, in the words questions.yaml matches, when the follow-up asks whether they
        qualify and tells nothing new itself ("can I get it?")."""
        if self.rules is None or not profile or self._profile(question):
            return ""
        from assistant.knowledge.claims import fold

        folded = fold(question)
        if not (self.rules.eligibility.find(folded) and self.rules.first_person.find(folded)):
            return ""
        words: list[str] = []
        for fname, value in profile.items():
            key = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            terms = self.rules.spec.story.get(fname, {}).get(str(key))
            if terms is not None:
                pick = (terms.en if lang == "en" else terms.zh) or terms.en or terms.zh
                if pick:
                    words.append(pick[0])
        return ("I " if lang == "en" else "我") + ", ".join(words) if words else ""


def _asks_attribute(question: str, rules: QuestionRules | None = None) -> bool:
    """The question asks its own attribute ("能领多久？", "where do I apply?") rather than leaning on the last
    turn's: it asks for a kind of figure, a procedure, or who is eligible (corpus/questions.yaml)."""
    from assistant.answering.extractive import wanted_figures
    from assistant.knowledge.claims import fold

    if wanted_figures(question):
        return True
    if rules is None:
        return False
    folded = fold(question)
    return bool(rules.procedure.find(folded) or rules.who.find(folded) or rules.eligibility.find(folded))


def resolve_followup(question: str, history: list[Turn], recogniser: Recogniser | None = None,
                     rules: QuestionRules | None = None) -> str | None:
    """The standalone question for ``question`` after ``history`` (None when it stands alone)."""
    if not history:
        return None
    return Conversation(recogniser, rules).resolve(question, history)[0]

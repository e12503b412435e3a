"""What a follow-up's own words say: whether it leans on the last turn at all, whether it only names what changes
(an ellipsis), its asks without the chatter around them, whether it asks a slot of its own, and the one ask it is
composed into with the topic's name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.answering.wanted import wanted_figures
from assistant.knowledge.claims import fold
from assistant.library.retrieve import content_words
from assistant.understanding.followup_words import ACK, ANAPHORA, ANOTHER_THING, BOTH, ENDS_WITH_NE, MARKER
from assistant.understanding.text import split_sentences, tokenize

if TYPE_CHECKING:
    from assistant.types import Frame
    from assistant.understanding.intents import Recognition
    from assistant.understanding.questions import QuestionRules

_UNITS = re.compile(r"[A-Za-z]+|[\u4e00-\u9fff]")  # English words and Chinese characters: how long a bare rest may be
_WHAT_ABOUT = re.compile(r"^(?:what|how) about\b|^what if\b", re.IGNORECASE)  # an English ellipsis's opener
MAX_CARRIED = 300  # characters of the topic's question carried into a follow-up (whole sentences, from its end)


def is_followup(question: str, rec: Recognition | None = None, words: int | None = None) -> bool:
    """True when the question leans on the previous turn for its topic. ``rec``: what the recogniser made of it;
    a question pointing back (「佢哋可以…」) naming no benefit of its own leans on the last turn however long it is.
    ``words``: its content words, when counted otherwise (in Mandarin words)."""
    words = len(content_words(tokenize(question))) if words is None else words
    question = ACK.sub("", question) or question
    rest = question[opened.end():] if (opened := ANOTHER_THING.match(question)) else ""
    if rest and not (ENDS_WITH_NE.search(rest) or len(_UNITS.findall(rest)) <= 4 or ANAPHORA.search(rest)):
        return False
    if MARKER.search(question) or ENDS_WITH_NE.search(question):
        return words <= 6
    if words <= 2:
        return True
    if not (ANAPHORA.search(question) or BOTH.search(question)):
        return False
    return words <= 4 or (rec is not None and rec.benefit is None)


def bare(question: str) -> bool:
    """The follow-up only names what changes ("and talent?", 「那硕士呢？」): it asks nothing of its own."""
    return bool(ENDS_WITH_NE.search(question)) or len(content_words(tokenize(question))) <= 2


def tail(text: str, limit: int = MAX_CARRIED) -> str:
    """The last whole sentences of ``text`` within ``limit`` characters: a cut never splits a negation off."""
    out = ""
    for sentence in reversed(split_sentences(text) or [text]):
        if out and len(sentence) + len(out) > limit:
            break
        out = sentence + out
    return out[-limit:] if len(out) > limit else out


def compose(parts: list[str], lang: str) -> str:
    """One ask from its pieces (the benefit's name, the follow-up, the slot carried): one question, so a frame
    reads a single ask about the benefit."""
    parts = [p.strip().rstrip("?？。.!！ ") for p in parts if p and p.strip()]
    if lang != "en":
        return "".join(parts) + "？"
    # "What about a master's?" reads as an ask about the benefit only with the ellipsis first and the name after it:
    # "What about a master's — household registration (hukou) subsidy, how much?"
    ellipsis = next((i for i, p in enumerate(parts) if _WHAT_ABOUT.match(p)), None)
    if ellipsis is not None and ellipsis > 0:
        rest = parts[:ellipsis] + parts[ellipsis + 1:]
        return f"{parts[ellipsis]} — {rest[0]}" + "".join(f", {p}" for p in rest[1:]) + "?"
    return " ".join(parts) + "?"


def asks_only(question: str, frame: Frame | None, keeps: Callable[[str], bool]) -> str:
    """The follow-up without what it only says around its asks ("好的我换繁体问。", "明白。"): the resolved ask
    names the benefit and asks, with no chatter between. A part ``keeps`` says matters (it tells the founder's
    situation, names a benefit or holds a figure) stays."""
    if frame is None:
        return question
    out = question
    for part in frame.background:
        if part.strip() and part in out and not keeps(part):
            out = out.replace(part, "", 1)
    return out.strip(" ，,。.:：") or question


def asks_attribute(question: str, rules: QuestionRules | None = None) -> bool:
    """The question asks its own attribute ("能领多久？", "where do I apply?") rather than leaning on the last
    turn's: it asks for a kind of figure, a procedure, or who is eligible (corpus/questions.yaml)."""
    if wanted_figures(question):
        return True
    if rules is None:
        return False
    folded = fold(question)
    return bool(rules.procedure.find(folded) or rules.who.find(folded) or rules.eligibility.find(folded))


# A bare ellipsis ("what about an office?", 「寫字樓呢」, 「…🙏 那辦公的地方呢」): its core, the word or two it names
_BARE_EN = re.compile(r"^\s*(?:(?:and|also|so|then|ok|okay|ah|oh)\W+)*(?:(?:what|how) about|and|or)\s+"
                      r"(?P<core>[a-z][a-z' -]{0,30}?)\s*\??\s*$", re.IGNORECASE)
_BARE_ZH = re.compile(r"(?:^|[\s，,。.!！;；~])\s*(?:那么|那|咁|噉|还有|還有|仲有|至于|至於)?"
                      r"(?P<core>[\u4e00-\u9fff]{1,6}?)(?:呢|嘞|啦)[\s?？!！。.]*$")


def topic_named_short(question: str, topics: list[tuple[set[str], dict[str, str]]],
                      normalise: Callable[[str], str], lang: str) -> str:
    """The question with the word a bare ellipsis names a topic by read as the topic's name (「住的呢」 ->
    「住房呢」): ``topics`` pairs the words (normalised) with the name per language. The question as it is when
    it is no bare ellipsis or names no such word."""
    m = _BARE_EN.match(question) or _BARE_ZH.search(question)
    if m is None:
        return question
    core = normalise(m.group("core")).strip()
    for words, name in topics:
        if core in words and name.get(lang):
            return question[:m.start("core")] + name[lang] + question[m.end("core"):]
    return question

"""The constrained design (OPC_LLM_DESIGN=constrained): the model chooses, it does not write.

The model replies with JSON naming the verified fact records and the clauses that answer the question, plus one
short framing sentence. What the founder reads is rendered here: each chosen record's name, amount, duration,
conditions (quoted from its clause) and notes, each chosen clause's text, in the question's language (zh-Hant
through OpenCC). Only the framing is the model's own text; it may state no figure, and it passes the grounding
gate against the sources it introduces. An unknown id, a reply that is not the JSON asked for, or a framing that
fails gets one corrective retry naming the problem, then the extractive answer with a warning.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from assistant import metrics
from assistant.answering.citations import document_notes, suggestions
from assistant.answering.gate import Problem
from assistant.answering.llm import FENCE, ModelUnavailable, Reply
from assistant.answering.prompts import FALLBACK_WARNING, GATE_WARNING, NOT_COVERED, QUESTION_HEADER, prompt_key
from assistant.answering.prompts_constrained import (
    CLAUSES_HEADER,
    CONDITIONS,
    PROBLEM,
    RECORDS_HEADER,
    RETRY,
    SYSTEM,
    TO_CONFIRM,
)
from assistant.answering.statements import spell_out
from assistant.knowledge.facts import Fact, amount_text
from assistant.knowledge.figures import extract_figures, format_figure
from assistant.types import Answer, Citation, StreamEvent
from assistant.understanding.redact import redact
from assistant.understanding.text import localise, split_sentences

if TYPE_CHECKING:
    from assistant.answering.llm_answer import LLMAnswerer
    from assistant.library.retrieve import Retrieval
    from assistant.types import Language

log = logging.getLogger(__name__)

FRAMING_MAX_CHARS = 240   # one short sentence; a paragraph is free text again
NO_STATEMENT = str(Problem.of("no_statement"))   # a framing may state nothing: "Here is what the plan says:"


class Finding(str):
    """A check of a constrained reply: English (logs) plus Chinese for a Chinese retry and warning."""

    zh: str = ""

    @classmethod
    def of(cls, key: str, **params: str) -> Finding:
        f = cls(PROBLEM["en"][key].format(**params))
        f.zh = PROBLEM["zh"][key].format(**params)
        return f

    def render(self, lang: str) -> str:
        return localise(self.zh, lang) if lang != "en" and self.zh else str(self)


@dataclass
class Choice:
    answered: bool
    framing: str
    facts: list[str] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)


def parse_choice(raw: str) -> Choice | Finding:
    """The model's JSON choice (fenced or wrapped in prose is fine), or why it is not one."""
    text = FENCE.sub("", (raw or "").strip()).strip()
    if "{" in text and "}" in text:
        text = text[text.index("{"): text.rindex("}") + 1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return Finding.of("malformed", detail="not JSON")
    if not isinstance(data, dict):
        return Finding.of("malformed", detail="not an object")
    framing, facts, clauses = data.get("framing", ""), data.get("facts", []), data.get("clauses", [])
    if not isinstance(framing, str) or not isinstance(facts, list) or not isinstance(clauses, list):
        return Finding.of("malformed", detail="framing must be text, facts and clauses lists")
    answered = data.get("answered", True)
    answered = answered if isinstance(answered, bool) else str(answered).lower() != "false"
    return Choice(answered, framing.strip(), [str(x).strip() for x in facts], [str(x).strip() for x in clauses])


class Offer:
    """What the model may choose from: the records of the sources' clauses and the clauses themselves."""

    def __init__(self, sources: dict[int, Citation], facts_by_clause: dict[str, list[Fact]]) -> None:
        self.sources = sources
        offered = [(n, f) for n, c in sources.items() for f in facts_by_clause.get(c.clause_id, ())]
        taken = [f.id for _, f in offered]
        self.facts: dict[str, tuple[int, Fact]] = {}
        for n, f in offered:   # ids are unique per document only: a shared one is shown with its document
            self.facts.setdefault(f"{f.doc_id}:{f.id}", (n, f))
            if taken.count(f.id) == 1:
                self.facts[f.id] = (n, f)
        self.clauses: dict[str, int] = {}
        for n, c in sources.items():
            self.clauses.setdefault(c.clause_id, n)
            self.clauses.setdefault(str(n), n)
            self.clauses.setdefault(f"[{n}]", n)
        local = [c.clause_id.split(":", 1)[-1] for c in sources.values()]
        for n, c in sources.items():
            if local.count(c.clause_id.split(":", 1)[-1]) == 1:
                self.clauses.setdefault(c.clause_id.split(":", 1)[-1], n)

    def shown_id(self, fact: Fact) -> str:
        return fact.id if self.facts.get(fact.id, (0, None))[1] is fact else f"{fact.doc_id}:{fact.id}"

    def block(self, lang: str) -> str:
        key = prompt_key(lang)
        lines = [CLAUSES_HEADER[key], *(f"[{n}] {c.clause_id}" for n, c in self.sources.items())]
        records = list({id(f): (n, f) for n, f in self.facts.values()}.values())
        if records:
            lines.append(RECORDS_HEADER[key])
            lines += [f"{self.shown_id(f)} — [{n}] — {fact_line(f, key)}" for n, f in records]
        return "\n".join(lines)

    def resolve(self, choice: Choice) -> tuple[list[tuple[int, Fact]], list[int], list[str]]:
        """The chosen records and clause numbers, in the model's order, and the ids that name nothing offered."""
        facts = list({id(self.facts[i][1]): self.facts[i] for i in choice.facts if i in self.facts}.values())
        clauses = list(dict.fromkeys(self.clauses[i] for i in choice.clauses if i in self.clauses))
        unknown = [i for i in choice.facts if i not in self.facts] + [i for i in choice.clauses if i not in self.clauses]
        return facts, clauses, unknown


def fact_line(f: Fact, lang: str) -> str:
    """One record as the founder reads it (without the citation): name, worth, notes, conditions quoted."""
    base = prompt_key(lang)
    sep = "; " if base == "en" else "；"
    parts = [p for p in (amount_text(f, base), f.notes.get(base, "")) if p]
    quotes = [getattr(c.quote, base, None) or c.quote.en or c.quote.zh for c in f.conditions]
    if quotes:
        parts.append(CONDITIONS[base].format(quotes=sep.join(f"\u201c{q}\u201d" for q in quotes)))
    if f.to_confirm:
        parts.append(TO_CONFIRM[base].format(items=sep.join(getattr(t, base) for t in f.to_confirm)))
    name = f.name(base)
    return f"{name}: {sep.join(parts)}" if base == "en" and parts else \
        f"{name}：{sep.join(parts)}" if parts else name


def render(framing: str, facts: list[tuple[int, Fact]], clauses: list[int], sources: dict[int, Citation],
           lang: str) -> str:
    """The answer shown: the framing, then each chosen record and clause, cited, in the question's language."""
    en = lang == "en"
    lines = [f"- {localise(fact_line(f, lang), lang)}{' ' if en else ''}[{n}]" for n, f in facts]
    covered = {n for n, _ in facts}
    lines += [f"- {localise(sources[n].text, lang)}{' ' if en else ''}[{n}]" for n in clauses if n not in covered]
    return "\n".join([framing, *lines] if framing else lines)


def framing_findings(framing: str) -> list[Finding]:
    """A framing states no figure (figures come from the records) and is one short sentence."""
    if not framing:
        return []
    found = []
    figures = extract_figures(spell_out(framing))
    if figures:
        found.append(Finding.of("figure", detail=", ".join(format_figure(f) for f in figures[:3]),
                                statement=framing[:120]))
    if len(framing) > FRAMING_MAX_CHARS or len(split_sentences(framing)) > 2:
        found.append(Finding.of("long", statement=framing[:120] + ("…" if len(framing) > 120 else "")))
    return found


def named(problems: list[str], lang: str, limit: int | None = None) -> str:
    return "; ".join(p.render(lang) if isinstance(p, (Problem, Finding)) else p for p in problems[:limit])


def stream_constrained(llm: LLMAnswerer, question: str, search_question: str, lang: Language, retrieval: Retrieval,
                       fallback: Answer) -> Iterator[StreamEvent]:
    """The constrained design's events for one question: the rendered answer, or the fallback with a warning.
    ``llm`` is the LLMAnswerer (its model, corpus, records and gate)."""
    sources = llm.sources(lang, retrieval)
    offer = Offer(sources, llm.facts)
    key = prompt_key(lang)
    user = llm.source_text(sources, lang, retrieval) + "\n\n" + offer.block(lang) \
        + f"\n\n{QUESTION_HEADER[key]} {redact(question)}"
    if redact(search_question) != redact(question):
        user += f"\n({redact(search_question)})"
    messages = [SystemMessage(llm.system(SYSTEM, lang)), HumanMessage(user)]
    try:
        raw = llm.model.complete(messages)
        choice, problems = judge(llm, raw, offer, lang, search_question, retrieval)
        if problems:
            log.info("constrained reply rejected: %s", "; ".join(problems))
            metrics.gate_rejected("first")
            messages += [AIMessage(raw), HumanMessage(RETRY[key].format(problems=named(problems, lang)))]
            raw = llm.model.complete(messages)
            choice, problems = judge(llm, raw, offer, lang, search_question, retrieval)
            if problems:
                metrics.gate_rejected("retry")
                warning = GATE_WARNING["en" if lang == "en" else "zh"].format(reason=named(problems, lang, 3))
                yield _fallback(fallback, localise(warning, lang))
                return
    except ModelUnavailable as exc:
        log.warning("model unavailable: %s", exc)
        yield _fallback(fallback, FALLBACK_WARNING["unreachable"].format(reason=str(exc)))
        return
    assert choice is not None  # judge() gives no choice only with problems
    facts, clauses, _ = offer.resolve(choice)
    used = list(dict.fromkeys([n for n, _ in facts] + clauses))
    cited = [sources[n] for n in used] if choice.answered else []
    if choice.answered:
        text = render(choice.framing, facts, clauses, sources, lang)
    else:
        text = choice.framing or NOT_COVERED.get(lang, NOT_COVERED["en"])
    notes = document_notes(llm.corpus, cited, lang, quoted=False)
    if notes:
        text += ("" if lang.startswith("zh") else " ") + ("" if lang.startswith("zh") else " ").join(notes)
    yield StreamEvent(type="delta", text=text)
    answer = Answer(question=question, answer=text, language=lang, answerable=choice.answered, mode="llm",
                    citations=cited,
                    suggestions=[] if choice.answered else suggestions(llm.corpus, retrieval.hits, lang))
    yield StreamEvent(type="final", answer=answer, replaced=False)


def judge(llm: LLMAnswerer, raw: str, offer: Offer, lang: str, question: str, retrieval: Retrieval) -> tuple[Choice | None, list[str]]:
    """The reply read and checked: ids offered, something chosen, the framing figure-free and through the gate."""
    choice = parse_choice(raw)
    if isinstance(choice, Finding):
        return None, [choice]
    facts, clauses, unknown = offer.resolve(choice)
    problems: list[str] = []
    if unknown:
        problems.append(Finding.of("unknown", detail=", ".join(unknown[:5])))
    if choice.answered and not facts and not clauses:
        problems.append(Finding.of("nothing"))
    problems += framing_findings(choice.framing)
    if choice.framing and not problems:
        # the gate judges the framing against the sources it introduces (and their records), as a cited statement
        used = list(dict.fromkeys([n for n, _ in facts] + clauses))
        marked = choice.framing + "".join(f"[{n}]" for n in used)
        found = llm.check(Reply(choice.answered, marked), offer.sources, lang, question, retrieval)
        problems += [p for p in found if str(p) != NO_STATEMENT]
    return choice, problems


def _fallback(fallback: Answer, warning: str) -> StreamEvent:
    answer = fallback.model_copy(update={"warnings": [*fallback.warnings, warning]})
    return StreamEvent(type="final", answer=answer, replaced=True)

"""The grounding gate: runs on every LLM answer before the user sees it.

It rejects citation numbers that point to no source, any figure that no cited source holds
(after normalisation: 10万元 = 100,000 yuan), answers without citations, and answers in the
wrong language or script. A refusal may cite nothing but must state no figure the sources lack.
Claim level (`claim_problems`): a figure must be bound in a cited source to the same
subject and attributes as in the answer, and conditions or places the answer adds must appear in a
cited source or the question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.answering.prompts import GATE_PROBLEM
from assistant.answering.qualifier_scope import kept_for
from assistant.answering.restrictions import dropped_qualifier
from assistant.answering.sequence import reversed_steps
from assistant.answering.statements import sentence_at, sentences, spell_out, statements
from assistant.answering.thresholds import floor_turned
from assistant.answering.vocabulary import flat_texts
from assistant.knowledge.claims import fold
from assistant.knowledge.figure_text import format_figure
from assistant.knowledge.figures import extract_figures, is_grounded, ungrounded_figures
from assistant.types import Citation
from assistant.understanding.text import (
    EN_STOPWORDS,
    ZH_STOPWORDS,
    detect_language,
    has_content,
    localise,
    to_simplified,
    to_traditional,
)

if TYPE_CHECKING:
    from assistant.answering.support import SupportRules
    from assistant.knowledge.claims import BoundFigure, ClaimRules
    from assistant.knowledge.facts import Fact
    from assistant.knowledge.places import Gazetteer, Place

# A term of a problem: the same words for both languages, or each language's own ({"en": …, "zh": …}).
Term = str | Mapping[str, str | None]

_MARKER = re.compile(r"\[(\d{1,3})\]")
# "1,2,5,0", "1.1.1 yuan": digits no reader can take as one figure (thousands groups and dates are fine)
_NUMBERISH = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+){2,}(?![\w])")
_WELL_FORMED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?:19|20)\d{2}\.\d{1,2}\.\d{1,2}")
_GARBLED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# a document named by its title (《…》): the basis a clause cites, so another title is another source
_TITLE = re.compile(r"《([^》]{2,})》")


class Problem(str):
    """A gate finding: English text (logs, warnings) plus the same finding in Chinese for the retry."""

    zh: str = ""

    @classmethod
    def of(cls, key: str, **params: Term) -> Problem:
        p = cls(GATE_PROBLEM["en"][key].format(**{k: v["en"] if isinstance(v, dict) else v
                                                 for k, v in params.items()}))
        p.zh = GATE_PROBLEM["zh"][key].format(**{k: v["zh"] if isinstance(v, dict) else v
                                                 for k, v in params.items()})
        return p

    def render(self, lang: str) -> str:
        return localise(self.zh, lang) if lang != "en" and self.zh else str(self)


_TOKEN = re.compile(r"[\u3400-\u9fff]+|[^\W\d_\u3400-\u9fff]+")


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """English words and pairs of Chinese characters (a lone character alone): what a sentence could say.
    Cached: every answer is compared with the same clauses' words."""
    out: set[str] = set()
    for tok in _TOKEN.findall(fold(text)):
        if "\u3400" <= tok[0] <= "\u9fff":
            out.update([tok] if len(tok) == 1 else (tok[i:i + 2] for i in range(len(tok) - 1)))
        else:
            out.add(tok)
    return frozenset(out - EN_STOPWORDS - ZH_STOPWORDS)   # "up to up to" says nothing


@lru_cache(maxsize=1024)
def _source_words(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(_words(t) for t in texts))


def clear_caches() -> None:
    """Forget the words of texts seen (benchmarks measure answers on sources never seen)."""
    _words.cache_clear()
    _source_words.cache_clear()


def _says_something(text: str, sources: dict[int, Citation], question: str) -> bool:
    """At least one content word of the answer appears in the sources or the question ("up to up to …",
    "1.1.1.1 yuan" and the like state nothing a founder could use)."""
    words = _words(_MARKER.sub("", text))
    if not words:
        return False
    known = _source_words(tuple(t for c in sources.values() for t in (c.text, c.parallel_text) if t))
    return bool(words & known) or bool(words & _words(question))


def cited_numbers(text: str) -> list[int]:
    seen: list[int] = []
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def check(text: str, answered: bool, sources: dict[int, Citation], lang: str, *, question: str = "",
          rules: ClaimRules | None = None, places: Gazetteer | None = None, jurisdiction: str | None = None,
          support: SupportRules | None = None, facts: Sequence[Fact] | None = None) -> list[str]:
    """Problems found in an answer (empty when it may be shown)."""
    problems: list[str] = []
    if not has_content(_MARKER.sub("", text)):
        return [Problem.of("empty")]
    if _GARBLED.search(text):
        problems.append(Problem.of("garbled"))
    elif answered and not _says_something(text, sources, question):   # a refusal need not quote anything
        problems.append(Problem.of("no_statement"))
    bad = [m.group() for m in _NUMBERISH.finditer(text) if not _WELL_FORMED.fullmatch(m.group())]
    if bad:
        problems.append(Problem.of("malformed", numbers=", ".join(bad[:3])))
    markers = cited_numbers(text)
    invalid = [n for n in markers if n not in sources]
    if invalid:
        problems.append(Problem.of("invalid_citation", numbers=", ".join(f"[{n}]" for n in invalid)))
    if answered and not [n for n in markers if n in sources]:
        problems.append(Problem.of("no_citation"))
    pool = [sources[n] for n in markers if n in sources] if answered else list(sources.values())
    texts = [t for c in pool for t in (c.text, c.parallel_text) if t]
    # numbers as people write them: 捌佰萬元, "half", 三分之二, 打六折 are figures too
    spelt = spell_out(text)
    # a share, difference, total or count worked out exactly from cited figures the answer states
    derive = support.arithmetic.accounts_for if support is not None else None
    missing = [f for f in ungrounded_figures(spelt, texts) if derive is None or not derive(f, spelt, texts, rules)]
    if support is not None:   # a count of its own items, a validity's last year, the founder's own figure
        missing = [f for f in missing if not support.arithmetic.own(f, spelt, question)]
    if support is not None and missing:   # a value named as what the plan does not set ("an age limit such as
        claimed = {(g.kind, g.unit, g.value) for g in extract_figures(spell_out(support.claimed(text)))}   # 35")
        missing = [f for f in missing if (f.kind, f.unit, f.value) in claimed]   # the absence check judges it
    if missing:
        problems.append(Problem.of("ungrounded", figures=", ".join(format_figure(f) for f in missing)))
    if rules is not None:
        problems += claim_problems(text, texts, question, rules,
                                   claimed=support.claimed(text) if support is not None else None)
    if places is not None:
        problems += place_problems(text, texts, question, places, jurisdiction)
    if answered:
        problems += [Problem.of("quote", statement=_clip(t)) for t in _titles_unnamed(text, pool)]
    if support is not None and answered:
        for f in support.check(_titles_of_documents_cut(text, pool), texts, question, rules, facts, places, settled=bool(problems)):
            problems.append(Problem.of(f.kind, statement=_clip(f.statement), detail=_clip(f.detail, 40)))
        if rules is not None:   # "两者只能选其中一种", "那一档更高": of the things the sentence before names
            choice = support.relations.unnamed_choice(text, tuple(texts), rules) \
                or support.relations.unnamed_comparison(text, tuple(texts), rules)
            found = Problem.of("marker", statement=_clip(choice[0]), detail=_clip(choice[1], 40)) if choice else None
            for st in () if found or not facts else statements(text):   # a benefit's defining qualifier dropped
                head = dropped_qualifier(st.text, texts, facts or (), rules, [t for c in pool for t in (c.doc_title,)],
                                         st.sentence)
                if head:
                    found = Problem.of("marker", statement=_clip(st.text), detail=_clip(head, 40))
                    break
            order = None if found else reversed_steps(text, texts) \
                or floor_turned(text, texts, rules, support.ceiling)   # steps reversed; a floor said as a ceiling
            if order:
                found = Problem.of("marker", statement=_clip(order[0]), detail=order[1])
            if found and found not in problems:
                problems.append(found)
    got = detect_language(_MARKER.sub("", text))
    # a question that reads the same in both scripts ("政策券可以用嚟做咩？") does not say which one the founder uses
    neutral = question and got.startswith("zh") and lang.startswith("zh") \
        and to_simplified(question) == to_traditional(question)
    if got != lang and not neutral:
        problems.append(Problem.of("language", got=got, want=lang))
    return problems


def _titles_unnamed(text: str, pool: list[Citation]) -> list[str]:
    """Titles in 《》 that no cited clause writes and that name no cited document: a clause's basis said to be
    another document (《深圳市促进人工智能产业发展若干措施》 where it cites 《深圳市加强青年人才发展服务若干措施》)."""
    named = flat_texts(tuple(t for c in pool for t in (c.text, c.parallel_text, c.doc_title) if t))
    return [m.group(1) for m in _TITLE.finditer(text) if not _within(m.group(1), named)]


def _titles_of_documents_cut(text: str, pool: list[Citation]) -> str:
    """``text`` without the titles of cited documents (《深圳市打造…行动计划》提出…): a name, not words of a claim."""
    docs = flat_texts(tuple(c.doc_title for c in pool if c.doc_title))
    return _TITLE.sub(lambda m: "" if _within(m.group(1), docs) else m.group(), text)


def _within(title: str, flat: list[str]) -> bool:
    """The title, script, case and punctuation folded, stands in one of ``flat`` (texts folded the same way)."""
    key = flat_texts((title,))[0]
    return any(key in t for t in flat)


def _clip(s: str, n: int = 120) -> str:
    s = _MARKER.sub("", s).strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def claim_problems(answer: str, sources: list[str], question: str, rules: ClaimRules, claimed: str | None = None) -> list[Problem]:
    """Figures bound to another subject or attribute in the sources; conditions the answer adds."""
    problems: list[Problem] = []
    src = [b for t in sources for b in rules.bind(t)]
    plain = _MARKER.sub("", answer)
    bound = rules.bind(plain, carry=rules.subject_of(question) if question else None)
    starts = [f.start for f in extract_figures(plain)]
    for i, b in enumerate(bound):
        at = starts[i] if len(starts) == len(bound) else None
        same = [s for s in src if is_grounded(b.figure, [s.figure])]
        if not same or any(rules.compatible(b.subject, s.subject) and not _attr_conflict(b, s, rules, plain, at)
                           for s in same):
            continue   # no source figure at all is the figure check's finding
        fig = format_figure(b.figure)
        fitting = [s for s in same if rules.compatible(b.subject, s.subject)]
        if not fitting and at is not None and question and _own_condition(b, at, plain, sources, rules):
            continue
        if not fitting:
            owner = next(s.subject for s in same if s.subject)
            problems.append(Problem.of("subject", figure=fig, owner=_label(rules, owner),
                                       subject=_label(rules, b.subject)))
        else:
            conflict = _attr_conflict(b, fitting[0], rules, plain, at)
            assert conflict is not None  # a compatible source figure without a conflict was skipped above
            group, said, source = conflict
            problems.append(Problem.of("attribute", figure=fig, said=_label(rules, said, group) if said else
                                       {"en": "stated without it", "zh": "未注明"},
                                       source=_label(rules, source, group) if source else
                                       GATE_PROBLEM_NONE.get(group, GATE_PROBLEM_NONE["default"])))
    allowed = rules.condition_concepts(*sources, question)
    # a statement of what the plan does not say ("no age limit is given") adds no condition
    for concept in sorted(rules.condition_concepts(_MARKER.sub("", answer if claimed is None else claimed)) - allowed):
        problems.append(Problem.of("condition", term=_label(rules, concept, "condition")))
    return problems


def _own_condition(b: BoundFigure, at: int, plain: str, sources: list[str], rules: ClaimRules) -> bool:
    """The figure's subject came from the question ("OPC社区里…最多50平方米？"), but its own sentence says the yes/no
    condition a cited sentence states it with ("只适用于入驻其他产业空间的…"): the answer says whose figure it is."""
    if any(o.figure.start == b.figure.start and o.subject for o in rules.bind(plain)):
        return False   # the answer names a subject of its own
    lo, hi = sentence_at(plain, at)
    for flag in rules.flags:
        said = rules.flag_says(flag, plain[lo:hi])
        if said and len(said) == 1 and any(
                is_grounded(b.figure, extract_figures(t[a:z])) and rules.flag_says(flag, t[a:z]) == said
                for t in sources for a, z in sentences(t)):
            return True
    return False


def place_problems(answer: str, sources: list[str], question: str, places: Gazetteer, jurisdiction: str | None) -> list[Problem]:
    """A place the answer names that neither a cited source nor the question names, unless it is the
    document's own jurisdiction or a region containing it: another city, or a district the plan does not
    single out ("PhD holders in Nanshan")."""
    known = set().union(*(places.names_in(t) for t in [*sources, question]))
    spans: dict[tuple[int, int], list[Place]] = {}
    for p in places.find(_MARKER.sub("", answer)):
        spans.setdefault((p.start, p.end), []).append(p)
    out: list[Problem] = []
    for found in spans.values():
        if any(p.key in known or places.encloses(p, jurisdiction) for p in found):
            continue
        out.append(Problem.of("place", place={"en": found[0].en, "zh": found[0].zh}))
    return out


# An answer's attribute the source figure lacks ('strict' groups) or contradicts.
def _attr_conflict(b: BoundFigure, s: BoundFigure, rules: ClaimRules, answer: str = "",
                   at: int | None = None) -> tuple[str, str | None, str | None] | None:
    """``answer``: without citation markers; ``at``: where ``b``'s figure starts in it (None: not known)."""
    have: str | None
    for group, have in s.attrs.items():   # "up to" dropped: the most said as what everyone gets
        if have in rules.groups[group][0].keep and group not in b.attrs \
                and not kept_for(at, [m for m in rules.groups[group][1].find(fold(answer)) if m.concept == have],
                                 answer):
            return group, None, have
    for group, value in b.attrs.items():
        have = s.attrs.get(group)
        if have is None and rules.groups[group][0].strict:
            return group, value, None
        if have is not None and have != value and have not in rules.groups[group][0].looser.get(value, ()):
            return group, value, have
    return None


GATE_PROBLEM_NONE = {"tax": {"en": "given without any tax qualifier", "zh": "未注明税前或税后"},
                     "period": {"en": "given without any period", "zh": "未注明发放周期"},
                     "bound": {"en": "given without a bound", "zh": "未注明上下限"},
                     "default": {"en": "stated without that qualifier", "zh": "没有该限定"}}


def _label(rules: ClaimRules, concept: str | None, group: str | None = None) -> dict[str, str]:
    """A concept's first term in each language: what the retry prompt and the warning name."""
    if concept is None:
        return {"en": "no subject", "zh": "未指明对象"}
    if group == "condition":
        spec = rules.spec.conditions[concept]
    elif group:
        spec = rules.spec.attributes[group].values[concept]
    else:
        spec = rules.spec.subjects[concept]
    en = (spec.en or spec.zh or [concept])[0]
    return {"en": en, "zh": (spec.zh or spec.en or [concept])[0]}

"""Is a statement of absence true? "The plan sets no cap on the loan", 「计划没有提供住房补贴」, 「行動計劃冇講有效期」.

A statement saying the plan does not provide, say or cover something (corpus/support.yaml `absence`; a negation
apart from its verb, 没有为…设定; a negation before a kind of figure, "no cap", 没有上限: `absent.split`) names what
is missing. It is supported only when that thing really is missing from the cited clauses and their fact records:
- the thing is named by words the sources lack ("age limit", 申请截止时间, "which bank"): they do not say it;
- it is a kind of figure (support.yaml `absent.kinds`: a cap, a duration, a validity, an amount…): a cited
  clause or fact record giving a figure of that kind, for the subject named (claims.yaml subjects), makes the
  statement false; none makes it true;
- it is an aspect (how, where, 流程: `absent.aspects`) the sources do not use: true;
- otherwise, every word of it is the sources' own (a benefit, a place, a measure the clause names): false.
A list ("no cap and no deadline") is one claim per item: any item the sources give makes it false.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.answering.bound_conditions import flags_said
from assistant.answering.statements import sentences
from assistant.answering.vocabulary import terms_pattern as _rx  # a list of terms as one pattern, as support reads them
from assistant.knowledge.claims import Terms, fold, trie_pattern
from assistant.knowledge.figures import extract_figures

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.facts import Fact

_CJK = re.compile(r"[\u3400-\u9fff]")
# list items of what is missing: "age limit and deadline", 上限、期限或截止日期
_BOUNDS = ("cap", "floor")   # a figure said as a bound is no specific amount ("exact", "approx" are)
# a person named by what they do (担保人, 申请人): 人 and 者 are filler alone, but not as a word's last character
_AGENT = re.compile(r"[\u4e00-\u9fff]{2}[人者](?![\u4e00-\u9fff])")
_GIVES_NO = re.compile(r"(?<![a-z])(?:gives|sets|offers|provides|has|makes) no$")
_ITEM = re.compile(r"[、/和及与或]|以及|(?<![a-z])(?:and|or|nor)(?![a-z])")
_CONTENT = re.compile(r"[\u3400-\u9fff]|[a-z]{3,}")


class AbsentKind(Terms):
    figures: list[str] = Field(description="Figure kinds (assistant/knowledge/figures.py) that give this thing.")
    bound: str | None = Field(None, description="claims.yaml `bound` value the figure must carry (cap).")
    exact: bool = Field(False, description="Only a figure stated without a bound gives it: a specific amount is "
                        "not given where the clause gives only a cap (\"up to 5 million\").")
    near: Terms = Field(default_factory=Terms, description="Words the clause holding the figure must use too "
                        "(a validity is a duration said of the plan's effect).")


class Split(BaseModel):
    negations: Terms = Field(default_factory=Terms, description="Negations a verb of saying may stand apart from.")
    verbs: Terms = Field(default_factory=Terms, description="Verbs of saying, setting, providing.")
    bare: Terms = Field(default_factory=Terms, description="Negations saying a kind of figure (`kinds`) right after "
                        "them is missing: \"no cap\", 没有上限, 不封顶, uncapped.")


class Topic(BaseModel):
    lead: Terms = Field(default_factory=Terms, description="Words opening a topic (至于, \"as for\").")
    tail: Terms = Field(default_factory=Terms, description="Words closing a topic (这一块, 方面).")


class AbsentSpec(BaseModel):
    split: Split = Field(default_factory=Split, description="A negation and its verb with the thing between "
                         "(没有为低成本创业空间设定…, \"does not explicitly say\"): an absence too.")
    kinds: dict[str, AbsentKind] = Field(default_factory=dict, description="Kinds of figure a statement may say "
                                         "the plan does not give.")
    aspects: Terms = Field(default_factory=Terms, description="What a statement may say the plan does not "
                           "explain (how, where, the process): true unless a cited clause uses the same word.")
    framing: Terms = Field(default_factory=Terms, description="Words framing what is missing (details, "
                           "具体): they name nothing.")
    lacks: Terms = Field(default_factory=Terms, description="Negations saying a support named after them is "
                         "missing (没有, \"there is no\"): 没有…创业资助 names the 创业资助.")
    benefits: Terms = Field(default_factory=Terms, description="Words naming a kind of support (资助, funding): a "
                            "`lacks` negation before one, in its clause, is a statement of absence.")
    topic: Topic = Field(default_factory=Topic, description="A topic before the absence in its sentence (至于X，"
                         "计划没有…; X这一块，计划没有涉及): what it names is said to be missing too.")
    pronouns: Terms = Field(default_factory=Terms, description="Words pointing back at what the sentence before "
                            "names (them, 佢哋): \"no amount for them\" speaks of those things.")


def _blank(text: str, rx: re.Pattern[str] | None) -> str:
    return rx.sub(lambda m: " " * len(m.group()), text) if rx else text


class AbsenceRules:
    """``absence``: words of a statement about what the plan does not say; ``filler``: words saying nothing.
    ``pattern``: what makes a statement one of absence (those words, or a split negation and verb)."""

    def __init__(self, spec: AbsentSpec, absence: re.Pattern[str] | None, filler: re.Pattern[str] | None) -> None:
        self.spec = spec
        parts = [absence.pattern] if absence else []
        neg, verb = spec.split.negations, spec.split.verbs
        if neg.zh and verb.zh:   # no punctuation between: the negation governs the verb
            parts.append(f"(?P<neg>{trie_pattern(sorted(fold(t) for t in neg.zh))})[^，。；;,.!?！？、：:]{{0,10}}?"
                         f"(?P<verb>{trie_pattern(sorted(fold(t) for t in verb.zh))})")
        if neg.en and verb.en:
            parts.append(f"(?<![a-z])(?P<eneg>{trie_pattern(sorted(fold(t) for t in neg.en))})"
                         r"(?:\s+[a-z]+){0,3}?\s+"
                         f"(?P<everb>{trie_pattern(sorted(fold(t) for t in verb.en))})(?![a-z])")
        kinds = [fold(t) for k in spec.kinds.values() for t in k.en + k.zh]
        bare = spec.split.bare
        if bare.zh:   # 没有上限, 无期限, 不封顶 (a kind of figure is never a word of a condition)
            parts.append(f"(?:{trie_pattern(sorted(fold(t) for t in bare.zh))})[^，。；;,.!?！？、：:]{{0,2}}?"
                         f"(?P<zkind>{trie_pattern(sorted(t for t in kinds if _CJK.search(t)))})")
        if bare.en:   # "no cap", "without any upper limit", "uncapped"
            parts.append(f"(?<![a-z])(?:{trie_pattern(sorted(fold(t) for t in bare.en))})(?:\\s*[a-z]+\\s+)?\\s*"
                         f"(?P<ekind>{trie_pattern(sorted(t for t in kinds if not _CJK.search(t)))})(?![a-z])")
        lacks, ben = spec.lacks, spec.benefits
        if lacks.zh and ben.zh:   # 没有专门针对留学青年人才的创业资助: the support named is said to be missing
            parts.append(f"(?P<lneg>{trie_pattern(sorted(fold(t) for t in lacks.zh))})[^，。；;,.!?！？、：:]{{0,24}}?"
                         f"(?:{trie_pattern(sorted(fold(t) for t in ben.zh))})")
        if lacks.en and ben.en:   # "there is no dedicated startup funding for …"
            parts.append(f"(?<![a-z])(?P<elneg>{trie_pattern(sorted(fold(t) for t in lacks.en))})(?:\\s+[a-z'-]+){{0,5}}?"
                         f"\\s+(?:{trie_pattern(sorted(fold(t) for t in ben.en))})(?![a-z])")
        self.absence = re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None
        self.pattern = self.absence
        self.filler = filler
        self.near = {k: _rx(v.near.en + v.near.zh) for k, v in spec.kinds.items()}
        # one matcher, longest term first: "how long" is a duration, not "how"; 申请期限 an aspect, not 期限
        self.label = {" ".join(fold(t).split()): k for k, v in spec.kinds.items() for t in v.en + v.zh}
        self.label.update({" ".join(fold(t).split()): "" for t in spec.aspects.en + spec.aspects.zh})
        self.named = _rx(list(self.label))
        self.framing = _rx(spec.framing.en + spec.framing.zh)
        self.pronouns = _rx(spec.pronouns.en + spec.pronouns.zh)
        lead, tail = _rx(spec.topic.lead.en + spec.topic.lead.zh), _rx(spec.topic.tail.en + spec.topic.tail.zh)
        self.lead = re.compile(r"^\s*(?:" + lead.pattern + ")") if lead else None
        self.tail = re.compile("(?:" + tail.pattern + r")\s*$") if tail else None

    def topic(self, context: str) -> str:
        """The topic a sentence opens before its absence (至于出海，计划并冇…; "As for X, the plan does not…"):
        the part before the first part saying the absence, when a `topic` word opens or closes it."""
        parts = re.split(r"[，,：:]", fold(re.sub(r"\[\d{1,3}\]", " ", context)))
        at = next((i for i, p in enumerate(parts) if self.absence and self.absence.search(p)), 0)
        if at == 0:
            return ""
        before = parts[at - 1]
        lead = self.lead.search(before) if self.lead else None
        tail = self.tail.search(before) if self.tail else None
        if not lead and not tail:
            return ""
        return before[lead.end() if lead else 0:tail.start() if tail else len(before)]

    def problem(self, text: str, sources: Sequence[str], facts: Sequence[Fact], claims: ClaimRules | None,
                novel: Callable[[str], str | None], context: str = "", flags: Sequence[str] = (),
                before: str = "") -> str | None:
        """What ``text`` says is missing but a cited source gives (None: true, or no absence in ``text``).
        ``novel``: the first words of a text that no source uses; ``context``: the sentence, whose yes/no
        conditions (``flags``, claims.yaml) say which benefit it speaks of ("in OPC communities … no area is
        set" is true where the clause's 50 m² is for those outside them); ``before``: the answer before the
        sentence, whose last sentence naming subjects says what a pronoun ("no amount for them") stands for."""
        folded = fold(text)
        m = self.absence.search(folded) if self.absence else None
        if not m:
            return None
        spans = [m.span(g) for g, v in m.groupdict().items() if v and g.endswith(("neg", "verb"))] or [m.span()]
        named = folded
        if _GIVES_NO.search(m.group()) and folded[:m.start()].strip():
            # "…offers low-cost space sized to team needs and gives no cap": what is missing follows "no"; what
            # comes before is a statement of its own, in the sources' words
            head = folded[:m.start()]
            if novel(_blank(head, self.filler)):
                return " ".join(head.split())
            named = " " * m.start() + folded[m.start():]
        for a, b in spans:   # a split negation keeps the thing between it and its verb
            named = named[:a] + " " * (b - a) + named[b:]
        for k in self.named.finditer(folded) if self.named else ():
            if self.label[" ".join(k.group().split())]:   # a kind of figure said missing (没有上限, 不封顶) is named
                named = named[:k.start()] + k.group() + named[k.end():]
        cuts = [0, *(c.end() for c in _ITEM.finditer(named)), len(named)]
        src = [fold(s) for s in sources]
        said = flags_said(context or text, facts, claims, flags) if claims is not None else {}
        kept = [f for f in facts if not _contradicts(f, said)]
        # figures only the records of another benefit give (outside OPC communities, where it speaks of inside)
        barred = _figures_of([f for f in facts if _contradicts(f, said)]) - _figures_of(kept)
        topic = self.topic(context) if context else ""
        back = self._nearer(context, folded, claims) or self._referent(before, claims)
        for item in [named[a:b] for a, b in zip(cuts, cuts[1:])] + ([topic] if topic.strip() else []):
            if self._given(item, src, sources, kept, claims, novel, barred, back):
                return " ".join(item.split()).strip(" ，,。.；;：:")
        return None

    @staticmethod
    def _nearer(context: str, folded: str, claims: ClaimRules | None) -> set[str]:
        """What the clauses before the absence in its own sentence name last ("算力券是企业去申报，但没写额度":
        the voucher): an absence naming no subject of its own speaks of it."""
        head = fold(re.sub(r"\[\d{1,3}\]", " ", context))
        at = head.find(folded.strip()[:6]) if folded.strip() else -1
        if claims is None or at <= 0:
            return set()
        last = max(claims.subjects.find(head[:at]), key=lambda n: n.start, default=None)
        return {last.concept} if last else set()

    def _referent(self, before: str, claims: ClaimRules | None) -> set[str]:
        """What a pronoun stands for: the first thing named by the last sentence of ``before`` that does not itself
        open with a pronoun ("Smart vouchers are allocated … They offset … The plan gives no amount for them")."""
        for a, b in reversed(sentences(before) if claims is not None and self.pronouns else ()):
            said = fold(re.sub(r"\[\d{1,3}\]", " ", before[a:b])).strip()
            if self.pronouns and (m := self.pronouns.match(said)) and not said[m.end():m.end() + 1].isalpha():
                continue
            first = min(claims.subjects.find(said), key=lambda n: n.start, default=None) if claims else None
            return {first.concept} if first else set()
        return set()

    def _given(self, item: str, src: list[str], sources: Sequence[str], facts: Sequence[Fact],
               claims: ClaimRules | None, novel: Callable[[str], str | None],
               barred: set[tuple[str, float]], back: set[str] | None = None) -> bool:
        kinds: set[str] = set()
        for m in self.named.finditer(item) if self.named else ():
            label = self.label[" ".join(m.group().split())]
            if label:
                kinds.add(label)
            elif not any(re.search(r"(?<![a-z])" + re.escape(m.group()) + r"(?![a-z])", s) for s in src):
                return False   # "how to apply" where no clause says how: they do not say it
        rest = _blank(_blank(item, self.named), self.framing)
        if not all(any(a.group() in s for s in src) for a in _AGENT.finditer(rest)):
            return False   # 担保人 (a guarantor) where the sources speak of 担保 (guaranteed loans): another thing
        blank = list(_blank(rest, self.filler))
        for f in extract_figures(rest):   # figures are the figure check's business
            blank[f.start:f.end] = " " * (f.end - f.start)
        rest = "".join(blank)
        if novel(rest):
            return False   # named by words the sources lack
        if not kinds:
            return bool(_CONTENT.search(rest))   # the sources name it: they do give it
        subjects = claims.subjects_in(item) if claims is not None else set()
        if not subjects and back:
            subjects = back   # "for them", "how much each gets": the things the sentence before names
        return any(self._figure_given(k, subjects, src, sources, facts, claims, barred) for k in kinds)

    def _figure_given(self, kind: str, subjects: set[str], src: list[str], sources: Sequence[str],
                      facts: Sequence[Fact], claims: ClaimRules | None, barred: set[tuple[str, float]]) -> bool:
        spec, near = self.spec.kinds[kind], self.near[kind]

        def fits(subject: str | None) -> bool:
            return not subjects or (claims is not None and any(claims.compatible(s, subject) for s in subjects)
                                    and subject is not None)

        for text, folded in zip(sources, src):
            if near is not None and not near.search(folded):
                continue
            if claims is None:
                if any(f.kind in spec.figures for f in extract_figures(text)):
                    return True
                continue
            for b in claims.bind(text):
                if b.figure.kind in spec.figures and fits(b.subject) and (b.figure.kind, b.figure.value) not in barred \
                        and (spec.bound is None or b.attrs.get("bound") == spec.bound) \
                        and not (spec.exact and b.attrs.get("bound") in _BOUNDS):
                    return True
        if near is not None:
            return False
        for fact in facts:
            if not fits(fact.subject):
                continue
            given = [("duration", fact.duration.bound)] if fact.duration is not None else []
            given += [(_UNIT_KIND[a.unit], a.bound) for a in (fact.amount, fact.alt_amount) if a is not None]
            if any(k in spec.figures and (spec.bound is None or b == spec.bound) and not (spec.exact and b in _BOUNDS)
                   for k, b in given):
                return True
        return False


_UNIT_KIND = {"yuan": "money", "m2": "area", "%": "percent", "count": "count"}


def _figures_of(facts: Sequence[Fact]) -> set[tuple[str, float]]:
    """(figure kind, value) of what the records give: 36 months, 50 m², 600,000 yuan."""
    out = {("duration", f.duration.months) for f in facts if f.duration is not None}
    return out | {(_UNIT_KIND[a.unit], a.value) for f in facts for a in (f.amount, f.alt_amount) if a is not None}



def _contradicts(fact: Fact, said: dict[str, bool]) -> bool:
    return any(c.field in said and c.value != said[c.field] for c in fact.conditions
               if isinstance(c.value, bool) and c.op == "eq")

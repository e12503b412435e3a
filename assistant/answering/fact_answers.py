"""Answers composed from the fact records, each fact cited to its clause.

- lists and comparisons across benefits ("which vouchers are capped at 2 million", "which is largest");
- what the plan does not give (a deadline, an office, a rate, a year outside its validity, a measure it does
  not have): said plainly first (``answerable: false``), then what the plan does say on the topic and who
  issues it;
- a founder's story ("I graduated 4 years ago with a master's"): the benefits it rules out and why, and what
  still fits.

Every figure is rendered from a verified record (assistant/knowledge/facts.py), so it stands in the clause cited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from assistant.answering.citations import citation_for, suggestions
from assistant.answering.comparisons import Comparer, conjuncts, shared_heads
from assistant.answering.prompts import (
    ASK_ISSUER,
    CAPPED_AT,
    FACTS_SAY,
    FAMILY,
    FITS,
    ISSUER_LINE,
    LIST_DOCS,
    LIST_INTRO,
    LIST_OTHERS,
    NOT_STATED,
    RULED_OUT,
    RULED_OUT_DOC,
    STORY_FITS,
    STORY_INTRO,
    STORY_UNDECIDED,
    profile_label,
)
from assistant.knowledge.claims import fold
from assistant.knowledge.eligibility import check_fact
from assistant.knowledge.facts import Fact, amount_text, figure_text
from assistant.knowledge.figures import cn_value
from assistant.knowledge.profile_fields import profile_words
from assistant.types import Answer, Citation, FounderProfile
from assistant.understanding.questions import Intent
from assistant.understanding.text import base_lang, localise

if TYPE_CHECKING:
    from assistant.knowledge.corpus import Corpus
    from assistant.library.retrieve import ClauseHit, Query, Retriever
    from assistant.types import Language

# The benefits of one family ("money", "space" ... of questions.yaml; None: every benefit).
Families = Sequence[tuple[str | None, list[Fact]]]

MAX_LISTED = 12
MAX_OTHERS = 5


class Cites:
    """Citation numbers per clause, in order of first use."""

    def __init__(self, corpus: Corpus, lang: str) -> None:
        self.corpus, self.lang = corpus, lang
        self.list: list[Citation] = []
        self._n: dict[str, int] = {}

    def mark(self, fact: Fact) -> str:
        return self.clause(fact.clause_id)

    def clause(self, cid: str) -> str:
        """The marker of a clause by its id, numbered at first use."""
        if cid not in self._n:
            self._n[cid] = len(self._n) + 1
            self.list.append(citation_for(self.corpus, self.corpus.clause(cid), self.lang, self._n[cid]))
        return f"[{self._n[cid]}]"


def scoped_facts(retriever: Retriever, query: Query, within: set[str] | None) -> tuple[bool, list[Fact]]:
    """(the plan's reviewed facts are in scope, added documents' verified model-read facts in scope) for a question:
    the documents it or the request narrows to (names a document, issuer or place), else the home jurisdiction's
    documents in force (scope.py decides, as for retrieval)."""
    corpus = retriever.corpus
    reviewed = {f.doc_id for f in corpus.facts if f.reviewed}
    if within is None and not retriever.scoper.library:  # the built-in corpus alone
        return True, []
    scope = retriever.scoper.scope(query.asked, query.places, retriever.today(), within)
    docs = scope.tiers[0] if scope.tiers else set()
    plan = within is None and scope.reason == "home" or bool(reviewed) and reviewed <= docs
    # model-read records only: they carry the benefit's name and kind; a rule-read one is a bare figure
    return plan, [f for f in corpus.facts if f.doc_id in docs and not f.reviewed and f.provenance is not None
                  and f.provenance.extracted_by == "model"]


_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


class FactAnswerer:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.rules = corpus.claims
        self.questions = corpus.questions  # QuestionRules from corpus/questions.yaml
        # reviewed records only: rule-extracted ones (added documents) are too thin to list or compare
        self.facts: list[Fact] = [f for f in corpus.facts if f.reviewed]
        self._measures = self.measure_numbers() if corpus.documents else set()
        spec = self.questions.spec if self.questions is not None else None
        self.comparer = Comparer(self, spec.apart if spec else [])
        self._heads = shared_heads(spec.shared_heads) if spec else []

    def answer(self, question: str, lang: Language, topic: str | None, hits: Sequence[ClauseHit],
               today: date | None = None, extra: Sequence[Fact] = (), plan: bool = True, told: str | None = None,
               years_told: Sequence[int] | None = None, candidates: Sequence[ClauseHit] | None = None) -> Answer | None:
        """An answer from the facts when the question is a list, comparison, story or asks for what the plan
        does not state; None when quoting the best sentence is the right answer. ``extra``: verified facts of
        added documents in the question's scope (a list names them too, by issuer); ``plan``: the plan's own
        facts are in scope; ``candidates``: every clause found in scope (a "not stated" answer is given only when
        none of them speaks of it: an added guide may state the deadline the plan does not)."""
        if self.questions is None or not (self.facts or extra):
            return None
        if hits and self.corpus.document(hits[0].clause_id.split(":", 1)[0]).authority == "document" or not plan:
            # an added document answers best: quote it (its own deadlines, materials, rates …), unless the
            # question asks for a list and the documents in scope have facts to list
            intent = self.questions.intent(question, measures=set(), years=None, today=today, topic=None,
                                           stories=False)
            if intent.kind != "list" or not extra:
                return None
            return self.listing(question, lang, intent, topic, self._families(intent, None if plan else []), extra)
        doc = self.corpus.documents[0]
        years = (int(doc.effective_date[:4]), int(doc.valid_until[:4])) if doc.effective_date and doc.valid_until \
            else None
        known = topic if self.on_topic(topic, [f for f in self.facts if f.is_benefit]) else None
        named = self.named(question)
        intent = self.questions.intent(question, measures=self._measures, years=years, today=today, topic=known,
                                       told=told, years_told=years_told, named=len(named))
        if intent.kind is None and told and told != question and self.questions.ranks.find(fold(question)):
            # "第二高的呢？": a place in the order the message it resolves to asked for ("…最高的是哪一项？")
            intent = self.questions.intent(told, measures=self._measures, years=years, today=today, topic=known,
                                           named=len(self.named(told)))
        if intent.kind == "story":
            answered = self.story(question, lang, intent, topic, today or date.today(), hits, extra)
            if answered is not None:
                return answered
            # the story rules nothing out: the question may still ask for a list ("what can I get as a founder?")
            intent = self.questions.intent(question, measures=self._measures, years=years, today=today,
                                           topic=known, stories=False, told=told,
                                           years_told=years_told)
        if intent.kind == "list" and intent.named:
            return self.listing(question, lang, intent, None, [(None, named)], told=told)
        if intent.kind == "list":
            return self.listing(question, lang, intent, topic, self._families(intent), extra, told=told)
        if intent.kind in ("procedure", "rate") and self._sources_state(intent, candidates or hits,
                                                                        n=len(candidates) if candidates else 3):
            return None  # the clauses found do speak of it: quoting them answers the question
        if intent.kind in ("procedure", "rate", "out_of_years", "missing_measure"):
            return self.not_stated(question, lang, intent, topic, hits)
        return None

    # --- selecting ---------------------------------------------------------------------------------
    def on_topic(self, topic: str | None, facts: list[Fact] | None = None) -> list[Fact]:
        facts = self.facts if facts is None else facts
        if not topic or self.rules is None:
            return []
        return [f for f in facts if f.subject and (topic in self.rules.ancestors(f.subject)
                                                   or f.subject in self.rules.ancestors(topic))]

    def named(self, question: str) -> list[Fact]:
        """The plan's benefits the question names in words (claims subjects; "government-services" as two words),
        one record each where a subject names several and the question names one by its own name."""
        if self.rules is None:
            return []
        folded = fold(question)
        folded = " | ".join([folded, *(h for pattern in self._heads for h in conjuncts(pattern, folded))])
        subjects = self.rules.subjects_in(folded) | self.rules.subjects_in(_HYPHEN.sub(" ", folded))
        out: list[Fact] = []
        for subject in subjects:
            facts = [f for f in self.facts if f.is_benefit and f.subject == subject]
            own = [f for f in facts if self._own_name(f, folded)]
            out += [f for f in own or facts if f not in out]
        # a benefit named by its own name only (示范应用项目: its subject is shared with another record)
        out += [f for f in self.facts if f.is_benefit and f not in out and self._own_name(f, folded)]
        return out

    @staticmethod
    def _own_name(f: Fact, folded: str) -> bool:
        return any(fold(n) in folded for n in (f.names.en, f.names.zh, *f.names.aliases))

    def _families(self, intent: Intent, facts: list[Fact] | None = None) -> list[tuple[str | None, list[Fact]]]:
        assert self.questions is not None  # answer() returns before any composing without question rules
        spec = self.questions.spec
        facts = self.facts if facts is None else facts
        if not intent.families:
            return [(None, [f for f in facts if f.is_benefit])]
        return [(fam, [f for f in facts if f.kind in spec.families[fam].kinds]) for fam in intent.families]

    def _select(self, intent: Intent, topic: str | None, families: Families) -> list[tuple[str | None, list[Fact]]]:
        """The families' facts on the question's topic (all of them when none is) and within its cap."""
        groups = [(fam, self.on_topic(topic, fs) or fs) for fam, fs in families]
        if intent.cap:
            groups = [(fam, [f for f in fs if any(a.key == intent.cap or (a.unit, a.value) == intent.cap
                                                 for a in f.amounts())]) for fam, fs in groups]
        return [(fam, fs) for fam, fs in groups if fs]

    # --- composing ---------------------------------------------------------------------------------
    def listing(self, question: str, lang: Language, intent: Intent, topic: str | None, families: Families,
                extra: Sequence[Fact] = (), told: str | None = None) -> Answer | None:
        base = base_lang(lang)
        cites = Cites(self.corpus, lang)
        groups = self._select(intent, topic, families)
        others = [f for _, fs in self._select(intent, topic, self._families(intent, list(extra))) for f in fs] \
            if extra else []
        if not groups and not others:
            return None
        lines: list[str] = []
        if intent.order:  # the plan's and the scoped documents' figures, like with like (comparisons.py)
            facts = [f for _, fs in groups for f in fs]
            ordered = self.comparer.ordered(intent, facts, list(others), base, cites, told or question)
            if ordered is None:
                return None
            lines += ordered
        elif not groups:  # only added documents in scope
            lines.append(LIST_DOCS[base].format(what=CAPPED_AT[base].format(cap=figure_text(*intent.cap, base))
                                                if intent.cap else ""))
            lines += self._by_issuer(others, base, cites)
        else:
            what = CAPPED_AT[base].format(cap=figure_text(*intent.cap, base)) if intent.cap else ""
            lines.append(LIST_INTRO[base].format(what=what))
            for fam, fs in groups:
                if fam:
                    lines.append(FAMILY[base].get(fam, fam) + (":" if base == "en" else "："))
                for f in fs[:MAX_LISTED]:
                    lines.append("- " + self.line(f, base, cites))
            if others:  # the documents' own lines after the plan's, each under its issuer
                lines.append(LIST_OTHERS[base].format(what=what))
                lines += self._by_issuer(others, base, cites)
        return self._answer(question, lang, lines, cites.list, answerable=True)

    def _from(self, f: Fact, base: str) -> str:
        """" (issuer)" after an added document's benefit; nothing after the plan's."""
        if f.reviewed:
            return ""
        doc = self.corpus.document(f.doc_id)
        names = f.issuer or doc.issuer or doc.title
        name = names.get(base) or next(iter(names.values()), "")
        return (f" ({name})" if base == "en" else f"（{name}）") if name else ""

    def _by_issuer(self, facts: Iterable[Fact], base: str, cites: Cites) -> list[str]:
        """Added documents' facts under their issuer and document title, at most MAX_LISTED lines."""
        by_doc: dict[str, list[Fact]] = {}
        for f in list(facts)[:MAX_LISTED]:
            by_doc.setdefault(f.doc_id, []).append(f)
        lines: list[str] = []
        for doc_id, fs in by_doc.items():
            doc = self.corpus.document(doc_id)
            issuer = fs[0].issuer or doc.issuer
            title = doc.title.get(base) or next(iter(doc.title.values()), doc_id)
            name = issuer.get(base) or next(iter(issuer.values()), "")
            lines.append(ISSUER_LINE[base].format(issuer=name, title=title) if name else
                         title + (":" if base == "en" else "："))
            lines += ["- " + self.line(f, base, cites) for f in fs]
        return lines

    def not_stated(self, question: str, lang: Language, intent: Intent, topic: str | None,
                   hits: Sequence[ClauseHit]) -> Answer:
        base = base_lang(lang)
        cites = Cites(self.corpus, lang)
        first = self._not_stated_line(intent, base)
        lines = [first]
        shown = self.on_topic(topic)
        if intent.kind == "out_of_years":
            shown = [f for f in self.facts if f.kind == "deadline"] + shown
        if shown:
            lines.append(FACTS_SAY[base])
            lines += ["- " + self.line(f, base, cites) for f in shown[:MAX_LISTED]]
        issuer = self._issuer(shown, hits, base)
        if issuer:
            lines.append(ASK_ISSUER[base].format(issuer=issuer))
        answer = self._answer(question, lang, lines, cites.list, answerable=False)
        answer.suggestions = [] if shown else suggestions(self.corpus, hits, lang)
        return answer

    def story(self, question: str, lang: Language, intent: Intent, topic: str | None, today: date,
              hits: Sequence[ClauseHit] = (), extra: Sequence[Fact] = ()) -> Answer | None:
        base = base_lang(lang)
        try:
            profile = FounderProfile.model_validate(intent.profile)
        except ValueError:
            return None  # an impossible story (a graduation year ahead): answer it as a plain question
        # the plan's and the scoped documents' (each named with its issuer); ids are unique per document only
        benefits = [f for f in [*self.facts, *extra] if f.is_benefit]
        key: Callable[[Fact], tuple[str, str]] = lambda f: (f.doc_id, f.id)  # noqa: E731
        # the benefits asked about: named in the question, else those of the clause that answers it best
        asked = self.on_topic(topic, benefits) or [f for f in benefits if hits and f.clause_id == hits[0].clause_id]
        decided = {key(f): check_fact(f, profile, self.corpus, lang, today) for f in benefits}
        ruled = [f for f in (asked or benefits) if decided[key(f)].status == "not_met"]
        if not ruled:
            return None  # the story rules nothing out: quoting the plan answers the question
        cites = Cites(self.corpus, lang)
        words = (", " if base == "en" else "，").join(profile_words().told(profile, base))
        intro = STORY_INTRO[base] if words else STORY_INTRO[base].replace(" ({profile})", "").replace("（{profile}）", "")
        lines = [intro.format(profile=words)]
        for f in asked or ruled:
            d = decided[key(f)]
            if d.status == "not_met":
                says = next(c.says for c in d.conditions if c.status == "not_met")
                amount = amount_text(f, base)
                amount = (f" ({amount})" if base == "en" else f"（{amount}）") if amount else ""
                lines.append("- " + (RULED_OUT if f.reviewed else RULED_OUT_DOC)[base].format(
                    name=f.name(base) + self._from(f, base), amount=amount, says=localise(says, base),
                    cite=cites.mark(f)))
            else:
                line = "- " + self.line(f, base, cites, label=True)
                if d.needed:
                    line += " " + STORY_UNDECIDED[base].format(needed=("，" if base == "zh" else ", ").join(
                        profile_label(n, base) for n in d.needed))
                lines.append(line)
        # what else fits: met first, then those the story does not rule out (largest first)
        others = [f for f in benefits if f not in asked and f not in ruled
                  and all(f.id not in o.excludes for o in ruled)]
        kinds = {f.kind for f in asked or ruled}
        others.sort(key=lambda f: (f.kind not in kinds, decided[key(f)].status != "met",
                                   -(f.amount.value if f.amount and f.amount.unit == "yuan" else 0)))
        if others:
            lines.append(STORY_FITS[base])
            lines += ["- " + self.line(f, base, cites, label=True) for f in others[:MAX_OTHERS]]
        if len(lines) == 1:
            return None
        return self._answer(question, lang, lines, cites.list, answerable=True)

    def _sources_state(self, intent: Intent, hits: Sequence[ClauseHit], n: int = 3) -> bool:
        """True when one of the best clauses uses the terms of what was asked (a deadline, materials, a rate)."""
        assert self.questions is not None  # answer() returns before any composing without question rules
        matcher = self.questions.procedure if intent.kind == "procedure" else self.questions.rate
        for hit in hits[:n]:
            for text in self.corpus.clause(hit.clause_id).text.values():
                if any(m.concept == intent.detail for m in matcher.find(fold(text))):
                    return True
        return False

    # --- pieces ------------------------------------------------------------------------------------
    def line(self, f: Fact, base: str, cites: Cites, label: bool = False) -> str:
        """One benefit with its amount, cited; ``label``: an added document's named with its issuer."""
        name = f.name(base) + (self._from(f, base) if label else "")
        amount = amount_text(f, base)
        note = f.notes.get(base, "")
        detail = "; ".join(p for p in (amount, note) if p) if base == "en" else "；".join(p for p in (amount, note) if p)
        if not detail:
            return f"{name} {cites.mark(f)}" if base == "en" else f"{name}{cites.mark(f)}"
        return FITS[base].format(name=name, amount=detail, cite=cites.mark(f))

    def _not_stated_line(self, intent: Intent, base: str) -> str:
        table = NOT_STATED[base]
        # no figure here: the first line of an answer that declines states none (the year asked is not the plan's)
        return table[intent.kind if intent.kind in ("out_of_years", "missing_measure") else intent.detail or ""]

    def measure_numbers(self) -> set[int]:
        """The numbered measures of the main document ("(1)" ... "(10)")."""
        out: set[int] = set()
        for clause in self.corpus.documents[0].clauses:
            label = clause.label.get("en", "").strip("()（） ")
            if label.isdigit():
                out.add(int(label))
            elif (v := cn_value(clause.label.get("zh", "").strip("（） "))):
                out.add(int(v))
        return out

    def _issuer(self, shown: list[Fact], hits: Sequence[ClauseHit], base: str) -> str:
        names = [f.issuer.get(base, "") for f in shown if f.issuer]
        if not names and hits:
            doc = self.corpus.document(hits[0].clause_id.split(":", 1)[0])
            names = [doc.issuer.get(base, "")]
        return ("; " if base == "en" else "；").join(dict.fromkeys(n for n in names if n))

    @staticmethod
    def _answer(question: str, lang: Language, lines: list[str], citations: list[Citation], *, answerable: bool) -> Answer:
        return Answer(question=question, answer=localise("\n".join(lines), lang), language=lang,
                      answerable=answerable, citations=citations, mode="extractive")

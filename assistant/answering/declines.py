"""What the extractive answerer declines and why: a question about another place's policy, a premise whose figure
no cited clause holds, and the refusal itself (with the nearest clauses as suggestions, never a figure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.answering.citations import suggestions
from assistant.answering.prompts import NO_CONTENT, NOT_COVERED, OTHER_JURISDICTION
from assistant.knowledge.figures import Figure, extract_figures, is_grounded
from assistant.settings import corpus_folder
from assistant.types import Answer, Citation
from assistant.understanding.objects import load_object_reader
from assistant.understanding.text import localise

if TYPE_CHECKING:
    from assistant.knowledge.places import Gazetteer, Place
    from assistant.library.retrieve import ClauseHit, Query, Retrieval, Retriever
    from assistant.types import Language


class Declines:
    """Mixed into ``ExtractiveAnswerer``: the checks that turn an answer into a refusal, over its retriever."""

    r: Retriever
    _covered_of: object
    _covered_keys: set[str | None]

    def object_missing(self, q: Query, builtin: bool) -> bool:
        """The ask's object is something no source in scope provides: a family member it is for that no clause
        names ("my spouse"), or — with no benefit recognised — a kind of support whose qualifying words no
        clause uses ("招聘补贴": the plan has subsidies, none for hiring). The nearest clause is then no answer."""
        reader = load_object_reader(corpus_folder() / "objects.yaml")
        if reader is None:
            return False
        asked = q.asked
        if any(self.r.uncovered_terms(b, builtin, listed=True) for b in reader.beneficiaries_named(asked)):
            return True
        rec = q.recognition
        if rec is not None and rec.benefit is not None:  # a paraphrase the recogniser reads as a benefit
            return False
        return any(self.r.uncovered_terms(words, builtin) for words in reader.qualifiers(asked))

    def _premise_mismatch(self, question: str, citations: list[Citation]) -> bool:
        """True when the question states a figure that none of the cited clauses holds."""
        # A document's name is not a premise: "《…行动计划（2026—2027年）》" states no figure of the answer.
        for doc_id in {c.doc_id for c in citations}:
            doc = self.r.corpus.document(doc_id)
            for title in sorted({*doc.title.values(), *doc.short_title.values()}, key=len, reverse=True):
                question = question.replace(title, " ")
        asked = extract_figures(re.sub(r"《[^《》]*》", " ", question))
        if not asked:
            return False
        sources = [t for c in citations for t in (c.text, c.parallel_text)]
        kinds = {f.kind for t in sources for f in extract_figures(t)}
        return any(not is_grounded(f, sources) for f in asked if _claimed(f, kinds))

    def other_jurisdiction(self, question: str, retrieval: Retrieval) -> tuple[str, str] | None:
        """(place, jurisdiction) when the question asks about the policy of a place the best document does
        not govern (a founder's origin, "我在北京读的博士", is not such a place)."""
        places = self.r.corpus.places
        if places is None or not retrieval.hits:
            return None
        doc = self.r.corpus.document(retrieval.hits[0].clause_id.split(":", 1)[0])
        own = places.jurisdiction_of(doc, self.r.home)
        # a place the library has documents of is not "another place" (东滨区 and 北岭区 asked together)
        found = [p for p in places.other_jurisdictions(question, own) if p.key not in self._covered(places)]
        if not found:
            return None
        zh = retrieval.query.lang.startswith("zh")
        home = places.place(own)

        def name(p: Place) -> str:
            return p.zh if zh else (p.en or p.zh)

        return name(found[0]), (name(home) if home else "")

    def _covered(self, places: Gazetteer) -> set[str | None]:
        """The places the library's documents govern or name in their titles (once per corpus version)."""
        corpus = self.r.corpus
        if getattr(self, "_covered_of", None) is not corpus:
            keys = {places.jurisdiction_of(d, self.r.home) for d in corpus.documents}
            # and the places their titles name: a page read without an issuer ("Xinglan City Measures for …")
            # is still that place's document
            keys |= {p.key for d in corpus.documents for t in d.title.values() for p in places.find(t)}
            self._covered_keys = keys - {None}
            self._covered_of = corpus
        return self._covered_keys

    def refusal(self, question: str, lang: Language, hits: Sequence[ClauseHit] = (), *, no_content: bool = False,
                elsewhere: tuple[str, str] | None = None) -> Answer:
        message = (NO_CONTENT if no_content else NOT_COVERED)[lang]
        if elsewhere:
            place, home = elsewhere
            message = OTHER_JURISDICTION[lang].format(place=localise(place, lang), jurisdiction=localise(home, lang))
        nearest = suggestions(self.r.corpus, hits, lang)
        return Answer(question=question, answer=message, language=lang, answerable=False,
                      suggestions=nearest, mode="extractive")


def _claimed(fig: Figure, kinds: set[str]) -> bool:
    """Whether a figure of the question claims a value the cited clauses could hold. One of a unit is the basis
    of a rate asked ("一平米多少钱", "one month's rent"), never a claim; and a figure of a kind no cited clause
    states — a count where the clauses state only amounts — counts something else ("这两个能叠加吗", "我们两个人")."""
    return fig.value != 1 and fig.kind in kinds

"""Extractive answers: quote the sentence(s) of the best clause(s) that answer the question.

No model writes anything here, so every figure is quoted exactly as the source states it.
When nothing is relevant enough the answer says the plan does not cover the question and
offers the nearest clauses as suggestions, with no figure at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from assistant.answering.citations import citation_for, document_notes, format_lead
from assistant.answering.declines import Declines
from assistant.answering.disagreements import disagreeing, disagreement
from assistant.answering.fact_answers import FactAnswerer, scoped_facts
from assistant.answering.prompts import PREMISE_NOTE
from assistant.answering.sentence_scores import Scored, derive_entries, idf_overlap, sentence_idf
from assistant.answering.terms import with_terms
from assistant.answering.wanted import wanted_figures, wanted_groups
from assistant.library.retrieve import Retrieval, Retriever, content_words
from assistant.settings import RetrievalSettings
from assistant.types import Answer, Citation
from assistant.understanding.recognition import named_subject, recognise
from assistant.understanding.text import base_lang, localise, tokenize

if TYPE_CHECKING:
    from assistant.library.retrieve import Query
    from assistant.library.segments import Entry
    from assistant.types import Document

# Sentences stating a figure of the kind a question asks for (assistant/answering/wanted.py) are preferred.
FIGURE_BONUS = 0.1
# A sentence naming the question's main topic (its benefit) is preferred: the housing subsidy's, not the hukou's.
TOPIC_BONUS = 0.1
# An added document whose title the question names is preferred (sibling documents have look-alike closings).
DOCUMENT_BONUS = 0.1
# When the best sentence states no figure of the kind asked for, the clause's best sentence that does
# is quoted beside it, if it scores at least this share of the best (the figure is the answer).
FIGURE_SENTENCE_RATIO = 0.8
NAMED_SENTENCE_RATIO = 0.5   # a sentence naming another benefit the question names: quoted above this share
# A question whose words the corpus mostly does not know is still answered when the recogniser is at least this
# sure which benefit clause it asks about and that clause answers it best.
RECOGNISED_ANSWERS = 0.5
# ... or, less sure (a benefit described by what it does: "政府兜底的那种借钱"), when the search's best clause is that
# same clause too: two independent readings (the classifier, dense and keyword search) agree.
RECOGNISED_AGREES = 0.35
# ... and its sentences lead when it is this sure of the clause (or RECOGNISED_ANSWERS sure of a topic that is no
# benefit, when retrieval ranks that clause first: "a tiny startup … lab machines" is the instruments' clause).
RECOGNISED_LEADS = 0.7


def _whose(doc: Document) -> tuple[str | None, str]:
    """A policy's owner: its place and issuer (two bureaus of one city are two voices)."""
    return doc.jurisdiction, doc.issuer.get("zh") or doc.issuer.get("en") or ""


class ExtractiveAnswerer(Declines):
    def __init__(self, retriever: Retriever, settings: RetrievalSettings,
                 today: Callable[[], str] = lambda: date.today().isoformat()) -> None:
        self.r = retriever
        self.settings = settings
        self.today = today  # the answer's day (OPC_TODAY), for in-force notes
        entries = retriever.index.entries
        derived = derive_entries(retriever.index, retriever.corpus)
        self._tokens = [derived[(e.text, e.kind == "sentence")][0] for e in entries]
        # Inverse document frequency over sentence entries: rare terms decide which sentence answers. The
        # built-in sentences use the built-in corpus's own (a library of notices does not reorder the plan's).
        self._idf = sentence_idf(entries, self._tokens)
        builtin = retriever.index.builtin
        self._builtin_idf = self._idf if builtin == len(entries) else \
            sentence_idf(entries[:builtin], self._tokens[:builtin])
        self._kinds = [derived[(e.text, e.kind == "sentence")][1] for e in entries]
        # A document's text addressed to the assistant ("系统提示：忽略之前的所有指令…") is never quoted.
        self._instructions = {i for i, e in enumerate(entries) if derived[(e.text, e.kind == "sentence")][3]}
        self._parallel = {(e.clause_id, e.lang, e.sent): i for i, e in enumerate(entries) if e.kind == "sentence"}
        # The benefits each sentence names (corpus/claims.yaml): the question's main topic leads the answer.
        self._rules = retriever.corpus.claims
        self.facts = FactAnswerer(retriever.corpus) if retriever.corpus.facts else None
        self._headings: dict[str, set[str]] = {}
        self._topics = [self._sentence_topics(e, derived[(e.text, True)][2])
                        if self._rules is not None and e.kind == "sentence" else set() for e in entries]

    def _sentence_topics(self, entry: Entry, found: set[str]) -> set[str]:
        """The benefits a sentence is about: those it names (``found``, derived once per text); else, in an
        added document, those its heading or the document's title names (a guide's "申报时间" section is about
        the guide's subsidy). Headings are looked up once per clause: a library has thousands."""
        if found:
            return found
        if entry.clause_id not in self._headings:
            doc = self.r.corpus.document(entry.clause_id.split(":", 1)[0])
            if doc.authority != "document":  # the built-in plan's answers are tuned on the golden set without it
                self._headings[entry.clause_id] = set()
            else:
                clause = self.r.corpus.clause(entry.clause_id)
                assert self._rules is not None  # topics are found only with claim rules
                self._headings[entry.clause_id] = self._rules.subjects_in(
                    " ".join([*clause.title.values(), *doc.title.values()]))
        return self._headings[entry.clause_id]

    def main_topic(self, query: Query) -> str | None:
        """The benefit a question is about: named in it, else named by its glossary expansion ("能贷" -> 贷款)."""
        if self._rules is None:
            return None
        rec = query.recognition  # named in words first; else what the recogniser is confident it is about
        return named_subject(query.text, self._rules, rec) or (rec.subject if rec is not None and rec.benefit else None) \
            or self._rules.subject_of(" ".join(self.r.glossary.expand(query.text)))

    def _read_past(self, focus: str, topic: str | None) -> bool:
        """The ask names its subject only by a loose word, and the question is about another benefit."""
        named = self._rules.subject_of(focus) if self._rules is not None else None
        return named is not None and topic is not None and named != topic and self._rules is not None \
            and self._rules.named_loosely(focus, named)

    def _names_subject(self, text: str) -> bool:
        return self._rules is not None and bool(self._rules.subject_of(" ".join([text, *self.r.glossary.expand(text)])))
    # --- scoring -------------------------------------------------------------------------------
    def score_sentences(self, retrieval: Retrieval, clauses: int = 5) -> list[Scored]:
        q = retrieval.query
        wanted = wanted_figures(q.asked)
        topic = self.main_topic(q)
        # the plan's clause the recogniser is sure the ask is about (a topic such as its districts, or a benefit)
        rec = q.recognition
        agree = rec is not None and rec.benefit is None and [h.clause_id for h in retrieval.hits[:1]] == [rec.likely_clause]
        recognised = rec.likely_clause if rec is not None and (rec.clause_confidence >= RECOGNISED_LEADS or (
            agree and rec.clause_confidence >= RECOGNISED_ANSWERS)) else None
        if recognised and retrieval.hits and retrieval.hits[0].clause_id.split(":", 1)[0] != recognised.split(":", 1)[0]:
            recognised = None  # an added document ranks first on its own words: the recogniser knows only the plan
        # asks naming a benefit pick the sentence (a story is searched, not answered); asks naming none point back
        # (an ask naming a benefit only by a loose word the recogniser read past — 奖励 — points back too)
        qtokens = set(q.asked_tokens if q.focus and self._names_subject(q.focus)
                      and not self._read_past(q.focus, topic) else q.tokens)
        qexpanded = set(q.expanded)
        vectors = self.r.index.vectors
        assert vectors is not None  # only a closed version has none, and nothing searches it
        entries = self.r.index.entries
        out: list[Scored] = []
        titles: dict[str, set[str]] = {}
        for rank, hit in enumerate(retrieval.hits[:clauses] + retrieval.extra[:clauses]):
            prior = 1.0 / (1 + rank)
            # A question naming a place is answered from that place's documents first (sentences too:
            # a same-language sentence of another place must not outscore the named place's Chinese text).
            doc = self.r.corpus.document(hit.clause_id.split(":", 1)[0])
            fit = self.r.gazetteer.weight(doc.jurisdiction, q.places)
            # Words that name an added document ("东滨区…措施") say which document, not what is asked:
            # they do not make its preamble the answer to "从哪天开始施行".
            if doc.authority == "document" and doc.id not in titles:
                titles[doc.id] = {t for title in doc.title.values() for t in tokenize(title)}
            asked = qtokens - titles.get(doc.id, set()) or qtokens
            # ... but they do say which document: "the Xinglan action plan", "compute voucher rules".
            named = DOCUMENT_BONUS * idf_overlap(titles[doc.id], qexpanded, self._idf) if doc.id in titles else 0.0
            plan = self.settings.plan_preference if doc.id in retrieval.prefer else 0.0
            clause = self.r.corpus.clause(hit.clause_id)
            cross = doc.jurisdiction in q.places and base_lang(q.lang) not in clause.text
            # Kept off the built-in plan, whose answers are tuned on the golden set without it.
            heading = {t for title in clause.title.values() for t in tokenize(title)} \
                if doc.authority == "document" else set()
            for pos in self.r.answer_lang_entries(hit.clause_id, q.lang):
                if pos in self._instructions:
                    continue
                e = entries[pos]
                idf = self._builtin_idf if pos < self.r.index.builtin else self._idf
                # Use both language versions of the sentence: either may match the question better.
                twin = self._parallel.get((e.clause_id, "en" if e.lang == "zh" else "zh", e.sent))
                twins = [pos] if twin is None else [pos, twin]
                dense = max(float(vectors[i] @ q.vector) for i in twins)
                if cross:  # cosines across languages run lower: calibrate before comparing with same-language text
                    dense += self.settings.cross_language_margin
                # A sentence of an added document answers what its heading ("申报时间") names.
                toks = set().union(*(self._tokens[i] for i in twins)) | heading
                overlap = max(idf_overlap(asked, toks, idf), 0.5 * idf_overlap(qexpanded, toks, idf))
                score = dense + 0.35 * overlap + 0.03 * prior + named + plan
                kinds = self._kinds[pos] | self._kinds[twins[-1]]
                if wanted & kinds:
                    score += FIGURE_BONUS
                if topic and self._rules is not None and any(topic in self._rules.ancestors(t) for i in twins for t in self._topics[i]):
                    score += TOPIC_BONUS
                if recognised == e.clause_id and pos < self.r.index.builtin:
                    score += TOPIC_BONUS
                score *= fit
                out.append(Scored(pos, e.clause_id, e.sent, score, dense, overlap, bool(wanted & kinds), plan * fit))
        out.sort(key=lambda s: -s.score)
        return out

    def answerable(self, retrieval: Retrieval, scored: list[Scored]) -> bool:
        """Decline unless the best sentence is close, the question's topic words are known to the
        corpus, and it names no topic the corpus never mentions (another city, visas, tax rates...)."""
        q = retrieval.query
        closest = max((s.dense for s in scored), default=0.0)  # cross-language cosines come calibrated
        if not scored or not (q.asked_tokens or q.tokens) or closest < self.settings.min_dense:
            return False
        if self.r.out_of_scope_terms(q):
            return False
        builtin = scored[0].pos < self.r.index.builtin  # the built-in corpus would answer
        if self.object_missing(q, builtin):
            return False
        # One unknown word in a two-word question is noise; most words unknown is a different topic.
        if len(content_words(q.asked_tokens or q.tokens)) < 2 or self.r.coverage(q, builtin) >= self.settings.min_coverage:
            return True
        # Unknown words around a subject of the plan the ask names in its words, which the best sentence speaks
        # of ("在开源社区挺活跃，计划有没有照顾我这种人的"): the founder's own words, not another topic.
        named = self._rules.subject_of(q.focus or q.text) if self._rules is not None else None
        if builtin and named is not None and named in self._topics[scored[0].pos]:
            return True
        # Unknown words but a benefit recognised with confidence, whose clause answers: a paraphrase or a
        # colloquial ask ("政府兜底的那种借钱") rather than another topic.
        rec = q.recognition
        if rec is None or not builtin or scored[0].clause_id != rec.likely_clause:
            return False
        return rec.clause_confidence >= RECOGNISED_ANSWERS or (
            rec.clause_confidence >= RECOGNISED_AGREES and bool(retrieval.hits)
            and retrieval.hits[0].clause_id == rec.likely_clause)

    def from_facts(self, question: str, retrieval: Retrieval, within: set[str] | None = None, told: str | None = None,
                   years_told: Sequence[int] | None = None) -> Answer | None:
        """A list, comparison, story or "the plan does not say" answer from the fact records, or None
        when quoting the best sentence answers the question (or it is about another place's policy). ``within``:
        a narrowed scope; fact answers span every fact's document, so only when all are in it. ``told``:
        the whole message (its story decides eligibility); ``years_told``: years of the story the plan must
        speak to (a founding after the plan ends), as the frame decided them (None: no frame read the message)."""
        if self.facts is None or self.other_jurisdiction(question, retrieval):
            return None
        if self.object_missing(retrieval.query, builtin=False):  # no record provides it either: declined as quoted
            return None

        plan, extra = scoped_facts(self.r, retrieval.query, within)
        if not plan and not extra:
            return None
        # the benefit the question names itself (a glossary expansion may name a narrower one than it asked)
        topic = recognise(retrieval.query.text, retrieval.query.lang, self._rules)
        if topic is not None and self._rules is not None:  # a loose word (奖励) yields to the recogniser
            topic = named_subject(retrieval.query.text, self._rules, retrieval.query.recognition) or topic
        return self.facts.answer(question, retrieval.query.lang, topic, retrieval.hits, extra=extra, plan=plan,
                                 told=told, years_told=years_told,
                                 candidates=retrieval.hits[:3] + retrieval.extra)

    # --- composing -------------------------------------------------------------------------------
    def answer(self, question: str, retrieval: Retrieval) -> Answer:
        q = retrieval.query
        scored = self.score_sentences(retrieval)
        best = scored[0] if scored else None
        elsewhere = self.other_jurisdiction(question, retrieval)
        if elsewhere:
            return self.refusal(question, q.lang, retrieval.hits, elsewhere=elsewhere)
        if not self.answerable(retrieval, scored):
            return self.refusal(question, q.lang, retrieval.hits)
        assert best is not None  # answerable() is False without a scored sentence
        chosen = [best]
        if wanted_figures(q.asked) and not best.has_wanted:
            figure = next((c for c in scored[1:] if c.clause_id == best.clause_id and c.has_wanted), None)
            if figure is None and self.r.corpus.document(best.clause_id.split(":", 1)[0]).authority == "document":
                # An added document's preamble or definitions often outscore the table row or article that
                # states the figure asked for: another clause of the same document may supply it.
                doc = best.clause_id.split(":", 1)[0]
                figure = next((c for c in scored[1:] if c.clause_id.startswith(doc + ":") and c.has_wanted), None)
            if figure is not None and figure.share_of(best) >= FIGURE_SENTENCE_RATIO:
                chosen.append(figure)
        # each part asked for ("哪几个区…？面积多少？") answered by a sentence of the best clause stating it
        for group in wanted_groups(q.asked) if len(wanted_groups(q.asked)) > 1 else []:
            if not any(group & self._kinds_of(c) for c in chosen):
                part = next((c for c in scored[1:] if c.clause_id == best.clause_id and group & self._kinds_of(c)), None)
                if part is not None and part.share_of(best) >= FIGURE_SENTENCE_RATIO:
                    chosen.append(part)
        chosen += self._named_subjects(q.text, scored, chosen)
        for cand in scored[1:]:
            if cand in chosen:
                continue
            if len(chosen) == 2 or cand.share_of(best) < self.settings.second_sentence_ratio:
                break
            chosen.append(cand)
        chosen = with_terms(q, scored, chosen, self._kinds_of)
        chosen += self._other_documents(scored, chosen, wanted_figures(q.asked), q.places)
        # Quote in reading order within a clause, clauses in order of first choice.
        order = {c.clause_id: i for i, c in reversed(list(enumerate(chosen)))}
        chosen.sort(key=lambda c: (order[c.clause_id], c.sent))

        citations: list[Citation] = []
        numbers: dict[str, int] = {}
        parts: list[str] = []
        sep = "" if q.lang.startswith("zh") else " "
        last_clause = None
        today = self.today()
        several = len({c.clause_id.split(":", 1)[0] for c in chosen}) > 1
        for c in chosen:
            clause = self.r.corpus.clause(c.clause_id)
            if c.clause_id not in numbers:
                numbers[c.clause_id] = len(numbers) + 1
                citations.append(citation_for(self.r.corpus, clause, q.lang, numbers[c.clause_id], today))
            sentence = self.r.index.entries[c.pos].text
            quote = f"{sentence}{sep}[{numbers[c.clause_id]}]"
            if c.clause_id != last_clause:
                quote = format_lead(self.r.corpus, clause, q.lang, with_issuer=several) + quote
            parts.append(quote)
            last_clause = c.clause_id
        # Another document of the same voice, or one claiming to be a quoted one, stating a different figure for
        # the same benefit: quoted too, with whose and when — one of two figures is never picked silently.
        for other in disagreeing(self.r, scored, chosen, self._instructions):
            clause = self.r.corpus.clause(other.clause_id)
            numbers[other.clause_id] = len(numbers) + 1
            citations.append(citation_for(self.r.corpus, clause, q.lang, numbers[other.clause_id], today))
            parts.append(disagreement(self.r, clause, self.r.index.entries[other.pos].text, q.lang,
                                      numbers[other.clause_id]))
        text = sep.join(parts)
        notes = document_notes(self.r.corpus, citations, q.lang)
        if self._premise_mismatch(question, citations):
            notes.append(PREMISE_NOTE[q.lang])
        if notes:
            text += ("" if q.lang.startswith("zh") else " ") + sep.join(notes)
        return Answer(question=question, answer=localise(text, q.lang), language=q.lang, answerable=True,
                      citations=citations, mode="extractive")

    def _named_subjects(self, text: str, scored: list[Scored], chosen: list[Scored]) -> list[Scored]:
        """Each benefit or target a question names, when it names several ("how many communities … how many
        startups"), answered by the best sentence naming it among those retrieved, unless one chosen names it."""
        rules = self._rules
        named = rules.subjects_in(text) if rules is not None else set()
        if rules is None or len(named) < 2:
            return []
        best, added = scored[0], list[Scored]()
        for subject in sorted(named):
            if any(subject in rules.subjects_in(self.r.index.entries[c.pos].text) for c in chosen + added):
                continue
            part = next((c for c in scored[1:] if c not in chosen and c.share_of(best) >= NAMED_SENTENCE_RATIO
                         and subject in rules.subjects_in(self.r.index.entries[c.pos].text)), None)
            if part is not None:
                added.append(part)
        return added[:2]

    def _kinds_of(self, c: Scored) -> set[str]:
        twin = self._parallel.get((c.clause_id, "en" if self.r.index.entries[c.pos].lang == "zh" else "zh", c.sent))
        return self._kinds[c.pos] | (self._kinds[twin] if twin is not None else set())

    def _other_documents(self, scored: list[Scored], chosen: list[Scored], wanted: set[str],
                         named: set[str]) -> list[Scored]:
        """Sentences of other issuers' or places' documents that answer as well as the best (a city and a
        district, or two bureaus of one city, rule on the same thing): quoted beside it, each led by its issuer,
        so different figures are never silently one. When the question names places, only their documents."""
        best = chosen[0]
        docs = {c.clause_id.split(":", 1)[0] for c in chosen}
        places = {_whose(self.r.corpus.document(d)) for d in docs}
        extra: list[Scored] = []
        for cand in scored:
            doc_id = cand.clause_id.split(":", 1)[0]
            doc = self.r.corpus.document(doc_id)
            if doc_id in docs or doc.authority == "background" or not doc.jurisdiction or \
                    any(p[0] is None for p in places):
                continue
            if _whose(doc) in places or cand.score < self.settings.other_document_ratio * best.score:
                continue
            if named and doc.jurisdiction not in named:
                continue
            if wanted and not cand.has_wanted:
                continue
            extra.append(cand)
            docs.add(doc_id)
            places.add(_whose(doc))
            if len(extra) == 2:
                break
        return extra

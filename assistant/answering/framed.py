"""Answering a framed message: every ask answered or declared.

The message is framed first (assistant/understanding/frame.py). Then:

- the plan about itself (its validity, issuer, what it pays monthly) is answered from its preamble, goals and
  fact records;
- a ranking of places or communities, which the plan never makes, is declared first, then what the plan says;
- otherwise the main ask is answered as before (quoted, or from the fact records), judged on the asks alone;
- each part the sources do not state ("where do I apply", "when is it paid", "the price per m²") is declared,
  with who to ask, and listed in ``Answer.unstated``: the answer stays answerable when its main ask is.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from assistant.answering.added_documents import merge, narrowed, speaks_of, stating
from assistant.answering.citations import citation_for
from assistant.answering.fact_answers import Cites
from assistant.answering.not_stated import DOCS_ASK_ISSUER, documents_not_stated, issuers
from assistant.answering.plan_overview import goal_lines, joined, measure_lines, title_lines
from assistant.answering.prompts import (
    ASK_ISSUER,
    BEFORE_VALIDITY,
    MONTHLY_INTRO,
    NOT_STATED,
    OUTSIDE_VALIDITY,
    PLAN_SAYS,
    UNSTATED_KEYS,
    VALID_UNTIL,
    WITHIN_VALIDITY,
)
from assistant.answering.wanted import figure_kinds, wanted_figures
from assistant.knowledge.figures import extract_figures
from assistant.library.retrieve import Retrieval, content_words
from assistant.types import Answer, Ask, Frame, Unstated
from assistant.understanding.intents import PART_SURE
from assistant.understanding.text import base_lang, localise, split_sentences, tokenize

if TYPE_CHECKING:
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.knowledge.corpus import Corpus
    from assistant.types import Citation, Clause, Document, Language


# The kinds of figure that state a part asked about: "is the transitional housing free?" is answered by "about
# 60% of market rent", "is the space free?" is not by "up to 50 m²".
# A benefit's own term ("up to 36 months") is no approval time: a quote states how long approval takes only when
# it speaks of approval (``_quoted_speaks_of``), whatever durations it holds.
PART_FIGURES: dict[str, set[str]] = {"price": {"money", "percent"}, "interest_rate": {"percent"},
                                     "processing_time": set(), "when_paid": {"date"}}
_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d\d)(?![0-9])")


# The same message read once per corpus files and day (founders repeat questions); the frame depends on the built-in
# terms only (claims, places, questions, glossary, frame.yaml: the corpus digest), never on added documents.
_FRAMES: OrderedDict[tuple[str, str, date | None, str], Frame] = OrderedDict()
_FRAMES_LOCK = threading.Lock()
MAX_FRAMES = 2048


def read_frame(extractive: ExtractiveAnswerer, text: str, lang: str, today: date | None = None) -> Frame | None:
    """The frame of a message, or None when the corpus has no frame terms. A copy: answers carry and change it."""
    corpus = extractive.r.corpus
    if corpus.frame is None:
        return None
    key = (text, lang, today, corpus.digest)
    with _FRAMES_LOCK:
        frame = _FRAMES.get(key)
        if frame is not None:
            _FRAMES.move_to_end(key)
    if frame is None:
        text = extractive.r.speller.correct_chinese(text)  # "算力卷" names the compute voucher in the frame too
        rec = extractive.r.recogniser  # the learned reading of each ask: its benefit, part, confidence
        frame = corpus.frame.read(text, lang, corpus.claims, corpus.places, extractive.r.glossary.expand, today,
                                  _plan_years(corpus), corpus.questions,
                                  learned=rec.recognise if rec is not None else None,
                                  normalise=rec.normalise if rec is not None else None)
        with _FRAMES_LOCK:
            _FRAMES[key] = frame
            while len(_FRAMES) > MAX_FRAMES:
                _FRAMES.popitem(last=False)
    return frame.model_copy(deep=True)


def _plan_years(corpus: Corpus) -> tuple[int, int] | None:
    doc = _plan(corpus)
    if doc is None or not doc.effective_date or not doc.valid_until:
        return None
    return int(doc.effective_date[:4]), int(doc.valid_until[:4])


def _plan(corpus: Corpus) -> Document | None:
    return next((d for d in corpus.documents if d.authority == "plan"), None)


def answer_text(frame: Frame, zh: bool) -> str:
    """The asks an answer quotes for: the frame's focus (the parts it declares unstated left out)."""
    return frame.focus_text or ("，" if zh else ", ").join(a.text for a in frame.asks)


def answer_frame(extractive: ExtractiveAnswerer, frame: Frame, retrieval: Retrieval, lang: Language, today: str) -> Answer | None:
    """An answer the frame decides by itself (the plan about itself, a ranking), or None."""
    main = frame.main
    if main is None:
        return None
    if main.kind == "plan":
        # only when the search lands on the plan itself: "东滨区措施从哪天施行" asks about that district's document
        # (a summary of the plan, a background document, does not count: "计划的总体目标" is the plan's own)
        corpus = extractive.r.corpus
        plan = _plan(corpus)
        first = next((h.clause_id.split(":", 1)[0] for h in retrieval.hits
                      if corpus.document(h.clause_id.split(":", 1)[0]).authority != "background"), None)
        if plan is None or first != plan.id or retrieval.scope in ("named", "place", "filter"):
            return None
        # the plan's validity and its goals asked together: both answered, in the order asked
        details = list(dict.fromkeys(a.detail for a in frame.asks if a.kind == "plan" and a.detail))
        if main.detail in details and len(details) > 1:
            found = [plan_answer(extractive, frame, d, lang, today) for d in details]
            answers = [a for a in found if a is not None]
            return joined(answers) if answers else None
        return plan_answer(extractive, frame, main.detail, lang, today)
    if main.kind == "ranking":
        quoted = extractive.answer(main.text, retrieval)
        return declare_ranking(extractive, frame, quoted, lang)
    return None


# --- the plan about itself ------------------------------------------------------------------------------
def plan_answer(extractive: ExtractiveAnswerer, frame: Frame, what: str | None, lang: Language, today: str) -> Answer | None:
    corpus = extractive.r.corpus
    doc = _plan(corpus)
    if doc is None or not doc.clauses:
        return None
    base = base_lang(lang)
    citations: list[Citation] = []
    lines: list[str] = []

    def cite(clause: Clause) -> str:
        for c in citations:
            if c.clause_id == clause.id:
                return f"[{c.n}]"
        citations.append(citation_for(corpus, clause, lang, len(citations) + 1, today))
        return f"[{len(citations)}]"

    preamble = doc.clauses[0]
    sentences = split_sentences(preamble.text.get(base, ""))
    if what == "validity" and doc.valid_until:
        dated = next((s for s in sentences if any(f.kind == "date" or f.unit == "year" for f in extract_figures(s))),
                     None)
        if dated is None:
            return None
        end = int(doc.valid_until[:4])
        years = [int(y) for y in _YEAR.findall(frame.focus_text)] + frame.years_told
        if years:
            begin = int(doc.effective_date[:4]) if doc.effective_date else min(years)
            verdict = OUTSIDE_VALIDITY if any(y > end for y in years) else \
                BEFORE_VALIDITY if any(y < begin for y in years) else WITHIN_VALIDITY
            lines.append(verdict[base])
        lines.append(f"{dated}{'' if base == 'zh' else ' '}{cite(preamble)}")
        # the end year as the plan writes it: the clause that sets its goals for that year
        marker = f"{end}年底" if base == "zh" else f"end of {end}"
        goals = next((c for c in doc.clauses[1:] if marker in c.text.get(base, "")), None)
        if goals is not None:
            lines.append(VALID_UNTIL[base].format(year=end, cite=cite(goals)))
    elif what == "purpose":  # what the plan is for: the preamble's sentences naming no date
        aims = [s for s in sentences if not any(f.kind == "date" or f.unit == "year" for f in extract_figures(s))]
        if not aims:
            return None
        lines.append(("" if base == "zh" else " ").join(aims) + ("" if base == "zh" else " ") + cite(preamble))
    elif what == "issuer":
        if not sentences:
            return None
        lines.append(f"{sentences[0]}{'' if base == 'zh' else ' '}{cite(preamble)}")
    elif what == "monthly" and extractive.facts is not None:
        monthly = [f for f in extractive.facts.facts if f.is_benefit and any(a.per == "month" for a in f.amounts())]
        if not monthly:
            return None
        cites = Cites(corpus, lang)
        lines = [MONTHLY_INTRO[base]] + ["- " + extractive.facts.line(f, base, cites) for f in monthly]
        citations = cites.list
    elif what in ("goals", "measures", "title"):
        if frame.years_told:  # "the area target for 2030": years the plan does not cover, declined as such
            return None
        cites = Cites(corpus, lang)
        by_clause = lambda clause: cites.clause(clause.id)  # noqa: E731
        lines = goal_lines(extractive.facts, doc, base, cites) if what == "goals" and extractive.facts else \
            measure_lines(doc, base, by_clause) if what == "measures" else \
            title_lines(doc, base, by_clause) if what == "title" else []
        if not lines:
            return None
        citations = cites.list
    else:
        return None
    sep = "\n" if what in ("monthly", "goals", "measures") else ("" if base == "zh" else " ")
    return Answer(question=frame.focus_text, answer=localise(sep.join(lines), lang), language=lang, answerable=True,
                  citations=citations, mode="extractive")


# --- what the plan does not state ----------------------------------------------------------------------
def _not_stated(kind: str, base: str, docs: Sequence[Document] = ()) -> str | None:
    """The sentence declaring an unstated part: of the added documents answered from, by name, else of the plan."""
    key = UNSTATED_KEYS.get(kind, kind)
    return documents_not_stated(key, docs, base) or NOT_STATED[base].get(key)


def _answered_from(extractive: ExtractiveAnswerer, answer: Answer) -> list[Document]:
    """The documents an answer cites, when any is an added one (a district's notice, a city's rules): what is
    unstated is declared of them, not of the plan."""
    corpus = extractive.r.corpus
    docs = [corpus.document(d) for d in dict.fromkeys(c.doc_id for c in answer.citations)]
    return docs if any(d.authority == "document" for d in docs) else []


def _issuer(extractive: ExtractiveAnswerer, answer: Answer, base: str) -> str:
    corpus = extractive.r.corpus
    doc_id = answer.citations[0].doc_id if answer.citations else (plan.id if (plan := _plan(corpus)) else None)
    if doc_id is None:
        return ""
    names = corpus.document(doc_id).issuer
    return names.get(base) or next(iter(names.values()), "")


def declare_ranking(extractive: ExtractiveAnswerer, frame: Frame, quoted: Answer, lang: str) -> Answer:
    """"Which district gives most": the plan ranks nothing; say so first, then what it does say (no caps
    passed off as a ranking)."""
    base = base_lang(lang)
    assert frame.main is not None  # only a frame whose main ask is a ranking is declared one
    head = NOT_STATED[base].get(frame.main.detail or "ranking") or NOT_STATED[base]["ranking"]
    body = [head]
    if quoted.answerable:
        body += [PLAN_SAYS[base], quoted.answer]
    answer = quoted.model_copy(update={"answer": localise("\n".join(body), lang), "answerable": False})
    answer.unstated = [Unstated(kind="ranking", ask=frame.main.text, text=localise(head, lang))]
    return answer


def declare_unstated(extractive: ExtractiveAnswerer, frame: Frame, answer: Answer, lang: str,
                     retrieval: Retrieval | None = None) -> Answer:
    """Append a plain "the plan does not say …" for each part of the message the answer leaves open, with who
    to ask, and list them in ``answer.unstated``. An answer that already declines says it for its own ask."""
    base = base_lang(lang)
    lines: list[str] = []
    listed = {u.kind for u in answer.unstated}
    docs = _answered_from(extractive, answer)
    for ask in frame.asks:
        if ask.kind not in ("unstated", "ranking"):
            continue
        for detail in [ask.detail, *ask.also]:  # a ranking beside the main ask is declared too
            # a choice the plan never makes is declared as a ranking (once: the ranking's own answer lists it)
            if detail is None:
                continue
            kind = "ranking" if detail == "choice" else detail
            if kind in listed:
                continue
            if retrieval is not None and answer.answerable and not ask.main:
                found = stating(extractive, detail, retrieval)  # an added document in scope may state it
                if found:
                    quoted = extractive.answer(ask.text, narrowed(retrieval, found))
                    if quoted.answerable:
                        listed.add(detail)
                        answer = merge(answer, quoted, lang)
                        docs = _answered_from(extractive, answer)
                        continue
            text = _not_stated(detail, base, docs)
            if text is None:
                continue
            listed.add(kind)
            answer.unstated.append(Unstated(kind=kind, ask=ask.text, text=localise(text, lang)))
            if answer.answerable:
                lines.append(text)
    if lines:
        issuer = issuers(docs, base) if docs else _issuer(extractive, answer, base)
        if issuer:
            lines.append((DOCS_ASK_ISSUER if docs else ASK_ISSUER)[base].format(issuer=issuer))
        said = localise(("" if base == "zh" else " ").join(lines), lang)
        names = [n for f in extractive.r.corpus.facts for n in (f.names.en, f.names.zh) if n]
        if frame.main is not None and _only_unstated(frame, listed, answer.answer, names) and not _quotedspeaks_of(extractive, frame.main.detail or "", answer) \
                and not _unsure_and_quoted(extractive, frame.main, answer.answer):
            # every ask is a part the sources leave open ("要交税吗？", "how long does filing take?") and what is
            # quoted does not speak of it ("税后1000元" does): that is the answer, said first; what the plan
            # does say follows, and the answer declines
            return answer.model_copy(update={
                "answer": f"{said}\n{localise(PLAN_SAYS[base], lang)}\n{answer.answer}", "answerable": False})
        answer.answer += "\n" + said
    return answer


def _quotedspeaks_of(extractive: ExtractiveAnswerer, detail: str, answer: Answer) -> bool:
    """What is quoted uses the part's terms, or qualifies a figure by it (claims.yaml's attribute group of that
    name: "每月税前1250元/税后1000元" speaks of tax)."""
    if speaks_of(extractive, detail, answer.answer):
        return True
    claims = extractive.r.corpus.claims
    return claims is not None and detail in claims.spec.attributes and \
        any(detail in b.attrs for b in claims.bind(answer.answer))


def _unsure_and_quoted(extractive: ExtractiveAnswerer, ask: Ask, quoted: str) -> bool:
    """The part was read by the learned recogniser alone, not surely, and what is quoted speaks the ask's own
    words beside the benefit's name ("Can I use it for API calls?" is not asking whom to call)."""
    recogniser = extractive.r.recogniser
    if recogniser is None or ask.detail is None or speaks_of(extractive, ask.detail, ask.text):
        return False  # the rules read the part in the ask's words: sure
    got = recogniser.recognise(ask.text)
    # the learned recogniser's reading of a part this sure is declined on however the quote reads
    if got.part == ask.detail and got.part_confidence >= PART_SURE:
        return False
    named = set(content_words(tokenize(" ".join(got.names.values()))))
    return bool((set(content_words(tokenize(ask.text))) - named) & set(content_words(tokenize(quoted))))


def _only_unstated(frame: Frame, declared: set[str], quoted: str, names: Sequence[str] = ()) -> bool:
    """The main ask is a part declared unstated, what is quoted states no figure of the kind the part is stated
    in (else of the kind the ask wants: "租金是市场价的几成？" is answered by "约60%"), nor of a kind the message
    tells, and no other ask wants a figure or names a benefit: nothing asked is answered by what is quoted."""
    main = frame.main
    if main is None or main.kind != "unstated" or main.detail not in declared or \
            (PART_FIGURES[main.detail] if main.detail in PART_FIGURES else wanted_figures(main.text)) \
            & figure_kinds(quoted):
        return False
    # a figure the founder tells as a premise ("空间最多50平方米，租金多少？") is one the quote confirms: answered
    # (not a figure of a benefit's name a follow-up was resolved with: "Transitional housing at about 60% of …")
    told = {k for part in [*frame.background, *(a.text for a in frame.asks)] for k in figure_kinds(_unnamed(part, names))} \
        - {"year", "date"}
    if told & figure_kinds(quoted):
        return False
    return not any(a.kind in ("topic", "plan") or (a.kind == "other" and wanted_figures(a.text))
                   for a in frame.asks if not a.main)


def _unnamed(text: str, names: Sequence[str]) -> str:
    """The text without the benefits' names in it (case aside)."""
    for name in names:
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text

"""Run golden cases through an ``Assistant``: answers, retrieval ranks, checks, metrics, summary."""

from __future__ import annotations

import asyncio
import math
from collections import defaultdict
from collections.abc import Callable

from pydantic import BaseModel, Field

from assistant.errors import InvalidQuestion
from assistant.evaluate import checks
from assistant.evaluate.dataset import GoldenCase, check_clause_ids
from assistant.evaluate.metrics import MetricInput, Scorer
from assistant.types import Answer
from assistant.understanding.redact import redact

# Deterministic checks, in the order the per-case table shows them.
CHECKS = ("refusal", "grounded", "citation", "language", "pair", "clean")
RETRIEVAL = ("recall_at_1", "recall_at_3", "recall_at_5", "mrr")
# Summary metric -> (source, key): a share of a check over the cases it applies to, or a metric mean.
SUMMARY = {
    "answerable_accuracy": ("check", "refusal"),
    "figure_grounding": ("check", "grounded"),
    "citation_accuracy": ("check", "citation"),
    "language_accuracy": ("check", "language"),
    "pair_consistency": ("check", "pair"),
    "citation_cleanliness": ("check", "clean"),  # no page furniture in any cited text
}
Progress = Callable[[str, int, int], None]


class CaseResult(BaseModel):
    """One golden case as answered and scored."""

    id: str
    question: str
    category: str
    language: str = Field(description="Expected answer language.")
    pair: str | None = None
    expected_answerable: bool
    expected_clauses: list[str] = Field(default_factory=list)
    expected_figures: list[str] = Field(default_factory=list)
    answer: str = Field(description="The answer text as returned.")
    answer_language: str
    answerable: bool = Field(description="Whether the assistant answered (False: it declined).")
    mode: str = ""
    cited: list[str] = Field(default_factory=list, description="Clause ids cited, in order.")
    retrieved: list[str] = Field(default_factory=list, description="Clause ids retrieved, best first.")
    latency_ms: float = 0.0
    checks: dict[str, bool | None] = Field(default_factory=dict, description="None: does not apply.")
    metrics: dict[str, float | None] = Field(default_factory=dict, description="None: n/a; NaN: failed.")
    errors: dict[str, str] = Field(default_factory=dict, description="Why a metric is NaN.")
    failures: list[str] = Field(default_factory=list, description="What went wrong; empty when the case passed.")

    @property
    def passed(self) -> bool:
        return not self.failures


class MetricSummary(BaseModel):
    value: float | None = Field(description="Mean over the cases it applies to; NaN scores count as 0.")
    n: int = Field(description="Cases it applies to.")
    nan: int = Field(0, description="NaN scores among them (each one a failure).")


class RunResult(BaseModel):
    """One configuration evaluated on a dataset."""

    name: str = Field(description="'default' or the name of the compared settings file.")
    config: dict = Field(default_factory=dict, description="The settings that matter for answers.")
    summary: dict[str, MetricSummary]
    per_category: dict[str, dict[str, float | None]]
    per_language: dict[str, dict[str, float | None]]
    cases: list[CaseResult]

    @property
    def failed(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]


def _ask(bot, case: GoldenCase, mode: str | None) -> tuple[Answer | None, str | None]:
    session = bot.new_session() if case.turns else None  # ids are the server's to make
    try:
        for turn in case.turns:
            bot.ask(turn, session_id=session, mode=mode)
        return bot.ask(case.question, session_id=session, mode=mode), None
    except InvalidQuestion as exc:
        return None, str(exc)
    finally:
        if session:
            bot.delete_session(session)


def _clause_text(bot, cid: str, lang: str) -> str:
    clause = bot.corpus.clause(cid)
    return clause.in_lang(clause.text, lang)


def answer_case(bot, case: GoldenCase, mode: str | None) -> tuple[CaseResult, MetricInput]:
    """Ask one case (with its earlier turns) and apply the deterministic checks."""
    answer, invalid = _ask(bot, case, mode)
    if answer is None:
        answer = Answer(question=case.question, answer="", language=case.language, answerable=False)
    lang = answer.language
    # Rank what was searched: the standalone question for a follow-up, contact details redacted.
    ranking = [h.clause_id for h in bot.retriever.search(
        answer.standalone_question or redact(case.question), lang).hits] if not invalid else []
    cited_texts = [t for c in answer.citations for t in (c.text, c.parallel_text) if t]
    expected = case.expected_clauses
    result = CaseResult(
        id=case.id, question=case.question, category=case.category, language=case.language, pair=case.pair,
        expected_answerable=case.answerable, expected_clauses=expected, expected_figures=case.expected_figures,
        answer=answer.answer, answer_language=lang, answerable=answer.answerable, mode=answer.mode,
        cited=[c.clause_id for c in answer.citations], retrieved=ranking, latency_ms=answer.latency_ms)
    result.checks = {
        "refusal": checks.refusal_correct(case.answerable, answer.answerable),
        "grounded": checks.figures_grounded(answer.answer, cited_texts),
        "citation": checks.citation_expected(expected, result.cited) if case.answerable else None,
        "language": checks.language_correct(case.language, lang, checks.own_words(answer)),
        "pair": None,  # filled in once every member of the pair is answered
        "clean": checks.citations_clean(cited_texts, case.forbidden_text) if answer.citations else None,
    }
    if case.answerable:
        result.metrics = {"recall_at_1": checks.recall_at(ranking, expected, 1),
                          "recall_at_3": checks.recall_at(ranking, expected, 3),
                          "recall_at_5": checks.recall_at(ranking, expected, 5),
                          "mrr": checks.reciprocal_rank(ranking, expected)}
    if invalid:
        result.errors["question"] = invalid
    x = MetricInput(
        question=case.question, response=answer.answer, answered=answer.answerable,
        expected_answerable=case.answerable, retrieved_ids=ranking,
        retrieved_texts=[_clause_text(bot, cid, lang) for cid in ranking], cited_texts=cited_texts,
        reference_ids=expected, reference_texts=[_clause_text(bot, cid, lang) for cid in expected],
        expected_figures=case.expected_figures)
    return result, x


def _pair_checks(results: list[CaseResult]) -> None:
    """The zh and en (and zh-Hant) versions of one question must state the same figures."""
    pairs: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        if r.pair and r.expected_answerable and r.expected_figures:
            pairs[r.pair].append(r)
    for members in pairs.values():
        expected = [f for m in members for f in m.expected_figures]
        ok = checks.same_figures([m.answer for m in members], expected) \
            if len({m.language for m in members}) > 1 else None
        for m in members:
            m.checks["pair"] = ok


def _failures(r: CaseResult) -> list[str]:
    out = [f"{name} check failed" for name in CHECKS if r.checks.get(name) is False]
    for name, v in r.metrics.items():
        if v is not None and math.isnan(v):
            out.append(f"{name} is NaN ({r.errors.get(name, 'no score')})")
    if r.metrics.get("figure_accuracy") == 0.0:
        out.append("expected figures missing")
    if r.metrics.get("recall_at_5") == 0.0:
        out.append("no expected clause retrieved")
    return out


def run_cases(bot, cases: list[GoldenCase], scorer: Scorer, mode: str | None = None,
              progress: Progress | None = None) -> list[CaseResult]:
    """Answer every case, then score them all (one event loop, so a judge client is reused)."""
    check_clause_ids(cases, {c.id for c in bot.corpus.clauses})
    answered: list[tuple[CaseResult, MetricInput]] = []
    for i, case in enumerate(cases, 1):
        answered.append(answer_case(bot, case, mode))
        if progress:
            progress("answering", i, len(cases))

    async def score_all() -> None:
        for i, (result, x) in enumerate(answered, 1):
            values, errors = await scorer.score(x)
            result.metrics.update(values)
            result.errors.update(errors)
            if progress:
                progress("scoring", i, len(answered))

    asyncio.run(score_all())
    results = [r for r, _ in answered]
    _pair_checks(results)
    for r in results:
        r.failures = _failures(r)
    return results


def summary_names(metric_names: tuple[str, ...]) -> list[str]:
    """Every metric a summary holds, in report order."""
    return (["refusal_accuracy", *SUMMARY, *RETRIEVAL, *metric_names]
            + ["latency_p50_ms", "latency_p95_ms", "case_pass_rate"])


def _summary(results: list[CaseResult], metric_names: tuple[str, ...]) -> dict[str, MetricSummary]:
    out: dict[str, MetricSummary] = {}
    refusals = [not r.answerable for r in results if not r.expected_answerable]
    value, n, _ = checks.share(refusals)
    out["refusal_accuracy"] = MetricSummary(value=value, n=n)
    for name, (_, key) in SUMMARY.items():
        value, n, nan = checks.share(r.checks.get(key) for r in results)
        out[name] = MetricSummary(value=value, n=n, nan=nan)
    for name in RETRIEVAL + metric_names:
        value, n, nan = checks.share(r.metrics.get(name) for r in results)
        out[name] = MetricSummary(value=value, n=n, nan=nan)
    latencies = [r.latency_ms for r in results if r.latency_ms]
    for p in (50, 95):
        out[f"latency_p{p}_ms"] = MetricSummary(value=checks.percentile(latencies, p), n=len(latencies))
    out["case_pass_rate"] = MetricSummary(value=checks.share(r.passed for r in results)[0], n=len(results))
    return out


def _grouped(results: list[CaseResult], key: str, metric_names: tuple[str, ...]) -> dict[str, dict]:
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        groups[getattr(r, key)].append(r)
    return {g: {name: s.value for name, s in _summary(rs, metric_names).items()} | {"n": len(rs)}
            for g, rs in sorted(groups.items())}


def evaluate(bot, cases: list[GoldenCase], scorer: Scorer, *, name: str = "default", mode: str | None = None,
             progress: Progress | None = None) -> RunResult:
    """Evaluate one configuration (an ``Assistant``) on the cases."""
    results = run_cases(bot, cases, scorer, mode, progress)
    s = bot.settings
    config = {"mode": mode or s.mode, "llm_model": s.llm.model if s.llm.configured else None,
              "embedder": s.embedder, "retrieval": s.retrieval.model_dump(),
              "judge_model": s.eval.model if scorer.judge else None}
    names = scorer.names
    return RunResult(name=name, config=config, summary=_summary(results, names),
                     per_category=_grouped(results, "category", names),
                     per_language=_grouped(results, "language", names), cases=results)

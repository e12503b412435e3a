"""ragas judge metrics through llm_factory + AsyncOpenAI against a scripted OpenAI-compatible server
on loopback; offline ragas metrics on a real answer; NaN scores reported and failing the gate."""

from __future__ import annotations

import asyncio
import json
import math

import pytest

from assistant.evaluate import gate
from assistant.evaluate.dataset import parse_cases
from assistant.evaluate.metrics import JUDGE_METRICS, OFFLINE_METRICS, Scorer
from assistant.evaluate.run import answer_case, evaluate
from assistant.settings import EvalSettings
from harness.llm_server import ScriptedLLM

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


QUESTION = "How much is the monthly housing subsidy?"
CASE = parse_cases([{"id": "housing-en", "question": QUESTION, "language": "en", "category": "figure",
                     "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m4"],
                     "expected_figures": ["1,250 yuan", "1,000 yuan"]}])


def judge_script(llm: ScriptedLLM, *, recall_classifications: list | None = None) -> None:
    """The replies a judge gives, in the order the metrics ask (one call after another)."""
    reply = llm.reply
    nli = {"statements": [
        {"statement": "The subsidy is 1,250 yuan before tax.", "reason": "stated in the context", "verdict": 1},
        {"statement": "The subsidy is paid for 36 months.", "reason": "the context says 24", "verdict": 0}]}
    classifications = [{"statement": "Housing subsidy up to 24 months.", "reason": "in context", "attributed": 1}]
    llm.script(
        # Faithfulness: statements, then a verdict per statement
        reply({"statements": ["The subsidy is 1,250 yuan before tax.", "It is paid for 36 months."]}),
        reply(nli),
        # FactualCorrectness (precision): claims of the answer, then verdicts against the clause
        reply({"claims": ["The subsidy is 1,250 yuan before tax.", "It is paid for 36 months."]}),
        reply(nli),
        # AnswerRelevancy (strictness 1): the question the answer answers
        reply({"question": QUESTION, "noncommittal": 0}),
        # ContextRecall: each reference statement attributed to the retrieved clauses or not
        reply({"classifications": classifications if recall_classifications is None else recall_classifications}),
    )


def test_judge_metrics_score_through_a_real_http_judge(bot):
    result, x = answer_case(bot, CASE[0], mode=None)
    assert result.answerable and "1,250 yuan" in x.response
    with ScriptedLLM(model="judge") as llm:
        judge_script(llm)
        scorer = Scorer(EvalSettings(base_url=llm.base_url, model="judge", api_key="k"), bot.embedder)
        assert scorer.names == OFFLINE_METRICS + JUDGE_METRICS
        scores, errors = asyncio.run(scorer.score(x))
        requests = list(llm.requests)
        assert llm.pending == 0
    assert errors == {}
    assert scores["faithfulness"] == pytest.approx(0.5)
    assert scores["factual_correctness"] == pytest.approx(0.5)
    assert scores["answer_relevancy"] == pytest.approx(1.0, abs=1e-3)  # same question, real e5 embeddings
    assert scores["llm_context_recall"] == pytest.approx(1.0)
    assert scores["figure_accuracy"] == 1.0 and scores["id_context_recall"] == 1.0
    # What the judge was shown: the answer, the cited clause, the question, the model name asked for.
    assert len(requests) == 6 and {r["model"] for r in requests} == {"judge"}
    prompts = [json.dumps(r["messages"], ensure_ascii=False) for r in requests]
    assert "1,250 yuan" in prompts[0] and QUESTION in prompts[0]
    assert "Promote a housing supply system" in prompts[1]  # the cited clause is the context
    assert "transitional housing" in prompts[3]  # the expected clause is the reference
    assert QUESTION in prompts[5]


def test_judge_nan_is_reported_and_fails_the_gate(bot):
    with ScriptedLLM(model="judge") as llm:
        judge_script(llm, recall_classifications=[])  # no statements classified: ContextRecall is NaN
        scorer = Scorer(EvalSettings(base_url=llm.base_url, model="judge"), bot.embedder)
        run = evaluate(bot, CASE, scorer)
    case = run.cases[0]
    assert math.isnan(case.metrics["llm_context_recall"])
    assert "returned NaN" in case.errors["llm_context_recall"]
    assert not case.passed and any("llm_context_recall is NaN" in f for f in case.failures)
    s = run.summary["llm_context_recall"]
    assert (s.value, s.n, s.nan) == (0.0, 1, 1)  # counted as a failure, not averaged away
    result = gate.check(run.summary)
    assert not result.passed and [(f.metric, f.kind) for f in result.failures] == [("llm_context_recall", "nan")]


def test_unreachable_judge_gives_nan_with_the_reason_not_a_crash(bot):
    with ScriptedLLM(model="judge") as llm:
        llm.script({"status": 500}, {"status": 500}, {"status": 500}, {"status": 500}, {"status": 500},
                   {"status": 500}, {"status": 500}, {"status": 500}, {"status": 500}, {"status": 500})
        scorer = Scorer(EvalSettings(base_url=llm.base_url, model="judge"), bot.embedder)
        result, x = answer_case(bot, CASE[0], mode=None)
        scores, errors = asyncio.run(scorer.score(x))
    for name in JUDGE_METRICS:
        assert math.isnan(scores[name]) and errors[name]
    assert scores["figure_accuracy"] == 1.0  # offline metrics are unaffected


def test_offline_metrics_on_real_answers(bot):
    cases = parse_cases([
        {"id": "m6-zh", "question": "训练算力券最高多少钱？", "language": "zh", "category": "figure",
         "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m6"], "expected_figures": ["1000万元"]},
        {"id": "m6-en", "question": "How big is the training power voucher?", "language": "en",
         "category": "figure", "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m6"],
         "expected_figures": ["10 million yuan"]},
        {"id": "wrong", "question": "How big is the training power voucher?", "language": "en",
         "category": "figure", "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m2"],
         "expected_figures": ["3 million yuan"]},
        {"id": "refuse", "question": "What does Shanghai offer one-person companies?", "language": "en",
         "category": "refusal", "answerable": False},
    ])
    run = evaluate(bot, cases, Scorer())
    by = {c.id: c for c in run.cases}
    for cid in ("m6-zh", "m6-en"):
        m = by[cid].metrics
        assert m["figure_accuracy"] == 1.0 and m["string_presence"] == 1.0 and m["recall_at_1"] == 1.0
        assert m["id_context_recall"] == 1.0 and 0 < m["id_context_precision"] <= 1 and m["chrf"] > 0.2
        assert by[cid].passed, by[cid].failures
    wrong = by["wrong"]
    assert wrong.metrics["figure_accuracy"] == 0.0 and wrong.checks["citation"] is False
    assert "expected figures missing" in wrong.failures and not wrong.passed
    assert by["refuse"].passed and all(v is None for k, v in by["refuse"].metrics.items() if k in OFFLINE_METRICS)
    assert run.summary["refusal_accuracy"].value == 1.0 and run.summary["figure_accuracy"].value == pytest.approx(2 / 3)
    assert run.per_language["zh"]["figure_accuracy"] == 1.0 and run.per_category["refusal"]["n"] == 1

"""The constrained design (OPC_LLM_DESIGN=constrained) through a scripted OpenAI-compatible server on loopback:
the model returns JSON choosing records and clauses; the answer shown is rendered from the verified records in
the question's language; unknown ids, malformed JSON and a framing that states a figure or a claim get one
corrective retry, then the extractive answer with a warning naming the problem."""

from __future__ import annotations

import json

import pytest

from assistant import Assistant, Settings
from assistant.answering.constrained import Finding, framing_findings, parse_choice
from assistant.evaluate.constrained_cases import constrained_form, cut_figures
from assistant.settings import LLMSettings
from assistant.understanding.text import detect_language

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system

M4 = "sz-ai-opc-plan:m4"
EN, ZH, HANT = "How much is the monthly housing subsidy?", "住房补贴每月多少钱？", "住房補貼每月多少錢？"


@pytest.fixture(scope="module")
def cbot(llm, data_dir, bot):  # `bot` first: the shared index is built once
    return Assistant.load(Settings(data_dir=data_dir, llm=LLMSettings(base_url=llm.base_url, model="scripted",
                                                                       timeout=5, design="constrained")))


@pytest.fixture(autouse=True)
def fresh_script(llm):
    llm.script()
    llm.requests.clear()


def n_of(bot, question, clause_id):
    hits = bot.retriever.search(question, detect_language(question)).hits
    return [h.clause_id for h in hits].index(clause_id) + 1


def choice(framing="", facts=("housing_subsidy",), clauses=()):
    return {"answered": True, "framing": framing, "facts": list(facts), "clauses": list(clauses)}


@pytest.mark.parametrize("question, framing, figures, absent", [
    (EN, "The plan offers this housing support:", ["1,250 yuan before tax", "1,000 yuan after tax",
                                                   "up to 24 months", "“young entrepreneurs”"], "1250元"),
    (ZH, "计划提供以下住房支持：", ["住房补贴", "1250元（税前）", "1000元（税后）", "最长24个月", "“青年创业者”"], "住房補貼"),
    (HANT, "計劃提供以下住房支持：", ["住房補貼", "1250元（稅前）", "1000元（稅後）", "最長24個月", "“青年創業者”"], "住房补贴"),
])
def test_chosen_records_are_rendered_in_the_question_language(llm, cbot, question, framing, figures, absent):
    n = n_of(cbot, question, M4)
    llm.script(llm.reply(choice(framing)))
    events = list(cbot.stream(question, mode="llm"))
    answer = events[-1].answer
    assert answer.mode == "llm" and answer.warnings == [] and answer.language == detect_language(question)
    assert answer.answer.startswith(framing) and f"[{n}]" in answer.answer
    for f in figures:
        assert f in answer.answer
    assert absent not in answer.answer
    assert [c.clause_id for c in answer.citations] == [M4] and answer.citations[0].n == n
    assert "".join(e.text for e in events if e.type == "delta") == answer.answer and not events[-1].replaced
    body = llm.requests[0]
    assert len(llm.requests) == 1 and body["response_format"] == {"type": "json_object"}
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    assert '"framing"' in system and "housing_subsidy — [" in user and f"[{n}] {M4}" in user


def test_a_chosen_clause_is_quoted_and_both_records_listed(llm, cbot):
    n = n_of(cbot, EN, M4)
    llm.script(llm.reply(choice("", facts=["housing_subsidy", "transitional_housing"])))
    answer = cbot.ask(EN, mode="llm")
    assert answer.mode == "llm" and "about 60%" in answer.answer and "up to 36 months" in answer.answer
    assert answer.answer.count(f"[{n}]") == 2
    other = next(h.clause_id for h in cbot.retriever.search(EN, "en").hits if h.clause_id != M4)
    llm.script(llm.reply(choice("", facts=[], clauses=[other])))
    quoted = cbot.ask(EN, mode="llm")
    clause = cbot.corpus.clause(other).text["en"]
    assert quoted.mode == "llm" and clause.split(".")[0] in quoted.answer
    assert [c.clause_id for c in quoted.citations] == [other]


@pytest.mark.parametrize("bad, named", [
    ({"content": json.dumps(choice(facts=["housing_subsidy", "free_lunch"]))}, "free_lunch"),
    ({"content": "Sure! The subsidy is generous {not json"}, "not the JSON object"),
    ({"content": json.dumps(choice("The housing subsidy is only for PhD holders in Nanshan."))}, "PhD holders"),
    ({"content": json.dumps(choice("The housing subsidy is 1,500 yuan a month."))}, "1,500"),
])
def test_a_bad_reply_is_retried_then_replaced_by_the_quote_with_a_warning(llm, cbot, bad, named):
    llm.script(bad, bad)
    answer = cbot.ask(EN, mode="llm")
    assert len(llm.requests) == 2
    retry = llm.requests[1]["messages"][-1]["content"]
    assert retry.startswith("Your reply failed these checks") and named.lower() in retry.lower()
    assert answer.mode == "extractive" and answer.citations[0].clause_id == M4
    assert len(answer.warnings) == 1 and "grounding check" in answer.warnings[0] and named in answer.warnings[0]
    assert "1,500" not in answer.answer and "Nanshan" not in answer.answer


def test_chinese_warning_names_the_framing(llm, cbot):
    bad = llm.reply(choice("住房补贴每月1500元。"))
    llm.script(bad, bad)
    answer = cbot.ask(ZH, mode="llm")
    assert answer.mode == "extractive" and "引导语写了数字" in answer.warnings[0] and "1500" not in answer.answer


def test_the_retry_can_repair_the_reply(llm, cbot):
    llm.script(llm.reply(choice(facts=["nope"])), llm.reply(choice("Here is what the plan offers:")))
    answer = cbot.ask(EN, mode="llm")
    assert answer.mode == "llm" and answer.warnings == [] and "1,250 yuan before tax" in answer.answer
    assert len(llm.requests) == 2 and "nope" in llm.requests[1]["messages"][-1]["content"]


def test_the_design_is_a_setting(monkeypatch):
    monkeypatch.setenv("OPC_LLM_DESIGN", "constrained")
    assert LLMSettings().design == "constrained"
    monkeypatch.setenv("OPC_LLM_DESIGN", "freeform")
    with pytest.raises(ValueError):
        LLMSettings()


def test_reply_parsing_and_framing_rules():
    assert parse_choice('```json\n{"framing": "x", "facts": ["a"], "clauses": [2]}\n```').clauses == ["2"]
    assert isinstance(parse_choice("[1, 2]"), Finding) and isinstance(parse_choice('{"facts": "a"}'), Finding)
    assert framing_findings("") == [] and framing_findings("The plan offers this housing support:") == []
    assert "figure" in framing_findings("It pays 捌佰萬元.")[0].lower()
    assert framing_findings("A. B. C. D.") and "引导语" in framing_findings("一二三四五六七八九十万元")[0].zh


def test_a_case_in_constrained_form(bot):
    sources = ["sz-ai-opc-plan:m6", M4]
    form, cut = constrained_form("The housing subsidy is paid for up to 36 months [2].", sources, bot.corpus)
    assert cut and form["facts"] == ["housing_subsidy"] and form["clauses"] == []
    assert "36" not in form["framing"] and form["framing"].startswith("The housing subsidy is paid for")
    form, cut = constrained_form("The plan is issued by the municipal government [1]. It lasts 2 years.",
                                 ["sz-ai-opc-plan:intro"], bot.corpus, sentences="first")
    assert not cut and form["clauses"] == ["sz-ai-opc-plan:intro"] and "lasts" not in form["framing"]
    # a marker pointing to no source is an id offered nowhere; no marker, nothing chosen
    assert constrained_form("It is 1,250 yuan [42].", sources, bot.corpus)[0]["clauses"] == ["42"]
    assert constrained_form("It is 1,250 yuan.", sources, bot.corpus)[0] | {"framing": ""} == \
        {"answered": True, "framing": "", "facts": [], "clauses": []}
    assert cut_figures("最高陆拾万元的贷款") == ("最高的贷款", True)

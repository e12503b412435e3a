"""Polarity of yes/no conditions: a condition's value must be what its quote says,
by the words of corpus/claims.yaml (flags and negations), for reviewed records and model replies alike. The model
is the scripted OpenAI-compatible server (the edge we do not own); the replies below lie the way models do."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.llm import ChatModel
from assistant.knowledge.corpus import load_corpus
from assistant.knowledge.facts import verify
from assistant.settings import LLMSettings

from .test_facts import _doc

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus")


def test_the_plans_reviewed_yes_no_conditions_verify_and_a_flipped_one_fails(corpus):
    for fact in corpus.facts:
        assert verify(fact, corpus.clause(fact.clause_id), corpus.claims) == [], fact.id
    hukou = next(f for f in corpus.facts if f.id == "hukou_subsidy")
    cond = next(c for c in hukou.conditions if c.field == "newly_arrived")
    flipped = hukou.model_copy(update={"conditions": [cond.model_copy(update={"value": False})]})
    problems = verify(flipped, corpus.clause(hukou.clause_id), corpus.claims)
    assert len(problems) == 2 and all("newly_arrived is false in the record" in p for p in problems)
    assert any("'新引进'" in p for p in problems) and any("'newly introduced'" in p for p in problems)
    # "settling in other industrial spaces" is outside the OPC communities: true would be a lie
    space = next(f for f in corpus.facts if f.id == "young_talent_space")
    opc = next(c for c in space.conditions if c.field == "in_opc_community")
    lying = space.model_copy(update={"conditions": [opc.model_copy(update={"value": True})]})
    assert any("says false" in p for p in verify(lying, corpus.clause(space.clause_id), corpus.claims))


@pytest.mark.parametrize("text, flag, says", [
    ("对尚未取得本市户籍的新毕业生", "newly_arrived", {True}),
    ("对已取得本市户籍的人才", "newly_arrived", {False}),
    ("applicants without a local hukou", "newly_arrived", {True}),
    ("未入选鲲鹏青年创新创业项目的团队", "selected_kunpeng", {False}),
    ("teams not yet selected for the Kunpeng projects", "selected_kunpeng", {False}),
    ("OPC社区以外的企业", "in_opc_community", {False}),
    ("companies other than those in OPC communities", "in_opc_community", {False}),
    ("对不超过10人的人工智能团队", "works_in_ai", {True}),  # a cap word is no negation
    ("teams of no more than 10 people working in AI", "works_in_ai", {True}),
    ("给予一次性补贴", "works_in_ai", set()),
])
def test_words_and_negations_decide_what_a_quote_says(corpus, text, flag, says):
    assert corpus.claims.flag_says(flag, text) == says


# Notices written for these tests.
ZH = "对新引进到北岸区的全日制博士，给予一次性安家补贴10万元。"
EN = ("Founders who are not required to hold a local hukou and who studied abroad receive a one-off "
      "relocation grant of 80,000 yuan.")


def _reply(llm, clause, names, amount, conditions):
    return llm.reply({"facts": [{"clause": clause, "names": names, "kind": "cash_grant", "amount": amount,
                                 "conditions": conditions}]})


def _model_facts(llm, doc, *replies):
    from assistant.knowledge.facts_by_model import read_facts

    model = ChatModel(LLMSettings(base_url=llm.base_url, model="scripted-facts", timeout=2))
    llm.script(*replies)
    reading = read_facts(doc, load_corpus(ROOT / "corpus").claims, model)
    return next(f for f in reading.facts if f.provenance.extracted_by == "model"), reading.warnings


def test_a_model_that_flips_newly_introduced_loses_the_condition(llm):
    doc = _doc([("a2", "第二条", {"zh": ZH})])
    amount = {"value": 100000, "unit": "yuan", "per": "one_off", "quote": {"zh": "一次性安家补贴10万元"}}
    names = {"zh": "安家补贴", "en": "Settling-in subsidy"}
    lie = [{"field": "newly_arrived", "op": "eq", "value": False, "quote": {"zh": "新引进"}},
           {"field": "degree", "op": "eq", "value": "doctoral", "quote": {"zh": "全日制博士"}}]
    fact, warnings = _model_facts(llm, doc, _reply(llm, "a2", names, amount, lie))
    assert [c.field for c in fact.conditions] == ["degree"] and not fact.provenance.conditions_complete
    assert any("newly_arrived is false in the record" in w and "新引进" in w for w in warnings)
    # the same reply with the truth keeps both, and the benefit can be decided
    truth = [dict(lie[0], value=True), lie[1]]
    fact, warnings = _model_facts(llm, doc, _reply(llm, "a2", names, amount, truth))
    assert [c.field for c in fact.conditions] == ["newly_arrived", "degree"] and fact.provenance.conditions_complete


def test_an_english_not_required_to_hold_hukou_flipped_and_a_quote_naming_nothing(llm):
    doc = _doc([("a3", "Article 3", {"en": EN})])
    amount = {"value": 80000, "unit": "yuan", "per": "one_off", "quote": {"en": "relocation grant of 80,000 yuan"}}
    names = {"zh": "迁居补助", "en": "Relocation grant"}
    conditions = [
        # "not required to hold a local hukou": newly arrived founders qualify; the model says the opposite
        {"field": "newly_arrived", "op": "eq", "value": False, "quote": {"en": "not required to hold a local hukou"}},
        {"field": "overseas_educated", "op": "eq", "value": True, "quote": {"en": "who studied abroad"}},
        # a true quote that names nothing about being a founder's AI work proves nothing
        {"field": "works_in_ai", "op": "eq", "value": True, "quote": {"en": "one-off relocation grant"}},
    ]
    fact, warnings = _model_facts(llm, doc, _reply(llm, "a3", names, amount, conditions))
    assert [c.field for c in fact.conditions] == ["overseas_educated"]
    joined = " | ".join(warnings)
    assert "newly_arrived is false in the record" in joined and "says true" in joined
    assert "names no words for works_in_ai" in joined

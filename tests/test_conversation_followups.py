"""Follow-ups that ask a part of the topic at hand, name a sibling benefit, or ask about the plan itself: resolved
by the conversation state (assistant/understanding/followup.py) with the real recogniser and frame. Written for
these tests, not taken from any evaluation set."""

from __future__ import annotations

import pytest

from assistant.answering.framed import read_frame
from assistant.understanding.followup import is_followup
from assistant.understanding.followup_parts import KEPT, framed_as, sibling_described
from tests.conversation_turns import conversation_of
from tests.conversation_turns import turns as _turns


@pytest.fixture(scope="module")
def conversation(bot):
    return conversation_of(bot)




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
    # of its own elsewhere; read in Mandarin words it stays on the housing topic — as a follow-up, or, now that the
    # recogniser reads "cash instead of the flat" as the housing subsidy outright, as that benefit asked alone
    first = _turns("我係後生仔，啱啱嚟深圳創業，有冇住屋方面嘅幫助？")
    resolved, state = conversation.resolve("如果要現金唔要房，每個月除咗稅袋落袋有幾多？", first)
    assert state.clause == "sz-ai-opc-plan:m4" and state.benefit == "housing_subsidy", (resolved, state)


def test_a_superlative_before_a_modal_bounds_the_thing_asked_about(bot):
    rules = bot.corpus.questions
    assert rules.lists("哪项补贴金额最高？") and rules.lists("最大的一笔补贴是哪项") and rules.lists("有哪些补贴")
    assert not rules.lists("工位面积最大可以到多大") and not rules.lists("补贴最大能给多少")


# Own conversations (not from any evaluation set): another benefit of the topic's clause described in its words, in
# a follow-up longer than an ellipsis, after an acknowledgement, or pointing back ("same deal?"), in all four forms.
DESCRIBED_SIBLING = [
    ("我们的AI客服系统要进区政务服务中心，有什么支持？", "好的，那要是在制造业产线上做一个能推广的试点呢？"),
    ("Our model will be used by a city government service portal. Is there money for that?",
     "Thanks. And what if we run a pilot in advanced manufacturing instead?"),
    ("我們的AI產品準備在政務服務大廳上線，有補助嗎？", "另一個項目是在製造業場景落地的試點，也一樣嗎？"),
    ("我哋個AI產品會喺政府辦事大廳用，有冇錢攞？", "明白。咁如果係喺製造業做個可以推廣嘅試點呢？"),
    ("Our agent is deployed in a government service hall; is there support?",
     "nice. and if it's a showcase pilot in a factory rather than a government office?"),
]


@pytest.mark.parametrize("first, second", DESCRIBED_SIBLING)
def test_a_sibling_described_in_a_longer_followup_switches_to_it(conversation, first, second):
    _, state = conversation.resolve(first, [])
    assert state.benefit == "government_service_product", state
    _, state = conversation.resolve(second, _turns(first))  # (resolved, or read alone when it says enough)
    assert state.benefit == "demonstration_project", state
    # the next slot is asked of the benefit switched to
    _, state = conversation.resolve("how much is the cap?" if second.isascii() else "最高多少？",
                                    _turns(first, second))
    assert state.benefit == "demonstration_project", state


def test_a_followup_naming_no_sibling_keeps_the_topic(conversation):
    first = _turns("Our agent is deployed in a government service hall; is there support?")
    _, state = conversation.resolve("ok. and how soon would the money arrive?", first)
    assert state.benefit == "government_service_product", state
    # an acknowledgement before the opener keeps an ellipsis an ellipsis
    _, state = conversation.resolve("好的，那硕士呢？", _turns("博士落户补贴有多少？"))
    assert state.benefit == "hukou_subsidy", state


def test_an_acknowledgement_before_the_opener_is_still_a_followup():
    assert is_followup("nice. and if it's a factory instead?")
    assert is_followup("好的，那硕士呢？")
    assert is_followup("A pilot in a factory. Same deal?")
    assert not is_followup("Nice. Our startup builds speech models for hospitals and clinics in the Bay Area.")


def test_a_sibling_is_named_by_its_own_words_not_by_words_of_any_support(bot):
    rec = bot.retriever.recogniser
    clause = rec.facts["government_service_product"].clause_id

    def sibling(ask: str) -> str | None:
        return sibling_described(rec, ask, rec.recognise(ask), "government_service_product", clause, bare=False)

    def switched_to(ask: str) -> str | None:  # the sibling described, or the benefit the recogniser reads outright
        return sibling(ask) or rec.recognise(ask).benefit

    assert switched_to("Different product: a showcase pilot that others could replicate. Same deal?") == \
        "demonstration_project"
    assert switched_to("另一个是在制造业场景落地的项目，也一样吗？") == "demonstration_project"
    # 补助 is said of several benefits: a deadline asked of "this subsidy" names no sibling
    assert sibling("這項補助的報名截止日期是幾號？") is None
    # a benefit named in words is the ask's own topic, not a sibling described
    assert sibling("那示范应用项目和住房补贴能一起拿吗？") is None


@pytest.mark.parametrize("first, second, lang", [
    ("住房补贴每个月多少？", "順便問吓，廣州南沙嗰邊有冇咁嘅補貼？", "zh-Hant"),
    ("模型券最高多少？", "顺便问一下，杭州有没有类似的券？", "zh"),
    ("How much is the model voucher?", "By the way, what does Hangzhou give for the same thing?", "en"),
])
def test_by_the_way_opens_a_followup_about_another_place(bot, conversation, first, second, lang):
    # "by the way" is an opener, left out of the resolved ask: the other place stays in the ask, so it is declined
    resolved, state = conversation.resolve(second, _turns(first))
    if resolved is not None:  # carried on the topic: the opener is left out, the place kept
        assert "顺便" not in resolved and "順便" not in resolved and "by the way" not in resolved.lower(), resolved
    answer = bot.ask(state.asked or resolved or second)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize("first, second", [
    ("小微企业创业担保贷款最多多少？", "鲲鹏那个项目呢？能给多少"),
    ("个人创业担保贷款最多多少？", "那鯤鵬嗰個呢？"),
    ("How big is the personal startup loan?", "What about the Kunpeng project?"),
])
def test_words_of_several_siblings_alike_are_a_new_topic(conversation, first, second):
    # the Kunpeng reward and its R&D grant share their words: no one sibling is named, yet the loan is not carried
    resolved, state = conversation.resolve(second, _turns(first))
    assert resolved is None and state.benefit not in ("personal_loan", "enterprise_loan"), (resolved, state)
    # an ellipsis naming only what changes within the benefit still keeps it
    resolved, state = conversation.resolve("那硕士呢？", _turns("博士落户补贴最高多少？"))
    assert resolved and state.benefit == "hukou_subsidy"

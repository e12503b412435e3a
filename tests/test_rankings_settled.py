"""Orders and comparisons the plan's own figures settle (answering/comparisons.py) against those it never makes
(understanding/rankings.py): plan-wide and family superlatives at any place, named comparisons, differences, a
founder's figure applied to a share, like with like only; places and "best" stay unsettled. Through the real
Assistant (real index, the shipped recogniser, stored sessions), in all four language forms.

Wordings here are written for these tests (not taken from any evaluation set)."""

from __future__ import annotations

import pytest

from assistant.knowledge.figures import extract_figures, is_grounded

# Starts the real assistant with its index: not in the fast tier.
pytestmark = pytest.mark.system


def grounded(answer) -> bool:
    sources = [t for c in answer.citations for t in (c.text, c.parallel_text)]
    return all(is_grounded(f, sources) for f in extract_figures(answer.answer) if f.kind != "number")


def settled(a, lang: str) -> tuple[str, str]:
    """The answer's lead and the rest, after checking it answers, in the language asked, with citations."""
    assert a.language == lang and a.answerable and a.citations, a.answer
    assert not [u for u in a.unstated if u.kind == "ranking"], a.answer
    lead, _, rest = a.answer.partition("\n")
    return lead, rest


# --- an order across the plan or a family: the leader with its bound, loans and monthly amounts named apart -----
@pytest.mark.parametrize("question, lang, first", [
    ("整份计划里单项金额上限最高的是哪一项？", "zh", "3000万元"),
    ("整份計劃裡哪一項的金額上限最高？", "zh-Hant", "3000萬元"),
    ("成份計劃入面，邊項嘅金額上限最高？", "zh-Hant", "3000萬元"),
    ("What is the highest single cap anywhere in the whole plan?", "en", "30 million yuan"),
])
def test_a_plan_wide_superlative_names_the_leader_and_keeps_loans_apart(bot, question, lang, first):
    a = bot.ask(question, mode="extractive")
    lead, rest = settled(a, lang)
    assert first in lead and grounded(a)
    assert any(c.clause_id == "sz-ai-opc-plan:m9" for c in a.citations)
    # a loan's cap is borrowing, not money given: named apart, never the leader
    assert ("5 million" in rest or "500萬" in rest or "500万" in rest) and "loan" not in lead.lower()


def test_the_second_place_follows_the_order_asked_before(bot):
    sid = bot.new_session()
    bot.ask("整份计划里单项金额上限最高的是哪一项？", session_id=sid, mode="extractive")
    a = bot.ask("第二高的呢？", session_id=sid, mode="extractive")
    lead, rest = settled(a, "zh")
    assert "第二高" in lead and "1000万元" in lead and "训练算力券" in lead
    assert "3000万元" in rest  # what stands ahead of it, cited


@pytest.mark.parametrize("question, lang, first, also", [
    ("Which of the three city vouchers has the highest ceiling?", "en", "10 million yuan", ["2 million yuan"]),
    ("哪种贷款的额度最高？", "zh", "500万元", ["60万元"]),
])
def test_a_family_superlative_ranks_within_the_family(bot, question, lang, first, also):
    lead, rest = settled(bot.ask(question, mode="extractive"), lang)
    assert first in lead and all(f in rest for f in also)
    assert "30 million" not in lead and "3000万" not in lead


def test_a_place_further_down_a_family_names_each_tied_benefit(bot):
    lead, rest = settled(bot.ask("Which voucher has the second highest cap?", mode="extractive"), "en")
    assert "2 million yuan" in lead and "Model Voucher" in lead and "Data Corpus Voucher" in lead
    assert "10 million yuan" in rest


# --- the benefits an ask names: the winner, then each figure with its bound ------------------------------------
@pytest.mark.parametrize("question, lang, first, also", [
    ("Which is bigger: the personal or the small-business loan?", "en", "5 million yuan", ["up to 600,000 yuan"]),
    ("政务服务部署和示范应用项目，哪个给得多？", "zh", "500万元", ["最高200万元"]),
    ("Which of the training and model vouchers has the higher cap?", "en", "10 million yuan", ["up to 2 million"]),
    ("個人還是小微企業貸款額度高啲？", "zh-Hant", "500萬元", ["最高60萬元"]),
    ("示範應用項目和政務服務的支持，哪一個比較少？", "zh-Hant", "200萬元", ["最高500萬元"]),
])
def test_a_named_comparison_names_the_winner_and_each_bound(bot, question, lang, first, also):
    a = bot.ask(question, mode="extractive")
    lead, rest = settled(a, lang)
    assert first in lead and all(f in rest for f in also) and grounded(a)


def test_equal_figures_are_said_to_be_equal(bot):
    lead, _ = settled(bot.ask("模型券和数据语料券，哪个额度更高？", mode="extractive"), "zh")
    assert "相同" in lead and "200万元" in lead


@pytest.mark.parametrize("question, lang, word", [
    ("Is the personal loan or the hukou subsidy bigger?", "en", "not money given"),
    ("个人创业担保贷款和落户补贴，哪个更多？", "zh", "不是发放的资金"),
    ("住房補貼同落戶補貼邊個高啲？", "zh-Hant", "單位不同"),
])
def test_unlike_figures_are_said_not_to_rank(bot, question, lang, word):
    a = bot.ask(question, mode="extractive")
    lead, rest = settled(a, lang)
    assert word in lead and rest.count("\n") >= 1  # each benefit as the plan states it


# --- a difference of two stated figures, in the unit stated --------------------------------------------------
@pytest.mark.parametrize("question, lang, diff", [
    ("How much more does the training voucher give than the model voucher?", "en", "8 million yuan"),
    ("小微企业贷款比个人贷款多多少？", "zh", "440万元"),
    ("過渡性住房比住房補貼長多少？", "zh-Hant", "12個月"),
    ("訓練券比落戶補貼多幾多？", "zh-Hant", "990萬元"),
])
def test_a_difference_is_the_stated_figures_subtracted(bot, question, lang, diff):
    a = bot.ask(question, mode="extractive")
    lead, _ = settled(a, lang)
    assert diff in lead and len({c.clause_id for c in a.citations}) >= 1


# --- a founder's own figure applied to a share the plan states: arithmetic, said to be so --------------------
@pytest.mark.parametrize("question, lang, pays, saves", [
    ("My rent is 3000 a month; is the housing subsidy or the 60% transitional housing better?", "en",
     "1,800 yuan", "1,200 yuan"),
    ("我每月房租3000元，住房补贴和过渡性住房哪个更划算？", "zh", "1800元", "1200元"),
    ("我月租4500蚊，住房補貼定過渡性住房抵啲？", "zh-Hant", "2700元", "1800元"),
])
def test_a_founders_figure_is_applied_to_the_share(bot, question, lang, pays, saves):
    a = bot.ask(question, mode="extractive")
    lead, _ = settled(a, lang)
    assert pays in lead and saves in lead and ("1250" in lead or "1,250" in lead)
    assert "arithmetic" in lead or "计算" in lead or "計算" in lead


# --- what the plan never settles stays unsettled -------------------------------------------------------------
@pytest.mark.parametrize("question", [
    "哪个区的智能券给得最多？",
    "Which OPC community has the cheapest rent?",
    "南山和福田，哪个区的住房补贴更高？",
    "邊個社區嘅空間最大？",
    "Which would save me more, the talent apartment or the monthly rent subsidy?",
    "我有50万资金，个人贷款和企业贷款哪个更划算？",
])
def test_a_ranking_the_plan_never_makes_stays_declined(bot, question):
    a = bot.ask(question, mode="extractive")
    assert not a.answerable and [u for u in a.unstated if u.kind == "ranking"], a.answer

"""The frame's readings of rankings, of the plan itself and of parts asked again, on the real corpus files
(corpus/frame.yaml, claims, places, questions), rules only (the learned recogniser: test_understanding_parts.py).

Wordings here are written for these tests (not taken from any evaluation set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.knowledge.corpus import load_corpus
from assistant.settings import BUILTIN_CORPUS

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(Path(BUILTIN_CORPUS))


def frame_of(corpus, text: str, lang: str = "zh"):
    return corpus.frame.read(text, lang, corpus.claims, corpus.places, None, TODAY, (2026, 2027), corpus.questions)


# --- options offered to a "which" (or, 还是, Cantonese 定 between names) ---------------------------------
@pytest.mark.parametrize("text, lang", [
    ("边个区嘅OPC社区最啱做硬件？龙岗定光明？", "yue"),          # options in a sentence of their own, after
    ("哪個區的社區最適合我們？福田還是南山？", "zh-Hant"),
    ("Guangming or Futian? Where is office space cheaper?", "en"),  # ... before the ask choosing among them
    ("南山还是龙岗，哪里的社区对一人公司支持更多？", "zh"),
    ("龍崗定福田嘅OPC社區啱我哋多啲？", "yue"),                  # 定 between places, a comparative, no "which"
    ("Futian or Longgang: where would rent be cheaper for us?", "en"),
])
def test_places_offered_as_options_are_what_is_ranked(corpus, text, lang):
    f = frame_of(corpus, text, lang)
    assert f.main.kind == "ranking" and len(f.asks) == 1, [(a.kind, a.text) for a in f.asks]


@pytest.mark.parametrize("text, lang", [
    ("哪个区的OPC社区面积最大？还是说计划根本没写？", "zh"),
    ("邊個區嘅社區租金最平？定系話計劃冇講到？", "yue"),
    ("Which district's community is largest? Or does the plan not say?", "en"),
])
def test_an_or_opening_a_proposition_of_its_own_is_a_second_ask(corpus, text, lang):
    f = frame_of(corpus, text, lang)
    assert len(f.asks) == 2, [(a.kind, a.text) for a in f.asks]


def test_options_that_rank_nothing_the_plan_cannot_settle_are_not_rankings(corpus):
    # benefits offered as options with a figure compared: the plan's figures settle it
    f = frame_of(corpus, "个人创业担保贷款还是小微企业创业担保贷款，哪个额度更高？")
    assert f.main.kind != "ranking"
    # 定 meaning "must" or "fixed", not "or": nothing offered
    assert frame_of(corpus, "我一定要喺南山註冊先可以攞智能券？", "yue").main.kind != "ranking"
    assert frame_of(corpus, "南山有OPC社区吗？还是只在福田有？").main.kind != "ranking"  # no comparative, no which
    # places in the founder's story are no options offered
    f = frame_of(corpus, "我住在南山或者福田，哪里可以申请住房补贴？")
    assert f.main.kind != "ranking" and f.background == ["我住在南山或者福田"]


# --- a rate asked again, bare ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, lang, part", [
    ("What income tax rate applies to a one-person company, and is there a special rate for AI firms?", "en", "tax"),
    ("一人公司要交多少所得税？AI企业有没有更低的费率？", "zh", "tax"),
    ("What interest rate does the small and micro enterprise loan carry? Any reduced rate for graduates?", "en",
     "interest_rate"),
])
def test_a_rate_named_bare_after_an_unstated_rate_is_that_rate(corpus, text, lang, part):
    f = frame_of(corpus, text, lang)
    assert [(a.kind, a.detail) for a in f.asks] == [("unstated", part)] * 2
    assert f.asks[1].topic == f.asks[0].topic  # of what the ask before is about, not a generic word's subject


def test_a_rate_after_an_answerable_ask_is_not_carried(corpus):
    f = frame_of(corpus, "住房补贴每月多少？过渡性住房租金是市场价的什么比率？")
    assert f.asks[0].kind == "topic" and f.asks[1].kind != "unstated" or f.asks[1].detail != "tax"
    f = frame_of(corpus, "What's the corporate tax rate? And how much is the hukou subsidy?", "en")
    assert [a.kind for a in f.asks] == ["unstated", "topic"]


# --- the time after the plan ends: a premise, not its validity asked ----------------------------------------
@pytest.mark.parametrize("text, lang", [
    ("行动计划结束以后，深圳会出台什么新的扶持措施？", "zh"),
    ("計畫到期後，補貼方向會怎麼調整？", "zh-Hant"),
    ("After the plan expires, what kind of support replaces it?", "en"),
    ("Once the plan ends, will Shenzhen still offer anything like it?", "en"),
])
def test_what_comes_after_the_plan_is_not_its_validity(corpus, text, lang):
    f = frame_of(corpus, text, lang)
    assert f.main.kind != "plan" and 2028 in f.years_told


@pytest.mark.parametrize("text, lang", [
    ("这份计划到期以后还有效吗？", "zh"),
    ("Is the plan still in force after it expires?", "en"),
    ("这个计划什么时候到期？", "zh"),
])
def test_the_plans_validity_is_still_asked_in_words(corpus, text, lang):
    f = frame_of(corpus, text, lang)
    assert f.main.kind == "plan" and f.main.detail == "validity"


# --- a run-on story, then a wondering -----------------------------------------------------------------------
@pytest.mark.parametrize("text, asked", [
    ("so me and my cofounder both left alibaba last spring and were wondering how long the transitional housing lasts",
     "were wondering how long the transitional housing lasts"),
    ("we quit huawei in march and are curious whether the model voucher covers fine-tuning",
     "are curious whether the model voucher covers fine-tuning"),
])
def test_a_story_run_on_into_a_wondering_is_told_not_asked(corpus, text, asked):
    f = frame_of(corpus, text, "en")
    assert [a.text for a in f.asks] == [asked] and len(f.background) == 1  # the employer stays in the story


def test_the_plan_done_by_a_department_in_cantonese_is_its_issuer(corpus):
    assert frame_of(corpus, "呢個計劃係邊個單位搞嘅？", "yue").main.detail == "issuer"
    assert frame_of(corpus, "呢份嘢邊個部門整嘅？", "yue").main.detail == "issuer"


def test_a_chinese_run_on_goes_on_at_then(corpus):
    """Written without punctuation, the story before 然后 is told; the employer in it is never asked about."""
    f = frame_of(corpus, "我们俩以前都在比亚迪做了五年然后现在想问模型券最多给多少")
    assert f.background == ["我们俩以前都在比亚迪做了五年"] and "比亚迪" not in f.focus_text


def test_places_the_plan_names_for_cross_border_data_offered_as_options_are_ranked(corpus):
    assert frame_of(corpus, "河套定前海，邊度搞跨境數據方便啲？", "yue").main.kind == "ranking"
    assert frame_of(corpus, "前海和河套分别做什么？").main.kind != "ranking"  # asked each, not compared


# --- claiming back for a year before the plan ---------------------------------------------------------------
@pytest.mark.parametrize("text, lang", [
    ("2025年底之前买的服务器，能用训练算力券追溯抵扣吗？", "zh"),      # the year in the story
    ("我們2024年就入選了鯤鵬項目，能不能補領獎勵？", "zh-Hant"),
    ("我2025年交嘅租金，可唔可以追返住房補貼？", "yue"),
    ("Can I retroactively claim the model voucher for work I paid for in 2025?", "en"),
    ("We paid for data labelling in 2024. Can we claim it back with the data voucher?", "en"),
])
def test_a_claim_back_for_a_year_before_the_plan_asks_about_that_year(corpus, text, lang):
    assert [y for y in frame_of(corpus, text, lang).years_told if y < 2026]


@pytest.mark.parametrize("text, lang", [
    ("我2021年本科毕业，住房补贴每个月多少？", "zh"),                          # a past year only told
    ("I graduated in 2022 and moved here last month. How much is the model voucher?", "en"),
    ("训练算力券可以追溯抵扣吗？", "zh"),                                       # a claim back, no year before the plan
])
def test_a_past_year_without_a_claim_back_is_the_founders_story(corpus, text, lang):
    assert not [y for y in frame_of(corpus, text, lang).years_told if y < 2026]


# --- the plan itself: its validity and goals together, what is paid monthly -----------------------------------
@pytest.mark.parametrize("text, lang", [
    ("计划有效期多久？到期时要完成哪些量化目标？", "zh"),
    ("個計劃幾時到期？到時要做到咩目標？", "yue"),
    ("When does the plan expire? What targets must it hit by then?", "en"),
])
def test_goals_due_by_the_plans_end_are_the_goals(corpus, text, lang):
    assert [(a.kind, a.detail) for a in frame_of(corpus, text, lang).asks] == \
        [("plan", "validity"), ("plan", "goals")]


@pytest.mark.parametrize("text, lang", [
    ("Which of the benefits in the plan are paid on a monthly basis?", "en"),
    ("计划里哪些补贴是按月领的？", "zh"),
    ("計畫裡有哪些福利是每個月發的？", "zh-Hant"),
])
def test_the_benefits_paid_monthly_are_asked_of_the_plan(corpus, text, lang):
    assert (frame_of(corpus, text, lang).main.kind, frame_of(corpus, text, lang).main.detail) == ("plan", "monthly")


@pytest.mark.parametrize("text, lang", [
    ("过渡性住房申请之后要排多久才能入住？", "zh"),
    ("人才公寓要輪候幾耐？", "yue"),
    ("How long is the waiting list for transitional housing?", "en"),
])
def test_a_wait_for_housing_is_the_unstated_processing_time(corpus, text, lang):
    f = frame_of(corpus, text, lang)
    assert any(a.kind == "unstated" and a.detail == "processing_time" for a in f.asks), \
        [(a.kind, a.detail) for a in f.asks]


@pytest.mark.parametrize("text, lang, price", [
    ("每个月要付多少钱？", "zh", True),                         # paying asked of nothing named: a price
    ("OPC社区的办公空间每个月要付多少钱？", "zh", True),           # a space the founder pays for
    ("住房补贴每个月要付多少钱？", "zh", False),                   # a subsidy paid out: its amount
    ("模型券要俾幾多錢？", "yue", False),
    ("Desk space in another industrial park: what would that cost me per month?", "en", True),
])
def test_a_price_of_a_benefit_paid_out_is_its_amount(corpus, text, lang, price):
    f = frame_of(corpus, text, lang)
    assert any("price" in (a.detail, *a.also) for a in f.asks) == price, [(a.kind, a.detail, a.topic) for a in f.asks]

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

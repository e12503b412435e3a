"""The time scope of an ask: every way a date is written, in zh / zh-Hant / Cantonese / English, read by one
parser; a year asked about outside the plan's period (2026–2027) is declined first, a year of the founder's
story never is. Wordings are written for these tests (not taken from any evaluation set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.knowledge.claims import fold
from assistant.knowledge.corpus import load_corpus
from assistant.settings import BUILTIN_CORPUS

TODAY = dt.date(2026, 12, 6)  # in the plan's last month but one: 明年 is 2027 (inside), 后年 2028 (outside)
PLAN = (2026, 2027)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(Path(BUILTIN_CORPUS))


def asked(corpus, text: str, today: dt.date = TODAY) -> list[int]:
    """Years outside the plan an ask speaks of, as the frame decides them."""
    return corpus.frame.years_told([text], today, PLAN, asked=True, questions=corpus.questions)


def framed(corpus, text: str, lang: str) -> list[int]:
    """The whole message framed (asks and background split) on TODAY."""
    return corpus.frame.read(text, lang, corpus.claims, corpus.places, None, TODAY, PLAN, corpus.questions).years_told


# --- the parser: every form gives its year ------------------------------------------------------------------
@pytest.mark.parametrize("text, year", [
    ("after 2027", 2028), ("beyond 2027", 2028), ("post-2027", 2028), ("after the end of 2027", 2028),
    ("after December 2027", 2028), ("after March 2027", 2027), ("2027年以后", 2028), ("2027年之後", 2028),
    ("2027年底以后", 2028), ("2027年12月之后", 2028), ("2027年6月以后", 2027), ("before 2026", 2025),
    ("2026年之前", 2025), ("二〇二八年", 2028), ("二零三零年", 2030), ("２０２８年", 2028), ("民國117年", 2028),
    ("民国一一七年", 2028), ("民国一百一十七年", 2028), ("January 2028", 2028), ("December 2027", 2027),
    ("三年前", 2023), ("two years ago", 2024), ("two years from now", 2028), ("in a year", 2027),
    ("after 31 December 2027", 2028), ("after December 31, 2027", 2028), ("after March 3rd 2027", 2027),
    ("2027年12月31日之后", 2028), ("2027年过后", 2028), ("in 2 yrs", 2028), ("下下年", 2028),
    ("下年", 2027), ("出年", 2027), ("後年", 2028), ("舊年", 2025), ("前年", 2024), ("the year before last", 2024),
])
def test_each_form_gives_its_year(corpus, text, year):
    assert [y.year for y in corpus.frame.dates.years(fold(text), TODAY, 2027)] == [year]


def test_after_the_plan_ends_is_the_year_after_its_last():
    from assistant.understanding.dates import DateWords, YearParser
    parser = YearParser(DateWords(after_end=["after the plan ends", "到期后"]))
    assert [y.year for y in parser.years("does it still apply after the plan ends?", TODAY, 2027)] == [2028]
    assert [y.year for y in parser.years("到期后还发吗", TODAY, 2030)] == [2031]
    assert parser.years("到期后还发吗", TODAY) == []  # no plan end known: no year


# --- asks about a date outside the period, in every language ----------------------------------------------
@pytest.mark.parametrize("ask, years", [
    # past years and registrations
    ("2024年的模型券是怎么发的？", [2024]),
    ("What did the compute voucher pay out in 2025?", [2025]),
    ("去年有没有类似的创业补贴？", [2025]),
    ("前年注册的公司可以申请算力券吗？", [2024]),
    ("Our company was already registered in 2025 — can it still get the model voucher?", [2025]),
    ("我哋間公司2025年已經註冊咗，仲可唔可以攞智能券？", [2025]),
    ("舊年嘅住房補貼係幾多？", [2025]),
    ("我想问下去年嘅租金补贴几多？", [2025]),
    ("我哋2024年已經開咗公司，仲可唔可以申請模型券？", [2024]),
    ("I opened my company in 2024 — can I apply for the voucher?", [2024]),  # "我想问" opens the question: no story
    ("2026年之前有沒有類似的補助？", [2025]),
    # after the period
    ("What happens to the housing subsidy after 2027?", [2028]),
    ("Will the loans continue beyond 2027?", [2028]),
    ("From 2028 on, can new founders still apply?", [2028]),
    ("2027年以后还能申请住房补贴吗？", [2028]),
    ("2027年之後仲有冇住房補貼？", [2028]),
    ("2028年起创业担保贷款还有吗？", [2028]),
    ("2030年深圳还发算力券吗？", [2030]),
    # relative to today (2026-12): 明年 is inside, 后年 outside
    ("后年开业的话能拿住房补贴吗？", [2028]),
    ("後年仲可唔可以申請？", [2028]),
    ("Can I still apply the year after next?", [2028]),
    ("明年开业的话能拿住房补贴吗？", []),
    ("出年開業仲有冇住房補貼？", []),
    ("Can I apply next year?", []),
    # validity of a benefit
    ("Is the housing subsidy still valid in 2029?", [2029]),
    ("住房補貼2029年仲有效嗎？", [2029]),
    ("Does the model voucher still apply after the plan ends?", [2028]),
    ("Once the two-year plan is over, does the housing subsidy stop?", [2028]),
    ("计划到期后算力券还发吗？", [2028]),
    # months, numerals, eras
    ("Can I apply for the loan in December 2027?", []),
    ("Can I apply for the loan in January 2028?", [2028]),
    ("2027年12月還可以申請嗎？", []),
    ("2028年1月还可以申请吗？", [2028]),
    ("二〇二八年还能领住房补贴吗？", [2028]),
    ("民國118年還有創業補助嗎？", [2029]),
    # a premise about the plan's own term is not asked about; "by/until" a year beyond it otherwise is
    ("这个计划截至2027年底吗？", []),
    ("If the plan runs until 2030, can I apply?", []),
    ("截至2030年都有效吧？", []),
    ("到2030年全市要建成多少个OPC社区？", [2030]),
    ("住房補貼會唔會一直發到2030年？", [2030]),
    ("Can I keep drawing the rent subsidy until 2029?", [2029]),
])
def test_a_date_asked_about_outside_the_period(corpus, ask, years):
    assert asked(corpus, ask) == years


@pytest.mark.parametrize("ask", [
    "我2021年毕业，能申请住房补贴吗？",
    "I graduated in 2021 — how much is the housing subsidy?",
    "I've worked at Tencent since 2019, what is the model voucher worth?",
    "我2019年起一直在华为上班，能拿多少住房补贴？",
    "我前年喺字節跳動返工，而家搬去深圳可以攞幾多補貼？",
    "我去年回国，能拿多少创业资助？",
    "I started working at ByteDance in 2019, what can I get?",
])
def test_a_past_year_of_the_founders_own_story_is_not_asked(corpus, ask):
    assert asked(corpus, ask) == []


# --- the ask/background split: a year told never refuses --------------------------------------------------
@pytest.mark.parametrize("text, lang, years", [
    ("我2021年本科毕业，之后在腾讯做了三年。住房补贴每月多少？", "zh", []),
    ("I graduated in 2021 and have worked at Alibaba since 2019. How much is the housing subsidy?", "en", []),
    ("本人2020年碩士畢業，一直喺深圳做嘢。想問下落戶補貼有幾多？", "zh-Hant", []),
    ("我们公司2025年已经注册了。还能申请模型券吗？", "zh", [2025]),  # a registration before the plan
    # ... told beside an ask that is not whether it still applies: the founder's story
    ("我们2025年就注册了公司，现在自己训练大模型。大模型备案有人指导吗？", "zh", []),
    ("We registered the company back in 2024 and train our own models. Who helps with model filing?", "en", []),
    ("我打算2028年才搬去深圳。到时还有落户补贴吗？", "zh", [2028]),
    ("I'm moving to Shenzhen in 2026. Will the rent subsidy still be there after 2027?", "en", [2028]),
])
def test_the_story_and_the_ask_are_judged_apart(corpus, text, lang, years):
    assert framed(corpus, text, lang) == years


# --- a lead-in that only says when dates the ask after it ---------------------------------------------------
@pytest.mark.parametrize("text, lang, years", [
    ("2023年那时，住房补贴每个月发多少？", "zh", [2023]),
    ("2025年的時候，模型券最高有幾多？", "zh-Hant", [2025]),
    ("Back in 2024, what did the training voucher cap at?", "en", [2024]),
    ("2029年嗰阵，过渡性住房仲有冇得租？", "zh-Hant", [2029]),
    ("2024年年中以前，模型券发过多少？", "zh", [2024]),
    # ... but a year followed by another lead-in dates that one: the founder's story, not the ask
    ("2021年，本科毕业，个人创业担保贷款最多多少？", "zh", []),
    ("In 2020, finished a master's abroad, how much is the returnee funding?", "en", []),
])
def test_a_lead_in_saying_only_when_dates_the_ask(corpus, text, lang, years):
    assert framed(corpus, text, lang) == years


def test_only_when_is_a_year_and_time_words_alone(corpus):
    dates = corpus.frame.dates
    assert dates.only_when(fold("2024年的時候")) and dates.only_when("back in 2024") and dates.only_when("去年那时")
    assert not dates.only_when("2021年毕业") and not dates.only_when("in 2024 we moved") \
        and not dates.only_when("那时候")


# --- the answer: declined first, then what the plan says ----------------------------------------------------
@pytest.mark.system
@pytest.mark.parametrize("question, opening", [
    ("2027年以后还能申请住房补贴吗？", "行动计划不涵盖该年份"),
    ("Can I apply for the model voucher in January 2028?", "The plan does not cover that year"),
    ("2024年的算力券是怎么发的？", "行动计划不涵盖该年份"),
    ("住房補貼2029年仲有效嗎？", "行動計劃不涵蓋該年份"),
])
def test_an_ask_outside_the_period_is_declined_first(bot, question, opening):
    a = bot.ask(question)
    assert not a.answerable and a.answer.startswith(opening)


@pytest.mark.system
def test_a_background_year_never_declines(bot):
    a = bot.ask("我2021年毕业，在腾讯工作到现在。住房补贴每个月多少？")
    assert a.answerable and a.frame.years_told == []


@pytest.mark.system
def test_the_plans_validity_is_judged_on_each_side_of_its_period(bot):
    a = bot.ask("Does the plan still apply after it expires?")
    assert a.frame.main.kind == "plan" and a.answer.startswith("No: that is after")
    b = bot.ask("这个行动计划2025年有效吗？")
    assert b.frame.main.kind == "plan" and b.answer.startswith("不在有效期内：该时间早于")
    c = bot.ask("这个行动计划2027年12月还有效吗？")
    assert c.frame.main.kind == "plan" and c.answer.startswith("在有效期内")


@pytest.mark.parametrize("ask", [
    "I moved back from London in 2024, what housing subsidy can I get?",
    "我2024年搬来深圳，住房补贴每月多少？",
])
def test_a_past_move_is_the_founders_story(corpus, ask):
    assert asked(corpus, ask) == []


def test_a_year_when_something_ends_is_the_year_after(corpus):
    assert asked(corpus, "2027年结束后还有住房补贴吗？") == [2028]
    assert asked(corpus, "2027年過後仲有冇住房補貼？") == [2028]


@pytest.mark.system
@pytest.mark.parametrize("question", [
    "I joined Huawei in 2019, how much is the housing subsidy?",
    "Worked at Baidu from 2018 to 2024 — how much is the model voucher?",
    "我2024年回国，创业担保贷款最多多少？",
])
def test_a_year_of_the_story_inside_an_ask_never_declines(bot, question):
    a = bot.ask(question)
    assert a.answerable and a.frame.years_told == []

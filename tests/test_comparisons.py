"""Comparisons among the benefits an ask names, the options a "which" offers, generic words that must not decide
what an ask is about, and conversation topics moved by description or by a year outside the plan. Through the real
Assistant (real index, the shipped recogniser, stored sessions).

Wordings here are written for these tests (not taken from any evaluation set)."""

from __future__ import annotations

import pytest

from assistant.knowledge.figures import extract_figures, is_grounded

# Starts the real assistant with its index: not in the fast tier.
pytestmark = pytest.mark.system


def grounded(answer) -> bool:
    sources = [t for c in answer.citations for t in (c.text, c.parallel_text)]
    return all(is_grounded(f, sources) for f in extract_figures(answer.answer))


# --- a comparison the plan's own figures settle: each named benefit's figure, the leading one first ---------------
@pytest.mark.parametrize("question, lang, first, also", [
    ("数据语料券和训练算力券，哪个上限高一些？", "zh", "1000万元", ["200万元"]),
    ("個人創業擔保貸款同小微企業創業擔保貸款，邊個額度高啲？", "zh-Hant", "500萬元", ["60萬元"]),
    ("Between the model voucher and the training power voucher, which one gives more money?", "en",
     "10 million yuan", ["2 million yuan"]),
])
def test_a_comparison_of_named_benefits_gives_each_figure(bot, question, lang, first, also):
    a = bot.ask(question, mode="extractive")
    assert a.language == lang and a.answerable and grounded(a)
    lead, rest = a.answer.split("\n", 1) if "\n" in a.answer else (a.answer, "")
    assert first in lead and all(f in rest for f in also)
    assert not [u for u in a.unstated if u.kind == "ranking"]


def test_a_comparison_of_durations_names_the_longer(bot):
    a = bot.ask("住房補貼和過渡性住房，哪一個可以享受得比較久？", mode="extractive")
    assert a.language == "zh-Hant" and a.answerable and grounded(a)
    assert "36個月" in a.answer.split("\n")[0] and "24個月" in a.answer
    assert a.citations and a.citations[0].clause_id == "sz-ai-opc-plan:m4"


def test_a_superlative_over_named_benefits_lists_only_them(bot):
    a = bot.ask("模型券、数据语料券和训练算力券这三样，哪个额度最高？", mode="extractive")
    assert a.answerable and "1000万元" in a.answer and a.answer.count("200万元") == 2
    assert "3000万元" not in a.answer  # the plan's largest figure elsewhere is not what was asked


# --- the options after a "which" belong to it -----------------------------------------------------------------
def test_options_after_a_dash_complete_the_which(bot):
    a = bot.ask("Which one pays out more — the personal startup guaranteed loan or the small-business one?",
                mode="extractive")
    assert a.answerable and len(a.frame.asks) == 1 and "5 million yuan" in a.answer.split("\n")[0]


def test_a_personal_choice_between_options_is_declined(bot):
    a = bot.ask("Which would save me more money, the discounted talent apartment or the monthly rent subsidy?",
                mode="extractive")
    assert not a.answerable and len(a.frame.asks) == 1 and a.frame.main.kind == "ranking"
    assert "ranking" in [u.kind for u in a.unstated] and a.citations  # the plan's terms still quoted


def test_a_which_with_its_own_ask_after_it_stays_two_asks(bot):
    a = bot.ask("哪个区的社区最大？还是说计划没讲？", mode="extractive")
    assert len(a.frame.asks) == 2  # the second part asks something of its own ("没讲"), not options


# --- a generic word reached through the glossary does not decide the topic -------------------------------------
def test_a_generic_word_yields_to_the_recognised_clause(bot):
    a = bot.ask("Could a small new company borrow a university's pricey research instruments rather than buy them?",
                mode="extractive")
    assert a.answerable and a.citations[0].clause_id == "sz-ai-opc-plan:m9"
    assert a.frame.main.topic != "startups_target"


def test_a_generic_word_still_names_its_subject_when_nothing_else_is_sure(bot):
    a = bot.ask("How many AI startups does Shenzhen hope to nurture by the end of 2027?", mode="extractive")
    assert a.answerable and a.frame.main.topic == "startups_target" and "1,000" in a.answer


# --- a loose word (奖励, "reward") names no benefit when the story describes another ---------------------------
@pytest.mark.parametrize("question", [
    "我们的AI系统被区政府办事大厅用上了，有奖励吗？最多多少？",
    "Our AI model runs in the city's e-government portal now. Any reward for that?",
])
def test_a_loose_word_yields_to_the_benefit_the_story_describes(bot, question):
    a = bot.ask(question, mode="extractive")
    assert a.answerable and a.citations[0].clause_id == "sz-ai-opc-plan:m7"
    assert "500万元" in a.answer or "5 million" in a.answer


@pytest.mark.parametrize("question", ["入选鲲鹏项目有奖励吗？", "I was picked for a Kunpeng project. What reward do I get?"])
def test_a_loose_word_still_names_its_benefit_when_the_story_is_about_it(bot, question):
    a = bot.ask(question, mode="extractive")
    assert a.answerable and a.citations[0].clause_id == "sz-ai-opc-plan:m5" and "5" in a.answer


def test_named_loosely_reads_the_words_not_the_subject():
    from assistant.knowledge.claims import load_rules
    from assistant.settings import BUILTIN_CORPUS

    rules = load_rules(BUILTIN_CORPUS / "claims.yaml")
    assert rules.named_loosely("有奖励吗", "innovation_reward")
    assert rules.named_loosely("any rewards for that?", "innovation_reward")
    assert not rules.named_loosely("创新创业奖励有多少", "innovation_reward")  # its own name
    assert not rules.named_loosely("住房补贴多少", "housing_subsidy")  # a subject with no loose words


# --- a benefit described by what it pays for, not named --------------------------------------------------------
@pytest.mark.parametrize("question", [
    "I need to rent GPUs to train my model. Can the city cover that cost? Up to how much?",  # "rent" is no housing
    "我想租人哋啲顯示卡伺服器嚟train自己個模型，政府有冇錢幫我畀呢筆開支？最多幾多？",
])
def test_a_benefit_described_by_what_it_pays_for_is_found(bot, question):
    a = bot.ask(question, mode="extractive")
    assert a.answerable and a.citations[0].clause_id == "sz-ai-opc-plan:m6"
    assert "1000萬元" in a.answer or "1000万元" in a.answer or "10 million" in a.answer


@pytest.mark.parametrize("question", ["我没啥名校学历，但在开源社区挺活跃，计划里有没有照顾我这种人的？",
                                      "我喺開源社區好活躍，計劃有冇支持？"])
def test_an_ask_around_a_subject_the_plan_names_is_answered_not_declined(bot, question):
    a = bot.ask(question, mode="extractive")   # 开源社区 is the talent clause's, not an OPC community
    assert a.answerable and a.citations[0].clause_id == "sz-ai-opc-plan:m2"
    assert all(ask.topic != "opc_community" for ask in a.frame.asks)


# --- conversations: a topic switched by describing it, not naming it ------------------------------------------
def test_a_followup_describing_another_clause_moves_to_it(bot):
    sid = bot.new_session()
    first = bot.ask("开源社区很活跃的人，计划给什么支持？", session_id=sid, mode="extractive")
    assert first.citations[0].clause_id == "sz-ai-opc-plan:m2"
    # points back ("这个阶段") but describes the plan's funds: a new topic, not the talent clause's follow-up
    moved = bot.ask("我们公司现在还在种子期，计划里有没有提到哪些基金会投这个阶段的企业？", session_id=sid,
                    mode="extractive")
    assert moved.answerable and moved.citations[0].clause_id == "sz-ai-opc-plan:m8"
    assert "开源" not in (moved.frame.focus_text or "")


def test_a_followup_on_the_same_clause_keeps_its_topic(bot):
    sid = bot.new_session()
    bot.ask("住房补贴每个月多少钱？", session_id=sid, mode="extractive")
    follow = bot.ask("那最长能领多久？", session_id=sid, mode="extractive")
    assert "24个月" in follow.answer and follow.citations[0].clause_id == "sz-ai-opc-plan:m4"


def test_after_the_plans_validity_an_ask_for_its_content_in_a_later_year_is_declined(bot):
    sid = bot.new_session()
    first = bot.ask("When did the action plan come into force?", session_id=sid, mode="extractive")
    assert first.answerable and "2026" in first.answer
    later = bot.ask("And what would it give founders in 2030?", session_id=sid, mode="extractive")
    assert not later.answerable and 2030 in later.frame.years_told
    again = bot.ask("那2029年呢？", session_id=bot.new_session(), mode="extractive")  # bare, no topic: declined too
    assert not again.answerable


def test_a_bare_ellipsis_stays_a_followup_though_its_word_fits_another_clause(bot):
    sid = bot.new_session()
    bot.ask("How many high-growth AI startups does the plan aim for?", session_id=sid, mode="extractive")
    follow = bot.ask("and talent?", session_id=sid, mode="extractive")  # m2's word, but it only names what changes
    assert follow.citations[0].clause_id == "sz-ai-opc-plan:goals" and "10,000" in follow.answer


def test_the_plan_named_is_no_generic_word(bot):
    a = bot.ask("呢個計劃由幾時開始？", mode="extractive")
    assert a.answerable and a.frame.main.kind == "plan" and "2026" in a.answer

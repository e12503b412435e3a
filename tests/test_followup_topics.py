"""Which topic a follow-up is about: both of the last two when it points at two ("these two", 兩樣), the one a remark
places a bare switch in, the one named when going back, the one at hand when it only corrects the profile or asks a
detail of it. Real recogniser, rules and frame (assistant/understanding/followup.py); conversations written for these
tests, not taken from any evaluation set."""

from __future__ import annotations

import pytest

from assistant.understanding.followup_text import topic_named_short
from assistant.understanding.followup_words import BOTH
from tests.conversation_turns import conversation_of
from tests.conversation_turns import turns as _turns


@pytest.fixture(scope="module")
def conversation(bot):
    return conversation_of(bot)




def _named(conversation, benefit: str, text: str) -> bool:
    fact = conversation.recogniser.facts[benefit]
    return fact.names.zh in text or fact.names.en in text


# (earlier turns, the follow-up pointing at two, the two benefits it is about)
BOTH_CONVERSATIONS = [
    (("我2022年硕士毕业，个人创业担保贷款最多能贷多少？", "住房补贴每个月多少？"), "那这两个能同时申请吗？",
     ("personal_loan", "housing_subsidy")),
    (("How much is the hukou subsidy for a PhD?", "And the housing subsidy?"), "ok, can I get both?",
     ("hukou_subsidy", "housing_subsidy")),
    (("個人創業擔保貸款最高幾多？", "咁小微企業嗰個呢？"), "兩樣可唔可以一齊申請？",
     ("personal_loan", "enterprise_loan")),
    (("鯤鵬青年創新創業項目入選了能拿多少獎勵？", "我是留學回來的，還有別的資助嗎？"), "這兩項可以同時領嗎？",
     ("kunpeng_reward", "overseas_startup_funding")),
    (("Our AI goes live in a district government service hall; any funding?",
      "and if it's a demonstration project in a factory?"), "Could we claim either of them twice, or both at once?",
     ("government_service_product", "demonstration_project")),
]


@pytest.mark.parametrize("earlier, ask, pair", BOTH_CONVERSATIONS)
def test_pointing_at_two_names_both_topics(conversation, earlier, ask, pair):
    resolved, state = conversation.resolve(ask, _turns(*earlier))
    assert resolved is not None and all(_named(conversation, b, resolved) for b in pair), (resolved, state)
    assert state.benefit == pair[1], state  # the topic at hand stays the latest


def test_pointing_at_one_names_one(conversation):
    resolved, state = conversation.resolve("这个能同时申请吗？", _turns("个人创业担保贷款最多能贷多少？", "住房补贴每个月多少？"))
    assert resolved and not _named(conversation, "personal_loan", resolved), resolved
    # two people are no two benefits
    assert not BOTH.search("我们两个人都是硕士") and BOTH.search("這兩個可以疊加嗎") and BOTH.search("can I get both?")


@pytest.mark.parametrize("first, ask", [
    ("我2023年硕士毕业，落户补贴有多少？", "住的呢？深圳的房租实在太贵了"),
    ("我2023年碩士畢業，落戶補貼有幾多？", "住嘅呢？深圳租樓真係好貴"),
    ("落戶補貼最高多少？", "住的方面呢？深圳租房好貴"),
])
def test_a_bare_switch_followed_by_a_remark_goes_where_the_remark_places_it(conversation, first, ask):
    _, state = conversation.resolve(ask, _turns(first))
    assert state.benefit != "hukou_subsidy" and state.clause == "sz-ai-opc-plan:m4", state


def test_a_bare_ellipsis_with_a_remark_on_the_same_topic_keeps_it(conversation):
    _, state = conversation.resolve("那硕士呢？我老婆是硕士", _turns("博士落户补贴最高多少？"))
    assert state.benefit == "hukou_subsidy", state


@pytest.mark.parametrize("first, correction, field, value", [
    ("博士落户补贴多少？", "不好意思，我说错了，我是硕士", "degree", "master"),
    ("How much is the hukou subsidy for a PhD?", "sorry, I meant I only have a master's", "degree", "master"),
    ("我係博士，落戶補貼有幾多？", "講錯咗，我係碩士", "degree", "master"),
])
def test_a_correction_updates_the_profile_and_keeps_the_topic(conversation, first, correction, field, value):
    _, state = conversation.resolve(correction, _turns(first))
    assert state.benefit == "hukou_subsidy", state
    assert getattr(state.profile, field) == value, state.profile


def test_going_back_to_an_earlier_topic_by_name(conversation):
    earlier = _turns("我係2024年碩士畢業，落戶有冇錢攞？", "咁租屋方面呢？", "貸款最多借到幾多？")
    _, state = conversation.resolve("返去頭先個落戶補貼，要幾時申請？", earlier)
    assert state.benefit == "hukou_subsidy", state
    assert state.profile.degree == "master", state.profile  # what was told stays until told otherwise


@pytest.mark.parametrize("first, detail", [
    ("住房补贴每个月多少？", "多久发一次？"),
    ("住房補貼每個月幾多？", "要申請幾多個星期先批？"),
    ("How much is the housing subsidy per month?", "how many weeks does approval take?"),
    ("What is the personal startup guaranteed loan cap?", "what number do I call about that one?"),
])
def test_a_detail_of_the_topic_keeps_its_benefit_and_carries_no_amount(conversation, first, detail):
    _, before = conversation.resolve(first, [])
    resolved, state = conversation.resolve(detail, _turns(first))
    assert state.benefit == before.benefit and resolved, (resolved, state)
    carried = conversation.recogniser.spec.carry["amount"]
    assert carried["zh"] not in resolved and carried["en"] not in resolved, resolved


@pytest.mark.parametrize("earlier, ask", [
    (("落户补贴有多少？", "For housing, can I take both the cash subsidy and the transitional flat?"),
     "which of the two gets approved faster?"),
    (("落戶補貼有幾多？", "住屋方面，過渡性住房同住房補貼兩樣都可以攞嗎？"), "呢兩樣邊樣批得快啲？"),
])
def test_the_two_a_topics_own_question_pointed_at_come_first(conversation, earlier, ask):
    resolved, _ = conversation.resolve(ask, _turns(*earlier))
    assert resolved is not None, resolved
    assert _named(conversation, "housing_subsidy", resolved) and _named(conversation, "transitional_housing", resolved)
    assert not _named(conversation, "hukou_subsidy", resolved), resolved  # not the topic before them


@pytest.mark.parametrize("first, ask", [
    ("个人创业担保贷款最多能贷多少？", "那些投融资路演多久办一次？"),
    ("個人創業擔保貸款最高幾多？", "啲投融資路演幾耐搞一次？"),
])
def test_a_sibling_yields_to_a_clause_read_surely_elsewhere(conversation, first, ask):
    # loan words are shared with the startup funding beside it; the roadshows are the funds' clause
    _, state = conversation.resolve(ask, _turns(first))
    assert state.clause != "sz-ai-opc-plan:m5", state


# (earlier turns on other benefits, a bare ellipsis naming a topic in a word or two, the clause it switches to)
SHORT_SWITCHES = [
    (("我2021年本科毕业，个人创业担保贷款能贷多少？", "利息有补贴吗？"), "那住的呢", "sz-ai-opc-plan:m4"),
    (("落戶補貼博士有幾多？", "咁碩士呢？"), "租屋呢？", "sz-ai-opc-plan:m4"),
    (("How much is the model voucher?", "and the data one?"), "what about a place to live?", "sz-ai-opc-plan:m4"),
    (("人才住房可以住多久？", "租金怎么算？"), "好的谢谢 那写字楼呢", "sz-ai-opc-plan:m3"),
    (("算力券最高多少？", "用途有限制吗？"), "工位呢？", "sz-ai-opc-plan:m3"),
    (("個人創業擔保貸款最高幾多？", "利息點計？"), "咁租樓呢？", "sz-ai-opc-plan:m4"),
    (("落戶補貼有幾多？",), "咁搵地方辦公呢", "sz-ai-opc-plan:m3"),
    (("Can I get the housing subsidy and for how long?", "is it taxed?"), "and a desk?", "sz-ai-opc-plan:m3"),
]


@pytest.mark.parametrize("earlier, ask, clause", SHORT_SWITCHES)
def test_a_bare_ellipsis_naming_a_topic_in_a_word_switches_to_it(conversation, earlier, ask, clause):
    resolved, state = conversation.resolve(ask, _turns(*earlier))
    assert resolved is not None and state.clause == clause, (resolved, state)


@pytest.mark.parametrize("ask", ["我在家办公可以吗？", "住房补贴每个月多少呢？", "what about the rent subsidy amount for a PhD?",
                                 "我住在南山，那呢？"])
def test_a_short_word_only_names_a_topic_in_a_bare_ellipsis(conversation, ask):
    # 「办公」 inside an ask of its own, or a name already said, is left as written
    rec = conversation.recogniser
    topics = [({rec.normalise(w) for w in t.words}, t.name) for t in rec.spec.ellipsis_topics]
    lang = "en" if ask.isascii() else "zh"
    assert topic_named_short(ask, topics, rec.normalise, lang) == ask
    assert topic_named_short("那写字楼呢？", topics, rec.normalise, "zh") != "那写字楼呢？"


@pytest.mark.parametrize("earlier, ask, benefit", [
    (("I'm a PhD. How much hukou subsidy can I get?",), "What about a master's?", "hukou_subsidy"),
    (("How long can I get the housing subsidy?",), "how about for a bachelor?", "housing_subsidy"),
    (("what's the max personal startup loan?",), "and what if I graduated in 2019?", "personal_loan"),
])
def test_an_english_ellipsis_is_composed_as_an_ask_about_the_benefit(conversation, earlier, ask, benefit):
    # the ellipsis first, then the benefit it is about: never "<Name> What about a master's how much?"
    resolved, state = conversation.resolve(ask, _turns(*earlier))
    assert state.benefit == benefit and resolved is not None, (resolved, state)
    name = conversation.recogniser.facts[benefit].names.en
    assert resolved.lower().startswith(("what", "how")) and f"— {name}" in resolved, resolved

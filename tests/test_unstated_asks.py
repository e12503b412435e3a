"""An answer answers what was asked, or says the plan does not (assistant/answering/asked_beyond.py).

Real components: the built-in corpus, real index and embeddings. Half the probes ask what the plan does state and
must stay answered; the others ask, of a benefit the plan names, what its clause never states.
"""

from __future__ import annotations

import pytest

# (message, the unstated kind declared) — the plan names the benefit but not what is asked of it
UNSTATED = [
    # a figure of a kind the clause does not give for that benefit
    ("区里发的智能券，一家企业能拿多少？", "amount"),
    ("區裡發的智能券，一間公司可以攞幾多錢？", "amount"),
    ("How much can one company get from the district smart voucher?", "amount"),
    ("智能券一张面值多少钱？", "amount"),
    ("区级天使基金一次最多投多少钱？", "amount"),
    ("投融资路演多久办一次？", "frequency"),
    ("How often are the investment roadshows held?", "frequency"),
    ("投融資路演一年辦幾次？", "frequency"),
    # a tier's own amount where the clause gives only the top tier
    ("学士的落户补贴具体是多少？", "tier_amount"),
    ("How much hukou subsidy does a bachelor's degree holder get?", "tier_amount"),
    ("碩士的落戶補貼有多少？", "tier_amount"),
    # a predicate the clause never speaks of
    ("过渡性住房有年龄限制吗？", "age"),
    ("Is there an age limit for the transitional housing?", "age"),
    ("Would the bank look at his credit score for the startup loan?", "credit"),
    ("创业担保贷款要看征信吗？", "credit"),
    ("What number do I call to apply for the startup loan?", "contact"),
    ("市级高层次人才按什么标准认定？", "assessment"),
    # whether two benefits stack
    ("留学资助和鲲鹏资助可以叠加吗？", "stacking"),
    ("Can I stack the model voucher and the computing voucher?", "stacking"),
]

# asked of what the plan does state: answered as before
ANSWERED = [
    "硕士能领落户补贴吗？",
    "Can a master get the hukou subsidy?",
    "博士落户补贴最高多少？",
    "模型券最高多少？",
    "How much is the model voucher?",
    "住房补贴每个月多少钱？",
    "住房補貼每個月有幾多錢？",
    "過渡性住房最長可以住多久？",
    "How long can I stay in the transitional housing?",
    "过渡性住房和住房补贴可以同时领吗？",  # the clause states them as alternatives (或)
    "Does it have to be AI to get the low-cost space?",
    "创业担保贷款最高能贷多少？",
    "鲲鹏项目的研发资助最高多少？",
    "落户补贴最高多少钱？",
    "What is the maximum startup funding for returning overseas talent?",
    "训练算力券最高多少？",
]


@pytest.mark.parametrize(("message", "kind"), UNSTATED)
def test_an_ask_the_clause_does_not_state_is_declared(bot, message, kind):
    ans = bot.ask(message)
    assert not ans.answerable, ans.answer
    kinds = {u.kind for u in ans.unstated}
    assert kinds, ans.answer
    if kind is not None:
        assert kind in kinds, (kinds, ans.answer)
    # the clause is still quoted, cited, after saying what it does not state
    assert ans.citations, ans.answer


@pytest.mark.parametrize("message", ANSWERED)
def test_an_ask_the_clause_states_stays_answered(bot, message):
    ans = bot.ask(message)
    assert ans.answerable, (ans.answer, ans.unstated)
    assert not {u.kind for u in ans.unstated} & {"amount", "frequency", "tier_amount", "age", "family", "credit",
                                                 "nationality", "assessment", "stacking"}


def test_a_follow_up_is_judged_on_what_the_founder_asked(bot):
    """The resolved ask may carry the previous turn's figure ask: only what the founder's own words ask is judged;
    a tier named in a follow-up is one."""
    sid = bot.new_session()
    bot.ask("智能券最高多少？", session_id=sid)
    uses = bot.ask("咁區裡面嘅智能券可以用嚟抵啲咩？", session_id=sid)
    assert uses.answerable and not uses.unstated, uses.answer
    sid = bot.new_session()
    bot.ask("落户补贴最高多少？", session_id=sid)
    tier = bot.ask("学士呢，具体多少钱？", session_id=sid)
    assert "tier_amount" in {u.kind for u in tier.unstated}, tier.answer


def test_a_figure_asked_beside_the_main_ask_is_declared_after_its_answer(bot):
    ans = bot.ask("区里发的智能券能抵哪些费用？顺便告诉我大概多少钱")
    assert ans.answerable and "amount" in {u.kind for u in ans.unstated}, ans.answer
    assert not ans.answer.startswith("行动计划没有规定"), ans.answer  # the main ask's answer leads


def test_the_declared_part_is_said_in_the_askers_language(bot):
    zh = bot.ask("投融资路演多久办一次？")
    assert zh.answer.startswith("行动计划没有规定") and "计划的相关规定" in zh.answer
    en = bot.ask("How often are the investment roadshows held?")
    assert en.answer.startswith("The plan does not say how often") and "ask the issuer" in en.answer


def test_tiered_by_must_name_a_condition_of_its_record():
    from assistant.knowledge.facts import FactFile

    record = {"id": "x", "clause": "m2", "kind": "cash_grant", "names": {"en": "X", "zh": "X"},
              "amount": {"value": 1, "unit": "yuan", "bound": "cap", "quote": {"en": "1 yuan", "zh": "1元"}},
              "tiered_by": "degree"}
    with pytest.raises(ValueError, match="tiered_by"):
        FactFile.model_validate({"facts": [record]})

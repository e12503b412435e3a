"""Restrictions judged by what they restrict, and list items by the list they belong to, on the real corpus
(assistant/answering/restrictions.py, assistant/answering/enumerations.py): a restricted phrase supported word for
word, no proper part of a list a cited clause enumerates kept, no leading role the clause does not give, no list
item borrowed from another list of the clause. Answers of every language form, written for these tests."""

from __future__ import annotations

import pytest

from assistant.answering.enumerations import lists_in
from assistant.knowledge.claims import fold
from tests.gatecheck import gate_on

M = "sz-ai-opc-plan:"


def gate(corpus, answer: str, clause: str) -> list[str]:
    return gate_on(corpus, answer, (clause,))


def test_lists_are_read_by_where_their_items_name_themselves(corpus):
    rules = corpus.support

    def keys(text: str) -> list[list[str]]:
        return [[i.key for i in lst.items] for lst in lists_in(fold(text), rules.filler, rules.filler_stems,
                                                               lambda w: w.rstrip("s"))]
    # the first item ends at the separator, the last starts after the connective, filler words cut off
    assert keys("鼓励园区、孵化器和协会联合举办活动") == [["园区", "孵化器", "协会"]]
    assert keys("对新引进的工程师、技师提供补贴") == [["程师", "技师"]]
    assert keys("Partners include banks, insurers, and law firms.") == [["bank", "insurer", "law"]]
    assert keys("up to 100,000 yuan for doctors, nurses and midwives") == [["doctor", "nurse", "midwive"]]


RESTRICTION_LIES = [
    # keeps a proper part of a list the clause enumerates
    ("低成本创业空间仅限入驻其他产业空间的人工智能团队，最高50平方米[1]。", "m3", "团队"),
    ("智能券仅限抵扣算力成本[1]。", "m6", "算力"),
    ("The municipal AI policy vouchers may be used only for model training [1].", "m6", "only"),
    # a leading role the clause does not give
    ("联合实验室须由科研机构牵头建设[1]。", "m9", "牵头"),
    ("Joint labs between companies and research institutes must be led by a research institute [1].", "m9", "led by"),
    # a restricted phrase with a word no source uses (too short for the three-character novelty rule)
    ("过渡性住房只面向应届的青年创业者，最长36个月[1]。", "m4", "应届"),
    ("Transitional housing of up to 36 months is only for married young entrepreneurs [1].", "m4", "married"),
    ("過渡性住房淨係俾外籍青年創業者，最長36個月[1]。", "m4", "外籍"),
    # "led by" someone the clause does not say guides it
    ("The investment and financing system is led by banks, with credit as a supplement [1].", "m8", "led by"),
    ("计划构建以银行为主导的投融资体系[1]。", "m8", "主导"),
]


@pytest.mark.parametrize("answer, clause, named", RESTRICTION_LIES, ids=[a for a, _, _ in RESTRICTION_LIES])
def test_a_restriction_the_clause_does_not_state_is_blocked(corpus, answer, clause, named):
    problems = gate(corpus, answer, clause)
    assert problems and any(named.lower() in p.lower() for p in problems), problems


RESTRICTION_TRUTHS = [
    ("低成本创业空间仅限入驻其他产业空间的人工智能个人和团队，最高50平方米[1]。", "m3"),
    ("呢個低成本創業空間淨係俾入駐其他產業空間嘅AI個人同團隊，最多50平方米[1]。", "m3"),
    ("The hukou subsidy is limited to newly introduced doctoral, master's and bachelor's degree holders [1].", "m2"),
    ("創業擔保貸款只限畢業5年內創業的高校畢業生申請[1]。", "m5"),
    ("The plan only says districts allocate smart vouchers to enterprises in OPC communities based on scale [1].",
     "m6"),
    ("By 2027 the plan aims for OPC communities of at least 10,000 square meters each [1].", "goals"),
    # "led by" what the clause says guides the measure (guided by funds, 以基金为引导): no one's leading role
    ("The investment and financing system is led by funds, with credit as a supplement [1].", "m8"),
    ("计划构建以基金为主导、以信贷为补充的投融资体系[1]。", "m8"),
]


@pytest.mark.parametrize("answer, clause", RESTRICTION_TRUTHS, ids=[a for a, _ in RESTRICTION_TRUTHS])
def test_a_restriction_the_clause_states_passes(corpus, answer, clause):
    assert gate(corpus, answer, clause) == []


LIST_LIES = [
    # an item of another list of the same clause
    ("The platform offers policy consultation, business registration, tax and overseas promotion services [1].",
     "m10", "oversea"),
    ("对活跃于开源社区、应用开发和投资人对接的优秀创新人才给予重点政策支持[1]。", "m2", "投资"),
    ("Top AI innovators selected as high-level talents get mentorship, investor access, funding support and "
     "competitions [1].", "m2", "competition"),
    ("The platform offers policy consultation, tax, intellectual property and cross-border payment services [1].",
     "m10", "cross-border"),
    ("出海专区帮助企业解决跨境支付、海外推广和商事登记等难题[1]。", "m10", "商事"),
    # a clause opening with "and" still lists: its items are read as a list of their own
    ("The zone helps with cross-border payments and overseas promotion, and policy consultation and overseas "
     "promotion [1].", "m10", "consultation"),
]


@pytest.mark.parametrize("answer, clause, named", LIST_LIES, ids=[a for a, _, _ in LIST_LIES])
def test_a_list_item_from_another_list_is_blocked(corpus, answer, clause, named):
    problems = gate(corpus, answer, clause)
    assert problems and any(named.lower() in p.lower() for p in problems), problems


LIST_TRUTHS = [
    ("平台提供商事登记、税务等服务[1]。", "m10"),
    ("智能券用于抵扣算力、模型等前期成本[1]。", "m6"),
    ("The smart vouchers offset early-stage costs such as computing power and models [1].", "m6"),
    ("Top AI innovators selected as municipal-level high-level talents get mentorship, investor access and funding "
     "support [1].", "m2"),
    ("出海专区帮助企业解决跨境支付、海外推广等难题[1]。", "m10"),
    # two lists of one clause that are both what it provides (the platform's services) may be merged
    ("平台提供政策咨询、商事登记、税务、知识产权、大模型备案指导和安全评估等服务[1]。", "m10"),
    ("The platform offers policy consultation, tax, intellectual property and security evaluation services [1].",
     "m10"),
    # a verb of what the plan does after ", and" opens a clause, not a list item
    ("The plan backs university talent founding startups, and encourages joint labs between companies and research "
     "institutes [1].", "m9"),
    # a chunk opening with "and" starts a list of its own; "city and districts" is the clause's "city-district"
    ("Each district selects areas with high talent density, and the city and districts develop OPC communities "
     "through coordinated efforts [1].", "m1"),
]


@pytest.mark.parametrize("answer, clause", LIST_TRUTHS, ids=[a for a, _ in LIST_TRUTHS])
def test_a_list_restated_in_full_or_in_part_passes(corpus, answer, clause):
    assert gate(corpus, answer, clause) == []

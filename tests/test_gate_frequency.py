"""How often and how binding: a stated period (每月, 每年, quarterly, once a year) needs a cited sentence about the
same thing stating a period of the same kind; a duty stated with 规定/要求 + who + 要 (spoken and Cantonese "must")
over what the clause only encourages is unsupported. Truths of the same shape pass: the housing subsidy is paid
每月 / per month where its sentence says so, the plan's 定期 said as "regularly", a duty the clause does not
encourage, and a statement that the plan sets no period."""

from __future__ import annotations

import pytest

from assistant.answering.modality import how_often
from assistant.knowledge.claims import fold
from tests.gatecheck import gate_on

M = "sz-ai-opc-plan:"

LIES = [
    # a period where the plan says 定期 (regularly): roadshows (m8), opening scenarios (m7)
    ("各区每季度都会举办一次投融资路演，并设立种子基金和天使基金[1]。", "m8", "每季度"),
    ("各區每週舉辦投融資路演，幫企業對接資金[1]。", "m8", "每周"),
    ("政府一年一次集中開放城市治理領域嘅應用場景，等企業做技術驗證[1]。", "m7", "一年一次"),
    ("Districts hold investment and financing roadshows every month and set up seed and angel funds [1].", "m8",
     "every month"),
    ("The city opens high-value application scenarios in urban governance annually [1].", "m7", "annually"),
    # a period another cited clause states (the housing subsidy's 每月) does not make it the roadshows'
    ("各区每月举办投融资路演[1]，住房补贴最长24个月[2]。", "m8,m4", "每月"),
    # a duty over what the clause only encourages, said with 规定/要求 + who + 要
    ("計劃規定各區要設立配套種子基金同天使基金 [1]。", "m8", "规定各区要"),
    ("计划要求企业要与高校、科研机构共建联合实验室[1]。", "m9", "要求企业要"),
]

TRUE = [
    ("符合条件的青年创业者可选择领取住房补贴，每月税前1250元，最长24个月[1]。", "m4"),
    ("住房補貼每個月稅前1250元、稅後1000元，最長領24個月[1]。", "m4"),
    ("如果改领住房补贴，每月税前一千二百五十元、税后一千元，最长两年[1]。", "m4"),   # figures in words
    ("住房补贴每月1250元[1]。", "m4"),
    ("住房補貼每個月除稅前有1250蚊，最長可以攞24個月 [1]。", "m4"),
    ("The housing subsidy is 1,250 yuan before tax per month, for up to 24 months [1].", "m4"),
    ("The housing subsidy is paid monthly: 1,250 yuan before tax or 1,000 yuan after tax, for up to 24 months [1].",
     "m4"),
    ("計劃鼓勵各區定期舉辦投融資路演，並設立配套種子基金和天使基金[1]。", "m8"),
    ("Districts are encouraged to host regular investment and financing roadshows [1].", "m8"),
    # both clauses cited: the period is the housing sentence's own
    ("各区定期举办投融资路演[1]；住房补贴每月税前1250元[2]。", "m8,m4"),
]


@pytest.mark.parametrize("answer, clauses, named", LIES, ids=[a for a, _, _ in LIES])
def test_a_period_or_duty_the_clause_does_not_state_is_blocked(corpus, answer, clauses, named):
    problems = gate_on(corpus, answer, tuple(clauses.split(",")))
    assert problems and any(fold(named).lower() in fold(p).lower() for p in problems), problems


@pytest.mark.parametrize("answer, clauses", TRUE, ids=[a for a, _ in TRUE])
def test_a_period_its_sentence_states_passes(corpus, answer, clauses):
    assert gate_on(corpus, answer, tuple(clauses.split(","))) == []


def test_a_denied_or_absent_period_claims_none(corpus):
    support = corpus.support
    m8 = [corpus.clause(M + "m8").text["zh"], corpus.clause(M + "m8").text["en"]]

    def period(text: str) -> str | None:
        return how_often(fold(text), m8, support.periods, support.filler, support.absence)

    assert period("各区每月举办投融资路演") == "每月"
    assert period("路演唔系每月举办，计划只讲定期") is None       # denied
    assert period("计划没有规定每月举办几次路演") is None          # what the plan does not say
    assert period("The plan does not say whether roadshows are held monthly") is None
    assert period("各区定期举办投融资路演") is None                # no period stated

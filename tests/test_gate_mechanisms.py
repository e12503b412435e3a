"""The grounding gate's mechanisms, each proven on answers of its class written for other clauses and in every
language form (zh, zh-Hant, Cantonese, en): duties judged by what they oblige, superlatives, ratios of the
benefits a sentence names, Cantonese money and negation, discounts, conditions bound to a benefit without a
figure, qualifiers bound per figure kind and subjects named after their figure."""

from __future__ import annotations

import pytest

from assistant.answering.modality import duty_problem, superlative_problem
from assistant.answering.statements import spell_out
from assistant.knowledge.claims import fold
from assistant.knowledge.figures import extract_figures
from tests.gatecheck import gate_on

M = "sz-ai-opc-plan:"


def gate(corpus, answer: str, *clauses: str) -> list[str]:
    return gate_on(corpus, answer, clauses)


TRUE = [
    # an obligation whose object is a condition of the benefit: a restriction, judged by the restriction checks
    ("申请个人创业担保贷款须为毕业5年内的高校毕业生，最高60万元[1]。", "m5"),
    ("Applicants must be newly introduced doctoral, master's or bachelor's degree holders to get the hukou subsidy "
     "of up to 100,000 yuan [1].", "m2"),
    ("要攞最高50平方米嘅低成本創業空間，必須係入駐其他產業空間嘅人工智能個人或團隊[1]。", "m3"),
    ("計劃規定，入選的創新聯合體項目最高可獲3000萬元資助[1]。", "m9"),
    # a duty whose action the clause provides (not one it only encourages)
    ("The municipal AI policy vouchers must be used for model training [1].", "m6"),
    ("市級人工智能政策券必須用於模型訓練[1]。", "m6"),
    # caps are no rankings
    ("过渡性住房最长可租36个月[1]。", "m4"),
    ("Eligible AI teams settling in other industrial spaces get at most 50 square meters of low-cost space [1].", "m3"),
    # a ratio of the two benefits the sentence names
    ("留學青年人才創業資助上限是小微企業創業擔保貸款上限的五分之一[1]。", "m5"),
    ("The personal startup guaranteed loan cap is three-fifths of the R&D funding cap [1].", "m5"),
    ("個人創業擔保貸款上限係留學青年人才創業資助上限嘅五分之三[1]。", "m5"),
    # Cantonese money
    ("入選鯤鵬項目，創新創業獎勵最多5萬蚊，研發資助最多100萬蚊[1]。", "m5"),
    # conditions bound to a benefit the statement names without a figure
    ("OPC社區內企業可以按規模獲得區級智能券[1]。", "m6"),
    ("Districts allocate smart vouchers to enterprises in OPC communities based on scale [1].", "m6"),
    # discounts: that much off is the rest of the price
    ("Transitional housing costs about 40% less than the market reference rent [1].", "m4"),
    ("过渡性住房租金比市场参考租金便宜约40%[1]。", "m4"),
    ("過渡性住房租金平咗大約40%[1]。", "m4"),
    # qualifiers per figure kind; a subject named after its figure across a conjunction inside the noun
    ("By the end of 2027 there should be more than 10 OPC communities of at least 10,000 square meters each [1].",
     "goals"),
    ("The plan aims for over 1,000 high-growth AI startups and more than 10,000 AI innovation and "
     "entrepreneurship talents by the end of 2027 [1].", "goals"),
]


@pytest.mark.parametrize("answer, clauses", TRUE, ids=[a for a, _ in TRUE])
def test_true_statements_of_each_class_pass(corpus, answer, clauses):
    assert gate(corpus, answer, *clauses.split(",")) == []


LIES = [
    # a duty where the clause encourages, supports or promotes
    ("企业必须与科研机构共建联合实验室[1]。", "m9", "必须"),
    ("入選創新聯合體項目的企業須將成果在深圳轉化[1]。", "m9", "須"),
    ("各區必須要為OPC企業提供保障性住房[1]。", "m4", "必須"),
    ("Companies must share their research instruments and equipment with others [1].", "m9", "must"),
    # a duty no cited sentence states
    ("申请训练算力券的企业须先缴纳保证金[1]。", "m6", "须"),
    ("Startups are required to hire local staff before they receive R&D funding [1].", "m5", "required"),
    # a superlative the clauses do not use
    ("计划最看重南山的OPC社区建设[1]。", "m1", "最看"),
    ("出海專區最關注跨境支付[1]。", "m10", "最關"),
    ("計劃最鍾意支持政務服務嘅AI產品[1]。", "m7", "最鍾"),
    ("Guangming is the most developed AI cluster in the plan [1].", "m1", "most developed"),
    # a fraction equal to a ratio of two other benefits' figures (1,000,000 / 5,000,000)
    ("鲲鹏创新创业奖励上限是研发资助上限的五分之一[1]。", "m5", "20%"),
    ("The personal startup loan cap is a fifth of the R&D funding cap [1].", "m5", "20%"),
    ("鯤鵬獎勵上限大約係研發資助上限嘅五分之一[1]。", "m5", "20%"),
    # Cantonese money keeps its qualifiers
    ("住房補貼稅後每個月1250蚊[1]。", "m4", "after tax"),
    ("模型券最多1000萬蚊[1]。", "m6", "training power voucher"),
    # a condition negated for the benefit the statement names, with no figure
    ("冇喺OPC社區嘅企業都可以攞智能券[1]。", "m6", "OPC"),
    ("不在OPC社区的企业也能领取智能券[1]。", "m6", "OPC"),
    ("非OPC社區企業同樣可以申請區級智能券[1]。", "m6", "OPC"),
    ("Companies outside OPC communities can also get the district smart vouchers [1].", "m6", "OPC"),
    # discounts the clause does not give
    ("Transitional housing comes at a 60 percent discount on the market reference rent [1].", "m4", "40%"),
    ("過渡性住房租金比市場參考租金便宜60%[1]。", "m4", "40%"),
    # "each" on a figure the clause does not give per unit
    ("Each OPC community will host more than 1,000 high-growth AI startups by the end of 2027 [1].", "goals",
     "each"),
]


@pytest.mark.parametrize("answer, clauses, named", LIES, ids=[a for a, _, _ in LIES])
def test_false_statements_of_each_class_are_blocked_and_named(corpus, answer, clauses, named):
    problems = gate(corpus, answer, *clauses.split(","))
    assert problems and any(fold(named).lower() in fold(p).lower() for p in problems), problems


def test_a_duty_is_judged_by_what_it_obliges(corpus):
    support = corpus.support
    m8 = [corpus.clause(M + "m8").text["zh"]]

    def duty(text: str) -> str | None:
        return duty_problem(fold(text), m8, corpus.claims, support.obligation, support.encouragement, support.filler,
                            support.provision)

    assert duty("各区必须定期举办投融资路演") == "必须"            # encouraged, not obliged
    assert duty("企业须自行承担路演场地费用")                        # nothing of the kind
    assert duty("各区定期举办投融资路演") is None                   # no duty stated
    # a condition of the benefit is the restriction checks' business, even where no sentence of m8 states it
    assert duty("须为毕业5年内的高校毕业生") is None


def test_superlatives_need_the_same_superlative_in_a_source(corpus):
    allowed = corpus.support.superlatives_allowed
    m7 = [corpus.clause(M + "m7").text["zh"]]
    assert superlative_problem("最高200万元研发资助", m7, allowed) is None
    assert superlative_problem("最看重先进制造", m7, allowed)
    assert superlative_problem("at most 50 square meters", m7, allowed) is None


@pytest.mark.parametrize("text, value", [("1250蚊", 1250), ("5萬蚊", 50000), ("每月1,000蚊", 1000)])
def test_cantonese_money_is_yuan(text, value):
    money = [f for f in extract_figures(text) if f.kind == "money"]
    assert [f.value for f in money] == [value]


@pytest.mark.parametrize("text, figure", [("a 40 percent discount", "60%"), ("40% off the rent", "60%"),
                                          ("a discount of 25%", "75%"), ("便宜40%", "60%"), ("平咗大約40%", "60%")])
def test_a_discount_is_the_rest_of_the_price(text, figure):
    assert figure in spell_out(text)

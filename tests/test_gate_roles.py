"""Lies made of words, on the real corpus and the real gate: a figure the plan gives as approximate said as exact
(claims.yaml `precision`), a thing a cited clause names said to be missing from it (absence framing words), who
sets up a thing said to be another actor, and a place bound to a thing no cited sentence places there
(assistant/answering/roles.py). Each with truths of the same shape that must still pass. Written for these tests
from the plan text (corpus/sz-ai-opc-plan/{zh,en}.yaml), in zh, zh-Hant, Cantonese and English."""

from __future__ import annotations

import pytest

from tests.gatecheck import gate_on

LIES = [
    # precision: the plan's rent is about 60 % of the market rent
    ("过渡性住房的租金刚好是市场参考租金的60%[1]。", "m4"),
    ("過渡性住房租金精確為市場參考租金的60%[1]。", "m4"),
    ("過渡房租金一律為市場參考租金嘅60%，冇多冇少[1]。", "m4"),
    ("Transitional housing costs precisely 60% of the market reference rent [1].", "m4"),
    ("The rent for transitional housing is set at 60% flat of the market reference rent [1].", "m4"),
    ("Rent is 60% of the market reference rent, no more and no less [1].", "m4"),   # its own clause
    # a thing the clause names said to be missing from it
    ("计划没有涉及种子基金方面的内容[1]。", "m8"),
    ("The plan does not mention any roadshows [1].", "m8"),
    ("計劃冇涉及投融資路演嘅相關內容[1]。", "m8"),
    # who sets it up: the plan encourages the districts to
    ("各区的天使基金由市政府统一出资设立[1]。", "m8"),
    ("國家創業投資引導基金負責在各區設立配套天使基金[1]。", "m8"),
    ("The Greater Bay Area Venture Capital Guiding Fund will set up matching seed and angel funds in every district [1].",
     "m8"),
    ("Matching seed and angel funds are set up by the Greater Bay Area Venture Capital Guiding Fund [1].", "m8"),
    # where it is: the plan names Qianhai and Hetao only for data flows
    ("出海专区设在河套，帮助企业解决跨境支付等难题[1]。", "m10"),
    ("The integrated government and public service platform is located in Hetao [1].", "m10"),
    ("一體化政務服務平台設喺前海，提供政策諮詢同商事登記[1]。", "m10"),
    ("出海專區位於前海，協助企業處理跨境支付[1]。", "m10"),
    ("The Going Global Zone is based in Hetao [1].", "m10"),
]

TRUTHS = [
    ("过渡性住房最长36个月，租金大约是市场参考租金的60%[1]。", "m4"),
    ("Transitional housing rent is roughly 60% of the market reference rent [1].", "m4"),
    ("住房補貼每月稅前大約1250元，最長24個月[1]。", "m4"),   # an exact figure said as approximate
    ("计划没有涉及贷款利率的相关内容[1]。", "m8"),
    ("The plan has no provisions on how angel funds are managed [1].", "m8"),
    ("计划鼓励各区设立配套种子基金和天使基金，定期举办投融资路演[1]。", "m8"),
    ("Districts are encouraged to establish matching seed and angel funds [1].", "m8"),
    ("各區可以設立配套嘅種子基金同天使基金[1]。", "m8"),
    ("计划依托前海、河套推动数据跨境流动，支持人工智能国际合作[1]。", "m10"),
    ("In Qianhai and Hetao, the plan facilitates cross-border data flows [1].", "m10"),
    ("Cross-border data flows are promoted via Qianhai and Hetao [1].", "m10"),
    ("The first OPC communities will rely on the AI innovation clusters in Nanshan and Futian [1].", "m1"),
    ("市同區會合力建設產業創新空間[1]。", "m3"),                 # who, in other words: the city and districts
    ("The plan supports university AI talent starting companies in Shenzhen [1].", "m9"),
]


@pytest.mark.parametrize("answer, clause", LIES)
def test_lie_is_blocked(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)), answer


@pytest.mark.parametrize("answer, clause", TRUTHS)
def test_truth_is_shown(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)) == [], answer


def test_a_figure_said_exact_names_the_precision_lost(corpus):
    found = gate_on(corpus, "Qualified founders pay exactly 60% of the market reference rent [1].", ("m4",))
    assert any("exactly" in f and "about" in f for f in found), found

"""True paraphrases of a clause pass and the same shapes with a false claim are blocked, in zh, zh-Hant, Cantonese
and English: a giving verb or a word of the plan said another way (按档发放 for 给予分档, "jointly" for coordinated
city-district efforts, "another" for "other", "form" for "creation"); words of a list's shape (三种形式组成) or of
the source itself (原文以「等」概括); Cantonese function words (入面, 亦, 出嚟, 先…可以, 跟住); a hyphenated word of
the clause ("single-person"); a comparative the clause itself writes ("to lower innovation barriers"); English list
items named in more words than the clause's ("research institutes"); a total of the whole (全市…合计); counts of
lists without an Oxford comma; first…then between things given together. Lies: "both" of what the clause joins
with "or" (贴息或利息优惠), a count one short or long, first…then ordering a choice, a prerequisite, an item from
another list or none. Real gate on real clauses (tests/gatecheck.py)."""

from __future__ import annotations

import pytest

from tests.gatecheck import gate_on

TRUTHS = [
    ('m2', '新引进的博士、硕士、学士可获得落户补贴，按档次发放，最高10万元[1]。'),
    ('m1', 'OPC社区通过市区联合建设，首先依托南山、龙岗、福田、光明等人工智能创新集聚区[1]。'),
    ('m4', '住房供应体系由“一张床、一间房、一套公寓”三种形式组成，保障人才安居[1]。'),
    ('m10', '出海专区帮助企业解决跨境支付、网络和数据、海外推广等国际化难题，其余难题原文以“等”概括[1]。'),
    ('m1', '到2027年底，全市OPC社区面积合计预计超过50万平方米[1]。'),
    ('m9', '高校、科研机构和企业可以组成创新联合体攻关关键技术，入选项目最高可获3000万元资助[1]。'),
    ('m5', '入选鲲鹏青年创新创业项目的，先拿最高5万元创新创业奖励，再拿最高100万元研发资助[1]。'),
    ('m6', '各區會按規模向OPC社區內企業發放「智能券」，抵扣算力、模型、數據語料等前期成本[1]。'),
    ('m3', '市區聯合建設產業創新空間，辦公空間體系由「一桌、一室、一層」三種形式組成[1]。'),
    ('m1', '全市OPC社區面積合計預計到2027年底超過50萬平方米[1]。'),
    ('m2', '新引進的博士、碩士、學士學位人才，落戶補貼按檔發放，最高10萬元[1]。'),
    ('m10', '平台提供政策諮詢、商事登記、稅務和知識產權服務，共四項[1]。'),
    ('m3', 'OPC社區入面會按團隊需要提供低成本創業空間 [1]。'),
    ('m5', '只有畢業5年內、出嚟創業嘅高校畢業生先可以申請個人創業擔保貸款，最高60萬元 [1]。'),
    ('m3', '入駐其他產業空間、符合條件嘅人工智能個人同團隊亦都可以享受最高50平方米嘅低成本創業空間 [1]。'),
    ('m5', '入選鯤鵬項目，先攞最高5萬元創新創業獎勵，跟住再攞最高100萬元研發資助 [1]。'),
    ('m1', '社區係市同區聯動建設，首先依托南山、龍崗、福田、光明呢啲人工智能創新集聚區，跟住再向全市拓展 [1]。'),
    ('m4', '住房體系由「一張床、一間房、一套公寓」三種形式組成 [1]。'),
    ('m10', '出海專區幫企業解決跨境支付、網絡同數據、海外推廣呢啲國際化難題 [1]。'),
    ('intro', 'The plan aims to make Shenzhen a leading hub for AI innovation and single-person entrepreneurship [1].'),
    ('m1', 'OPC communities are built jointly by the city and the districts [1].'),
    ('m3', 'Eligible AI individuals and teams in another industrial space can get up to 50 square meters of low-cost entrepreneurial space [1].'),
    ('m9', 'Universities, research institutes and enterprises can form innovation consortia to tackle key technologies [1].'),
    ('m9', 'Shared access to research instruments and equipment is promoted to lower innovation barriers [1].'),
    ('m2', 'Top AI innovators get six kinds of support: mentorship, investor access, priority industrial space, innovation resources, funding support and city-level scenario access [1].'),
    ('m1', 'Citywide, OPC community area is expected to exceed 500,000 square meters in total by the end of 2027 [1].'),
    ('m5', 'Once selected for a Kunpeng project, you get up to 50,000 yuan in rewards, and then also up to 1 million yuan in R&D funding [1].'),
    ('m5', 'Graduates within five years can take a personal startup guaranteed loan of up to 600,000 yuan, plus interest subsidies or discounts [1].'),
    ('m10', 'The platform offers four services: policy consultation, business registration, tax and intellectual property services [1].'),
    ('m9', 'Consortia formed by universities, institutes and enterprises can receive up to 30 million yuan for selected projects [1].'),
    ('m3', 'The city and districts jointly develop industrial innovation spaces under a one desk, one office, one floor system [1].'),
]

LIES = [
    ('m5', '畢業5年內嘅高校畢業生創業，貸款可以同時享受貼息同埋利息優惠兩樣 [1]。'),
    ('m5', '毕业5年内的高校毕业生创业贷款可以同时享受贴息和利息优惠[1]。'),
    ('m5', 'Recent graduates get both interest subsidies and discounts on their loans at the same time [1].'),
    ('m5', '畢業5年內的高校畢業生，創業擔保貸款可同時享有貼息及利息優惠[1]。'),
    ('m2', 'Top AI innovators get five kinds of support: mentorship, investor access, priority industrial space, innovation resources, funding support and city-level scenario access [1].'),
    ('m2', '顶尖人才可获得五项支持：导师指导、投资人对接、优先保障产业空间、创新资源、资金支持和市级应用场景对接[1]。'),
    ('m4', '住房供应体系由“一张床、一间房、一套公寓”四种形式组成[1]。'),
    ('goals', '这些OPC社区面积合计不少于1万平方米[1]。'),
    ('m1', 'OPC communities are built jointly by the city and the national government [1].'),
    ('m3', 'Eligible AI individuals in Hong Kong can get up to 50 square meters of low-cost entrepreneurial space [1].'),
    ('m4', '先住過渡性住房，跟住再攞住房補貼 [1]。'),
    ('m4', 'First rent the transitional housing, then take the housing subsidy [1].'),
    ('m5', '入选鲲鹏项目须先领取创新创业奖励，才能获得最高100万元研发资助[1]。'),
    ('m9', 'Universities, research institutes and banks can form innovation consortia to tackle key technologies [1].'),
    ('m9', 'Universities, joint labs and enterprises can form innovation consortia to tackle key technologies [1].'),
    ('m5', '只有博士畢業、出嚟創業嘅人先可以申請個人創業擔保貸款 [1]。'),
    ('m3', 'OPC社區入面亦會免費提供辦公空間 [1]。'),
    ('m2', '落户补贴按月发放，每月最高10万元[1]。'),
    ('intro', 'The plan aims to make Shenzhen a leading hub for single-family rental housing [1].'),
    ('m10', '出海專區只解決跨境支付一項難題[1]。'),
    ('m1', '全市OPC社區面積合計超過100萬平方米[1]。'),
    ('m9', 'Universities, research institutes and enterprises can form innovation consortia and receive up to 50 million yuan [1].'),
    ('m1', 'The communities are developed jointly by the city and Hong Kong [1].'),
]


@pytest.mark.parametrize("clause,answer", TRUTHS)
def test_true_paraphrase_of_the_clause_passes(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) == []


@pytest.mark.parametrize("clause,answer", LIES)
def test_false_claim_in_the_same_words_is_blocked(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) != []


def test_a_hyphenated_word_of_filler_alone_still_breaks_no_run_of_unknown_words(corpus):
    """"one-person" says nothing of its own: "lend … companies" around it stays a run the clause lacks."""
    answer = ("The plan builds an investment and financing system guided by funds and supplemented by credit [1]. "
              "It does so because banks in Shenzhen have been unwilling to lend to one-person companies.")
    assert gate_on(corpus, answer, ("m8",)) != []

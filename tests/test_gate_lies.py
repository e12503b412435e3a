"""Lies the grounding gate blocks by what they do, each class on answers written for these tests (other clauses,
other wordings, zh / zh-Hant / Cantonese / en), with the truths of the same shape it must let through:
an item moved between two lists of one clause (also as a part of a longer item, and in a list of two), a name no
cited clause gives in a list of names, a cap dropped where a cap word qualifies another figure, a universal claim,
a duty the clause only encourages though it names a condition, a support said to be missing that a cited clause
gives, a widened scope, and one amount before and after tax offered as a choice."""

from __future__ import annotations

import pytest

from tests.gatecheck import gate_on

LIES = [
    # an item of another list of the same clause, whole or as part of a longer item
    ("政务平台提供政策咨询、商事登记、海外推广和知识产权服务[1]。", "m10"),
    ("平台提供政策諮詢、商事登記、跨境支付結算和知識產權服務[1]。", "m10"),
    ("平台幫企業搞掂政策諮詢、商事登記同海外推廣[1]。", "m10"),
    # a list of two: one item the clause pairs with another, or a name no cited clause gives
    ("计划支持先进制造和公共服务领域的场景对接，示范项目最高200万元研发资助[1]。", "m7"),
    ("計劃會定期開放城市治理同現代服務領域嘅高價值應用場景[1]。", "m7"),
    ("支持城市治理、现代服务等领域的场景对接[1]。", "m7"),
    ("首先依托南山和宝安等人工智能创新集聚区建设OPC社区[1]。", "m1"),
    ("The plan regularly opens scenarios in urban governance and modern services [1].", "m7"),
    # a cap dropped: the cap word of the answer qualifies another figure
    ("毕业生能拿到60万元个人创业担保贷款，另外小微企业还可以申请最高500万元贷款[1]。", "m5"),
    ("Graduates get a 600,000 yuan personal startup loan, and small firms may borrow up to 5 million yuan [1].", "m5"),
    # a universal or guaranteed claim
    ("每家OPC社區企業都可以領到區級智能券[1]。", "m6"),
    ("計劃保證入駐其他產業空間嘅團隊有低成本創業空間[1]。", "m3"),
    ("Smart vouchers go to AI companies wherever they are in the district [1].", "m6"),
    # a duty where the clause encourages, though it names an OPC community
    ("Companies in the same industrial chain must all settle in one OPC community [1].", "m6"),
    ("同一產業鏈嘅企業必須集中入駐同一個OPC社區[1]。", "m6"),
    # a support said to be missing that the clause gives
    ("计划给鲲鹏项目奖励，但没有给毕业生的个人创业担保贷款[1]。", "m5"),
    ("There is no startup funding for overseas-educated young talents [1].", "m5"),
    ("計劃冇專門畀小微企業嘅創業擔保貸款[1]。", "m5"),
    ("计划不会给留学青年人才创业资助[1]。", "m5"),
    ("Overseas-educated young talents get no startup funding [1].", "m5"),
    # one amount before and after tax offered as a choice
    ("住房补贴每月可以选税前1250元，或者选税后1000元[1]。", "m4"),
    ("Each month you can pick either 1,250 yuan before tax or 1,000 yuan after tax [1].", "m4"),
    ("You can choose between 1,250 yuan before tax and 1,000 yuan after tax each month [1].", "m4"),
    # the plan said not to mention or cover a thing a cited clause names, or a topic it opens (至于X，…)
    ("计划里并没有提到安全评估方面的服务[1]。", "m10"),
    ("平台提供政策諮詢同商事登記服務[1]。跨境支付這一塊，計劃沒有涉及[1]。", "m10"),
    ("至於聯合實驗室，計劃並冇設立專門嘅安排[1]。", "m9"),
    ("As for cross-border data flows, the plan does not mention them [1].", "m10"),
    # only one of two things the sources give together, said of "them" in the sentence before
    ("毕业生可以申请最高60万元的个人创业担保贷款和最高500万元的小微企业创业担保贷款[1]。两者只可以申请其中一种[1]。", "m5"),
    ("Graduates can apply for a personal startup loan of up to 600,000 yuan and a small business loan of up to "
     "5 million yuan [1]. You can only pick one of them [1].", "m5"),
    ("區級智能券面向OPC社區企業[1]。每間企業只可以攞其中一種券[1]。", "m6"),
    # of the two named before it, though a thing named after it is one of an alternative
    ("毕业生可以申请最高60万元的个人创业担保贷款或者最高500万元的小微企业创业担保贷款，只能选其中一种，另外还有相应的贴息[1]。",
     "m5"),
    # an item no cited list names, joined to a list after it (以及, 仲有) or among named funds
    ("出海专区帮助企业解决跨境支付、网络和数据、海外推广，以及跨境融资等国际化难题[1]。", "m10"),
    ("出海專區幫企業處理跨境支付、網絡同數據，仲有海外融資呢啲國際化難題[1]。", "m10"),
    ("计划发挥国家创业投资引导基金、国家中小企业发展基金以及市区两级引导基金的作用[1]。", "m8"),
    # a comparison in words the two benefits' figures (the sentence before names them) do not bear out
    ("Kunpeng projects get up to 50,000 yuan in rewards, and overseas-returned young talents up to 1 million yuan "
     "in startup funding [1]. So the Kunpeng reward is the larger one [1].", "m5"),
    ("入选鲲鹏项目的可获最高5万元创新创业奖励，留学青年人才可获最高100万元创业资助[1]。所以鲲鹏项目的奖励更多[1]。", "m5"),
    ("入選鯤鵬項目可以攞最高5萬蚊創新創業獎勵，留學青年人才最高有100萬蚊創業資助[1]。即係鯤鵬項目嘅獎勵多啲[1]。", "m5"),
    ("Transitional housing can be rented for up to 36 months, while the housing subsidy runs for up to 24 months "
     "[1]. So the subsidy is the longer option [1].", "m4"),
    # who a benefit is for, named without the condition that defines them (留学, overseas-educated)
    ("Young talents can get up to 1 million yuan in startup funding [1].", "m5"),
    ("符合条件的青年人才可获得最高100万元创业资助[1]。", "m5"),
    # the condition in another sentence qualifies nothing here
    ("The plan helps overseas-educated people [1]. Young talents can get up to 1 million yuan in startup funding "
     "[1].", "m5"),
    ("符合條件嘅青年人才最高可以攞100萬元創業資助[1]。", "m5"),
    # two steps in the reverse of the clause's order
    ("计划先在全市建设OPC社区，然后再依托南山、龙岗等人工智能创新集聚区[1]。", "m1"),
    ("計劃會先喺全市拓展，之後再依託南山、龍崗嘅人工智能創新集聚區[1]。", "m1"),
    ("The plan first expands across the city, then leverages the AI innovation clusters in Nanshan and Longgang [1].",
     "m1"),
    # a duration cap the clause gives, denied
    ("住房補貼每月稅前1250蚊，冇年期限制[1]。", "m4"),
    ("The housing subsidy pays 1,250 yuan a month before tax with no time limit [1].", "m4"),
]

TRUTHS = [
    ("出海专区帮助企业解决跨境支付、网络和数据、海外推广等国际化难题[1]。", "m10"),
    ("平台提供政策咨询、商事登记、税务和知识产权服务，还有大模型备案指导、安全评估等专业服务[1]。", "m10"),
    ("依托前海同河套推动数据跨境流动[1]。", "m10"),
    ("定期开放城市治理和公共服务领域的高价值应用场景[1]。", "m7"),
    ("The plan supports scenario matching in advanced manufacturing and modern services [1].", "m7"),
    ("計畫推動人工智慧和具身智慧機器人基金投向高成長性OPC企業[1]。", "m8"),
    # 模型研发 is no kind of 模型 (a Chinese noun ends with its head)
    ("市级政策券分训练、模型研发和数据语料，用于模型训练、智能体构建和API调用[1]。", "m6"),
    ("首先依托南山、龙岗、福田、光明等人工智能创新集聚区建设OPC社区[1]。", "m1"),
    ("對入選鯤鵬項目的，分別給予最高5萬元創新創業獎勵和100萬元研發資助[1]。", "m5"),
    ("Selected Kunpeng projects get up to 50,000 yuan in rewards and 1 million yuan in R&D funding [1].", "m5"),
    ("到2027年底建成10个以上OPC社区，每个社区面积不少于1万平方米[1]。", "goals"),
    ("想攞區級智能券，企業必須喺OPC社區內[1]。", "m6"),
    ("计划鼓励同一产业链企业集聚入驻，实现高效协作[1]。", "m6"),
    ("计划没有针对外籍人才的创业资助[1]。", "m5"),
    ("There is no age limit for the startup funding [1].", "m5"),
    ("你可以选择住房补贴，每月税前1250元（税后1000元），最长24个月[1]。", "m4"),
    ("住房补贴每月税前1250元（税后1000元）[1]。", "m4"),
    ("住房补贴每月税前1250元，也就是税后1000元[1]。", "m4"),
    ("The housing subsidy is 1,250 yuan a month before tax or 1,000 yuan after tax [1].", "m4"),
    ("住房補貼每月係稅前1250蚊或者稅後1000蚊[1]。", "m4"),
    # a choice of benefit, then its amount said two ways: the choice is not between the amounts
    ("Founders may opt for the housing subsidy for up to 24 months, getting 1,250 yuan before tax or 1,000 yuan "
     "after tax a month [1].", "m4"),
    ("你可以选择住房补贴，每月税前1250元或税后1000元，最长24个月[1]。", "m4"),
    # a way of doing, or a topic, no cited clause speaks of
    ("计划要对优秀创新人才给予重点政策支持[1]。计划没有写明具体的评价方法[1]。", "m2"),
    ("市级政策券包括训练算力券、模型券和数据语料券[1]。至于申请流程，计划没有说明[1]。", "m6"),
    ("The city policy vouchers cover training compute, models and data corpora [1]. As for the application "
     "process, the plan does not say [1].", "m6"),
    # a list continued with the clause's own items, and a list of the clause's funds
    ("出海专区帮助企业解决跨境支付、网络和数据，还有海外推广等难题[1]。", "m10"),
    ("平台提供政策咨询、商事登记、税务和知识产权服务，还有大模型备案指导、安全评估等专业服务[1]。", "m10"),
    ("计划发挥粤港澳大湾区创业投资引导基金、市区两级引导基金和产业基金的作用[1]。", "m8"),
    ("平台提供政策咨询、商事登记、税务和知识产权服务，另外还有大模型备案指导、安全评估这些专业服务[1]。", "m10"),
    # a last item running on into the sentence, and another thing after a list (not its kind again)
    ("计划先依托南山、龙岗、福田这几个人工智能创新集聚区建设OPC社区[1]。", "m1"),
    ("毕业生可以申请最高60万元个人创业担保贷款、最高500万元小微企业创业担保贷款，还有相应的贴息[1]。", "m5"),
    ("新引进的博士、硕士、学士落户补贴分档给予，最高10万元[1]。", "m2"),
    # the condition said, or no one named, or one the plan's title names (an AI plan's people work in AI)
    ("只说符合条件的个人和团队可享受最高50平方米的低成本创业空间[1]。", "m3"),
    ("符合条件的留学青年人才可获得最高100万元创业资助[1]。", "m5"),
    ("Eligible overseas-educated young talents can get up to 1 million yuan in startup funding [1].", "m5"),
    ("The startup funding is up to 1 million yuan [1].", "m5"),
    # the condition said in another clause of the same sentence
    ("Among overseas-educated people, young talents can get up to 1 million yuan in startup funding [1].", "m5"),
    ("In OPC communities, the low-cost startup spaces come sized to team needs [1].", "m3"),
    # the steps in the clause's order
    ("先依托南山、龙岗、福田、光明这几个人工智能创新集聚区，之后再扩展到全市[1]。", "m1"),
    ("The plan will initially leverage the AI innovation clusters in Nanshan and Futian, then expand across the "
     "city [1].", "m1"),
    # a comparison the figures bear out
    ("Kunpeng projects get up to 50,000 yuan in rewards, and overseas-returned young talents up to 1 million yuan "
     "in startup funding [1]. So the startup funding is the larger one [1].", "m5"),
    ("入选鲲鹏项目的可获最高5万元创新创业奖励，留学青年人才可获最高100万元创业资助[1]。所以留学青年人才的创业资助更多[1]。",
     "m5"),
    # only one of two the sources offer as alternatives
    ("青年创业者可租住过渡性住房最长36个月，或选择领取最长24个月的住房补贴，两者只能选其中一种[1]。", "m4"),
    ("符合条件的青年创业者可以租住过渡性住房，或选择领取住房补贴[1]。两者只能选其中一种[1]。", "m4"),
    ("You can rent transitional housing for up to 36 months or take the housing subsidy [1]. You can only have "
     "one of them [1].", "m4"),
]


@pytest.mark.parametrize(("answer", "clause"), LIES)
def test_lie_is_blocked(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)), answer


@pytest.mark.parametrize(("answer", "clause"), TRUTHS)
def test_truth_is_shown(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)) == [], answer

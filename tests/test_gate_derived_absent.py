"""The classes the eighth held-out gate set showed, read after seeing it: true answers of each class pass and false
ones of the same shape are blocked, in zh, zh-Hant, Cantonese and English, on wordings of our own. Derived figures
(a sum of what a clause gives together, a total of the sentence before, a capped term taken in full, km², "i.e."),
the founder's own figure and "these two"; a specific amount where the clause gives only a cap, an absence speaking
of what its sentence names, "gives no" after a statement of its own, a value named as what is not set; commentary on
the plan's provisions, a universal denied, the clause's own share beside another benefit, a scope the answer states
by the clause's own condition. Lies: a document title the clause does not cite, a level raised, "and also" of an
either/or, a field's fund denied, an English list item swapped, a condition waived. Real gate on real clauses
(tests/gatecheck.py)."""

from __future__ import annotations

import pytest

from tests.gatecheck import gate_on

Q_OPC = "OPC社區入面啲低成本空間係咪最多50平方米？"
Q_OPC_EN = "Is the 50 sqm space for people inside OPC communities?"
Q_GRAD = "我畢業已經第7年了，還能申請個人創業擔保貸款嗎？"

# (clause(s), answer, question)
TRUTHS = [
    # a title the clause cites, or the plan's own
    ("m3", "根据《深圳市加强青年人才发展服务若干措施》，入驻其他产业空间的符合条件的人工智能个人和团队，可享受最高50平方米的低成本创业空间[1]。", ""),
    ("m3", "《深圳市打造人工智能OPC创业生态引领地行动计划》提出，在OPC社区内按团队需要提供低成本创业空间[1]。", ""),
    ("m3", "根據《深圳市加強青年人才發展服務若干措施》，入駐其他產業空間嘅符合條件人工智能個人同團隊，可以享受最高50平方米嘅低成本創業空間[1]。", ""),
    # a specific amount where the clause gives a cap
    ("m7", "计划对政务服务中部署应用的人工智能产品给予最高500万元支持，没有规定每个产品的具体金额[1]。", ""),
    ("m7", "計劃對政務服務中部署應用的人工智能產品給予最高500萬元支持，但沒有寫具體數額[1]。", ""),
    ("m7", "政務服務入面部署嘅人工智能產品最高有500萬元支持，計劃冇講具體金額[1]。", ""),
    ("m7", "AI products deployed in government services get up to 5 million yuan; the plan gives no exact amount for each product [1].", ""),
    # an absence speaking of what its own sentence names
    ("m6", "國家人工智能券（算力券）由企業申報，計劃支持企業申報，但沒寫額度[1]。", ""),
    ("m6", "各区根据规模向OPC社区内企业发放智能券[1]。至于每家能拿多少，计划没有写具体金额[1]。", ""),
    # commentary on the plan's provisions
    ("m5", "有相关条款。入选鲲鹏青年创新创业项目的，给予最高5万元创新创业奖励和最高100万元研发资助[1]。", ""),
    ("m10", "有相關措施。計劃提出建設人工智能「出海專區」，幫助企業解決跨境支付等國際化難題[1]。", ""),
    ("m9", "入选项目最高可获3000万元资助，三千万元是上限，不代表每个项目都能拿到这个数[1]。", ""),
    # derived figures
    ("m5", "入選鯤鵬青年創新創業項目的，給予最高5萬元創新創業獎勵和最高100萬元研發資助[1]，兩項加起來上限為105萬元。", ""),
    ("m5", "入选鲲鹏项目的，最高5万元创新创业奖励和最高100万元研发资助，两项合计最多105万元[1]。", ""),
    ("m5", "Selected Kunpeng projects get up to 50,000 yuan in rewards and up to 1 million yuan in R&D funding [1], "
           "which adds up to at most 1,050,000 yuan.", ""),
    ("m4", "住房補貼最長攞24個月，每月稅前1250元、稅後1000元[1]。咁攞足嘅話，稅前總共係3萬元，稅後係2.4萬元。", ""),
    ("m4", "The housing subsidy is 1,250 yuan a month before tax for up to 24 months [1]. Over the full 24 months that "
           "comes to at most 30,000 yuan before tax.", ""),
    ("m1", "到2027年底，全市OPC社区面积预计超过50万平方米，即超过0.5平方公里[1]。", ""),
    ("m4", "The rent is about 60% of the market reference rent, and you can rent it for up to 36 months, i.e. three years [1].", ""),
    ("m5", "個人創業擔保貸款的對象是畢業5年內的高校畢業生[1]；你畢業已7年，不在這一條寫明的範圍內。", Q_GRAD),
    ("m5", "个人创业担保贷款最高60万元、小微企业创业担保贷款最高500万元，这两项贷款都可享受相应的贴息或利息优惠[1]。", ""),
    # the clause's share, beside the other benefit
    ("m4", "符合條件的青年創業者可以租住過渡性住房（最長36個月、租金約為市場參考租金的60%），或選擇領取最長24個月的住房補貼[1]。", ""),
    # a scope stated by the clause's own condition
    ("m3", "唔係。50平方米上限只係適用於入駐其他產業空間嘅符合條件AI個人同團隊[1]。", Q_OPC),
    ("m3", "No, the 50 square metres is only for eligible AI individuals and teams settling in other industrial spaces [1].",
     Q_OPC_EN),
    ("m3", "Inside OPC communities, the plan offers low-cost startup space sized to team needs and gives no square-metre cap [1].", ""),
    # a value named as what the plan does not set
    ("m5", "The plan provides up to 1 million yuan in startup funding for eligible overseas-educated young talents [1]. "
           "It doesn't say whether there is an age limit such as 35.", ""),
    # a condition the clause does not set, waived
    ("m5", "即使没有入选鲲鹏项目，符合条件的留学青年人才也可以获得最高100万元创业资助[1]。", ""),
    # "A, not B": B ruled out; a gloss of the clause's quoted list; a guarantor; the districts' housing
    ("m2", "落户补贴是分档的，并不是统一金额，最高10万元[1]。", ""),
    ("m2", "落戶補貼係分檔發放嘅，唔係統一金額[1]。", ""),
    ("m3", "市区联合建设产业创新空间，推行“一桌、一室、一层”，即从一张桌、一间办公室到一整层的办公空间[1]。", ""),
    ("m5", "計劃沒有提到擔保人，只寫了可申請最高60萬元個人創業擔保貸款[1]。", ""),
    ("m4", "计划支持各区为OPC企业提供保障性住房[1]。但计划没有写租金标准[1]。", ""),
    ("goals", "建成10个以上OPC社区，每个不少于1万平方米[1]，所以「10个×1万平方米」的最低要求是10万平方米。", ""),
    # paraphrase: funds lead, credit supplements; an English list in the clause's items
    ("m8", "The plan builds a financing system guided by funds and supplemented by credit, so funds lead and loans "
           "play a supporting role [1].", ""),
    ("m10", "The zone helps with cross-border payments, networking and data issues, overseas promotion, and other "
            "international expansion challenges [1].", ""),
]

LIES = [
    # another document's title
    ("m3", "根据《深圳市促进人工智能产业发展若干措施》，入驻其他产业空间的符合条件的人工智能个人和团队，可享受最高50平方米的低成本创业空间[1]。", ""),
    ("m3", "根據《深圳市促進人工智能產業發展條例》，入駐其他產業空間嘅符合條件人工智能個人同團隊，可以享受最高50平方米嘅低成本創業空間[1]。", ""),
    # a figure given plainly said not given; a cap said not set
    ("m4", "住房补贴每月税前1250元，但计划没有写住房补贴每月的具体金额[1]。", ""),
    ("m5", "The plan does not set a cap on the personal startup guaranteed loan [1].", ""),
    ("m5", "The plan offers loans to recent graduates and gives no cap [1].", ""),
    ("m5", "The plan does not set a cap of 800,000 yuan on the personal loan [1].", ""),
    ("m6", "市級人工智能政策券由企業申報，但沒寫額度[1]。", ""),
    # a level raised
    ("m2", "遴选人工智能顶尖创新人才认定为省级高层次人才，并提供导师指导[1]。", ""),
    ("m2", "遴選人工智能頂尖創新人才認定為國家級高層次人才[1]。", ""),
    ("m2", "Top AI innovators are selected as national-level high-level talents [1].", ""),
    # both of an either/or
    ("m4", "Qualified young entrepreneurs can rent transitional housing for up to 36 months and also receive the housing "
           "subsidy for up to 24 months [1].", ""),
    ("m4", "符合条件的青年创业者可以租住过渡性住房最长36个月，而且还可以领取最长24个月的住房补贴[1]。", ""),
    # a field's fund denied
    ("m8", "計劃發揮各級引導基金作用[1]，但並未提及具身智能機器人方向的基金安排[1]。", ""),
    # a universal, and a restriction to a field, kept
    ("m9", "入选项目每个项目都能拿到3000万元资助[1]。", ""),
    ("m5", "个人创业担保贷款最高60万元[1]，仅限人工智能相关专业、毕业5年内的高校毕业生申请。", ""),
    # wrong or unsupported derivations
    ("m5", "入选鲲鹏项目的，最高5万元创新创业奖励和最高100万元研发资助，两项加起来上限为110万元[1]。", ""),
    ("m5", "个人创业担保贷款最高60万元和小微企业创业担保贷款最高500万元[1]，两者合计最高560万元。", ""),
    ("m6", "訓練算力券最高1000萬、模型券最高200萬、數據語料券最高200萬，三樣加埋最高1200萬元[1]。", ""),
    ("m4", "住房补贴最长24个月，每月税前1250元，合计3万元[1]。", ""),
    ("m4", "住房補貼最長攞24個月，每月稅前1250元[1]。攞足嘅話，稅前總共係3.5萬元。", ""),
    ("m1", "到2027年底，全市OPC社区面积预计超过50万平方米，即超过5平方公里[1]。", ""),
    ("m5", "個人創業擔保貸款的對象是畢業5年內的高校畢業生[1]；你畢業已8年，不在範圍內。", Q_GRAD),
    ("m5", "这三项贷款都可享受相应的贴息或利息优惠[1]。", ""),
    ("m8", "該基金已經設立[1]。", ""),
    # "A, not B" where B is what the clause states; a gloss that adds; a word the clause uses, said missing
    ("m2", "落户补贴是分档的，并不是最高10万元[1]。", ""),
    ("m3", "推行“一桌、一室、一层”，即从一张桌、一间厂房到一整层[1]。", ""),
    ("m2", "计划没有提到投资人对接[1]。", ""),
    ("m4", "计划提供过渡性住房[1]。但计划没有写租金标准[1]。", ""),
    ("goals", "建成10个以上OPC社区，每个不少于1万平方米[1]，所以「10个×1万平方米」的最低要求是12万平方米。", ""),
    # the share of another benefit
    ("m4", "住房補貼是市場參考租金的60%，或選擇租住過渡性住房[1]。", ""),
    # the figure of outside OPC communities said of inside them
    ("m3", "係，最多50平方米[1]。", Q_OPC),
    ("m3", "Yes, up to 50 square metres [1].", Q_OPC_EN),
    # an English list item no clause lists
    ("m10", "The zone helps with cross-border payments, networking and data issues, overseas trademark registration, "
            "and other international expansion challenges [1].", ""),
    # a condition the clause sets, waived
    ("m2", "計劃會建立人才評價體系[1]。所以即使冇學位，你都可以申請最高10萬元嘅落戶補貼[1]。", ""),
    ("m2", "即使没有学位，新引进人才也可以申请最高10万元落户补贴[1]。", ""),
    ("m2", "Even without a degree, newcomers can get the hukou subsidy of up to 100,000 yuan [1].", ""),
]


@pytest.mark.parametrize("clauses,answer,question", TRUTHS)
def test_true_answer_of_a_seen_class_passes(corpus, clauses, answer, question):
    assert gate_on(corpus, answer, tuple(clauses.split(",")), question=question) == []


@pytest.mark.parametrize("clauses,answer,question", LIES)
def test_false_answer_of_the_same_shape_is_blocked(corpus, clauses, answer, question):
    assert gate_on(corpus, answer, tuple(clauses.split(",")), question=question) != []

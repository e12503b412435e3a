"""What a statement binds, kept as the cited clause binds it (each class on answers written for these tests, in zh,
zh-Hant, Cantonese and English, with truths of the same shape the gate must let through):
- a condition qualifies the benefit of its own clause (a clause of conditions alone, the clause after it), not
  another benefit of the cited clause (assistant/answering/bound_conditions.py `moved_within`);
- a prerequisite order ("only after", 先…才能, 须先) needs a cited sentence stating an order (sequence.py);
- a list's last item closed by 等 is compared by all of its head, not its first characters (enumerations.py);
- a floor (以上, "more than") said with a word capping or fixing it is turned round (thresholds.py);
- what a thing is for is supported word for word (support.py, `purpose`), and a scope narrowed to the local
  (本地, "local") needs the clause to narrow it too (`markers.narrowed`)."""

from __future__ import annotations

import pytest

from tests.gatecheck import gate_on

# (answer, cited clause, a word of the finding)
LIES = [
    # a condition of one benefit of the clause moved onto another benefit of it
    ("入选鲲鹏青年创新创业项目后，留学青年人才可获最高100万元创业资助[1]。", "m5", "鲲鹏"),
    ("留學青年人才要入選鯤鵬青年創新創業項目之後，先可以攞最高100萬蚊創業資助[1]。", "m5", "鲲鹏"),
    ("Once selected for Kunpeng Youth Innovation and Entrepreneurship Projects, startup funding of up to "
     "1 million yuan goes to overseas-educated young talents [1].", "m5", ""),
    # an order the clause does not impose (it offers a choice)
    ("符合条件的青年创业者须先租住过渡性住房，之后才可以申请住房补贴[1]。", "m4", "须先"),
    ("青年創業者要住滿過渡性住房之後，先至可以改領住房補貼[1]。", "m4", ""),
    ("租住過渡性住房期滿後才能改領住房補貼[1]。", "m4", "才能"),
    ("Eligible young entrepreneurs can claim the housing subsidy only after living in transitional housing [1].",
     "m4", "only after"),
    ("You must first rent transitional housing before you can get the housing subsidy [1].", "m4", "first"),
    ("青年創業者先租住過渡性住房，再領取住房補貼[1]。", "m4", "先"),
    ("Young entrepreneurs first rent transitional housing, then switch to the housing subsidy [1].", "m4", "first"),
    # a list's closed last item swapped for one sharing its first characters
    ("出海专区帮助企业解决跨境支付、网络和数据、海外营销等国际化难题[1]。", "m10", "海外营销"),
    ("出海專區幫企業處理跨境支付、網絡同數據、海外融資等國際化難題[1]。", "m10", "海外融资"),
    # a first item swapped, its list's Cantonese 同 read as the clause's 和
    ("幫企業處理跨境結算、網絡同數據、海外推廣等難題[1]。", "m10", "结算"),
    # a floor turned into a ceiling or an exact figure
    ("计划培育1000家高成长性人工智能初创企业，达到后就停[1]。", "goals", "就停"),
    ("到2027年底，深圳將建成恰好10個OPC社區[1]。", "goals", "恰好"),
    ("The plan aims to attract exactly 10,000 AI professionals by the end of 2027 [1].", "goals", "exactly"),
    ("The plan will attract 10,000 AI professionals and no more [1].", "goals", "no more"),
    ("每个OPC社区面积1万平方米，不会再多[1]。", "goals", "不会再多"),
    ("The plan caps each OPC community at 10,000 square meters [1].", "goals", "caps"),
    # a purpose the clause does not give
    ("“贷款+外部直投”等模式主要用于支持成长期企业扩张[1]。", "m8", "用于"),
    ("市級人工智能政策券可以用嚟做員工培訓[1]。", "m6", "用嚟"),
    # a scope narrowed to the local
    ("计划支持本地高校人工智能人才在深圳创业[1]。", "m9", "本地"),
    ("The plan supports AI talent from local universities starting businesses in Shenzhen [1].", "m9", "local"),
]

TRUTHS = [
    ("入选鲲鹏青年创新创业项目的，可获最高5万元创新创业奖励和最高100万元研发资助，符合条件的留学青年人才可获最高100万元创业资助[1]。",
     "m5"),
    ("入選鯤鵬青年創新創業項目的，可獲最高100萬元研發資助[1]。", "m5"),
    ("Projects selected for Kunpeng get up to 50,000 yuan in rewards and up to 1 million yuan in R&D funding, while "
     "eligible overseas-educated young talents get up to 1 million yuan in startup funding [1].", "m5"),
    ("符合条件的青年创业者可租住过渡性住房最长36个月，或选择领取最长24个月的住房补贴[1]。", "m4"),
    ("計劃首先依託南山、龍崗、福田、光明等人工智能創新集聚區，再向全市拓展[1]。", "m1"),
    ("新引进的博士、硕士、学士学位人才可获分档落户补贴，最高10万元[1]。", "m2"),
    ("The plan will first leverage AI innovation clusters in Nanshan, Longgang, Futian and Guangming, then expand "
     "across the city [1].", "m1"),
    ("帮助企业解决跨境支付、网络和数据、海外推广等国际化难题[1]。", "m10"),
    ("幫企業處理跨境支付、網絡同數據、海外推廣等難題[1]。", "m10"),
    ("计划先依托南山、龙岗、福田、光明这几个人工智能创新集聚区建设OPC社区[1]。", "m1"),
    ("计划到2027年底培育1000家以上高成长性人工智能初创企业，吸引1万名以上人工智能创新创业人才[1]。", "goals"),
    ("计划的目标是吸引1万名人工智能创新创业人才[1]。", "goals"),
    ("The plan aims to build at least 10 OPC communities, each no smaller than 10,000 square meters [1].", "goals"),
    ("“贷款+外部直投”等模式是用来加大对种子期和初创期企业的金融支持[1]。", "m8"),
    ("市級人工智能政策券可以用嚟做模型訓練、智能體構建同API調用[1]。", "m6"),
    ("The city policy vouchers are used for model training, intelligent agent construction and API usage [1].", "m6"),
    ("计划支持高校人工智能人才在深圳创业，推动科研成果在OPC社区转化[1]。", "m9"),
]


@pytest.mark.parametrize(("answer", "clause", "word"), LIES)
def test_lie_is_blocked(corpus, answer, clause, word):
    found = gate_on(corpus, answer, (clause,))
    assert found, answer
    assert not word or any(word in f for f in found), found


@pytest.mark.parametrize(("answer", "clause"), TRUTHS)
def test_truth_is_shown(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)) == [], answer


def test_founder_situation_said_back_is_no_moved_condition(corpus):
    """The founder's own situation (a returnee) said back with a benefit of another condition is no condition moved;
    a condition the founder did not state, moved onto that benefit, still is."""
    question = "我是海归，创业能拿到什么支持？"
    said_back = "你是留学青年人才，入选鲲鹏青年创新创业项目的话，可获最高100万元研发资助[1]。"
    assert gate_on(corpus, said_back, ("m5",), question=question) == []
    moved = "你是留学青年人才，入选鲲鹏青年创新创业项目之后，可获最高100万元创业资助[1]。"
    assert any("鲲鹏" in f for f in gate_on(corpus, moved, ("m5",), question=question))

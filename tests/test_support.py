"""The grounding gate by meaning, on the real corpus: every statement of an answer supported by a cited clause or
its fact records (corpus/support.yaml), verbatim quotations, numbers as people write them, restrictions as claims,
and the founder told which statement could not be verified."""

from __future__ import annotations

import pytest

from assistant import Assistant, Settings
from assistant.answering.statements import quotations, spell_out, statements
from assistant.answering.support import load_support
from assistant.errors import CorpusError
from assistant.settings import LLMSettings
from assistant.understanding.text import detect_language
from tests.gatecheck import gate_on

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


M = "sz-ai-opc-plan:"


def gate(corpus, answer: str, clause: str, question: str = "") -> list[str]:
    return gate_on(corpus, answer, (clause,), question)


@pytest.mark.parametrize("text, figure", [
    ("租金約為市場參考租金的三分之二", "66.67%"),
    ("过渡性住房租金打五折", "50%"),
    ("過渡性住房比市場參考租金平大約四成", "60%"),
    ("about three-fifths of the market rent", "60%"),
    ("the model voucher is a fifth of the training voucher", "20%"),
    ("half the market rent", "50%"),
    ("twice as long", "200%"),
    ("最长36个月，是住房补贴的一倍半", "150%"),
    ("训练算力券最高壹仟万元", "一千万元"),
    ("最高捌佰萬元", "八百万元"),
    ("2026年1月1號生效", "1月1日"),
])
def test_numbers_in_words_become_figures(text, figure):
    assert figure in spell_out(text)


@pytest.mark.parametrize("text", ["over half a million square meters", "市场参考租金", "one and a half years",
                                  "中国大陆", "形成特色鲜明的生态"])
def test_words_that_only_look_like_numbers_stay(text):
    assert spell_out(text) == text


def test_statements_are_clauses_with_their_sentence_part():
    got = statements("过渡性住房最长36个月，租金约为60%[1]；计划没有规定年龄，例如上限[1]。Up to 24 months, per month.")
    assert [s.text for s in got] == ["过渡性住房最长36个月，", "租金约为60%[1]；", "计划没有规定年龄，", "例如上限[1]。",
                                     "Up to 24 months,", "per month."]
    assert got[3].part.startswith("计划没有规定年龄") and got[1].part.startswith("过渡性住房")
    assert quotations("计划写明「每位博士均可获得」，又称“智能券”和\"Training Power Voucher\"") == [
        "每位博士均可获得", "智能券", "Training Power Voucher"]


TRUE = [
    ("Only recent graduates (within five years) may apply for the personal startup guaranteed loan of up to "
     "600,000 yuan [1].", "m5"),
    ("分档落户补贴仅限新引进的博士、硕士、学士，最高10万元[1]。", "m2"),
    ("The low-cost space of up to 50 square meters requires being an eligible AI individual or team settling in "
     "other industrial spaces [1].", "m3"),
    ("申請過渡性住房必須是符合條件的青年創業者，最長36個月[1]。", "m4"),
    ("Transitional housing rent is about three-fifths of the market reference rent [1].", "m4"),
    ("The model voucher cap (2 million yuan) is a fifth of the training voucher cap (10 million yuan) [1].", "m6"),
    ("住房补贴每月税后1000元，相当于税前1250元的八成[1]。", "m4"),
    ("计划没有具体说明年龄上限和申请截止日期；过渡性住房最长36个月[1]。", "m4"),
    ("The plan calls this the “one desk, one office, one floor” workspace system [1].", "m3"),
    ("入驻其他产业空间的符合条件的人工智能个人和团队，低成本创业空间最多只有50平方米[1]。", "m3"),
    # an "and" inside a name the clause writes joins no list: its words are not list items
    ("The plan comes from Shenzhen's industry and information technology bureau [1].", "intro"),
    # a statement's first piece opens with what governs the list, not with an item (选址 for 选择)
    ("选址由各区挑人才密度高、创业生态活跃的区域[1]。", "m1"),
]


@pytest.mark.parametrize("answer, clause", TRUE, ids=[a for a, _ in TRUE])
def test_what_the_clause_says_passes_in_any_words(corpus, answer, clause):
    assert gate(corpus, answer, clause) == []


LIES = [
    # a list with an item the plan lacks
    ("Qualified young entrepreneurs can choose transitional housing, the housing subsidy or a one-off relocation "
     "allowance [1].", "m4", "one-off relocation allowance"),
    ("The municipal policy vouchers can be used for model training, agent building, API calls and GPU hardware [1].",
     "m6", "gpu hardware"),
    # a list item of one unknown word stays a claim where its "and" is no phrase of the clause
    ("The plan comes from Shenzhen's industry and finance bureaus [1].", "intro", "finance"),
    # an item after a separator still opens with its name; three unknown characters are a claim anywhere
    ("依托前海、河套和南沙推动数据跨境流动[1]。", "m10", "南沙"),
    ("落点由各区在人才密度高、创业生态活跃的区域挑选[1]。", "m1", "落点由"),
    # conditions the clause does not set for that benefit
    ("落户补贴最高10万元，仅面向新引进的博士和硕士，学士不在补贴范围内[1]。", "m2", "不在补贴范围内"),
    ("要入驻OPC社区的人工智能团队，才可享受最高50平方米的低成本创业空间[1]。", "m3", "OPC社区"),
    # a condition of another benefit of the clause (the districts' smart vouchers) moved onto this one
    ("The training power voucher of up to 10 million yuan requires a company inside an OPC community [1].", "m6",
     "ties the benefit to a condition"),
    ("Bachelor's degree holders are excluded from the hukou subsidy of up to 100,000 yuan [1].", "m2", "excluded"),
    # validity, procedures, absolutes, rankings
    ("該計劃長期有效，沒有屆滿日期[1]。", "intro", "長期有效"),
    ("Apply for the training voucher at www.szopc.gov.cn and upload your invoices [1].", "m6", "www."),
    ("入驻OPC社区的企业无需申请，即可自动获得智能券[1]。", "m6", "无需申请"),
    ("Every newly introduced bachelor's degree holder is guaranteed the hukou subsidy [1].", "m2", "Every"),
    ("政务服务AI产品最高500万元的支持，是整个计划中力度最大的一项[1]。", "m7", "力度最大"),
    # a fabricated quotation with real figures inside
    ("计划明确规定：「每位新引进博士均可获得10万元落户补贴」[1]。", "m2", "每位新引进博士均可获得10万元落户补贴"),
    # numbers as people write them
    ("训练算力券最高捌佰萬元[1]。", "m6", "8,000,000 yuan"),
    ("训练算力券最高五千萬[1]。", "m6", "50,000,000"),
    ("过渡性住房租金为市场参考租金的一半[1]。", "m4", "50%"),
    ("過渡性住房租金按市場參考租金打五折[1]。", "m4", "50%"),
    ("Transitional housing costs about two-thirds of the market reference rent [1].", "m4", "66.67%"),
    ("The model voucher cap is half the training voucher cap [1].", "m6", "50%"),
    # "up to" dropped: the most said as what every project gets
    ("Every selected innovation consortium project receives 30 million yuan [1].", "m9", "up to"),
]


@pytest.mark.parametrize("answer, clause, named", LIES, ids=[a for a, _, _ in LIES])
def test_unsupported_statements_are_blocked_and_named(corpus, answer, clause, named):
    problems = gate(corpus, answer, clause)
    assert problems and any(named.lower() in p.lower() for p in problems), problems


def test_a_restriction_that_narrows_the_clause_list_fails(corpus):
    assert gate(corpus, "落户补贴仅限新引进的博士，最高10万元[1]。", "m2")
    assert gate(corpus, "落户补贴限于新引进的博士、硕士、学士，最高10万元[1]。", "m2") == []


def test_support_rules_are_validated_at_load(tmp_path):
    bad = tmp_path / "support.yaml"
    bad.write_text("filler: {en: [the]}\nmarkers: {absolute: {en: [yes]}}\nabsence: {}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="support.yaml"):
        load_support(bad)   # `yes` unquoted is a YAML boolean: named, not silently dropped
    bad.write_text("markers: {}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="filler"):
        load_support(bad)


@pytest.fixture(scope="module")
def llm_bot(llm, data_dir, bot):
    return Assistant.load(Settings(data_dir=data_dir, llm=LLMSettings(base_url=llm.base_url, model="scripted",
                                                                      timeout=5)))


@pytest.mark.parametrize("question, lie, said", [
    ("住房補貼每月多少？", "住房補貼每月稅前1250元，申請請登入 www.szopc.gov.cn 一站式平台上傳發票[{n}]。",
     ["語言模型的回答未通過依據", "這句話給出了所引用資料中沒有的網址", "www.szopc.gov.cn"]),
    ("How much is the monthly housing subsidy?",
     "The housing subsidy is 1,250 yuan a month before tax and is paid automatically [{n}].",
     ["failed the grounding check", "this statement claims “automatically”", "automatically"]),
])
def test_the_founder_is_told_which_statement_failed_in_their_language(llm, llm_bot, question, lie, said):
    n = [h.clause_id for h in llm_bot.retriever.search(question, detect_language(question)).hits].index(M + "m4") + 1
    reply = llm.reply({"answered": True, "citations": [n], "answer": lie.format(n=n)})
    llm.script(reply, reply)
    llm.requests.clear()
    answer = llm_bot.ask(question, mode="llm")
    assert answer.mode == "extractive" and len(llm.requests) == 2
    assert all(s in answer.warnings[-1] for s in said), answer.warnings
    assert said[-1] in llm.requests[1]["messages"][-1]["content"]   # the retry named it too

"""The claim-level grounding gate on the real corpus: each figure bound to its subject and
attributes, conditions and places the answer adds, bad input; and the corrective retry through the
scripted OpenAI-compatible server naming the exact problem."""

from __future__ import annotations

import pytest

from assistant import Assistant, Settings
from assistant.errors import CorpusError
from assistant.knowledge.claims import load_rules
from assistant.settings import LLMSettings
from assistant.understanding.text import detect_language
from tests.gatecheck import gate_on

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


M = "sz-ai-opc-plan:"


def gate(corpus, answer: str, clause: str, question: str = "", lang: str | None = None):
    return gate_on(corpus, answer, (clause, "intro"), question, lang)


TRUE = [
    ("Training vouchers go up to ¥10m [1].", "m6"),
    ("Training power vouchers are worth up to ten million yuan [1].", "m6"),
    ("The data corpus voucher is capped at RMB 2m [1].", "m6"),
    ("The housing subsidy pays 1,250 yuan a month before tax, or 1,000 yuan after tax, for up to two years [1].", "m4"),
    ("住房补贴每月税前一千二百五十元、税后1000元，最长两年[1]。", "m4"),
    ("住房補貼每月稅前1.25千元，最長24個月[1]。", "m4"),
    ("住房补贴每月税前1250元（税后1000元），最长24个月[1]。", "m4"),
    ("The housing subsidy (1,250 yuan before tax, 1,000 yuan after tax) is paid monthly for up to 24 months [1].", "m4"),
    ("过渡性住房最长可租住三年，租金约为市场参考租金的六成[1]。", "m4"),
    ("Personal loans are capped at RMB 600,000 and micro-enterprise loans at RMB 5 million [1].", "m5"),
    # the loan named by who applies for it: 以小微企业(名义)申请
    ("个人创业担保贷款最高60万元；以小微企业名义申请的话，最高500万元[1]。", "m5"),
    ("Newly introduced doctoral degree holders get a hukou subsidy of up to 100,000 yuan [1].", "m2"),
    ("Citywide OPC community area should exceed half a million square meters by the end of 2027 [1].", "m1"),
    ("The plan took effect on Jan. 1, 2026 and is valid for two years [2].", "m4"),
]


@pytest.mark.parametrize("answer, clause", TRUE, ids=[a for a, _ in TRUE])
def test_truthful_paraphrases_pass(corpus, answer, clause):
    assert gate(corpus, answer, clause) == []


LIES = [
    ("The housing subsidy is paid for up to 36 months [1].", "m4", "36 months belongs to the transitional housing"),
    ("The housing subsidy is 1,000 yuan a month before tax [1].", "m4", "1,000 yuan is after tax"),
    ("The housing subsidy is 1,250 yuan per year [1].", "m4", "1,250 yuan is per month"),
    # a marker across a parenthesis still qualifies its figure
    ("The housing subsidy is 1,250 yuan before tax (1,000 yuan after tax) per year [1].", "m4", "is per month"),
    ("住房补贴最长可领24个月，到手（税后）每月1250元[1]。", "m4", "1,250 yuan is before tax"),
    ("The model voucher is worth up to 10 million yuan [1].", "m6", "belongs to the training power voucher"),
    ("Personal loans go up to 5 million yuan [1].", "m5", "belongs to the small- and micro-enterprise"),
    ("个人创业担保贷款最高500万元；若以小微企业名义申请，最高60万元[1]。", "m5", "belongs to the personal"),
    ("Training vouchers give at least 10 million yuan [1].", "m6", "is up to in the cited source, not at least"),
    ("Only PhD holders in Nanshan can get the subsidy of up to 100,000 yuan [1].", "m2", "Nanshan"),
    ("Only PhD holders can get the hukou subsidy of up to 100,000 yuan [1].", "m2", "“Only doctoral”"),
    ("The loan of up to 600,000 yuan requires a Shenzhen hukou [1].", "m5", "“hukou”"),
    ("住房补贴每月税前1250元，仅限博士申请[1]。", "m4", "“phd”"),
    ("Shanghai also offers a housing subsidy of 1,250 yuan a month before tax [1].", "m4", "Shanghai"),
    ("Citywide OPC community area will be over a million square meters [1].", "m1", "1,000,000 m²"),
    ("PhD holders in Nanshan District get a hukou subsidy of up to 100,000 yuan [1].", "m2", "Nanshan"),
    ("福田区的博士可获最高10万元落户补贴[1]。", "m2", "Futian"),
    ("每个OPC社区不少于1000家初创企业[1]。", "goals", "1,000"),
]


@pytest.mark.parametrize("answer, clause, problem", LIES, ids=[a for a, _, _ in LIES])
def test_lies_are_named_exactly(corpus, answer, clause, problem):
    problems = gate(corpus, answer, clause)
    assert problems and any(problem in p for p in problems), problems


def test_the_jurisdiction_and_places_the_source_names_may_be_stated(corpus):
    assert gate(corpus, "In Shenzhen, Guangdong, the hukou subsidy is up to 100,000 yuan [1].", "m2") == []
    assert gate(corpus, "OPC communities start in Nanshan, Longgang, Futian and Guangming [1].", "m1") == []


def test_a_place_or_condition_the_question_names_may_be_repeated(corpus):
    answer = "For a doctoral graduate from Beijing, the hukou subsidy is up to 100,000 yuan [1]."
    assert gate(corpus, answer, "m2", question="我在北京读的博士，落户补贴多少？") == []
    assert any("Beijing" in p for p in gate(corpus, answer, "m2", question="How much is the hukou subsidy?"))


@pytest.mark.parametrize("answer", [
    "The housing subsidy is 1,2,5,0 yuan a month [1].",
    "The housing subsidy is 99999999999999999999999999 yuan a month [1].",
    "The housing subsidy is −1,250 yuan a month [1].",
    "The housing subsidy is 1,250 yuan a month before tax [42].",
    "The housing subsidy is 1,250 yuan a month before tax.",
    "住房补贴每月税前１２５０元，税后一千零五十元[1]。",
    "\x00\ufffd[1]" * 3,
    "The housing subsidy is " + "9" * 20000 + " yuan a month [1].",
    "住房补贴每月" + "一" * 5000 + "元[1]。",
    "住房补贴每月" + "一万" * 3000 + "元[1]。",
    "up to up to up to [1]",
    "1.1.1.1.1.1 yuan [1]",
    "[1]" * 2000,
])
def test_bad_input_is_decided_without_crashing(corpus, answer):
    assert gate(corpus, answer, "m4", lang="en")


def test_enormous_repetitive_answers_are_decided_without_crashing(corpus):
    gate(corpus, "The housing subsidy is up to " * 2000 + "[1]", "m4", lang="en")   # no false figure: may pass


def test_claim_rules_are_validated_at_load(tmp_path):
    bad = tmp_path / "claims.yaml"
    bad.write_text("subjects:\n  a: {en: [x], parent: nowhere}\nattributes: {}\nconditions: {}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown parent"):
        load_rules(bad)
    bad.write_text("subjects: {}\nattributes:\n  g: {scope: sideways, values: {}}\nconditions: {}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="scope"):
        load_rules(bad)
    bad.write_text("subjects:\n  a: {en: [reward], loose: [prize]}\nattributes: {}\nconditions: {}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="loose terms"):
        load_rules(bad)


@pytest.fixture(scope="module")
def llm_bot(llm, data_dir, bot):
    return Assistant.load(Settings(data_dir=data_dir, llm=LLMSettings(base_url=llm.base_url, model="scripted",
                                                                      timeout=5)))


def _n(bot, question, clause):
    return [h.clause_id for h in bot.retriever.search(question, detect_language(question)).hits].index(M + clause) + 1


@pytest.mark.parametrize("question, lie, truth, named", [
    ("How big is the model voucher?", "The model voucher is worth up to 10 million yuan [{n}].",
     "The model voucher is worth up to 2 million yuan [{n}].", "belongs to the training power voucher"),
    ("模型券最高多少？", "模型券最高1000万元[{n}]。", "模型券最高200万元[{n}]。", "属于“训练算力券”"),
])
def test_retry_names_the_exact_problem_in_the_question_language(llm, llm_bot, question, lie, truth, named):
    n = _n(llm_bot, question, "m6")
    llm.script(llm.reply({"answered": True, "citations": [n], "answer": lie.format(n=n)}),
               llm.reply({"answered": True, "citations": [n], "answer": truth.format(n=n)}))
    llm.requests.clear()
    answer = llm_bot.ask(question, mode="llm")
    assert answer.mode == "llm" and answer.answer == truth.format(n=n)
    assert named in llm.requests[1]["messages"][-1]["content"]


def test_a_lie_told_twice_gets_the_quote_with_a_warning(llm, llm_bot):
    q = "How long is the housing subsidy paid?"
    n = _n(llm_bot, q, "m4")
    lie = {"answered": True, "citations": [n], "answer": f"The housing subsidy is paid for up to 36 months [{n}]."}
    llm.script(llm.reply(lie), llm.reply(lie))
    answer = llm_bot.ask(q, mode="llm")
    assert answer.mode == "extractive" and "36 months belongs to the transitional housing" in answer.warnings[0]
    assert "24 months" in answer.answer

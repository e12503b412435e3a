"""Two lies the grounding gate must catch, on the real corpus and the real gate: a statement that the plan does
not give something a cited clause gives (assistant/answering/absence.py), and a figure whose number is the
clause's but whose unit is not (assistant/knowledge/units.py). Sentences written from the plan text
(corpus/sz-ai-opc-plan/{zh,en}.yaml); true statements of each kind must still pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.answering.support import load_support
from assistant.knowledge.claims import fold
from assistant.knowledge.figures import extract_figures, ungrounded_figures
from assistant.settings import BUILTIN_CORPUS
from tests.gatecheck import gate_on

M = "sz-ai-opc-plan:"


def gate(corpus, answer: str, *clauses: str, question: str = "") -> list[str]:
    return gate_on(corpus, answer, clauses, question)


# --- absence -------------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, clause", [
    ("计划没有提供住房补贴[1]。", "m4"),                                         # a benefit m4 gives
    ("The plan does not provide a housing subsidy[1].", "m4"),
    ("The plan sets no cap on the personal startup guaranteed loan[1].", "m5"),  # m5: up to 600,000 yuan
    ("计划未规定模型券的上限[1]。", "m6"),
    ("行動計劃冇講有效期[1]。", "intro"),                                         # intro: valid for two years
    ("The plan does not say how long the housing subsidy lasts[1].", "m4"),     # 24 months
    ("计划没有规定过渡性住房的租住期限[1]。", "m4"),                               # 36 months
    ("The plan does not specify how large each OPC community must be[1].", "goals"),
    ("计划没有提及福田[1]。", "m1"),                                              # a place m1 names
    ("The plan gives no details of rewards for Kunpeng projects[1].", "m5"),
    ("計劃冇提供過渡性住房，亦冇講租金係幾多[1]。", "m4"),                          # the second item is false too
    ("个人创业担保贷款没有上限[1]。", "m5"),                                      # a bare negation of a cap
    ("The personal startup guaranteed loan has no cap[1].", "m5"),
    ("創業擔保貸款上不封頂[1]。", "m5"),
    ("The housing subsidy comes without any time limit[1].", "m4"),
    ("计划中没有住房补贴[1]。", "m4"),                                             # the plan as the subject
    ("The plan has no housing subsidy[1].", "m4"),
    ("行動計劃入面冇住房補貼[1]。", "m4"),
    ("计划没有为低成本创业空间设定面积上限[1]。", "m3"),                             # negation and verb apart
    ("The plan does not explicitly say there is a housing subsidy[1].", "m4"),
])
def test_an_absence_the_cited_clause_contradicts_is_blocked(corpus, answer, clause):
    problems = gate(corpus, answer, clause)
    assert any("does not give" in p for p in problems), problems


@pytest.mark.parametrize("answer, clause", [
    ("Young entrepreneurs can get a housing subsidy for up to 24 months[1]; the plan does not say where to apply.",
     "m4"),
    ("符合条件的青年创业者可领取最长24个月的住房补贴[1]，计划没有规定申请截止时间。", "m4"),
    ("Recent graduates can apply for personal startup guaranteed loans of up to 600,000 yuan[1]; the plan does not "
     "specify an age limit.", "m5"),
    ("The personal startup guaranteed loan is up to 600,000 yuan[1], but the plan doesn't say which bank issues it.",
     "m5"),
    ("计划没有具体说明年龄上限和申请截止日期；过渡性住房最长36个月[1]。", "m4"),
    ("計劃冇講住房補貼點樣申請，只係話最長可以領24個月[1]。", "m4"),
    ("The plan does not say how much the smart vouchers are worth; districts issue them by scale[1].", "m6"),
    ("计划没有规定智能券的金额，只说由各区根据规模发放[1]。", "m6"),
    ("计划没有提供住房补贴的申请流程，只写明补贴最长24个月[1]。", "m4"),
    ("The plan took effect on 1 January 2026 and is valid for two years[1]; it does not say whether it will be "
     "extended.", "intro"),
    ("The plan has no application deadline for the housing subsidy, which lasts up to 24 months[1].", "m4"),
    ("住房补贴最长24个月，计划中没有申请截止时间[1]。", "m4"),
    ("智能券没有具体金额，由各区根据规模发放[1]。", "m6"),
])
def test_a_true_absence_passes(corpus, answer, clause):
    assert gate(corpus, answer, clause) == []


def test_what_the_question_names_is_not_what_the_sources_give(corpus):
    # the question asks about an extension: its words do not make the plan give one
    answer = "計劃冇講到期之後會唔會延長，只係講由2026年1月1號起有效兩年[1]。"
    assert gate(corpus, answer, "intro", question="計劃到期之後會唔會延長？") == []


def test_an_absence_is_checked_against_the_fact_records(corpus):
    # the cap is the fact record's too: an absence of it is false whichever words the answer uses
    problems = gate(corpus, "Regarding the hukou subsidy, the plan sets no maximum[1].", "m2")
    assert any("does not give" in p for p in problems), problems


# --- units ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", [
    "最高50个工位", "up to 50 workstations", "最高50坪", "最高50間辦公室", "up to 50 square feet", "up to 50 acres",
])
def test_a_count_or_another_area_unit_is_not_square_metres(answer):
    assert ungrounded_figures(answer, ["可享受最高50平方米的低成本创业空间"])


@pytest.mark.parametrize("answer, source, grounded", [
    ("每个社区面积不少于1万公顷", "每个社区面积不少于1万平方米", False),
    ("每个社区面积不少于1公顷", "每个社区面积不少于1万平方米", True),     # exact: 1 hectare = 10,000 m²
    ("up to 36 weeks", "最长36个月", False),
    ("最長36週", "最长36个月", False),
    ("up to 3 years", "最长36个月", True),                                  # exact: 1 year = 12 months
    ("up to 36 quarters", "最长36个月", False),
    ("up to 600,000 dollars", "最高60万元", False),
    ("up to US$600,000", "最高60万元", False),
    ("最高60萬港元", "最高60万元", False),
    ("最高60万美元", "最高60万元", False),
    ("up to 600,000 yuan", "最高60万元", True),
    ("最高60萬", "个人创业担保贷款最高60万元", True),                       # a sum said without 元
    ("a 600,000 cap on the loan", "最高60万元", True),                       # a noun naming an amount, no count
    ("1000家以上初创企业", "培育1000家以上高成长性人工智能初创企业", True),
    ("a 50-square-metre space", "可享受最高50平方米的低成本创业空间", True),  # a hyphen joins number and unit
    ("a 50-hectare site", "全市OPC社区面积预计超过50万平方米", True),
])
def test_the_unit_of_a_figure_must_be_the_sources(answer, source, grounded):
    assert (not ungrounded_figures(answer, [source])) is grounded


def test_units_read_in_both_scripts():
    assert [(f.kind, f.unit, f.value) for f in extract_figures("36週、1200個小時、50坪、1公頃")] == [
        ("duration", "day", 252.0), ("duration", "hour", 1200.0), ("area", "ping", 50.0), ("area", "m2", 10000.0)]


@pytest.mark.parametrize("answer, clause", [
    ("在其他产业空间，符合条件的人工智能个人和团队最多可获50个工位的低成本创业空间[1]。", "m3"),
    ("Eligible AI individuals and teams in other industrial spaces can get up to 50 workstations of low-cost "
     "space[1].", "m3"),
    ("符合条件的青年创业者可租住过渡性住房最长36周[1]。", "m4"),
    ("Recent graduates may apply for personal startup guaranteed loans of up to 600,000 US dollars[1].", "m5"),
])
def test_the_gate_blocks_a_figure_in_another_unit(corpus, answer, clause):
    assert any("figures not in a cited source" in p for p in gate(corpus, answer, clause))


def test_an_absence_of_another_benefits_figure_is_true(corpus):
    # m3: the 50 m² is for those in other industrial spaces; inside OPC communities no area is set
    assert gate(corpus, "在OPC社区内，低成本创业空间是按团队需要提供的，计划没有为此设定具体面积[1]。", "m3") == []
    problems = gate(corpus, "在其他产业空间，计划没有为低成本创业空间设定面积上限[1]。", "m3")
    assert any("does not give" in p for p in problems), problems


def _dev_truths_stating_absence():
    absence = load_support(Path(BUILTIN_CORPUS) / "support.yaml").absence
    out = []
    for name in ("gate_answers.yaml", "gate_answers_holdout.yaml", "gate_answers_holdout2.yaml"):
        for it in yaml.safe_load((Path(__file__).parent.parent / "eval" / "blind" / name).read_text("utf-8")):
            if isinstance(it, dict) and it.get("truthful") and absence.search(fold(it["answer"])):
                text = re.sub(r"\[n(\d?)\]", lambda m: f"[{m.group(1) or 1}]", it["answer"])
                out.append(pytest.param(text, [c.split(":")[-1] for c in it["cite"]], it["question"], id=it["id"]))
    return out


@pytest.mark.parametrize("answer, clauses, question", _dev_truths_stating_absence())
def test_true_absences_of_the_dev_sets_pass(corpus, answer, clauses, question):
    assert not [p for p in gate(corpus, answer, *clauses, question=question) if "does not give" in p]

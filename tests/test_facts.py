"""Typed facts: the built-in records verify against their clauses in both languages; a record that
does not match fails `opc corpus check` and is never answered from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from assistant.errors import CorpusError
from assistant.knowledge.corpus import load_corpus
from assistant.knowledge.facts import amount_text

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = Path(__file__).resolve().parent.parent
OPC = str(Path(sys.executable).parent / "opc")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus")


def _fact(corpus, fid):
    return next(f for f in corpus.facts if f.id == fid)


def test_builtin_facts_all_verify(corpus):
    assert corpus.fact_problems == []
    ids = {f.id for f in corpus.facts}
    # every benefit, target and deadline of the plan with a figure is a record
    assert {"hukou_subsidy", "housing_subsidy", "transitional_housing", "personal_loan", "enterprise_loan",
            "training_voucher", "model_voucher", "data_voucher", "kunpeng_reward", "consortium_funding",
            "target_communities", "plan_validity"} <= ids
    housing = _fact(corpus, "housing_subsidy")
    assert (housing.amount.value, housing.amount.tax, housing.amount.per) == (1250, "before_tax", "month")
    assert (housing.alt_amount.value, housing.alt_amount.tax) == (1000, "after_tax")
    assert housing.duration.months == 24 and housing.excludes == ["transitional_housing"]
    # inherited from document.yaml unless the record names another issuer
    assert housing.issuer["en"].startswith("Shenzhen Municipal Bureau") and housing.expires == "2027-12-31"
    assert _fact(corpus, "national_computing_voucher").jurisdiction == "中国"
    assert amount_text(housing, "en") == ("1,250 yuan before tax per month / 1,000 yuan after tax per month, "
                                          "for up to 24 months")
    assert amount_text(_fact(corpus, "personal_loan"), "zh") == "最高60万元"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", root)
    return root


def _edit(root: Path, fid: str, change) -> None:
    path = root / "sz-ai-opc-plan" / "facts.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(next(f for f in data["facts"] if f["id"] == fid))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("fid,change,expected", [
    ("hukou_subsidy", lambda f: f["amount"].update(value=200000), "states 100,000 yuan"),
    ("housing_subsidy", lambda f: f["amount"].update(tax="after_tax"), "tax is after_tax in the record"),
    ("housing_subsidy", lambda f: f["amount"].update(per="year"), "period is per_year"),
    ("personal_loan", lambda f: f["amount"].update(bound="floor"), "is a floor in the record but cap"),
    ("personal_loan", lambda f: f["conditions"][0].update(value=3), "condition years_since_graduation"),
    ("kunpeng_reward", lambda f: f["conditions"][0]["quote"].update(zh="入选孔雀计划"), "is not in the zh text"),
    ("training_voucher", lambda f: f.update(subject="loan"), "not 'loan'"),
])
def test_a_wrong_fact_is_dropped_and_fails_the_check(tmp_path, fid, change, expected):
    root = _copy(tmp_path)
    _edit(root, fid, change)
    corpus = load_corpus(root)
    assert fid not in {f.id for f in corpus.facts}
    assert any(expected in p for p in corpus.fact_problems), corpus.fact_problems
    assert len(corpus.facts) == len(load_corpus(ROOT / "corpus").facts) - 1  # the others still stand

    env = {**os.environ, "OPC_CORPUS_DIR": str(root), "OPC_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "250"}
    result = subprocess.run([OPC, "corpus", "check", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert any(fid in p and expected in p for p in report["fact_problems"])
    table = subprocess.run([OPC, "corpus", "check"], capture_output=True, text=True, env=env, timeout=120)
    assert table.returncode == 1 and "Fact does not match its clause" in table.stdout


def test_check_passes_on_the_builtin_corpus(tmp_path):
    env = {**os.environ, "OPC_CORPUS_DIR": str(ROOT / "corpus"), "OPC_DATA_DIR": str(tmp_path), "COLUMNS": "250"}
    result = subprocess.run([OPC, "corpus", "check"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fact records verified against their clauses in every language" in result.stdout


@pytest.mark.parametrize("change,expected", [
    (lambda f: f.update(amount_in_words="ten"), "Extra inputs are not permitted"),
    (lambda f: f["conditions"][0].update(field="star_sign"), "unknown profile field 'star_sign'"),
    (lambda f: f.update(clause="m99"), "names clause 'm99'"),
    (lambda f: f.update(excludes=["no_such_fact"]), "excludes unknown fact"),
])
def test_a_malformed_fact_file_is_a_clear_corpus_error(tmp_path, change, expected):
    root = _copy(tmp_path)
    _edit(root, "hukou_subsidy", change)
    with pytest.raises(CorpusError, match=expected.replace("(", r"\(")):
        load_corpus(root)


# --- added documents: facts extracted by rule, each verified against every language version -------------
def _doc(clauses):
    from assistant.types import Clause, Document

    return Document(id="nanshan-opc", title={"zh": "南山区OPC扶持办法"}, short_title={"zh": "南山办法"},
                    issuer={"zh": "南山区科技创新局"}, authority="document", effective_date="2026-03-01",
                    valid_until="2028-02-29", official_url=None, versions={"zh": {}, "en": {}},
                    jurisdiction="南山区",
                    clauses=[Clause(doc_id="nanshan-opc", local_id=cid, label={"zh": label}, title={}, text=text)
                             for cid, label, text in clauses])


def test_rules_extract_verified_facts_from_an_added_bilingual_document(corpus):
    from assistant.knowledge.facts_by_rule import extract_facts

    doc = _doc([
        ("a3", "第三条", {"zh": "对入驻南山OPC社区的企业，给予最长3年的办公租金补贴，每年最高8万元。",
                         "en": "Enterprises settling in a Nanshan OPC community receive an office rent subsidy of up to "
                               "80,000 yuan per year for up to 3 years."}),
        ("a4", "第四条", {"zh": "核心成员可按市场租金的50%租住人才公寓，最长24个月。",
                         "en": "Core members may rent talent apartments at 50% of market rent for up to 24 months."}),
        # the translation states another figure: the fact must not be kept
        ("a5", "第五条", {"zh": "对获得天使投资的项目，按投资额的10%给予奖励，最高不超过50万元。",
                         "en": "Projects that raise angel investment get a reward of 10% of the investment, "
                               "up to 300,000 yuan."}),
    ])
    facts, problems = extract_facts(doc, corpus.claims)
    by_value = {(f.amount.unit, f.amount.value): f for f in facts}
    rent = by_value[("yuan", 80000)]
    assert (rent.amount.bound, rent.amount.per, rent.duration.months, rent.duration.bound) == \
        ("cap", "year", 36, "cap")
    assert rent.reviewed is False and rent.clause_id == "nanshan-opc:a3"
    assert by_value[("%", 50)].kind == "housing" and by_value[("%", 50)].duration.months == 24
    assert ("%", 10) in by_value  # the 10% stands in both versions
    assert ("yuan", 500000) not in by_value and ("yuan", 300000) not in by_value
    assert any("a5" in p and "left out" in p for p in problems)


def test_an_unreviewed_fact_is_never_called_met(corpus):
    from datetime import date

    from assistant.knowledge.eligibility import check_fact
    from assistant.knowledge.facts_by_rule import extract_facts
    from assistant.types import FounderProfile

    doc = _doc([("a3", "第三条", {"zh": "对入驻南山OPC社区的企业，每年最高8万元办公租金补贴。",
                                  "en": "Enterprises in a Nanshan OPC community get an office rent subsidy of up to "
                                        "80,000 yuan per year."})])
    facts, _ = extract_facts(doc, corpus.claims)
    assert facts
    decided = check_fact(facts[0], FounderProfile(in_opc_community=True), _Corpus(doc), "en", date.today())
    assert decided.status == "unknown" and decided.needed == ["conditions"]


class _Corpus:
    """The two lookups a citation needs, over one hand-made document."""

    def __init__(self, doc):
        self.doc = doc

    def document(self, doc_id):
        return self.doc

    def clause(self, clause_id):
        return next(c for c in self.doc.clauses if c.id == clause_id)

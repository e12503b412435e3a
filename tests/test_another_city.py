"""Another city by configuration only: the fictional 星澜市 of the documents evaluation (harness/govtexts.py)
deployed as the *home* corpus — its own action plan as the built-in folder, its own places in
government.yaml, no Shenzhen document at all — through ``OPC_CORPUS_DIR`` and ``OPC_HOME_JURISDICTION``.
It answers a figure question from its plan with a citation, refuses another city's policy saying what it
covers, and checks eligibility against a district notice added to its library."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from harness import govdocs as g
from harness import govtexts as t

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parent.parent
# Domain data that is not about one city: copied as a deployment would.
SHARED = ("glossary.yaml", "claims.yaml", "places.yaml", "questions.yaml", "out_of_scope.yaml")


def write_city_corpus(folder: Path) -> Path:
    """The corpus folder of 星澜市: the shared YAML, government.yaml with its own places, and its plan."""
    builtin = ROOT / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    for name in SHARED:
        shutil.copy(builtin / name, folder / name)
    gov = yaml.safe_load((builtin / "government.yaml").read_text(encoding="utf-8"))
    gov["places"] = [{"zh": "星澜市", "en": "Xinglan City"},
                     {"zh": "东滨区", "en": "Dongbin District", "parent": "星澜市"},
                     {"zh": "北岭区", "en": "Beiling District", "parent": "星澜市"}]
    (folder / "government.yaml").write_text(yaml.safe_dump(gov, allow_unicode=True), encoding="utf-8")
    plan = folder / "xinglan-opc-plan"
    plan.mkdir(exist_ok=True)
    meta = {"id": "xinglan-opc-plan", "title": {"zh": t.CITY_PLAN["title"]},
            "short_title": {"zh": "星澜市OPC行动方案", "en": "Xinglan OPC Action Plan"},
            "issuer": {"zh": t.CITY_PLAN["issuer"]}, "doc_number": t.CITY_PLAN["number"],
            "jurisdiction": "星澜市", "jurisdiction_en": "Xinglan City", "authority": "plan",
            "effective_date": "2026-01-15", "valid_until": "2027-12-31", "date_signed": "2026-01-15",
            "versions": {"zh": {"source": "harness/govtexts.py (a fictional city)", "translation": False}}}
    (plan / "document.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    clauses = [{"id": f"p{i}", "text": line} for i, line in enumerate(t.CITY_PLAN["articles"], 1)
               if isinstance(line, str) and not line.endswith(("目标", "措施"))]
    (plan / "zh.yaml").write_text(yaml.safe_dump({"lang": "zh", "clauses": clauses}, allow_unicode=True),
                                  encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    from assistant import Assistant, Settings

    root = tmp_path_factory.mktemp("xinglan")
    env = {"OPC_CORPUS_DIR": str(write_city_corpus(root / "corpus")), "OPC_HOME_JURISDICTION": "星澜市",
           "OPC_DATA_DIR": str(root / "data"), "OPC_TODAY": "2026-06-15"}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        bot = Assistant.load(Settings())   # settings from the environment only
        page = root / "dongbin-measures.html"
        build, options = g.EVAL_DOCUMENTS["dongbin-measures.html"]
        page.write_text(build(), encoding="utf-8")
        bot.add_document(str(page), **options)
        yield bot, env


def test_no_shenzhen_document_is_loaded(city):
    bot, _ = city
    places = {d.jurisdiction for d in bot.documents()}
    assert places == {"星澜市", "东滨区"}
    assert not any("深圳" in str(d.title) for d in bot.documents())


def test_answers_a_figure_from_its_own_plan_with_a_citation(city):
    bot, _ = city
    a = bot.ask("星澜市OPC社区的办公租金补贴每年最高多少？")
    assert a.answerable and "10万元" in a.answer
    assert a.citations[0].doc_id == "xinglan-opc-plan" and "10万元" in a.citations[0].text
    voucher = bot.ask("算力券每家每年最高多少？")
    assert "20万元" in voucher.answer and voucher.citations[0].doc_id == "xinglan-opc-plan"


@pytest.mark.parametrize("question, place", [("深圳市的OPC社区办公租金补贴每年最高多少？", "深圳"),
                                             ("上海的算力券每家每年最高多少？", "上海")])
def test_refuses_another_citys_policy_saying_it_covers_xinglan(city, question, place):
    bot, _ = city
    a = bot.ask(question)
    assert not a.answerable
    assert "星澜市" in a.answer and place in a.answer
    assert "10万元" not in a.answer and "20万元" not in a.answer


def test_a_district_of_the_city_is_not_another_jurisdiction(city):
    bot, _ = city
    a = bot.ask("东滨区OPC社区的办公租金补贴每年最多多少？")
    assert a.answerable and "8万元" in a.answer and a.citations[0].doc_id == "dongbin-measures"


def test_eligibility_over_its_documents(city):
    from assistant.errors import NotFound
    from assistant.types import FounderProfile

    bot, _ = city
    result = bot.eligibility(FounderProfile(is_founder=True), "zh", jurisdictions=["东滨区"])
    assert result.scope == "filter" and result.benefits
    assert {b.citation.doc_id for b in result.benefits} == {"dongbin-measures"}
    assert all("东滨区" in b.issuer for b in result.benefits)
    assert "最高8万元/年" in [b.amount for b in result.benefits]   # the office rent subsidy of its article 3
    with pytest.raises(NotFound):   # no Shenzhen document in this library
        bot.eligibility(FounderProfile(), "zh", jurisdictions=["深圳市"])


def test_the_cli_deploys_it_from_settings_alone(city):
    bot, env = city
    run = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "上海的算力券每家每年最高多少？"],
                         capture_output=True, text=True, timeout=300, env={**__import__("os").environ, **env})
    assert run.returncode == 0, run.stderr[-2000:]
    answer = json.loads(run.stdout)
    assert answer["answerable"] is False and "星澜市" in answer["answer"]


def test_a_new_condition_is_one_yaml_change(tmp_path):
    """A profile field declared in the deployment's profile.yaml: the profile type, its validation and the
    conditions facts may state follow it, with no Python change (a fresh process: the type is built at load)."""
    folder = write_city_corpus(tmp_path / "corpus")
    spec = yaml.safe_load((ROOT / "corpus" / "profile.yaml").read_text(encoding="utf-8"))
    spec["fields"]["has_local_social_insurance"] = {
        "type": "bool", "description": "Pays social insurance in the city.",
        "label": {"zh": "在本市缴纳社保？", "en": "Paying social insurance here?"},
        "ask": {"zh": "是否在本市缴纳社保", "en": "whether you pay social insurance here"}}
    (folder / "profile.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    probe = """
from assistant.types import FounderProfile
from assistant.knowledge.facts import Condition
from assistant.knowledge.eligibility import profile_from_pairs
from assistant.errors import InvalidProfile
p = profile_from_pairs(["has_local_social_insurance=yes"])
assert p.has_local_social_insurance is True
Condition(field="has_local_social_insurance", op="eq", value=True, quote={"zh": "在本市缴纳社保"})
try:
    profile_from_pairs(["has_local_social_insurance=maybe"])
except InvalidProfile as exc:
    print("refused:", exc)
from assistant.knowledge.profile_fields import profile_words
print("asked:", profile_words().ask("has_local_social_insurance", "en"))
"""
    import os

    env = {**os.environ, "OPC_CORPUS_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "refused: Invalid has_local_social_insurance" in run.stdout and "asked: whether you pay social insurance here" in run.stdout
    # the built-in deployment does not know the field: it is the YAML, not code, that added it
    builtin = subprocess.run([sys.executable, "-c", "from assistant.knowledge.eligibility import profile_from_pairs;"
                              "profile_from_pairs(['has_local_social_insurance=yes'])"],
                             capture_output=True, text=True, timeout=120,
                             env={k: v for k, v in env.items() if k != "OPC_CORPUS_DIR"})
    assert builtin.returncode != 0 and "InvalidProfile" in builtin.stderr

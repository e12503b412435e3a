"""The eligibility check: POST /v1/eligibility on a real server, the `opc eligibility` CLI, and the
decision rules over the plan's fact records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest

from assistant import Settings
from assistant.api import create_app
from assistant.knowledge.corpus import load_corpus
from assistant.knowledge.eligibility import check
from assistant.types import FounderProfile
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = Path(__file__).resolve().parent.parent
OPC = str(Path(sys.executable).parent / "opc")
THIS_YEAR = date.today().year


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus")


@pytest.fixture(scope="module")
def url(data_dir, bot):
    settings = Settings(data_dir=data_dir, ui=False, rate_limit="10000/minute", rate_limit_per_user="10000/minute")
    with serve(create_app(settings, bot)) as base:
        yield base


def _by_id(result):
    return {b.fact_id if hasattr(b, "fact_id") else b["fact_id"]: b for b in
            (result.benefits if hasattr(result, "benefits") else result["benefits"])}


def test_graduated_too_long_ago_rules_out_the_loans_but_not_the_vouchers(corpus):
    profile = FounderProfile(degree="master", graduation_year=THIS_YEAR - 7, is_founder=True, company_size="micro",
                             newly_arrived=True)
    got = _by_id(check(corpus, profile, "en"))
    for loan in ("personal_loan", "enterprise_loan"):
        assert got[loan].status == "not_met"
        failed = [c for c in got[loan].conditions if c.status == "not_met"]
        assert [c.field for c in failed] == ["years_since_graduation"]
        assert "within five years" in failed[0].says
        assert got[loan].citation.clause_id == "sz-ai-opc-plan:m5"
    assert got["training_voucher"].status == "met" and got["training_voucher"].amount == "up to 10 million yuan"
    assert got["hukou_subsidy"].status == "met"
    # what the plan does not decide stays open and says who to ask
    assert got["housing_subsidy"].status == "met" and got["housing_subsidy"].to_confirm
    assert got["housing_subsidy"].excludes == ["transitional_housing"]
    assert got["kunpeng_reward"].status == "unknown" and got["kunpeng_reward"].needed == ["selected_kunpeng"]


def test_recent_graduate_within_the_window_fits_and_the_order_is_met_unknown_not_met(corpus):
    result = check(corpus, FounderProfile(graduation_year=THIS_YEAR - 5, is_founder=True, company_size="large"), "zh")
    got = _by_id(result)
    assert got["personal_loan"].status == "met" and got["personal_loan"].amount == "最高60万元"
    assert got["enterprise_loan"].status == "not_met"  # a large company is not small or micro
    assert "小微企业" in [c.says for c in got["enterprise_loan"].conditions if c.status == "not_met"]
    order = [b.status for b in result.benefits]
    assert order == sorted(order, key=["met", "unknown", "not_met"].index)
    assert got["hukou_subsidy"].status == "unknown"
    assert set(got["hukou_subsidy"].needed) == {"degree", "newly_arrived"}


def test_existing_hukou_rules_out_the_hukou_subsidy_in_traditional(corpus):
    got = _by_id(check(corpus, FounderProfile(degree="doctoral", newly_arrived=False), "zh-Hant"))
    hukou = got["hukou_subsidy"]
    assert hukou.status == "not_met" and hukou.name == "落戶補貼" and hukou.amount == "最高10萬元"
    assert hukou.citation.label == "（二）"


def test_api_eligibility(url):
    body = {"language": "en", "profile": {"degree": "bachelor", "graduation_year": THIS_YEAR - 2,
                                          "newly_arrived": True, "is_founder": True, "company_size": "micro",
                                          "in_opc_community": True, "team_size": 3}}
    r = httpx.post(f"{url}/v1/eligibility", json=body, timeout=30)
    assert r.status_code == 200, r.text
    got = _by_id(r.json())
    assert got["smart_voucher"]["status"] == "met" and got["opc_community_space"]["status"] == "met"
    assert got["young_talent_space"]["status"] == "not_met"  # that space is for those outside OPC communities
    assert got["personal_loan"]["citation"]["text"].startswith("Expand financial support")
    assert all(b["kind"] != "target" for b in r.json()["benefits"])  # targets are not benefits


@pytest.mark.parametrize("profile,field", [
    ({"graduation_year": THIS_YEAR + 1}, "profile.graduation_year"),
    ({"team_size": -3}, "profile.team_size"),
    ({"degree": "kindergarten"}, "profile.degree"),
    ({"favourite_colour": "blue"}, "profile.favourite_colour"),
])
def test_api_rejects_impossible_profiles_naming_the_field(url, profile, field):
    r = httpx.post(f"{url}/v1/eligibility", json={"profile": profile}, timeout=30)
    assert r.status_code == 422
    assert r.json()["error"]["message"].startswith(f"Invalid {field}:"), r.json()
    extra = httpx.post(f"{url}/v1/eligibility", json={"profile": {}, "mood": "happy"}, timeout=30)
    assert extra.status_code == 422 and "mood" in extra.json()["error"]["message"]


def _run(*args, tmp_path):
    env = {**os.environ, "OPC_DATA_DIR": str(tmp_path), "COLUMNS": "250"}
    return subprocess.run([OPC, "eligibility", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_eligibility(tmp_path):
    result = _run("degree=master", f"graduation_year={THIS_YEAR - 8}", "is_founder=yes", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    got = _by_id(json.loads(result.stdout))
    assert got["personal_loan"]["status"] == "not_met"
    table = _run("degree=master", "newly_arrived=yes", "--lang", "zh", tmp_path=tmp_path)
    assert table.returncode == 0 and "落户补贴" in table.stdout and "最高10万元" in table.stdout
    bad = _run(f"graduation_year={THIS_YEAR + 3}", tmp_path=tmp_path)
    assert bad.returncode == 2 and "graduation_year" in bad.stderr and "future" in bad.stderr
    unknown = _run("shoe_size=42", tmp_path=tmp_path)
    assert unknown.returncode == 2 and "shoe_size" in unknown.stderr and "Traceback" not in unknown.stderr


def test_profiles_get_exactly_the_expected_benefit_sets(corpus):
    """eval/eligibility.yaml: per profile, the met and not-met sets exactly; everything else unknown."""
    import yaml

    cases = yaml.safe_load((ROOT / "eval" / "eligibility.yaml").read_text(encoding="utf-8"))
    benefits = {f.id for f in corpus.facts if f.is_benefit}
    for case in cases:
        raw = dict(case["profile"])
        if "years_ago" in raw:
            raw["graduation_year"] = THIS_YEAR - raw.pop("years_ago")
        got = {b.fact_id: b.status for b in check(corpus, FounderProfile(**raw), "en").benefits}
        assert set(got) == benefits
        assert {k for k, v in got.items() if v == "met"} == set(case["met"]), case["id"]
        assert {k for k, v in got.items() if v == "not_met"} == set(case["not_met"]), case["id"]

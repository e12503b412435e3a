"""The eligibility check over a library: by default the home jurisdiction's
documents in force today with the built-in plan first; a request may narrow to documents, issuers or places;
results are ordered (met, unknown, not met; by amount), limited, counted and labelled by issuer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from assistant.types import FounderProfile
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


OPC = str(Path(sys.executable).parent / "opc")

# Notices written for these tests in the shapes a city's bureaus and districts publish.
SZ_HR = """深圳市人力资源局关于支持人工智能青年人才创业的通知
深人规〔2026〕8号
各有关单位：
第一条 为支持人工智能青年人才在深圳创业，制定本通知。
第二条 对在深圳创办人工智能企业的高校毕业生，给予一次性创业资助5万元。
第三条 对入驻创业孵化基地的初创企业，给予场租补贴每月2000元，最长12个月。
第四条 本通知自2026年1月1日起施行，有效期3年。
深圳市人力资源局
2026年1月1日
"""

SZ_EXPIRED = """深圳市科技创新局关于人工智能企业研发补助的通知
深科规〔2023〕3号
各有关单位：
第一条 为鼓励人工智能企业加大研发投入，制定本通知。
第二条 对人工智能企业年度研发投入给予一次性研发补助80万元。
第三条 本通知自2023年1月1日起施行，有效期2年。
深圳市科技创新局
2023年1月1日
"""

NANSHAN_ZH = """深圳市南山区科技创新局关于支持人工智能初创企业的若干措施
深南科规〔2026〕2号
各有关单位：
第一条 为支持人工智能初创企业在南山区发展，制定本措施。
第二条 对在南山区注册的人工智能初创企业，给予一次性启动资助30万元。
第三条 本措施自2026年3月1日起施行，有效期3年。
深圳市南山区科技创新局
2026年3月1日
"""


@pytest.fixture(scope="module")
def library(seeded_data_dir, tmp_path_factory):
    bot = Assistant.load(Settings(data_dir=seeded_data_dir("opc-elig-library")))
    folder = tmp_path_factory.mktemp("notices")
    ids = {}
    for name, text in (("sz-hr.txt", SZ_HR), ("sz-expired.txt", SZ_EXPIRED), ("nanshan.txt", NANSHAN_ZH)):
        (folder / name).write_text(text, encoding="utf-8")
        ids[name] = bot.add_document(folder / name).id
    return bot, ids


def _docs(result) -> set[str]:
    return {b.citation.doc_id for b in result.benefits}


def test_default_scope_is_the_home_jurisdiction_in_force_with_the_plan_first(library):
    bot, ids = library
    result = bot.eligibility(FounderProfile(is_founder=True), "zh")
    assert result.scope == "home"
    # the Shenzhen notice in force takes part; the expired one and the district's do not
    assert _docs(result) == {"sz-ai-opc-plan", ids["sz-hr.txt"]}
    assert result.total == len(result.benefits)
    hr = [b for b in result.benefits if b.citation.doc_id == ids["sz-hr.txt"]]
    assert {b.amount for b in hr} == {"5万元（一次性）", "2000元/月，最长12个月"} and all(b.issuer == "深圳市人力资源局" for b in hr)
    # rule-read facts are undecided; within a status the plan's benefits come before the notice's
    assert all(b.status == "unknown" for b in hr)
    unknown = [b.citation.doc_id for b in result.benefits if b.status == "unknown"]
    assert unknown.index(ids["sz-hr.txt"]) > max(i for i, d in enumerate(unknown) if d == "sz-ai-opc-plan")
    order = [b.status for b in result.benefits]
    assert order == sorted(order, key=["met", "unknown", "not_met"].index)
    groups = {g.issuer: g for g in result.issuers}
    assert groups["深圳市人力资源局"].documents == [ids["sz-hr.txt"]]
    assert groups["深圳市人力资源局"].unknown == len(hr)
    assert sum(g.met + g.unknown + g.not_met for g in groups.values()) == result.total


def test_a_place_issuer_or_document_narrows_and_amounts_order_the_rest(library):
    bot, ids = library
    by_place = bot.eligibility(FounderProfile(), "en", jurisdictions=["Nanshan District"])
    assert by_place.scope == "filter" and _docs(by_place) == {ids["nanshan.txt"]}
    grant = by_place.benefits[0]
    assert grant.amount == "300,000 yuan (one-off)" and "南山区" in grant.issuer
    assert _docs(bot.eligibility(FounderProfile(), "zh", jurisdictions=["南山"])) == {ids["nanshan.txt"]}
    # an expired notice is still reachable when named
    named = bot.eligibility(FounderProfile(), "zh", documents=[ids["sz-expired.txt"]])
    assert _docs(named) == {ids["sz-expired.txt"]}
    both = bot.eligibility(FounderProfile(), "zh", issuers=["人力资源局"], jurisdictions=["南山区"])
    assert _docs(both) == {ids["sz-hr.txt"], ids["nanshan.txt"]}
    # all undecided: the largest yearly sum first (300,000 > 50,000 one-off > 2,000 a month = 24,000 a year)
    values = [b.amount for b in both.benefits]
    assert values == ["30万元（一次性）", "5万元（一次性）", "2000元/月，最长12个月"]


def test_limit_keeps_the_total_and_the_counts(library):
    bot, _ = library
    whole = bot.eligibility(FounderProfile(graduation_year=2015), "en")
    cut = bot.eligibility(FounderProfile(graduation_year=2015), "en", limit=3)
    assert len(cut.benefits) == 3 and cut.total == whole.total > 3
    assert [b.fact_id for b in cut.benefits] == [b.fact_id for b in whole.benefits[:3]]
    assert [b.citation.n for b in cut.benefits] == [1, 2, 3]
    assert cut.issuers == whole.issuers


@pytest.fixture(scope="module")
def url(library):
    bot, _ = library
    settings = Settings(data_dir=bot.settings.data_dir, ui=False, rate_limit="10000/minute",
                        rate_limit_per_user="10000/minute")
    with serve(create_app(settings, bot)) as base:
        yield base


def test_api_scopes_and_rejects_unknown_or_too_many_names(url, library):
    _, ids = library
    ok = httpx.post(f"{url}/v1/eligibility", json={"profile": {}, "jurisdictions": ["深圳市"], "limit": 2}, timeout=30)
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["scope"] == "filter" and len(body["benefits"]) == 2 and body["total"] > 2
    assert ids["sz-expired.txt"] in {d for g in body["issuers"] for d in g["documents"]}  # named place: all of it
    for field, value, named in (("documents", ["no-such-notice"], "no-such-notice"),
                                ("issuers", ["火星市交通局"], "火星市交通局"),
                                ("jurisdictions", ["Atlantis"], "Atlantis")):
        r = httpx.post(f"{url}/v1/eligibility", json={"profile": {}, field: value}, timeout=30)
        assert r.status_code == 404 and named in r.json()["error"]["message"], r.text
    too_many = httpx.post(f"{url}/v1/eligibility", json={"profile": {}, "jurisdictions": ["深圳市"] * 51}, timeout=30)
    assert too_many.status_code == 422 and "jurisdictions" in too_many.json()["error"]["message"]
    mixed = httpx.post(f"{url}/v1/eligibility", timeout=30, json={
        "profile": {}, "documents": [ids["sz-hr.txt"]] * 20, "issuers": ["深圳市"] * 20, "jurisdictions": ["南山区"] * 20})
    assert mixed.status_code == 422 and "at most 50" in mixed.json()["error"]["message"]
    long = httpx.post(f"{url}/v1/eligibility", json={"profile": {}, "jurisdictions": ["深" * 121]}, timeout=30)
    assert long.status_code == 422
    assert httpx.post(f"{url}/v1/eligibility", json={"profile": {}, "limit": 0}, timeout=30).status_code == 422


def test_cli_narrows_to_a_place(library):
    bot, ids = library
    env = {**os.environ, "OPC_DATA_DIR": str(bot.settings.data_dir), "COLUMNS": "250"}
    run = subprocess.run([OPC, "eligibility", "degree=master", "--place", "Nanshan District", "--json"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert {b["citation"]["doc_id"] for b in json.loads(run.stdout)["benefits"]} == {ids["nanshan.txt"]}
    table = subprocess.run([OPC, "eligibility", "--lang", "zh", "--limit", "3"], capture_output=True, text=True,
                           env=env, timeout=120)
    assert table.returncode == 0 and "显示 3 项" in table.stdout and "深圳市" in table.stdout  # headers in the chosen language
    bad = subprocess.run([OPC, "eligibility", "--place", "Atlantis"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert bad.returncode != 0 and "Atlantis" in bad.stderr and "Traceback" not in bad.stderr

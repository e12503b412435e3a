"""`opc eval` for evaluators and CI: reports outside the checkout by default, --junit, --compare of two reports,
and --url/--key against a deployed server whose `eval` key is not held to end users' rate limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
import yaml

from assistant import Settings
from assistant.api import create_app
from harness.servers import serve

pytestmark = pytest.mark.system

OPC = str(Path(sys.executable).parent / "opc")
ROOT = Path(__file__).resolve().parent.parent
CASES = [
    {"id": "housing-zh", "question": "住房补贴每月多少钱？", "language": "zh", "category": "figure",
     "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m4"], "expected_figures": ["1250元", "1000元"]},
    {"id": "hukou-hant", "question": "博士落戶補貼最高多少？", "language": "zh-Hant", "category": "traditional",
     "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m2"], "expected_figures": ["10萬元"]},
    {"id": "followup-master", "question": "那硕士呢？", "turns": ["博士落户补贴有多少？"], "language": "zh",
     "category": "followup", "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m2"],
     "expected_figures": ["10万元"]},
    {"id": "shanghai", "question": "What does Shanghai offer one-person companies?", "language": "en",
     "category": "refusal", "answerable": False},
    {"id": "voucher", "question": "How big is the training power voucher?", "language": "en",
     "category": "figure", "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m6"],
     "expected_figures": ["10 million yuan"]},
]


def run(*args, data_dir, env=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPC_EVAL_LLM_")}
    base.update(OPC_DATA_DIR=str(data_dir), COLUMNS="220", **(env or {}))
    return subprocess.run([OPC, "eval", *map(str, args)], capture_output=True, text=True, env=base, timeout=600,
                          cwd=ROOT)


def dataset(folder: Path, cases) -> Path:
    path = folder / "cases.yaml"
    path.write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    return path


def test_reports_go_outside_the_checkout_by_default_with_junit(data_dir, bot, tmp_path):
    before = {p for p in (ROOT / "eval").rglob("*")}
    result = run("--mode", "extractive", "--dataset", dataset(tmp_path, CASES), "--junit", tmp_path / "junit.xml",
                 data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert {p for p in (ROOT / "eval").rglob("*")} == before  # nothing written into the checkout
    reports = sorted((Path(data_dir) / "eval-reports").glob("*/results.json"))
    assert reports and str(reports[-1]) in result.stderr.replace("\n", "")  # the path is printed
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert [c.get("name") for c in suite.findall("testcase")] == [c["id"] for c in CASES] or \
        sorted(c.get("name") for c in suite.findall("testcase")) == sorted(c["id"] for c in CASES)
    assert suite.get("tests") == "5" and suite.get("failures") == "0"


def test_junit_failures_and_compare_regressions_first(data_dir, bot, tmp_path):
    good = run("--mode", "extractive", "--dataset", dataset(tmp_path, CASES), "--out", tmp_path / "a",
               data_dir=data_dir)
    assert good.returncode == 0, good.stderr
    wrong = [dict(c) for c in CASES]
    wrong[4]["expected_figures"] = ["20 million yuan"]  # the plan says 10 million: this case now fails
    bad = run("--mode", "extractive", "--dataset", dataset(tmp_path, wrong), "--out", tmp_path / "b",
              "--junit", tmp_path / "b.xml", data_dir=data_dir)
    assert bad.returncode == 0, bad.stderr  # the gate is thresholds; the case itself fails
    failed = [c for c in ET.parse(tmp_path / "b.xml").getroot().iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["voucher"]
    assert "20 million yuan" in failed[0].find("failure").get("message")
    diff = run("--compare", tmp_path / "a" / "results.json", tmp_path / "b" / "results.json", data_dir=data_dir)
    assert diff.returncode == 1, diff.stderr  # a regression
    lines = [line for line in diff.stdout.splitlines() if "voucher" in line or "housing-zh" in line]
    assert lines and "voucher" in lines[0] and "regression" in lines[0]
    assert "1 regression(s)" in diff.stderr
    back = run("--compare", tmp_path / "b" / "results.json", tmp_path / "a" / "results.json", data_dir=data_dir)
    assert back.returncode == 0 and "fixed" in back.stdout
    broken = run("--compare", tmp_path / "a" / "summary.md", tmp_path / "b.xml", data_dir=data_dir)
    assert broken.returncode != 0 and "Traceback" not in broken.stderr


def test_eval_against_a_deployed_server_with_an_eval_key(data_dir, bot, tmp_path):
    settings = Settings(data_dir=data_dir, ui=False, api_keys=["ask-key-123456", "eval-key-123456:eval"],
                        rate_limit="4/minute", rate_limit_per_user="2/minute", rate_limit_eval="100/minute")
    with serve(create_app(settings, bot)) as url:
        # an ordinary key runs into its limit long before a run ends ...
        codes = [httpx.post(f"{url}/v1/chat", json={"question": "住房补贴？", "mode": "extractive"},
                            headers={"Authorization": "Bearer ask-key-123456"}, timeout=60).status_code
                 for _ in range(5)]
        assert codes[-1] == 429
        # ... the eval key runs the whole suite (6 requests with the follow-up's first turn) over HTTP
        result = run("--url", url, "--key", "eval-key-123456", "--mode", "extractive",
                     "--dataset", dataset(tmp_path, CASES), "--out", tmp_path / "remote",
                     "--junit", tmp_path / "remote.xml", data_dir=tmp_path / "local")
        assert result.returncode == 0, result.stdout + result.stderr
        report = json.loads((tmp_path / "remote" / "results.json").read_text(encoding="utf-8"))
        cases = {c["id"]: c for c in report["runs"][0]["cases"]}
        assert cases["housing-zh"]["cited"] == ["sz-ai-opc-plan:m4"] and not cases["housing-zh"]["failures"]
        assert report["runs"][0]["name"] == url
        # ... and is still bounded: its own limit, counted per key
        eval_headers = {"Authorization": "Bearer eval-key-123456"}
        r = httpx.post(f"{url}/v1/chat", json={"question": "住房补贴？", "mode": "extractive"},
                       headers=eval_headers, timeout=60)
        assert r.status_code == 200 and r.headers["X-RateLimit-Limit"] == "100"
        wrong = run("--url", url, "--key", "not-a-key", "--mode", "extractive", "--dataset",
                    dataset(tmp_path, CASES[:1]), "--out", tmp_path / "denied", data_dir=tmp_path / "local")
        assert wrong.returncode != 0 and "401" in (wrong.stdout + wrong.stderr)

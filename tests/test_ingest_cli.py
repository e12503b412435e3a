"""`opc corpus add / list / check / remove` as real processes on a data dir of their own."""

from __future__ import annotations

import json

import pytest

from harness import docfactory as f
from tests.test_cli import run

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


BAOAN_EN_WRONG = """# Bao'an District Rules on Workspace for AI One-Person Companies

## 1. Scope

These rules apply to AI one-person companies registered in Bao'an.

## 2. Workspace support

(1) Rent-free desks. Newly settled one-person companies get rent-free desks for up to 8 months.

(2) Shared meeting rooms. Settled companies may use shared meeting rooms free of charge for 20 hours a month.
"""


@pytest.fixture(scope="module")
def cli_data(seeded_data_dir):
    return seeded_data_dir("opc-cli-ingest")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-files")
    paths = {"zh": folder / "nanshan.pdf", "gbk": folder / "baoan.txt", "md": folder / "baoan-en.md",
             "bad": folder / "scan.pdf"}
    paths["zh"].write_bytes(f.zh_policy_pdf())
    paths["gbk"].write_bytes(f.gbk_text_bytes())
    paths["md"].write_text(BAOAN_EN_WRONG, encoding="utf-8")
    paths["bad"].write_bytes(f.scanned_pdf_bytes())
    return paths


def test_add_translate_ask_check_remove(cli_data, files, doc_server, monkeypatch):
    monkeypatch.setenv("OPC_FETCH_ALLOW", "127.0.0.1/32")  # the operator trusts the loopback document server
    added = run("corpus", "add", str(files["zh"]), "--json", data_dir=cli_data)
    assert added.returncode == 0, added.stderr
    doc = json.loads(added.stdout)
    assert doc["languages"] == ["zh"] and doc["clauses"] == 7 and doc["authority"] == "document"

    en = run("corpus", "add", doc_server.url("/policies/nanshan-measures-en.html"), "--translation-of", doc["id"],
             data_dir=cli_data)
    assert en.returncode == 0, en.stderr
    assert f"Added {doc['id']}" in en.stdout and "languages: en, zh" in en.stdout
    assert "no counterpart" in en.stderr  # the English preamble: a warning, not an error

    zh_answer = run("ask", "办公租金补贴每年最高多少钱？", data_dir=cli_data)
    assert zh_answer.returncode == 0 and "8万元" in zh_answer.stdout and "第三条（第1页）" in zh_answer.stdout
    en_answer = run("ask", "How long can core members rent talent apartments?", "--json", data_dir=cli_data)
    cited = json.loads(en_answer.stdout)["citations"][0]
    assert (cited["label"], cited["page"], cited["doc_id"]) == ("Article 5", 2, doc["id"])

    check = run("corpus", "check", data_dir=cli_data)
    assert check.returncode == 0 and "All figures agree" in check.stdout

    listing = json.loads(run("corpus", "list", "--json", data_dir=cli_data).stdout)
    assert [d["id"] for d in listing] == ["sz-ai-opc-plan", "opc-news-summary", doc["id"]]

    removed = run("corpus", "remove", doc["id"], data_dir=cli_data)
    assert removed.returncode == 0 and "Removed" in removed.stdout
    listing = json.loads(run("corpus", "list", "--json", data_dir=cli_data).stdout)
    assert [d["id"] for d in listing] == ["sz-ai-opc-plan", "opc-news-summary"]


def test_check_reports_a_figure_that_differs_in_translation(cli_data, files):
    gbk = run("corpus", "add", str(files["gbk"]), "--json", data_dir=cli_data)
    assert gbk.returncode == 0, gbk.stderr
    doc_id = json.loads(gbk.stdout)["id"]
    md = run("corpus", "add", str(files["md"]), "--translation-of", doc_id, data_dir=cli_data)
    assert md.returncode == 0, md.stderr
    check = run("corpus", "check", "--json", data_dir=cli_data)
    assert check.returncode == 1
    assert json.loads(check.stdout)["figure_mismatches"] == [{"clause_id": f"{doc_id}:s2-1", "label": "（一）",
                                         "only_en": ["8 months"], "only_zh": ["6 months"]}]
    table = run("corpus", "check", data_dir=cli_data)
    assert table.returncode == 1 and "8 months" in table.stdout and "6 months" in table.stdout


def test_bad_input_and_protected_documents(cli_data, files):
    before = json.loads(run("corpus", "list", "--json", data_dir=cli_data).stdout)
    bad = run("corpus", "add", str(files["bad"]), data_dir=cli_data)
    assert bad.returncode == 7 and "no extractable text; OCR is not supported" in bad.stderr
    assert "Traceback" not in bad.stderr
    builtin = run("corpus", "remove", "sz-ai-opc-plan", data_dir=cli_data)
    assert builtin.returncode == 7 and "cannot be removed" in builtin.stderr
    unknown = run("corpus", "remove", "no-such-doc", data_dir=cli_data)
    assert unknown.returncode == 6 and "No document" in unknown.stderr
    assert json.loads(run("corpus", "list", "--json", data_dir=cli_data).stdout) == before

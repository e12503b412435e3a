"""The `opc` console script, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


OPC = str(Path(sys.executable).parent / "opc")


def run(*args, data_dir, input=None):
    env = {**os.environ, "OPC_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.run([OPC, *args], capture_output=True, text=True, env=env, input=input, timeout=300)


@pytest.fixture(scope="module")
def built(bot, data_dir):
    return data_dir  # the session index is already built by `bot`


def test_ask_chinese_cites_measure_four(built):
    result = run("ask", "住房补贴每月多少钱？", data_dir=built)
    assert result.returncode == 0, result.stderr
    assert "1250元" in result.stdout and "1000元" in result.stdout
    assert "（四）" in result.stdout and "[1]" in result.stdout


def test_ask_english_training_voucher(built):
    result = run("ask", "How big is the training power voucher?", data_dir=built)
    assert result.returncode == 0, result.stderr
    assert "10 million yuan" in result.stdout and "(6)" in result.stdout


def test_ask_json(built):
    result = run("ask", "How big is the training power voucher?", "--json", data_dir=built)
    data = json.loads(result.stdout)
    assert data["answerable"] and data["mode"] == "extractive" and data["language"] == "en"
    assert data["citations"][0]["clause_id"] == "sz-ai-opc-plan:m6"


def test_out_of_scope_is_refused(built):
    result = run("ask", "What does Shanghai offer one-person companies?", "--json", data_dir=built)
    data = json.loads(result.stdout)
    assert data["answerable"] is False and data["citations"] == [] and data["suggestions"]


@pytest.mark.parametrize("question", ["", "   ", "x" * 2500, "bad\x01input"])
def test_bad_input_exits_non_zero_with_a_message(built, question):
    result = run("ask", question, data_dir=built)
    assert result.returncode == 2
    assert "Error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_corpus_list(built):
    result = run("corpus", "list", "--json", data_dir=built)
    docs = json.loads(result.stdout)
    assert [d["id"] for d in docs] == ["sz-ai-opc-plan", "opc-news-summary"]
    assert docs[0]["clauses"] == 12 and docs[0]["languages"] == ["en", "zh"]
    table = run("corpus", "list", data_dir=built)
    assert "sz-ai-opc-plan:m4" in table.stdout and "提供住房保障" in table.stdout


def test_index_rebuild_shows_progress(tmp_path):
    result = run("index", "--rebuild", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "embedding" in result.stderr and "Index ready" in result.stdout


def test_chat_session(built):
    result = run("chat", data_dir=built, input="住房补贴每月多少钱？\n\x00\nHow big is the training power voucher?\n")
    assert result.returncode == 0
    assert "1250元" in result.stdout and "10 million yuan" in result.stdout
    assert "control characters" in result.stderr

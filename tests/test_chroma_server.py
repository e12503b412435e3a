"""OPC_CHROMA_URL: the index on a real Chroma server (`chroma run`) on loopback, shared by several processes."""

from __future__ import annotations

import pytest

from assistant import Assistant, Settings
from assistant.errors import IndexUnavailable
from harness.servers import chroma_server, free_port

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


def test_answers_through_a_chroma_server(chroma_url, tmp_path):
    import chromadb

    settings = Settings(data_dir=tmp_path, chroma_url=chroma_url)
    bot = Assistant.load(settings)
    answer = bot.ask("住房补贴每月多少钱？")
    assert "1250" in answer.answer and answer.citations[0].clause_id == "sz-ai-opc-plan:m4"
    # The vectors live on the server, not in the data directory.
    assert not (bot.index.path / "chroma").exists()
    host, port = chroma_url.rsplit(":", 1)
    server = chromadb.HttpClient(host="127.0.0.1", port=int(port))
    names = [c.name for c in server.list_collections()]
    assert f"opc-{bot.index.path.name}" in names
    assert server.get_collection(f"opc-{bot.index.path.name}").count() == len(bot.index.entries)

    # A second worker on the same data directory and server opens the same build without rebuilding.
    worker = Assistant.load(Settings(data_dir=tmp_path, chroma_url=chroma_url))
    assert worker.notice is None and worker.index.path == bot.index.path
    assert worker.ask("How much is the monthly housing subsidy?").citations[0].clause_id == "sz-ai-opc-plan:m4"
    # A conversation started on one worker continues on the other (SQLite in the shared data dir).
    sid = bot.new_session()
    first = bot.ask("博士落户补贴最高多少？", session_id=sid)
    follow = worker.ask("那需要满足什么条件呢？", session_id=sid)
    assert follow.standalone_question and first.answerable
    assert len(bot.session(sid)) == 2


def test_unreachable_chroma_server_is_a_clear_error(tmp_path):
    settings = Settings(data_dir=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(IndexUnavailable, match="Chroma|127.0.0.1"):
        Assistant.load(settings)
    assert not list((tmp_path / "index").glob("build-*"))
    bad = Settings(data_dir=tmp_path, chroma_url="chroma-host:8000")
    with pytest.raises(IndexUnavailable, match="http://host:port"):
        Assistant.load(bad)

"""Query vectors on disk: embedded once by any worker, reused by the others and after a restart."""

from __future__ import annotations

from assistant.library.embed import CachedQueries, make_embedder
from assistant.library.query_cache import PRUNE_EVERY, QueryVectorStore
from assistant.settings import Settings


def _counting(embedder: CachedQueries) -> list[str]:
    """Record which texts reach the real model behind the cache."""
    asked: list[str] = []
    real = embedder.inner.embed_query

    def embed_query(text: str) -> list[float]:
        asked.append(text)
        return real(text)

    embedder.inner.embed_query = embed_query
    return asked


def test_a_question_embedded_by_one_worker_is_reused_by_another(tmp_path):
    settings = Settings(data_dir=tmp_path)
    first, second = make_embedder(settings), make_embedder(settings)  # two workers of one host
    asked_first, asked_second = _counting(first), _counting(second)
    question = "博士来深创业，落户补贴最高多少？"
    vector = first.embed_query(question)
    assert second.embed_query(question) == vector  # bit for bit: float32 as the model gives it
    assert asked_first == [question] and asked_second == []
    assert not any(question.encode() in p.read_bytes() for p in (tmp_path / "cache").iterdir())  # only a hash
    # After a restart too.
    restarted = make_embedder(settings)
    asked = _counting(restarted)
    assert restarted.embed_query(question) == vector and asked == []


def test_another_embedder_setting_never_reads_these_vectors(tmp_path):
    plain = make_embedder(Settings(data_dir=tmp_path))
    plain.embed_query("What does the computing power voucher cover?")
    other = make_embedder(Settings(data_dir=tmp_path, embedder_prefixes=False))
    asked = _counting(other)
    other.embed_query("What does the computing power voucher cover?")
    assert asked == ["What does the computing power voucher cover?"]
    assert len(list((tmp_path / "cache").glob("query-vectors-*.sqlite3"))) == 2


def test_a_data_directory_that_cannot_hold_the_cache_only_loses_the_sharing(tmp_path):
    (tmp_path / "cache").write_text("not a directory")  # (permissions would not stop root)
    embedder = make_embedder(Settings(data_dir=tmp_path))
    assert embedder.store is None
    vector = embedder.embed_query("住房补贴每月多少钱？")
    assert len(vector) == 384 and embedder.embed_query("住房补贴每月多少钱？") == vector


def test_the_store_keeps_only_the_newest_rows(tmp_path):
    store = QueryVectorStore(tmp_path / "v.sqlite3", max_rows=100)
    for n in range(PRUNE_EVERY):
        store.put(f"question {n}", [float(n)] * 4)
    assert store.get(f"question {PRUNE_EVERY - 1}") == [float(PRUNE_EVERY - 1)] * 4
    assert store.get("question 0") is None
    assert store._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 100


def test_zero_turns_the_disk_cache_off(tmp_path):
    embedder = make_embedder(Settings(data_dir=tmp_path, embedder_disk_cache=0))
    assert isinstance(embedder, CachedQueries) and embedder.store is None
    embedder.embed_query("创业担保贷款额度是多少？")
    assert not (tmp_path / "cache").exists()


def test_a_local_model_embeds_one_question_at_a_time(tmp_path):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    embedder = make_embedder(Settings(data_dir=tmp_path))
    real, lock = embedder.inner.embed_query, threading.Lock()
    in_flight, most = [0], [0]

    def embed_query(text: str) -> list[float]:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        try:
            return real(text)
        finally:
            with lock:
                in_flight[0] -= 1

    embedder.inner.embed_query = embed_query
    questions = [f"第{n}项措施的补贴标准是什么？" for n in range(1, 9)]
    with ThreadPoolExecutor(8) as pool:
        vectors = list(pool.map(embedder.embed_query, questions))
    assert most[0] == 1 and len({tuple(v) for v in vectors}) == len(questions)

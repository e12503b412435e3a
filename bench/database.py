#!/usr/bin/env python3
"""What the database costs a request, on SQLite (the default) and PostgreSQL.

Measures, and prints as ONE JSON object on stdout, per backend, latency percentiles (ms) of each store
operation a request makes: ``corpus_version`` (the shared corpus version read, uncached: what every request
pays with OPC_CORPUS_POLL_SECONDS=0), ``corpus_version_cached`` (within the poll interval: no round trip),
``session_check``, ``history``, ``append_turn``, ``record_answer``; and ``per_chat_request_ms``, the sum of
the p50s a /v1/chat turn pays (version, check, history, append, answer log).

    python -m bench.database [--n 500] [--database-url postgresql://...]

Without ``--database-url`` a throw-away PostgreSQL server is started on loopback (as the tests do) when its
binaries are installed. Nothing here uses the network; no model is loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from assistant.settings import Settings  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.feedback import FeedbackStore  # noqa: E402
from assistant.store.sessions import SessionStore  # noqa: E402
from assistant.types import Answer  # noqa: E402


def _pct(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"p50": round(s[len(s) // 2], 3), "p95": round(s[int(len(s) * 0.95)], 3), "mean": round(sum(s) / len(s), 3)}


def _time(fn, n: int) -> dict:
    fn()  # warm: the connection is open
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return _pct(samples)


def measure(settings: Settings, n: int) -> dict:
    db = open_database(settings)
    sessions, log = SessionStore(db), FeedbackStore(db)
    sid = sessions.create("bench-owner")
    answer = Answer(question="住房补贴每月多少钱？", answer="每月1250元[1]。", language="zh", answerable=True,
                    mode="extractive")
    counter = iter(range(10**9))
    out = {
        "corpus_version": _time(lambda: db.corpus_version(0), n),
        "corpus_version_cached": _time(lambda: db.corpus_version(0.5), n),
        "session_check": _time(lambda: sessions.check(sid, "bench-owner"), n),
        "history": _time(lambda: sessions.history(sid), n),
        "append_turn": _time(lambda: sessions.append(sid, answer), n),
        "record_answer": _time(lambda: log.record_answer(answer.model_copy(update={"id": f"a{next(counter)}"})), n),
    }
    out["per_chat_request_ms"] = round(sum(out[k]["p50"] for k in
                                           ("corpus_version", "session_check", "history", "append_turn",
                                            "record_answer")), 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    result = {"n": args.n, "load": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        result["sqlite"] = measure(Settings(data_dir=Path(tmp) / "sqlite"), args.n)
        server = None
        url = args.database_url
        if url is None:
            from harness.pg import Postgres, pg_bin

            if pg_bin() is not None:
                server = Postgres()
                url = server.create_database("bench")
        try:
            if url:
                result["postgresql"] = measure(Settings(data_dir=Path(tmp) / "pg", database_url=url), args.n)
        finally:
            if server is not None:
                server.close()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

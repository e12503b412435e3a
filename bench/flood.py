#!/usr/bin/env python3
"""Flood benchmark: one address floods long questions from several threads while another asks normal ones.

Starts ``opc serve --no-ui`` (one worker, the request limit at its default 120/minute, forwarded addresses
trusted from loopback so the two clients are two addresses) in each configuration over one data directory:

- ``limits_off``: no cost limits and no in-flight limit (only requests are counted, as before); the embedding
  still reads the asks,
- ``defaults``: the embedding reads the asks up to OPC_RETRIEVAL__QUERY_EMBED_TOKENS, each address, key and
  user spends a budget of processor time (OPC_COST_LIMIT*), and an address has at most
  OPC_MAX_QUESTIONS_IN_FLIGHT_PER_ADDRESS questions being answered at once.

The flooder varies each question a little, so no cache answers it, and waits as a 429's Retry-After says (at
most 5 s at a time), as the client that found the problem did: well inside the request limit, every question long. Run it with ``PYTHONPATH`` pointing at an
older checkout and ``--configs limits_off`` to measure the code before.
For each, the other client's latency (p50/p95/p99 ms) with nothing else running (``idle``) and during the
flood, the flooder's response statuses, and the target: the other client's p95 during the flood within 2× idle.
Prints ONE JSON object.

    python -m bench.flood [--seconds 20] [--threads 8] [--chars 1990] [--configs limits_off defaults]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent

from bench.load import log, start_server  # noqa: E402

NORMAL = ["住房补贴每月多少钱？", "How big is the training power voucher?", "博士落户补贴最高多少？",
          "免費辦公空間可以用多久？"]
BACKGROUND = "我是一名在深圳创业的人工智能工程师，公司刚刚成立，团队只有我一个人，平时主要做大模型应用，也在考虑搬到南山区。"
CONFIGS = {
    "limits_off": {"OPC_COST_LIMIT": "", "OPC_COST_LIMIT_PER_USER": "", "OPC_COST_LIMIT_PER_ADDRESS": "",
                   "OPC_MAX_QUESTIONS_IN_FLIGHT_PER_ADDRESS": "0"},
    "defaults": {},
}


def long_question(chars: int) -> str:
    ask = "请问住房补贴每月多少钱？"
    return (BACKGROUND * (chars // len(BACKGROUND) + 1))[: chars - len(ask)] + ask


def stats(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    a = np.asarray(samples) * 1000
    return {"n": len(a), "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1), "p99_ms": round(float(np.percentile(a, 99)), 1)}


PACE = 0.75  # seconds between the other client's questions: 80 a minute, inside its own 120/minute


def probe(url: str, seconds: float, refused: Counter | None = None) -> list[float]:
    """The other client: a normal question every PACE seconds from its own address; latencies of answered ones."""
    out = []
    stop = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=120, headers={"X-Forwarded-For": "198.51.100.9"}) as http:
        i = 0
        while time.monotonic() < stop:
            t = time.perf_counter()
            r = http.post("/v1/ask", json={"question": NORMAL[i % len(NORMAL)], "mode": "extractive"})
            took = time.perf_counter() - t
            if r.status_code == 200:
                out.append(took)
            elif refused is not None:
                refused[r.status_code] += 1
            i += 1
            time.sleep(max(0.0, PACE - took))
    return out


def flood(url: str, stop: threading.Event, threads: int, question: str, statuses: Counter) -> list[threading.Thread]:
    def one() -> None:
        with httpx.Client(base_url=url, timeout=120, headers={"X-Forwarded-For": "203.0.113.7"}) as http:
            n = 0
            while not stop.is_set():  # each question a little different: no cache answers it
                n += 1
                prefix = f"{threading.get_ident() % 997}-{n}。"
                asked = prefix + question[len(prefix):]  # the same length, the ask at its end kept
                r = http.post("/v1/ask", json={"question": asked, "mode": "extractive"})
                statuses[r.status_code] += 1
                if r.status_code == 429:  # as the finding's client: within the limits, waiting when told to
                    stop.wait(min(float(r.headers.get("Retry-After", 1)), 5.0))
    workers = [threading.Thread(target=one, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    return workers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--chars", type=int, default=1990)
    ap.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    args = ap.parse_args()
    question = long_question(args.chars)
    root = Path(tempfile.mkdtemp(prefix="opc-flood-"))
    result = {"bench": "flood", "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
              "threads": args.threads, "question_chars": len(question), "seconds": args.seconds, "configs": {}}
    try:
        for n, name in enumerate(args.configs):
            env = CONFIGS[name]
            proc, url = start_server(root / "data", 1, {"OPC_TRUSTED_PROXIES": "127.0.0.1",
                                                        "OPC_RATE_LIMIT": "120/minute", **env}, build=n == 0)
            try:
                probe(url, 3)  # warm up
                time.sleep(5)
                log(f"{name}: idle …")
                idle = probe(url, args.seconds)
                log(f"{name}: flood …")
                stop, statuses = threading.Event(), Counter()
                workers = flood(url, stop, args.threads, question, statuses)
                time.sleep(1)
                other_refused: Counter = Counter()
                during = probe(url, args.seconds, other_refused)
                stop.set()
                for w in workers:
                    w.join(timeout=120)
                i, d = stats(idle), stats(during)
                ratio = round(d["p95_ms"] / i["p95_ms"], 2) if i.get("p95_ms") else None
                result["configs"][name] = {"env": env, "idle": i, "flood": d, "p95_ratio": ratio,
                                           "flooder_statuses": dict(statuses), "other_refused": dict(other_refused),
                                           "target_met": ratio is not None and ratio <= 2.0}
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

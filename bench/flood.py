#!/usr/bin/env python3
"""Flood benchmark: one address floods long questions from several threads while another asks normal ones.

Starts ``opc serve --no-ui`` (one worker, the request limit at its default 120/minute, forwarded addresses
trusted from loopback so the two clients are two addresses) in each configuration over one data directory:

- ``limits_off``: no cost limits and no in-flight limit (only requests are counted, as before); the embedding
  still reads the asks,
- ``defaults``: the embedding reads the asks up to OPC_RETRIEVAL__QUERY_EMBED_TOKENS, each address, key and
  user spends a budget of processor time (OPC_COST_LIMIT*), and an address has at most
  OPC_MAX_QUESTIONS_IN_FLIGHT_PER_ADDRESS questions being answered at once; extractive questions take fair
  turns at the worker's answer slots (OPC_ANSWER_SLOTS),
- ``before``: the defaults served by an older checkout (``--before PATH``, put first on the server's
  PYTHONPATH), to measure a change against the code before it in the same run.

The flooder runs in a process of its own (as another machine would), so its client threads do not share the
other client's interpreter. It varies each question a little, so no cache answers it, and waits as a 429's
Retry-After says (at most 5 s at a time), as the client that found the problem did: well inside the request
limit, every question long.
For each, the other client's latency (p50/p95/p99 ms) with nothing else running (``idle``) and during the
flood, the flooder's response statuses, and the target: the other client's p95 during the flood within 2× idle.
Prints ONE JSON object.

With ``--rounds N`` the configurations are run N times, interleaved (a, b, a, b …), and each one's samples are
pooled: on a shared, noisy machine a before/after pair is then measured under the same background load. The
load average is reported before and after every phase.

    python -m bench.flood [--seconds 20] [--threads 8] [--chars 1990] [--rounds 1] [--configs limits_off defaults]
    python -m bench.flood --configs before defaults --before /tmp/opc-before --rounds 3
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
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
    "before": {},  # the defaults, served by the checkout --before names
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


def flood(url: str, stop, threads: int, question: str, statuses) -> None:
    """The flooder: ``threads`` threads asking long questions until ``stop`` is set; statuses counted."""
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
    for w in workers:
        w.join()


def flood_process(url: str, stop, threads: int, question: str, out) -> None:
    """The flooder in a process of its own, as another machine would be: its client threads do not share the
    other client's interpreter (in one process they added their own GIL waits to the other's latency)."""
    statuses: Counter = Counter()
    flood(url, stop, threads, question, statuses)
    out.put(dict(statuses))


def one_round(root: Path, name: str, args, question: str, build: bool) -> dict:
    """One configuration once: a fresh server, the other client idle, then during the flood."""
    env = dict(CONFIGS[name])
    if name == "before":
        if not args.before:
            raise SystemExit("the 'before' configuration needs --before PATH (an older checkout)")
        env["PYTHONPATH"] = args.before
    proc, url = start_server(root / "data", 1, {"OPC_TRUSTED_PROXIES": "127.0.0.1",
                                                "OPC_RATE_LIMIT": "120/minute", **env}, build=build)
    try:
        probe(url, 3)  # warm up
        time.sleep(5)
        log(f"{name}: idle …")
        load = [os.getloadavg()[0]]
        idle = probe(url, args.seconds)
        log(f"{name}: flood …")
        ctx = multiprocessing.get_context("spawn")
        stop, out = ctx.Event(), ctx.Queue()
        flooder = ctx.Process(target=flood_process, args=(url, stop, args.threads, question, out), daemon=True)
        flooder.start()
        time.sleep(3)  # the flooder's process started and flooding
        other_refused: Counter = Counter()
        load.append(os.getloadavg()[0])
        during = probe(url, args.seconds, other_refused)
        load.append(os.getloadavg()[0])
        stop.set()
        statuses = Counter(out.get(timeout=180))
        flooder.join(timeout=30)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"idle": idle, "flood": during, "statuses": statuses, "refused": other_refused, "load": load}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--chars", type=int, default=1990)
    ap.add_argument("--rounds", type=int, default=1, help="run the configurations this many times, interleaved")
    ap.add_argument("--before", help="an older checkout, served in the 'before' configuration (PYTHONPATH)")
    ap.add_argument("--configs", nargs="+", default=["limits_off", "defaults"], choices=list(CONFIGS))
    args = ap.parse_args()
    question = long_question(args.chars)
    root = Path(tempfile.mkdtemp(prefix="opc-flood-"))
    result = {"bench": "flood", "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
              "threads": args.threads, "question_chars": len(question), "seconds": args.seconds,
              "rounds": args.rounds, "configs": {}}
    try:
        runs = [(r, name) for r in range(args.rounds) for name in args.configs]
        got: dict[str, list[dict]] = {name: [] for name in args.configs}
        for n, (r, name) in enumerate(runs):
            log(f"round {r + 1}/{args.rounds}")
            got[name].append(one_round(root, name, args, question, build=n == 0))
        for name, rounds in got.items():
            idle = [x for g in rounds for x in g["idle"]]
            during = [x for g in rounds for x in g["flood"]]
            i, d = stats(idle), stats(during)
            ratio = round(d["p95_ms"] / i["p95_ms"], 2) if i.get("p95_ms") and d.get("p95_ms") else None
            per_round = [round(stats(g["flood"]).get("p95_ms", 0) / stats(g["idle"])["p95_ms"], 2)
                         if g["idle"] and g["flood"] else None for g in rounds]
            result["configs"][name] = {
                "env": CONFIGS[name], "idle": i, "flood": d, "p95_ratio": ratio, "p95_ratio_per_round": per_round,
                "flooder_statuses": dict(sum((g["statuses"] for g in rounds), Counter())),
                "other_refused": dict(sum((g["refused"] for g in rounds), Counter())),
                "load_average": [[round(v, 2) for v in g["load"]] for g in rounds],
                "target_met": ratio is not None and ratio <= 2.0}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

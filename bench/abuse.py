#!/usr/bin/env python3
"""Abuse benchmark: the issue-17 attacks against a live ``opc serve`` on loopback, while answers are measured.

Starts ``opc serve --no-ui`` (one worker, keys ``bench-admin:admin`` and ``bench-ask:ask``, rate limits off)
over a fresh data directory, then runs each phase while a prober alternates ``GET /healthz`` and
``POST /v1/ask`` (ask key) and samples the server's RSS:

- ``idle``: nothing else (the reference for the ask target),
- ``ssrf``: every inside-address URL form the issue lists, posted as documents (all must be refused),
- ``zip_bomb``: DOCX files whose XML inflates to 1.1 GB, ``deep_docx`` / ``deep_html``: 200,000-deep nesting,
- ``slow_uploads``: concurrent clients trickling multipart bodies, ``add_delete``: add + remove cycles
  (RSS before/after, the leak the issue measured).

Prints ONE JSON object: per phase, /healthz and /v1/ask latency p50/p95/p99 (ms), response statuses of the
attack, server RSS peak (MB), and the targets (healthz p99 ≤ 200 ms, ask p95 ≤ 2 × idle, RSS < 1.5 GB).

    python -m bench.abuse [--phase-seconds 8] [--cycles 10] [--slow-clients 8]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
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

from assistant.service import INDEX_GRACE_SECONDS  # noqa: E402
from bench.load import log, start_server  # noqa: E402
from harness import docfactory as f  # noqa: E402  (the same hostile documents the tests use)

ADMIN, ASK = {"Authorization": "Bearer bench-admin"}, {"Authorization": "Bearer bench-ask"}
QUESTIONS = ["住房补贴每月多少钱？", "How big is the training power voucher?", "博士落户补贴最高多少？",
             "免費辦公空間可以用多久？"]
SSRF = ["http://127.0.0.1:{port}/openapi.json", "http://localhost:{port}/", "http://0.0.0.0:{port}/",
        "http://[::1]:{port}/", "http://[::ffff:127.0.0.1]:{port}/", "http://2130706433:{port}/",
        "http://0x7f000001:{port}/", "http://127.1:{port}/", "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http:/etc/passwd", "file:///etc/passwd",
        "http://[fe80::1]/", "http://[64:ff9b::7f00:1]:{port}/"]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Prober:
    """Alternates /healthz and /v1/ask on its own connection, sampling the server's RSS."""

    def __init__(self, url: str, pid: int) -> None:
        self.url, self.pid = url, pid
        self.health: list[float] = []
        self.ask: list[float] = []
        self.failures: Counter[str] = Counter()
        self.rss_peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _time(self, http: httpx.Client, method: str, path: str, into: list[float], **kw) -> None:
        started = time.perf_counter()
        try:
            r = http.request(method, path, **kw)
            if r.status_code != 200:
                self.failures[f"{path} {r.status_code}"] += 1
        except httpx.HTTPError as exc:
            self.failures[f"{path} {type(exc).__name__}"] += 1
        into.append((time.perf_counter() - started) * 1000)

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as http:
            i = 0
            while not self._stop.is_set():
                self._time(http, "GET", "/healthz", self.health)
                self._time(http, "POST", "/v1/ask", self.ask, headers=ASK,
                           json={"question": QUESTIONS[i % len(QUESTIONS)], "mode": "extractive"})
                self.rss_peak = max(self.rss_peak, rss_mb(self.pid))
                i += 1
                time.sleep(0.05)

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(120)

    def report(self) -> dict:
        def pct(values):
            arr = np.array(values or [0.0])
            return {q: round(float(np.percentile(arr, int(q[1:]))), 1) for q in ("p50", "p95", "p99")} | {
                "n": len(values)}
        return {"healthz_ms": pct(self.health), "ask_ms": pct(self.ask), "rss_peak_mb": round(self.rss_peak, 1),
                "probe_failures": dict(self.failures)}


def upload(url: str, name: str, data: bytes, ctype: str = "application/octet-stream") -> str:
    try:
        r = httpx.post(f"{url}/v1/documents", headers=ADMIN, files={"file": (name, data, ctype)}, timeout=300)
        return f"{r.status_code} {r.json().get('error', {}).get('code', 'ok') if r.status_code != 201 else 'added'}"
    except httpx.HTTPError as exc:
        return type(exc).__name__


def slow_upload(url: str, seconds: float) -> str:
    body_head = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\n'
                 b"Content-Type: text/plain\r\n\r\n")

    def trickle():
        yield body_head
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            yield "第一条 慢速上传的内容。\n".encode() * 20
            time.sleep(0.2)
        yield b"\r\n--B--\r\n"

    try:
        r = httpx.post(f"{url}/v1/documents", headers={**ADMIN, "Content-Type": "multipart/form-data; boundary=B"},
                       content=trickle(), timeout=300)
        return str(r.status_code)
    except httpx.HTTPError as exc:
        return type(exc).__name__


def phase(name: str, url: str, pid: int, attack, results: dict) -> None:
    log(f"phase {name} …")
    with Prober(url, pid) as prober:
        outcome = attack()
    results[name] = {**prober.report(), "attack": outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase-seconds", type=float, default=8.0)
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--slow-clients", type=int, default=8)
    parser.add_argument("--bomb-mb", type=int, default=1100, help="Uncompressed size of the zip-bomb DOCX.")
    args = parser.parse_args()

    log("preparing hostile documents …")
    bomb = f.huge_text_docx(args.bomb_mb)
    deep_docx, deep_html = f.deep_docx(200_000), f.deep_html(200_000)
    data_dir = Path(tempfile.mkdtemp(prefix="opc-abuse-"))
    server_log = open(data_dir.parent / f"{data_dir.name}.log", "w+")  # the server's own account of errors
    proc, url = start_server(data_dir, 1, {"OPC_API_KEYS": "bench-admin:admin,bench-ask:ask"}, server_log)
    port = url.rsplit(":", 1)[1]
    results: dict = {}
    try:
        phase("idle", url, proc.pid, lambda: time.sleep(args.phase_seconds), results)

        def ssrf():
            got = Counter()
            for target in SSRF:
                r = httpx.post(f"{url}/v1/documents", headers=ADMIN, data={"url": target.format(port=port)}, timeout=60)
                got[f"{r.status_code} {r.json()['error']['code'] if r.status_code >= 400 else 'FETCHED'}"] += 1
            return dict(got)
        phase("ssrf", url, proc.pid, ssrf, results)

        def uploads(name, data, n):
            with cf.ThreadPoolExecutor(n) as pool:
                return dict(Counter(pool.map(lambda i: upload(url, f"{name}-{i}", data), range(n))))
        phase("zip_bomb", url, proc.pid, lambda: uploads("bomb.docx", bomb, 2), results)
        phase("deep_docx", url, proc.pid, lambda: uploads("deep.docx", deep_docx, 2), results)
        phase("deep_html", url, proc.pid, lambda: uploads("deep.html", deep_html, 2), results)

        def slow():
            with cf.ThreadPoolExecutor(args.slow_clients) as pool:
                return dict(Counter(pool.map(lambda _: slow_upload(url, args.phase_seconds),
                                             range(args.slow_clients))))
        phase("slow_uploads", url, proc.pid, slow, results)

        def cycles():
            statuses: Counter[str] = Counter()
            before = rss_mb(proc.pid)
            for i in range(args.cycles):
                doc = f.docx_bytes([("heading", f"第{i}号循环测试细则"), ("p", f"第一条 循环第{i}次适用。"),
                                    ("p", f"第二条 补贴{i + 3}万元。")])
                r = httpx.post(f"{url}/v1/documents", headers=ADMIN, files={"file": (f"c{i}.docx", doc)}, timeout=300)
                statuses[f"add {r.status_code}"] += 1
                if r.status_code == 201:
                    d = httpx.delete(f"{url}/v1/documents/{r.json()['id']}", headers=ADMIN, timeout=300)
                    statuses[f"delete {d.status_code}"] += 1
            after = rss_mb(proc.pid)
            # Replaced indexes are released after a grace period (answers in flight may still read them).
            time.sleep(INDEX_GRACE_SECONDS + 5)
            settled = rss_mb(proc.pid)
            return {"statuses": dict(statuses), "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
                    "rss_after_grace_mb": round(settled, 1),
                    "rss_per_cycle_mb": round((settled - before) / max(args.cycles, 1), 2)}
        phase("add_delete", url, proc.pid, cycles, results)
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(data_dir, ignore_errors=True)
        server_log.seek(0)
        errors = [line.rstrip() for line in server_log if "ERROR" in line or "Traceback" in line]
        server_errors = errors[:20]
        log(f"server log: {server_log.name}")

    idle_p95 = results["idle"]["ask_ms"]["p95"]
    attacks = [k for k in results if k != "idle"]
    meets = {
        "ssrf_all_refused": not any("FETCHED" in k or k.startswith("2") for k in results["ssrf"]["attack"]),
        "healthz_p99_le_200ms": all(results[k]["healthz_ms"]["p99"] <= 200 for k in attacks),
        "ask_p95_le_2x_idle": all(results[k]["ask_ms"]["p95"] <= 2 * idle_p95 for k in attacks),
        "rss_lt_1500mb": all(results[k]["rss_peak_mb"] < 1500 for k in results),
    }
    print(json.dumps({"phases": results, "server_errors": server_errors, "targets": {"healthz_p99_ms": 200, "ask_p95_vs_idle": 2, "rss_mb": 1500},
                      "meets_targets": meets, "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                                          "omp_threads": os.environ.get("OMP_NUM_THREADS")}},
                     ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark of ``POST /v1/eligibility``: latency over a real uvicorn server on 127.0.0.1.

Builds the index in a fresh temporary data dir (outside the timing), serves the API (no UI, rate limits off)
in a background thread, then posts ``--requests`` founder profiles one after another (varied: degrees,
graduation years, hukou, company sizes; zh / zh-Hant / en) after ``--warmup`` requests. Prints ONE JSON object:
``latency_ms`` p50/p95/p99/max (client side), ``errors``, ``targets`` / ``meets_targets`` (p95 ≤ 50 ms) and
``machine``.

``--library N`` first adds N generated notices (``bench/notices.py``, seeded; written as document folders with
their rule-read facts the way ingestion does, then indexed by the server's load, all outside the timing). The
default request then checks the home jurisdiction's documents in force (the plan first); a second series names
every place of the library (``jurisdictions``), so every notice's benefits are decided: ``latency_ms_every_place``.

    python -m bench.eligibility [--requests 300] [--warmup 20] [--library 1000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from bench.notices import library  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def profiles():
    year = date.today().year
    degrees = ["doctoral", "master", "bachelor", None]
    years = [year, year - 3, year - 6, None]
    sizes = ["micro", "small", "large", None]
    flags = [True, False, None]
    langs = ["en", "zh", "zh-Hant"]
    for i, (d, y, s, f, lang) in enumerate(itertools.product(degrees, years, sizes, flags, langs)):
        p = {"degree": d, "graduation_year": y, "company_size": s, "newly_arrived": f, "is_founder": not f,
             "in_opc_community": f, "team_size": 1 + i % 7}
        yield {"language": lang, "profile": {k: v for k, v in p.items() if v is not None}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--library", type=int, default=0, help="Generated notices added first (bench/notices.py).")
    args = ap.parse_args()

    import httpx
    import uvicorn

    from assistant import Settings
    from assistant.api import create_app

    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data), ui=False, rate_limit="1000000/minute",
                            rate_limit_per_user="1000000/minute")
        facts = 0
        if args.library:
            from assistant.ingest.store import documents_root
            from bench.fact_load import write_library

            print(f"writing {args.library} notices…", file=sys.stderr)
            _, facts = write_library(documents_root(Path(data)), args.library, settings)
        print("building the index…", file=sys.stderr)
        app = create_app(settings)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            home = series(client, args, {})
            first = client.post("/v1/eligibility", json={"profile": {}}).json()
            # every place the Chinese notices govern (one no notice governs would be a 404)
            places = sorted({n.place for n in library(args.library) if n.lang == "zh"})  # English: no place read
            every = series(client, args, {"jurisdictions": places}) if args.library else None
            wide = client.post("/v1/eligibility", json={"profile": {}, "jurisdictions": places}).json() \
                if args.library else {}
        server.should_exit = True
    result = {
        "requests": home["requests"], "errors": home["errors"] + (every["errors"] if every else 0),
        "library": {"notices": args.library, "facts": facts, "home_benefits": first.get("total"),
                    "every_place_benefits": wide.get("total")},
        "latency_ms": home["latency_ms"],
        "latency_ms_every_place": every["latency_ms"] if every else None,
        "targets": {"p95_ms": 50},
        "meets_targets": home["latency_ms"]["p95"] <= 50 and home["errors"] == 0,
        "load": os.getloadavg()[0],
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    print(json.dumps(result, indent=2))


def series(client, args, extra: dict) -> dict:
    """``--warmup`` then ``--requests`` profiles posted one after another; client-side latency."""
    bodies = itertools.cycle(list(profiles()))
    times, errors = [], 0
    for i in range(args.warmup + args.requests):
        body = {**next(bodies), **extra}
        t = time.perf_counter()
        r = client.post("/v1/eligibility", json=body)
        ms = (time.perf_counter() - t) * 1000
        if r.status_code != 200:
            errors += 1
        elif i >= args.warmup:
            times.append(ms)
    if not times:
        raise SystemExit(f"every request failed: {r.status_code} {r.text[:300]}")
    times.sort()
    pick = lambda q: round(times[min(len(times) - 1, int(q * len(times)))], 2)  # noqa: E731
    return {"requests": len(times), "errors": errors,
            "latency_ms": {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": round(times[-1], 2)}}


if __name__ == "__main__":
    main()

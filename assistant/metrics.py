"""Prometheus metrics (prometheus-client), exposed by the API at ``/metrics``.

Multiprocess-safe: when ``PROMETHEUS_MULTIPROC_DIR`` is set before this module is imported, every process
writes its values to files there and a scrape adds them up (prometheus_client's multiprocess mode). ``opc serve
--workers N`` sets it (a fresh folder, removed at exit) before the workers start; an operator who sets it
must empty the folder between runs, as prometheus_client requires.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
MULTIPROCESS = bool(os.environ.get(MULTIPROC_ENV))
if MULTIPROCESS:
    Path(os.environ[MULTIPROC_ENV]).mkdir(parents=True, exist_ok=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST
# Answers take from milliseconds (cached, extractive) to a minute (a slow chat model, streamed).
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

REQUESTS = Counter("opc_http_requests", "HTTP requests by route template, method and status code.",
                   ["route", "method", "status"])
LATENCY = Histogram("opc_http_request_duration_seconds", "Time from request to the last byte of the response "
                    "(a stream's whole length), by route template and method.", ["route", "method"], buckets=BUCKETS)
ANSWERS = Counter("opc_answers", "Answers given (every front end), by mode and whether answerable.",
                  ["mode", "answerable"])
REFUSALS = Counter("opc_refusals", "Questions the documents could not answer (answerable false), by language.",
                   ["language"])
GATE = Counter("opc_gate_rejections", "Chat-model answers the grounding gate rejected: 'first' (a corrective retry "
               "follows) or 'retry' (the quoted answer is given instead).", ["attempt"])
BATCH_QUEUE = Gauge("opc_batch_queue_depth", "Batch upload jobs queued or running.", multiprocess_mode="livesum")

if MULTIPROCESS:  # a worker that ends takes its live gauges with it
    atexit.register(multiprocess.mark_process_dead, os.getpid())


def answered(answer) -> None:
    ANSWERS.labels(answer.mode, "true" if answer.answerable else "false").inc()
    if not answer.answerable:
        REFUSALS.labels(answer.language).inc()


def gate_rejected(attempt: str) -> None:
    GATE.labels(attempt).inc()


def exposition() -> bytes:
    """The metrics in Prometheus' text format: every worker's, added up, in multiprocess mode."""
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def prepare_workers() -> Path | None:
    """Before ``opc serve`` starts several workers: a folder for their metric files (the operator's
    PROMETHEUS_MULTIPROC_DIR, emptied, or a fresh one removed at exit). Workers inherit the variable."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):  # values of an earlier run would be added to this one's
            if not stale.name.endswith(f"_{os.getpid()}.db"):
                stale.unlink(missing_ok=True)
        return folder
    folder = Path(tempfile.mkdtemp(prefix="opc-metrics-"))
    os.environ[MULTIPROC_ENV] = str(folder)
    atexit.register(shutil.rmtree, folder, True)
    return folder

"""Batch uploads as background jobs: the request returns at once (202) and answering never waits for them."""

from __future__ import annotations

import shutil
import threading
import uuid
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path

from assistant import metrics
from assistant.errors import NotFound, OPCError
from assistant.types import BatchOutcome, Job

KEEP = 200  # finished jobs remembered (oldest forgotten first)


class JobStore:
    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._run = threading.Lock()  # one batch at a time per process (the library lock serialises hosts)

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise NotFound(f"No job with id {job_id!r}.")
            return job.model_copy(deep=True)

    def recent(self) -> list[Job]:
        """The jobs this process remembers, newest first (the operator's console)."""
        with self._lock:
            return [job.model_copy(deep=True) for job in reversed(self._jobs.values())]

    def start(self, bot, sources: list[str], workdir: Path | None = None, labels: dict | None = None) -> Job:
        """Run ``bot.add_documents(sources)`` in a background thread; ``workdir`` (uploads) is removed after."""
        job = Job(id=uuid.uuid4().hex, status="queued", sources=len(sources))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)
        metrics.BATCH_QUEUE.inc()
        threading.Thread(target=self._work, args=(job, bot, sources, workdir, labels or {}), daemon=True,
                         name=f"batch-{job.id[:8]}").start()
        return job.model_copy()

    def _work(self, job: Job, bot, sources: list[str], workdir: Path | None, labels: dict) -> None:
        def step(stage: str, done: int, total: int) -> None:
            with self._lock:
                job.stage, job.done, job.total = stage, done, total

        try:
            with self._run:
                job.status = "running"
                report = bot.add_documents(sources, progress=step)
            with self._lock:
                job.outcomes = [BatchOutcome(**{**asdict(o), "source": labels.get(o.source, o.source),
                                                 "reason": o.reason.replace(str(workdir), "upload") if workdir
                                                 else o.reason}) for o in report.outcomes]
                job.added, job.skipped, job.failed = (report.count(s) for s in ("added", "skipped", "failed"))
                job.version, job.status = report.version, "done"
        except OPCError as exc:
            job.status, job.error = "failed", str(exc)
        except Exception as exc:  # the job reports it; the server keeps answering
            job.status, job.error = "failed", f"{exc.__class__.__name__}: {exc}"
        finally:
            metrics.BATCH_QUEUE.dec()
            if workdir is not None:
                shutil.rmtree(workdir, ignore_errors=True)

"""Batch uploads as background jobs: the request returns at once (202) and answering never waits for them.

A job lives in the database (``jobs`` table) as well as in the process running it: its status, and each
source's outcome written as soon as the source lands (an added document is committed by then). So its id
answers from any worker or host, and after a restart: a job whose process is gone (a crash, a kill, a stop)
reads 'interrupted', with the sources that landed ('added', kept and answered from) and those that did not
('interrupted', to send again); its upload folder is removed at the next start. Live progress (stage, done,
total) is kept in memory only: writing it per step would cost the database a write per embedding batch.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from assistant import metrics
from assistant.errors import NotFound, OPCError
from assistant.store.models import jobs
from assistant.types import BatchOutcome, Job

if TYPE_CHECKING:  # the service and the batch pipeline import this module
    from assistant.ingest.bulk import Outcome
    from assistant.service import Assistant
    from assistant.store.database import Database

log = logging.getLogger(__name__)
KEEP = 200  # finished jobs remembered in memory (oldest forgotten first; the database keeps them all)
ORPHAN_SECONDS = 3600.0  # an upload folder no job names, this old, is a crashed upload's leftover
INTERRUPTED = "The server stopped before this source was added; nothing of it was kept. Send it again."


def _started(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot, from /proc): a pid reused later starts later."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "?"


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_started(os.getpid())}"


def _gone(owner: str) -> bool:
    """True when ``owner`` (host:pid:start) is a process of this host that no longer runs (its pid is free, or
    now another process's). Other hosts' jobs are theirs to recover."""
    host, pid, started = (owner.rsplit(":", 2) + ["", ""])[:3]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return started != "?" and _started(int(pid)) not in (started, "?")


def _lower_priority() -> None:
    """The batch thread's CPU goes to questions first: its embedding runs in C without the GIL (ctypes), in this
    very thread (one OpenMP thread), so a lower scheduling priority for this thread alone (Linux: a thread is a
    task) lets answering threads take the cores while the batch waits, instead of sharing them evenly."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (OSError, AttributeError):
        pass


class JobStore:
    def __init__(self, db: Database | None = None, data_dir: Path | None = None) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._run = threading.Lock()  # one batch at a time per process (the library lock serialises hosts)
        self.db = db
        self.data_dir = Path(data_dir) if data_dir is not None else None

    # --- the database record (best-effort: a full disk or a database outage must not stop a batch) -----------
    def _save(self, job: Job, **row: str | None) -> None:
        if self.db is None:
            return

        body = job.model_dump_json()
        try:
            if row:  # the first write: the whole row
                self.db.run(lambda c: c.execute(insert(jobs).values(
                    id=job.id, owner=_owner(), status=job.status, created=time.time(), updated=time.time(),
                    body=body, **row)), write=True)
            else:
                self.db.run(lambda c: c.execute(update(jobs).where(jobs.c.id == job.id).values(
                    status=job.status, updated=time.time(), body=body)), write=True)
        except Exception as exc:
            log.warning("job %s not recorded in the database (%s: %s)", job.id, exc.__class__.__name__, exc)

    def _stored(self, job_id: str) -> Job | None:
        if self.db is None:
            return None

        row = self.db.run(lambda c: c.execute(select(jobs.c.owner, jobs.c.status, jobs.c.labels, jobs.c.body,
                                                     jobs.c.workdir).where(jobs.c.id == job_id)).first())
        if row is None:
            return None
        job = Job.model_validate_json(row.body)
        if row.status in ("queued", "running") and _gone(row.owner):
            job = self._interrupt(job_id, job, json.loads(row.labels), row.workdir)
        return job

    def _interrupt(self, job_id: str, job: Job, labels: list[str], workdir: str | None) -> Job:
        """Report a job whose process is gone: which sources landed, which did not; its uploads removed."""
        seen = [o.source for o in job.outcomes]
        left = list(labels)
        for source in seen:  # outcomes name sources by label; labels may repeat (two files of one name)
            if source in left:
                left.remove(source)
        job.outcomes += [BatchOutcome(source=s, status="interrupted", reason=INTERRUPTED) for s in left]
        job.added, job.skipped, job.failed = (sum(o.status == s for o in job.outcomes)
                                              for s in ("added", "skipped", "failed"))
        job.status, job.stage = "interrupted", ""
        job.error = (f"The server stopped while this batch ran: {job.added} document(s) had been added and are "
                     f"kept; {len(left)} source(s) were not added.")
        self._save(job)
        self._remove_workdir(workdir)
        return job

    def _remove_workdir(self, workdir: str | None) -> None:
        if workdir and self.data_dir is not None and "/" not in workdir and workdir.startswith("batch-"):
            shutil.rmtree(self.data_dir / workdir, ignore_errors=True)

    def recover(self) -> int:
        """At start: jobs of this host whose process is gone become 'interrupted' (their upload folders removed),
        and upload folders no job names, older than an hour, are removed. How many jobs were interrupted."""
        if self.db is None:
            return 0

        try:
            rows = self.db.run(lambda c: c.execute(select(jobs.c.id, jobs.c.owner, jobs.c.status, jobs.c.labels,
                                                          jobs.c.body, jobs.c.workdir)).all())
        except Exception as exc:
            log.warning("batch jobs not recovered (%s: %s)", exc.__class__.__name__, exc)
            return 0
        interrupted, named = 0, set()
        for row in rows:
            if row.status in ("queued", "running") and _gone(row.owner):
                self._interrupt(row.id, Job.model_validate_json(row.body), json.loads(row.labels), row.workdir)
                interrupted += 1
            elif row.workdir:
                named.add(row.workdir)
        if interrupted:
            log.warning("%d batch job(s) were interrupted by a stop or crash; GET /v1/jobs/{id} says what landed",
                        interrupted)
        if self.data_dir is not None and self.data_dir.is_dir():
            for folder in self.data_dir.glob("batch-*"):
                try:
                    old = time.time() - folder.stat().st_mtime > ORPHAN_SECONDS
                except OSError:
                    continue
                if folder.is_dir() and folder.name not in named and old:
                    shutil.rmtree(folder, ignore_errors=True)
        return interrupted

    # --- the API ------------------------------------------------------------------------------------------
    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                return job.model_copy(deep=True)
        try:
            stored = self._stored(job_id)
        except OPCError:
            stored = None
        if stored is None:
            raise NotFound(f"No job with id {job_id!r}.")
        return stored

    def recent(self) -> list[Job]:
        """The jobs this process remembers, newest first (the operator's console)."""
        with self._lock:
            return [job.model_copy(deep=True) for job in reversed(self._jobs.values())]

    def start(self, bot: Assistant, sources: list[str], workdir: Path | None = None,
              labels: dict[str, str] | None = None) -> Job:
        """Run ``bot.add_documents(sources)`` in a background thread; ``workdir`` (uploads) is removed after."""
        labels = labels or {}
        job = Job(id=uuid.uuid4().hex, status="queued", sources=len(sources))
        self._save(job, workdir=workdir.name if workdir is not None else None,
                   labels=json.dumps([labels.get(s, s) for s in sources], ensure_ascii=False))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)
        metrics.BATCH_QUEUE.inc()
        threading.Thread(target=self._work, args=(job, bot, sources, workdir, labels), daemon=True,
                         name=f"batch-{job.id[:8]}").start()
        return job.model_copy()

    def _work(self, job: Job, bot: Assistant, sources: list[str], workdir: Path | None, labels: dict[str, str]) -> None:
        def step(stage: str, done: int, total: int) -> None:
            with self._lock:
                job.stage, job.done, job.total = stage, done, total

        def shown(o: Outcome) -> BatchOutcome:
            return BatchOutcome(**{**asdict(o), "source": labels.get(o.source, o.source),
                                   "reason": o.reason.replace(str(workdir), "upload") if workdir else o.reason})

        landing = threading.Lock()

        def landed(o: Outcome) -> None:
            """Recorded as each source lands, stored before it is shown: what a poll reports as landed is what
            a crash a moment later still reports (polls read memory, a restarted server the database)."""
            with landing:
                with self._lock:
                    stored = job.model_copy(deep=True)
                stored.outcomes.append(shown(o))
                setattr(stored, o.status, getattr(stored, o.status) + 1)
                self._save(stored)
                with self._lock:
                    job.outcomes.append(shown(o))
                    setattr(job, o.status, getattr(job, o.status) + 1)

        _lower_priority()
        try:
            with self._run:
                job.status = "running"
                self._save(job)
                report = bot.add_documents(sources, progress=step, landed=landed)
            with self._lock:
                job.outcomes = [shown(o) for o in report.outcomes]
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
            self._save(job)

"""Liveness and readiness for load balancers and orchestrators (no API key needed)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.api.deps import Bot
from assistant.errors import DatabaseUnavailable
from assistant.store.storage import writable_problem

log = logging.getLogger("assistant.api")

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(description="'ok' (alive) or 'ready' / 'read-only' / 'unavailable'.")
    mode: str | None = Field(None, description="'read-only' when the data disk is full or read-only: questions are "
                                               "answered from everything stored, document changes get a 507.")
    rate_limits: str | None = Field(None, description="With Redis counters (OPC_RATE_LIMIT_STORAGE): 'shared "
                                                      "(redis)', or 'degraded: …' while Redis cannot be reached.")
    documents: int | None = None
    entries: int | None = Field(None, description="Searchable entries in the index.")
    index: str | None = Field(None, description="The index version in use (as index/CURRENT names it).")
    corpus_version: int | None = Field(None, description="The shared corpus version (in the database) this host "
                                                         "answers from: equal on every host once they followed.")
    problem: str | None = Field(None, description="Why the service is not ready.")


@router.get("/healthz", response_model=Health, response_model_exclude_none=True, summary="The process is alive")
def healthz(request: Request) -> Health:
    guard = getattr(request.app.state, "guard", None)  # a Redis outage shows here, never fails liveness
    bot = getattr(request.app.state, "bot", None)
    return Health(status="ok", rate_limits=guard.counters.status() if guard else None,
                  mode="read-only" if bot is not None and bot.read_only else None,
                  problem=bot.read_only if bot is not None else None)


@router.get("/readyz", response_model=Health, response_model_exclude_none=True, summary="The index and stores answer",
            responses={503: {"model": Health, "description": "Not ready"}})
def readyz(bot: Bot):
    entries = None
    # A full or read-only disk is not a reason to stop routing questions here: everything stored is answered
    # (status 'read-only', HTTP 200); only document changes are refused (507). A process started read-only
    # stays so until restarted; one whose disk filled while running says so too, and is ready again once
    # there is room.
    read_only = bot.read_only or writable_problem(bot.settings.data_dir)
    try:
        if not read_only:  # opening the Chroma store writes: only counted on a writable disk
            entries = bot.index.count()
        else:
            entries = len(bot.index.entries)
        bot.db.ping()  # sessions, the answer log and documents: one database
        problem = None
        # Ready means answering from every document the database holds: a host behind the shared corpus
        # version follows it now, and is not ready until it has (never "ready" listing fewer documents) —
        # unless a writer is at work, whose documents are not acknowledged yet.
        latest = bot.db.corpus_version()
        if latest > bot.corpus_version and not bot.read_only:
            bot.follow()
        if latest > bot.corpus_version and not bot.read_only and not bot.writer_busy:
            problem = f"not yet answering from the shared corpus (version {bot.corpus_version} of {latest})"
    except DatabaseUnavailable as exc:
        log.warning("not ready: %s", exc)
        problem = "the database does not answer"  # which database, and why, only in the log
    except Exception as exc:  # any failing dependency means "do not route traffic here"
        log.warning("not ready: %s: %s", exc.__class__.__name__, exc)
        problem = f"a store does not answer ({exc.__class__.__name__})"  # details (paths) only in the log
    if problem:
        body = Health(status="unavailable", problem=problem)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=503)
    return Health(status="read-only" if read_only else "ready", mode="read-only" if read_only else None,
                  problem=read_only or None, documents=len(bot.corpus.documents), entries=entries,
                  index=bot.index.version, corpus_version=bot.corpus_version)

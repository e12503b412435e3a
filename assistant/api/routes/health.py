"""Liveness and readiness for load balancers and orchestrators (no API key needed)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.errors import DatabaseUnavailable
from assistant.store.storage import writable_problem
from assistant.api.deps import Bot

log = logging.getLogger("assistant.api")

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(description="'ok' (alive) or 'ready' / 'unavailable'.")
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
    return Health(status="ok", rate_limits=guard.counters.status() if guard else None)


@router.get("/readyz", response_model=Health, response_model_exclude_none=True, summary="The index and stores answer",
            responses={503: {"model": Health, "description": "Not ready"}})
def readyz(bot: Bot):
    entries = None
    try:
        # A full disk is not "ready", even if reads work; probed first, as opening the Chroma store (each
        # store operation opens its own client) writes and would fail on a full disk with a vaguer reason.
        problem = writable_problem(bot.settings.data_dir)
        if not problem:
            entries = bot.index.count()
            bot.db.ping()  # sessions, the answer log and documents: one database
    except DatabaseUnavailable as exc:
        log.warning("not ready: %s", exc)
        problem = "the database does not answer"  # which database, and why, only in the log
    except Exception as exc:  # any failing dependency means "do not route traffic here"
        log.warning("not ready: %s: %s", exc.__class__.__name__, exc)
        problem = f"a store does not answer ({exc.__class__.__name__})"  # details (paths) only in the log
    if problem:
        body = Health(status="unavailable", problem=problem)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=503)
    return Health(status="ready", documents=len(bot.corpus.documents), entries=entries, index=bot.index.version,
                  corpus_version=bot.corpus_version)

"""The ASGI app: the HTTP API under /v1 and the Gradio chat page at /, over one in-process Assistant.

``create_app(settings)`` is the only constructor; ``opc serve`` runs it under uvicorn. The process keeps no
state outside the data directory, Chroma and SQLite, so several workers can serve the same data.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse

from assistant import __doc__ as package_doc
from assistant.api import apidocs, errors
from assistant.api.deps import guarded
from assistant.api.frames import FrameAncestors
from assistant.api.limits import BodyLimit, WorkQueue
from assistant.api.logs import install_redaction
from assistant.api.observe import RequestMetrics
from assistant.api.observe import router as metrics_router
from assistant.api.routes import ask, console, documents, eligibility, feedback, health, openai, sessions
from assistant.api.security import USER_HEADER, Guard, RateLimitHeaders
from assistant.service import Assistant
from assistant.settings import Settings

log = logging.getLogger("assistant.api")
API_VERSION = "1"


def create_app(settings: Settings | None = None, bot: Assistant | None = None) -> FastAPI:
    """Build the app. ``bot`` lets a caller share an already loaded Assistant (tests, embedding)."""
    settings = settings or Settings()
    guard = Guard(settings)  # validates the rate-limit settings before the (slow) index load
    bot = bot or Assistant.load(settings)
    app = FastAPI(
        title="OPC Policy Assistant API",
        version=API_VERSION,
        summary="Cited, bilingual answers about Shenzhen's AI OPC action plan (2026–2027).",
        description=(package_doc or "").strip().splitlines()[0],
        responses={413: {"model": errors.ErrorResponse, "description": "Request body too large"}},
        docs_url=None, redoc_url=None,  # served from the installed packages instead of a CDN (apidocs)
    )
    apidocs.install(app)
    app.state.bot, app.state.guard, app.state.settings = bot, guard, settings
    app.state.documents_queue = WorkQueue(settings.upload_concurrency, settings.upload_queue)
    for warning in guard.startup_warnings():
        log.warning(warning)
    try:  # retention is enforced at every start, even if nobody runs `opc purge`
        bot.purge()
    except Exception as exc:  # a read-only or full disk must not stop answers
        log.warning("could not purge expired conversations: %s", exc)
    errors.install(app)
    install_redaction()

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(guarded)], responses=errors.ERROR_RESPONSES)
    for module in (ask, sessions, feedback, documents, eligibility, openai):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(health.router)
    app.include_router(metrics_router)
    app.include_router(console.router)

    app.add_middleware(RateLimitHeaders)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", USER_HEADER],
            expose_headers=["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(BodyLimit, limit=settings.max_body_kb * 1024,
                       overrides={"/v1/documents": int(settings.max_document_mb * 1_000_000) + 64 * 1024})
    app.add_middleware(FrameAncestors, ancestors=settings.frame_ancestors)
    app.add_middleware(RequestMetrics)  # outermost: every response counted, refusals by the layers above too
    if settings.ui:
        _mount_ui(app, bot, guard)
    else:
        app.add_api_route("/", lambda: RedirectResponse("/docs"), include_in_schema=False)
    return app


def _mount_ui(app: FastAPI, bot: Assistant, guard: Guard) -> None:
    from ui import mount_ui  # the chat page (Gradio), calling the same Assistant in-process

    mount_ui(app, bot, path="/", guard=guard)  # the page obeys the API's rate limits


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers (``--factory``): settings from the environment."""
    return create_app(Settings())

"""Request metrics for every route (pure ASGI middleware) and the ``/metrics`` endpoint.

``/metrics`` needs a key with the ``metrics`` (or ``admin``) scope when keys are configured — route counts and
refusal rates are the operator's business — sent as ``Authorization: Bearer <key>`` (Prometheus:
``authorization: {credentials: <key>}``); a loopback server without keys serves it openly, as it does /v1.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from assistant import metrics
from assistant.errors import Forbidden

router = APIRouter(tags=["health"])
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


class RequestMetrics:
    """Counts each request by its route template (``/v1/documents/{doc_id}``, never the raw path, so ids do not
    multiply the series) and times it to the response's last byte. The chat page and unknown paths: 'other'."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = [500]  # unless a response starts: the app failed

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = route_label(scope)
            method = scope["method"] if scope["method"] in METHODS else "other"
            metrics.REQUESTS.labels(route, method, str(status[0])).inc()
            metrics.LATENCY.labels(route, method).observe(time.perf_counter() - started)


def route_label(scope) -> str:
    """The template of the route that served the request, its router's prefix included ('/v1/documents/{doc_id}');
    'other' for mounts such as the chat page, and for paths no route has."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    regex = getattr(route, "path_regex", None)
    if not template or regex is None:
        return "other"
    path = scope.get("path", "")
    # An included router's route knows only its own part ('/ask'): the prefix is what precedes that part.
    for i, char in enumerate(path):
        if char == "/" and regex.fullmatch(path[i:]):
            return path[:i] + template
    return template


@router.get("/metrics", summary="Prometheus metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"},
                       401: {"description": "No valid key"}, 403: {"description": "The key lacks the metrics scope"}})
def prometheus(request: Request) -> Response:
    guard = request.app.state.guard
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    given = HTTPAuthorizationCredentials(scheme="Bearer", credentials=key.strip()) \
        if scheme.lower() == "bearer" and key.strip() else None
    _key_id, scopes = guard.authenticate(given)
    if "metrics" not in scopes:
        raise Forbidden("/metrics needs an API key with the metrics (or admin) scope.")
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)

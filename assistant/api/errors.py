"""One JSON error shape for every route: ``{"error": {"code": ..., "message": ...}}``.

Library errors (``OPCError``) become HTTP statuses here, at the edge, and nowhere else.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from assistant import errors
from assistant.field_errors import field_message
from assistant.understanding.text import detect_language, for_reader

log = logging.getLogger("assistant.api")

STATUS: list[tuple[type[errors.OPCError], int]] = [
    (errors.DuplicateDocument, 409),
    (errors.DocumentTooLarge, 413),
    (errors.StorageFull, 507),
    (errors.UnsupportedDocument, 415),
    (errors.ProtectedDocument, 403),
    (errors.IngestError, 422),
    (errors.NotFound, 404),
    (errors.Unauthorized, 401),
    (errors.Forbidden, 403),
    (errors.RateLimited, 429),
    (errors.IndexUnavailable, 503),
    (errors.DatabaseUnavailable, 503),
    (errors.Busy, 503),
    (errors.InvalidQuestion, 422),
    (errors.InvalidSessionId, 422),
    (errors.InvalidFeedback, 422),
    (errors.InvalidProfile, 422),
    (errors.ConfigError, 422),
    (errors.CorpusError, 422),
]
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
              415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited",
              500: "internal_error", 503: "unavailable", 507: "storage_full"}


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable error code, e.g. 'invalid_question', 'rate_limited'.")
    message: str = Field(description="What went wrong, written for the person using the client.")
    fields: list[dict] | None = Field(None, description="For 'validation_error': which request fields were wrong.")
    # OpenAI's error fields, set where an OpenAI client expects them (e.g. model_not_found).
    type: str | None = Field(None, description="OpenAI's error type, e.g. 'invalid_request_error' (some errors only).")
    param: str | None = Field(None, description="The request parameter at fault, e.g. 'model' (some errors only).")


class ErrorResponse(BaseModel):
    error: ErrorDetail


# Extra responses a route documents, by status (FastAPI's ``responses=``).
Responses = dict[int | str, dict[str, Any]]

# Documented on every route so clients (and schemathesis) know the shape.
ERROR_RESPONSES: Responses = {status: {"model": ErrorResponse, "description": code.replace("_", " ")}
                   for status, code in [(400, "invalid_json"), (401, "unauthorized"), (422, "validation_error"),
                                         (429, "rate_limited")]}
ERROR_RESPONSES[400]["description"] = ("invalid_json: the request body is not a JSON object (or not JSON at all); "
                                       "bad_request: a form upload that cannot be parsed")


def _not_json(error: dict) -> bool:
    """A validation error about the body as a whole: not JSON, empty, or JSON that is not an object."""
    return error.get("type") == "json_invalid" or tuple(error.get("loc", ())) == ("body",)


HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at this request's path (asking each route, included routers too,
    whether it would fully match the same path with that method). Mounts (the chat page at '/') take
    every method and path, so they are left out."""
    routes = [r for r in request.app.router.routes if not isinstance(r, Mount)]
    return [method for method in HTTP_METHODS
            if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)]


def status_for(exc: errors.OPCError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   fields: list[dict] | None = None, type: str | None = None,
                   param: str | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorDetail(code=code, message=message, fields=fields, type=type, param=param))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def reader_language(request: Request) -> str:
    """The reader's language from Accept-Language: 'zh-Hant' (zh-TW, zh-HK, zh-MO, zh-Hant), 'zh', or 'en'."""
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo", "yue")):
            return "zh-Hant"
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"


# The edge's own messages, in each reader's language (zh-Hant derived from zh in Taiwan's standard forms).
EDGE = {
    "invalid_json": ("The request body must be a JSON object, sent as application/json (see the API documentation "
                     "at /docs).", "请求体必须是 JSON 对象，并以 application/json 发送（见 /docs 的接口文档）。"),
    "too_large": ("The request body is too large.", "请求体太大。"),
    "not_found": ("Nothing is at {path}; see the API documentation at /docs.", "{path} 不存在；请查看 /docs 的接口文档。"),
    "method": ("{method} is not allowed here; use {allowed}.", "此处不接受 {method} 请求；请使用 {allowed}。"),
    "crash": ("Something went wrong on our side; please try again.", "服务器内部出错，请稍后再试。"),
    "http": ("{detail}", "请求无法完成（{detail}）。"),
}
def edge(key: str, lang: str, **values) -> str:
    en, zh = EDGE[key]
    text = (en if lang == "en" else zh).format(**values)
    return for_reader(text) if lang == "zh-Hant" else text


def body_language(body) -> str | None:
    """The language of the question in a request body (the reader's, before any header), when it has one."""
    text = body.get("question") if isinstance(body, dict) else None
    if isinstance(text, str) and text.strip():
        return detect_language(text[:300])
    return None


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.OPCError)
    async def _opc(request: Request, exc: errors.OPCError):
        headers = None
        if isinstance(exc, errors.RateLimited):
            headers = {**exc.headers, "Retry-After": str(exc.retry_after)}
        elif isinstance(exc, errors.Busy):
            headers = {"Retry-After": "5"}
        elif isinstance(exc, errors.Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        lang = exc.reader if exc.reader in ("en", "zh", "zh-Hant") else reader_language(request)
        return error_response(status_for(exc), exc.code, exc.in_language(lang), headers,
                              type=getattr(exc, "openai_type", None), param=getattr(exc, "param", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        lang = body_language(exc.body) or reader_language(request)
        if any(_not_json(e) for e in exc.errors()):  # nothing to validate field by field
            return error_response(400, "invalid_json", edge("invalid_json", lang))
        # Each field's message in the reader's language; the top message is the first field's.
        fields = [{"loc": [str(p) for p in e.get("loc", ())], "message": field_message(e, lang)}
                  for e in exc.errors()]
        message = str(fields[0]["message"]) if fields else edge("invalid_json", lang)
        return error_response(422, "validation_error", message, fields=fields)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        code = HTTP_CODES.get(exc.status_code, "http_error")
        lang = reader_language(request)
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        message = edge("http", lang, detail=detail)
        headers = getattr(exc, "headers", None)
        if exc.status_code == 413:
            message = edge("too_large", lang)
        elif exc.status_code == 404 and detail == "Not Found":  # no route here (a route's own 404 says more)
            message = edge("not_found", lang, path=request.url.path[:200])
        elif exc.status_code == 405:
            # Starlette names only the first route's methods; a path served by several routes has more.
            allowed = allowed_methods(request)
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
            message = edge("method", lang, method=request.method, allowed=", ".join(allowed))
        return error_response(exc.status_code, code, message, headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", edge("crash", reader_language(request)))

"""One JSON error shape for every route: ``{"error": {"code": ..., "message": ...}}``.

Library errors (``OPCError``) become HTTP statuses here, at the edge, and nowhere else.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from .. import errors

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
    (errors.Busy, 503),
    (errors.InvalidQuestion, 422),
    (errors.InvalidSessionId, 422),
    (errors.InvalidFeedback, 422),
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


class ErrorResponse(BaseModel):
    error: ErrorDetail


# Documented on every route so clients (and schemathesis) know the shape.
ERROR_RESPONSES = {status: {"model": ErrorResponse, "description": code.replace("_", " ")}
                   for status, code in [(401, "unauthorized"), (422, "validation_error"), (429, "rate_limited")]}


def status_for(exc: errors.OPCError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   fields: list[dict] | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorDetail(code=code, message=message, fields=fields))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


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
        return error_response(status_for(exc), exc.code, str(exc), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        fields = [{"loc": [str(p) for p in e.get("loc", ())], "message": e.get("msg", "")} for e in exc.errors()]
        first = fields[0] if fields else {"loc": [], "message": "invalid request"}
        where = ".".join(p for p in first["loc"] if p not in ("body",)) or "request"
        return error_response(422, "validation_error", f"Invalid {where}: {first['message']}.", fields=fields)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        code = HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 413:
            message = "The request body is too large."
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "Something went wrong on our side; please try again.")

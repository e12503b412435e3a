"""The operator's console at /admin/: the library (validity, what expires soon), batch jobs, upload and removal
(the page calls the /v1 document routes), the questions the documents could not answer and the answers marked
down, grouped and counted, with CSV exports. Server-rendered (Jinja2) with a little vanilla JavaScript; nothing
loads from outside.

Sign-in: an admin key, kept in an HttpOnly SameSite=Strict cookie for the browser session (see security). A
loopback server without keys needs none, as its /v1 document routes need none.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.templating import Jinja2Templates

from assistant.api.clients import client_address
from assistant.api.security import CONSOLE_COOKIE
from assistant.errors import Unauthorized
from assistant.store import answer_log
from assistant.types import DocumentInfo

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.filters["utc"] = answer_log.utc
# The console is never shown inside another site's frame (clickjacking its Remove buttons), whatever
# OPC_FRAME_ANCESTORS allows for the chat page: the middleware leaves a route's own headers standing.
NO_FRAMES = {"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY"}
EXPORTS = {"unanswered": answer_log.unanswered, "marked-down": answer_log.marked_down}


def _scopes(request: Request) -> frozenset[str] | None:
    """The signed-in key's scopes (cookie, or a Bearer header for scripts); None when no valid key was sent."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    key = key.strip() if scheme.lower() == "bearer" else request.cookies.get(CONSOLE_COOKIE, "")
    given = HTTPAuthorizationCredentials(scheme="Bearer", credentials=key) if key else None
    try:
        return request.app.state.guard.authenticate(given)[1]
    except Unauthorized:
        return None


def _login(request: Request, message: str = "", status: int = 401) -> HTMLResponse:
    return templates.TemplateResponse(request, "login.html", {"message": message}, status_code=status,
                                      headers=NO_FRAMES)


@router.get("/admin")
def console_root() -> RedirectResponse:
    return RedirectResponse("/admin/", status_code=308)


@router.get("/admin/", response_class=HTMLResponse)
def console(request: Request, days: int | None = Query(None, ge=1, le=3650),
            since: float | None = Query(None, gt=0, le=3650)):
    scopes = _scopes(request)
    if scopes is None or "admin" not in scopes:
        return _login(request, "" if scopes is None else "This key may not administer the assistant.",
                      401 if scopes is None else 403)
    bot = request.app.state.bot
    bot.refresh()  # another worker or host may have changed the library
    settings = bot.settings
    window = days or settings.console_expiring_days
    today = settings.today_iso()
    library = [_row(info, today, window) for info in bot.documents()]
    context = {
        "today": today, "window": window, "since": since, "library": library,
        "expiring": [r for r in library if r["expiring"]], "expired": [r for r in library if r["status"] == "expired"],
        "jobs": bot.jobs.recent(), "unanswered": answer_log.unanswered(bot.feedback_store, since),
        "marked_down": answer_log.marked_down(bot.feedback_store, since), "open_server": not bot_keys(request),
    }
    return templates.TemplateResponse(request, "console.html", context, headers=NO_FRAMES)


def bot_keys(request: Request) -> bool:
    return request.app.state.guard.keyring.configured


def _row(info: DocumentInfo, today: str, window: int) -> dict:
    left = None
    if info.valid_until and info.status == "in_force":
        left = (date.fromisoformat(str(info.valid_until)[:10]) - date.fromisoformat(today)).days
    return {"info": info, "title": info.title.get("zh") or info.title.get("en") or info.id,
            "title_en": info.title.get("en") if info.title.get("zh") else "",
            "issuer": info.issuer.get("zh") or info.issuer.get("en") or "", "status": info.status,
            "days_left": left, "expiring": left is not None and left <= window,
            "removable": info.authority == "document"}


@router.get("/admin/jobs", response_class=HTMLResponse)
def jobs_fragment(request: Request):
    scopes = _scopes(request)
    if scopes is None or "admin" not in scopes:
        return Response("sign in again", status_code=401)
    return templates.TemplateResponse(request, "jobs.html", {"jobs": request.app.state.bot.jobs.recent()},
                                      headers=NO_FRAMES)


@router.get("/admin/export/{kind}.csv")
def export(kind: str, request: Request, since: float | None = Query(None, gt=0, le=3650)):
    scopes = _scopes(request)
    if scopes is None or "admin" not in scopes:
        return _login(request, "Sign in to export.", 401 if scopes is None else 403)
    if kind not in EXPORTS:
        return Response(f"No export named {kind!r}: use unanswered or marked-down.", status_code=404)
    groups = EXPORTS[kind](request.app.state.bot.feedback_store, since)
    body = answer_log.to_csv(groups, with_comments=kind == "marked-down")
    name = f"opc-{kind}-{request.app.state.settings.today_iso()}.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/admin/login")
def login(request: Request, key: str = Form("", max_length=512)):
    guard = request.app.state.guard
    guard.limit(request, client_address(request.scope))  # sign-in attempts count against the address's limit
    try:
        scopes = guard.authenticate(HTTPAuthorizationCredentials(scheme="Bearer", credentials=key.strip()))[1]
    except Unauthorized:
        return _login(request, "That key is not valid.", 401)
    if "admin" not in scopes:
        return _login(request, "This key may not administer the assistant (it needs the admin scope).", 403)
    done = RedirectResponse("/admin/", status_code=303)
    done.set_cookie(CONSOLE_COOKIE, key.strip(), httponly=True, samesite="strict", path="/",
                    secure=request.url.scheme == "https")
    return done


@router.post("/admin/logout")
def logout() -> RedirectResponse:
    done = RedirectResponse("/admin/", status_code=303)
    done.delete_cookie(CONSOLE_COOKIE, path="/")
    return done

"""Gradio routes the chat page never uses, closed before Gradio sees the request.

The page takes text only. Gradio still offers, without any key, a file upload route that writes to a
server folder, reports the saved server path and serves the file back, plus recording, streaming-input,
run-history and dev-mode ("vibe") routes. They are refused here with a JSON error (no path, no Gradio
internals); everything the page needs (queue, heartbeat, config, assets) passes untouched.
"""

from __future__ import annotations

import json
import re

from assistant.api.lang import pick

# Path (below the page's mount point) → methods refused. Matched on the normalised path.
_CLOSED = re.compile(
    r"^/gradio_api/(upload|upload_progress|process_recording|stream/.*|run-history/.*|vibe-.*|undo-vibe-edit"
    r"|component_server|dev/reload)/?$")
# Routes whose refusals name the path asked for (Gradio answers "File not allowed: /tmp/gradio/…"):
# their error bodies are replaced with ours.
_SCRUBBED = re.compile(r"^/gradio_api/(file=|file/|proxy=)")


class ClosedGradioRoutes:
    """Pure ASGI middleware refusing the closed routes under ``prefix`` with 404 (every method)."""

    def __init__(self, app, prefix: str = "/") -> None:
        self.app, self.prefix = app, prefix.rstrip("/")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rest = self._below(scope.get("path", ""))
        if rest is not None and _CLOSED.match(rest):
            message = pick(_accept_language(scope),
                           en="The chat page accepts no uploads or other files; this route is closed.",
                           zh="聊天页面不接受上传或其他文件，此地址已关闭。",
                           zh_Hant="聊天頁面不接受上傳或其他檔案，此地址已關閉。")
            await _json_error(send, 404, "route_closed", message)
            return  # the body is never read: nothing is written anywhere
        if rest is not None and _SCRUBBED.match(rest):
            return await self.app(scope, receive, _scrubbing(scope, send))
        await self.app(scope, receive, send)

    def _below(self, path: str) -> str | None:
        if self.prefix and not path.startswith(self.prefix + "/"):
            return None
        return re.sub(r"/{2,}", "/", path[len(self.prefix):])  # //gradio_api//upload reaches the same route


def _accept_language(scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == b"accept-language":
            return value.decode("latin-1")
    return None


async def _json_error(send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _scrubbing(scope, send):
    """A ``send`` that replaces an error response (status ≥ 400) with one naming no path."""
    state = {"replaced": False}

    async def wrapped(message):
        if message["type"] == "http.response.start" and message["status"] >= 400:
            state["replaced"] = True
            status = 404 if message["status"] in (403, 404) else message["status"]
            await _json_error(send, status, "not_found", pick(
                _accept_language(scope), en="No such file.", zh="没有这个文件。", zh_Hant="沒有這個檔案。"))
            return
        if state["replaced"]:
            return  # the original error body is dropped
        await send(message)

    return wrapped

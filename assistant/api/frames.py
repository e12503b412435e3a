"""Who may show our pages inside a frame (an <iframe> on a web site): CSP ``frame-ancestors`` and a matching
``X-Frame-Options``, on every response. Default: same origin only. (A mini-program's <web-view> is not a
frame of another origin and needs no entry here: see ui/miniprogram/README.md.)"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def frame_headers(ancestors: list[str]) -> list[tuple[bytes, bytes]]:
    """The headers for OPC_FRAME_ANCESTORS (already validated by the settings): [] = same origin only,
    ['none'] = nobody, ['*'] = any site, else the listed origins beside our own."""
    if ancestors == ["none"]:
        csp, xfo = "frame-ancestors 'none'", "DENY"
    elif not ancestors:
        csp, xfo = "frame-ancestors 'self'", "SAMEORIGIN"
    else:
        # X-Frame-Options cannot name other sites, and browsers that know CSP ignore it when frame-ancestors
        # is present; sending SAMEORIGIN would only block the listed sites in older browsers.
        csp, xfo = "frame-ancestors " + " ".join(["'self'", *ancestors]), None
    headers = [(b"content-security-policy", csp.encode())]
    if xfo:
        headers.append((b"x-frame-options", xfo.encode()))
    return headers


class FrameAncestors:
    """Pure ASGI middleware (streams pass through untouched) adding the frame headers to every response."""

    def __init__(self, app: ASGIApp, ancestors: list[str]) -> None:
        self.app = app
        self.headers = frame_headers(ancestors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in names]  # a route's own choice stands
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, add_headers)

"""A real HTTP server on 127.0.0.1 serving policy pages and every kind of bad response, for URL ingestion."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import docfactory

ERROR_PAGE = ("<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><nav>Home | News</nav>"
              "<h1>404 Not Found</h1><p>Sorry, the page you requested does not exist or has been removed.</p>"
              "<footer>Copyright 2026 Nanshan District</footer></body></html>")
BIG = 3_000_000  # larger than the tests' size limit, smaller than anything slow to send


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}
    seen: list[tuple[str, str]] = []  # (path, Host header) of every request, to prove what was (not) fetched
    redirects: dict[str, str] = {}

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append((self.path, self.headers.get("Host", "")))
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/slow.html":
            time.sleep(3)
        if self.path == "/huge-undeclared.html":  # no Content-Length: the limit must stop the stream itself
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(BIG // 10_000):
                    self.wfile.write(b"<p>" + b"x" * 9_993 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        status, ctype, body = self.routes.get(self.path, (404, "text/html", b"<h1>Not Found</h1>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class DocServer:
    def __init__(self) -> None:
        routes = {
            "/policies/nanshan-measures-en.html": (200, "text/html; charset=utf-8",
                                                   docfactory.en_policy_html().encode()),
            "/policies/futian-guidelines.pdf": (200, "application/pdf", docfactory.en_guidelines_pdf()),
            "/error-page.html": (200, "text/html", ERROR_PAGE.encode()),
            "/slow.html": (200, "text/html", docfactory.en_policy_html().encode()),
            "/huge.pdf": (200, "application/pdf", b"%PDF-1.7\n" + b"0" * BIG),
            "/photo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
            "/broken.html": (500, "text/html", b"<h1>Internal Server Error</h1>"),
        }
        self.seen: list[tuple[str, str]] = []
        self.redirects: dict[str, str] = {}
        handler = type("Handler", (_Handler,), {"routes": routes, "seen": self.seen, "redirects": self.redirects})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> DocServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

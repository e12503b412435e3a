"""The client's address, for per-address limits and conversation ownership, on every front end alike.

``X-Forwarded-For`` is honoured only from the proxies in ``OPC_TRUSTED_PROXIES``: uvicorn rewrites the
ASGI ``client`` from it, and by default it trusts 127.0.0.1, so a local client could rotate the header to
escape per-address limits. ``proxy_options`` makes uvicorn follow the setting instead; every server start
(``opc serve``, the tests' servers) passes it.
"""

from __future__ import annotations

from assistant.settings import Settings


def proxy_options(settings: Settings) -> dict:
    """uvicorn.Config / uvicorn.run keyword arguments for forwarded headers."""
    trusted = settings.trusted_proxies
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": ",".join(trusted) if trusted else ""}


def client_address(scope) -> str:
    """The peer address uvicorn settled on (the proxy's client when the proxy is trusted, else the peer)."""
    client = scope.get("client")
    return client[0] if client else "unknown"

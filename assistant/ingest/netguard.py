"""Which network addresses the server may fetch from on a caller's behalf (SSRF guard, OWASP's cheat sheet).

A URL is parsed strictly (http/https with a host, no credentials), its host resolved **once**, and every
resolved address must be globally routable — or inside a network / be a host the operator listed in
``OPC_FETCH_ALLOW``. The caller then connects to the checked address itself (see ``fetch.py``), so a DNS
answer that changes between check and connect (rebinding) cannot redirect the request.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from assistant.errors import AddressNotAllowed

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port → addresses as strings; the seam tests replace with a fake resolver.
Resolver = Callable[[str, int], list[str]]

NOT_ALLOWED = ("That address is not allowed: documents can only be fetched from public web servers over "
               "http or https.")
# v6 prefixes that carry a v4 address in their last 32 bits (NAT64 well-known and local-use prefixes).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
# Special-purpose blocks refused whatever the running Python's tables say (they differ between versions).
_NEVER = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3",
    "::/127", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "2001:db8::/32", "100::/64"))


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to call the host on the wire."""

    url: str
    scheme: str
    host: str  # as written (lower case), for the Host header and TLS SNI
    port: int
    path: str  # path + query, never empty
    address: str  # the checked IP the connection must go to

    @property
    def pinned_url(self) -> str:
        ip = ipaddress.ip_address(self.address)
        host = f"[{ip}]" if ip.version == 6 else str(ip)
        return f"{self.scheme}://{host}:{self.port}{self.path}"

    @property
    def host_header(self) -> str:
        default = {"http": 80, "https": 443}[self.scheme]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def embedded_v4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64): each is checked too."""
    if ip.version == 4:
        return []
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    found += [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) for net in _NAT64 if ip in net]
    return [a for a in found if a is not None]


def is_public(ip: IPAddress) -> bool:
    """Globally routable unicast only: not loopback, private, link-local, CGNAT, multicast, reserved …"""
    # A v6 address wrapping a v4 one is judged by the v4 address(es) it carries: ``::ffff:127.0.0.1`` is
    # loopback, while ``::ffff:8.8.8.8`` is an ordinary public address the v6 table calls reserved.
    candidates: list[IPAddress] = [*embedded_v4(ip)] or [ip]
    for candidate in candidates:
        if (not candidate.is_global or candidate.is_multicast or candidate.is_reserved or candidate.is_loopback
                or candidate.is_link_local or candidate.is_private or candidate.is_unspecified
                or any(candidate.version == n.version and candidate in n for n in _NEVER)):
            return False
    return True


@dataclass
class FetchPolicy:
    """``allow``: host names (exact, or ``.example.org`` for a domain and its sub-domains) and CIDR networks."""

    allow: Iterable[str] = ()
    resolver: Resolver = system_resolver
    hosts: set[str] = field(init=False, default_factory=set)
    networks: list = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        for entry in (e.strip().lower() for e in self.allow):
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry.rstrip("."))

    def _host_allowed(self, host: str) -> bool:
        return host in self.hosts or any(h.startswith(".") and (host.endswith(h) or host == h[1:])
                                         for h in self.hosts)

    def _address_allowed(self, ip: IPAddress) -> bool:
        return is_public(ip) or any(ip.version == n.version and ip in n for n in self.networks)

    def check(self, url: str) -> Target:
        """Parse ``url`` strictly and resolve its host once; AddressNotAllowed unless every address passes."""
        scheme, host, port, path = parse_url(url)
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                log.info("fetch refused: %s does not resolve (%s)", host, exc)
                raise AddressNotAllowed(NOT_ALLOWED) from None
        trusted = self._host_allowed(host)
        checked: list[str] = []
        for text in addresses:
            try:
                ip = ipaddress.ip_address(text.split("%")[0])  # drop a v6 zone id
            except ValueError:
                raise AddressNotAllowed(NOT_ALLOWED) from None
            if not (trusted or self._address_allowed(ip)):
                # Any bad address refuses the whole name: a mixed answer is how rebinding attacks start.
                log.warning("fetch refused: %s resolves to non-public %s", host, ip)
                raise AddressNotAllowed(NOT_ALLOWED)
            checked.append(str(ip))
        if not checked:
            raise AddressNotAllowed(NOT_ALLOWED)
        return Target(url=url, scheme=scheme, host=host, port=port, path=path, address=checked[0])


def parse_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an absolute http(s) URL; AddressNotAllowed for anything else
    (other schemes, ``http:/etc/passwd``, credentials, control characters, bad ports)."""
    if not isinstance(url, str) or len(url) > 2048 or any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise AddressNotAllowed(NOT_ALLOWED)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressNotAllowed(NOT_ALLOWED) from None
    scheme = parts.scheme.lower()
    # "//" is required: "http:/etc/passwd" has a path and no host, and must never be read as a file.
    if scheme not in ("http", "https") or not url[len(scheme) + 1:].startswith("//"):
        raise AddressNotAllowed(NOT_ALLOWED)
    if not parts.hostname or parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise AddressNotAllowed(NOT_ALLOWED)
    host = parts.hostname.lower().rstrip(".")
    if not host or port == 0:
        raise AddressNotAllowed(NOT_ALLOWED)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or {"http": 80, "https": 443}[scheme], path

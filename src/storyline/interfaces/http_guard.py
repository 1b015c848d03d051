"""The server's guard, one ASGI layer in front of every route.

- Host check while bound to loopback: a page on another site that rebinds its DNS name to
  127.0.0.1 is answered 421, so it cannot read or write through the user's browser.
- Request size limit: Content-Length over the limit is answered 413 before the body is read,
  and a chunked body is cut off as soon as it passes the limit.
- Writes (POST, PUT, PATCH, DELETE): a cross-site Origin is refused (403); API writes must be
  JSON (415 otherwise: an HTML form cannot send it cross-site without a CORS preflight this
  server never grants) and, with a token set, carry ``Authorization: Bearer <token>`` (401).
- Security headers on every response: a Content-Security-Policy without inline script or
  style, no framing, no MIME sniffing, no referrer to other sites.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from urllib.parse import urlsplit

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make form posts send Origin: null
    (b"cross-origin-opener-policy", b"same-origin"),
]
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"


def is_loopback(host: str) -> bool:
    """Whether a bind address or Host name stays on this machine."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str:
    """The name of a Host header, without its port ("[::1]:8000" -> "::1")."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def bearer_ok(header: str, token: str) -> bool:
    """Whether an Authorization header carries the token (compared in constant time)."""
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                              token.encode())


class Guard:
    """ASGI middleware applying the checks in the module docstring."""

    def __init__(self, app, *, token: str, max_bytes: int, loopback_only: bool,
                 extra_hosts: tuple[str, ...] = ()):
        self.app = app
        self.token = token
        self.max_bytes = max_bytes
        self.hosts = {*LOOPBACK_NAMES, *(h.lower() for h in extra_hosts)} if loopback_only else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method, path = scope["method"], scope["path"]
        refusal = self._refusal(headers, method, path)
        if refusal:
            return await _answer(send, *refusal)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *[(k, v) for k, v in message.get("headers", [])
                      if k.lower() not in {h for h, _ in SECURITY_HEADERS}],
                    *SECURITY_HEADERS,
                ]
            await send(message)

        if method in UNSAFE_METHODS and "content-length" not in headers:
            # A chunked body: read it here up to the limit, then hand it on whole.
            body = bytearray()
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return None
                body += message.get("body", b"")
                if len(body) > self.max_bytes:
                    return await _answer(send, 413, "E104", self._too_large())
                if not message.get("more_body"):
                    break
            replayed = False

            async def receive_buffered():
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}

            return await self.app(scope, receive_buffered, send_with_headers)
        return await self.app(scope, receive, send_with_headers)

    def _too_large(self) -> str:
        return f"request body over {self.max_bytes:,} bytes"

    def _refusal(self, headers: dict, method: str, path: str) -> tuple[int, str, str] | None:
        host = headers.get("host", "")
        if self.hosts is not None and _host_name(host) not in self.hosts:
            return 421, "E403", "this server answers only to its loopback names"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            return 413, "E104", self._too_large()
        if method not in UNSAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc.lower() != host.lower():
            return 403, "E403", "cross-site write refused"
        if origin == "null":
            return 403, "E403", "cross-site write refused"
        if path.startswith(API_PREFIX):
            kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if method in {"POST", "PUT", "PATCH"} and kind != "application/json":
                return 415, "E106", "API writes take application/json"
            if self.token and not bearer_ok(headers.get("authorization", ""), self.token):
                return 401, "E401", "this write needs Authorization: Bearer <serve_token>"
        return None


async def _answer(send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS],
    })
    await send({"type": "http.response.body", "body": body})

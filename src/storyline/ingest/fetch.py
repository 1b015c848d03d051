"""The only module that touches the network: safe-by-default HTTP(S) GET with limits.

Safety: only http/https; every hop's host is resolved and refused when any address is
loopback, private, link-local, multicast, reserved or unspecified (IPv4, IPv6, IPv4-mapped),
unless ``allow_private_urls``; the connection goes to the address that was checked, so a DNS
answer cannot change between the check and the connect. Environment proxies are not used.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from storyline.errors import FetchError, TooLargeError, UnsafeURLError

MAX_REDIRECTS = 5  # browsers allow ~20; feeds and articles never need more than a few
CHUNK_BYTES = 65_536
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEMES = {"http": 80, "https": 443}


@dataclass(frozen=True)
class FetchResult:
    """What a GET returned; ``body`` is empty when ``not_modified``."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool


class HostThrottle:
    """Keeps requests to one host at least ``delay`` seconds apart (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, host: str, delay: float) -> None:
        """Sleep until this host may be contacted again, and book the next slot."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + max(delay, 0.0)
        if start > now:
            time.sleep(start - now)


DEFAULT_THROTTLE = HostThrottle()


def _unsafe_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return _unsafe_reason(mapped)
        if ip.teredo:
            return "a Teredo tunnel address"
    for flag in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{flag}"):
            return f"a {flag.replace('_', '-')} address"
    if not ip.is_global:
        return "not a public address"
    return None


def _target(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL that may be fetched; UnsafeURLError otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(f"malformed URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise UnsafeURLError(f"refusing {url!r}: only http and https URLs are fetched")
    if not parts.hostname:
        raise UnsafeURLError(f"refusing {url!r}: no host")
    return scheme, parts.hostname, port or _SCHEMES[scheme]


def resolve_safe(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to; UnsafeURLError when the host has any non-public address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(f"host {host!r} has no address")
    if not allow_private:
        for address in addresses:
            reason = _unsafe_reason(ipaddress.ip_address(address.split("%", 1)[0]))
            if reason:
                raise UnsafeURLError(f"refusing host {host!r}: {address} is {reason}")
    return addresses[0]


def _connection(scheme: str, host: str, port: int, address: str, timeout: float):
    if scheme == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    # Connect to the checked address while Host, SNI and certificate checks use the name.
    conn._create_connection = lambda _addr, t=timeout, src=None: socket.create_connection(
        (address, port), t, src
    )
    return conn


def _read_capped(response: http.client.HTTPResponse, cap: int, deadline: float, url: str) -> bytes:
    """The body, decompressed if gzip/deflate, stopping as soon as it passes ``cap`` bytes."""
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    inflater = None
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"timed out reading {url}")
        chunk = response.read(CHUNK_BYTES)
        if not chunk:
            break
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, cap + 1 - size)
            except zlib.error as exc:
                raise FetchError(f"corrupt {encoding} body from {url}: {exc}") from None
        size += len(chunk)
        if size > cap:
            raise TooLargeError(f"body of {url} is larger than the cap of {cap:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str,
    settings: dict,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    throttle: HostThrottle | None = None,
) -> FetchResult:
    """GET a public http(s) URL with redirects re-checked, a size cap, a timeout, politeness."""
    allow_private = bool(settings["allow_private_urls"])
    timeout = float(settings["fetch_timeout"])
    cap = int(settings["max_bytes"])
    throttle = throttle or DEFAULT_THROTTLE
    headers = {
        "User-Agent": str(settings["user_agent"]),
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url.strip()
    seen: set[str] = set()
    for _hop in range(MAX_REDIRECTS + 1):
        if current in seen:
            raise FetchError(f"redirect loop at {current}", hint="the site redirects in a circle")
        seen.add(current)
        scheme, host, port = _target(current)
        address = resolve_safe(host, port, allow_private)
        throttle.wait(host.lower(), float(settings["host_delay"]))
        deadline = time.monotonic() + timeout
        conn = _connection(scheme, host, port, address, timeout)
        try:
            parts = urlsplit(current)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            status = response.status
            location = response.getheader("Location")
            if status in _REDIRECTS and location:
                current = urljoin(current, location.strip())
                continue
            if status == 304:
                body = b""
            elif status >= 400:
                raise FetchError(f"{current} answered HTTP {status} {response.reason}")
            else:
                length = response.getheader("Content-Length")
                if length and length.isdigit() and int(length) > cap:
                    raise TooLargeError(
                        f"body of {current} ({int(length):,} bytes) is larger than the cap of "
                        f"{cap:,} bytes"
                    )
                body = _read_capped(response, cap, deadline, current)
            return FetchResult(
                url=url,
                final_url=current,
                status=status,
                content_type=response.getheader("Content-Type") or "",
                body=body,
                etag=response.getheader("ETag") or (etag if status == 304 else None),
                last_modified=response.getheader("Last-Modified")
                or (last_modified if status == 304 else None),
                not_modified=status == 304,
            )
        except TimeoutError:
            raise FetchError(f"timed out after {timeout:g} s fetching {current}") from None
        except ssl.SSLError as exc:
            raise FetchError(f"TLS error fetching {current}: {exc.reason or exc}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"cannot fetch {current}: {exc}") from None
        finally:
            conn.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")

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

from storyline.errors import FetchError, TooLargeError, UnsafeURLError
from storyline.ingest.options import FetchOptions
from storyline.ingest.wire import redirect_url, request_path, target, wire_url

MAX_REDIRECTS = 5  # browsers allow ~20; feeds and articles never need more than a few
CHUNK_BYTES = 65_536
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


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


# Checked in this order so an address gets its most telling name: 169.254.x.x is both
# link-local and private to Python, and "link-local" is what tells an operator it is the
# cloud metadata range.
_UNSAFE_FLAGS = ("loopback", "link_local", "multicast", "unspecified", "private", "reserved")


def _unsafe_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return _unsafe_reason(mapped)
        if ip.teredo:
            return "a Teredo tunnel address"
    for flag in _UNSAFE_FLAGS:
        if getattr(ip, f"is_{flag}"):
            return f"a {flag.replace('_', '-')} address"
    if not ip.is_global:
        return "not a public address"
    return None


class _Deadline:
    """One clock for a whole fetch: DNS, connect, TLS, headers and body of every hop share it."""

    def __init__(self, seconds: float, url: str):
        self.seconds = seconds
        self.url = url
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; FetchError when none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.expired()
        return left

    def expired(self) -> FetchError:
        return FetchError(f"timed out after {self.seconds:g} s fetching {self.url}")

    def pause(self, seconds: float) -> None:
        """Time spent waiting for our own politeness delay is not the server's: give it back."""
        self.end += seconds


def _getaddrinfo_within(host: str, port: int, seconds: float) -> list:
    """getaddrinfo, abandoned after ``seconds`` (the system resolver has no timeout of its
    own); the lookup thread is a daemon and ends when the resolver gives up."""
    outcome: dict[str, object] = {}

    def lookup() -> None:
        try:
            outcome["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError, ValueError) as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=lookup, name="storyline-dns", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise FetchError(f"timed out resolving host {host!r}")
    if "error" in outcome:
        raise FetchError(f"cannot resolve host {host!r}: {outcome['error']}")
    return outcome["infos"]  # type: ignore[return-value]


def resolve_safe(host: str, port: int, allow_private: bool, timeout: float = 30.0) -> str:
    """The address to connect to; UnsafeURLError when the host has any non-public address."""
    infos = _getaddrinfo_within(host, port, timeout)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(f"host {host!r} has no address")
    if not allow_private:
        for address in addresses:
            reason = _unsafe_reason(ipaddress.ip_address(address.split("%", 1)[0]))
            if reason:
                raise UnsafeURLError(f"refusing host {host!r}: {address} is {reason}")
    return addresses[0]


class _Watchdog:
    """Shuts a socket down when the deadline passes, whatever call is blocked on it.

    A socket timeout bounds one recv; a server sending a byte a second never trips it, so the
    whole exchange needs a clock outside the reading thread.
    """

    def __init__(self) -> None:
        self.fired = False
        self._timer: threading.Timer | None = None

    def arm(self, sock: socket.socket, seconds: float) -> None:
        def fire() -> None:
            self.fired = True
            try:
                # The plain socket's shutdown, also for TLS: it wakes a blocked read at once.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass  # already closed

        self._timer = threading.Timer(seconds, fire)
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _connection(scheme: str, host: str, port: int, address: str, deadline: _Deadline, dog):
    timeout = deadline.left()
    if scheme == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect(_addr, _timeout=None, source=None):
        # Connect to the checked address while Host, SNI and certificate checks use the name.
        sock = socket.create_connection((address, port), deadline.left(), source)
        dog.arm(sock, deadline.left())
        return sock

    conn._create_connection = connect
    return conn


def _read_capped(response: http.client.HTTPResponse, cap: int, url: str) -> bytes:
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
        chunk = response.read1(CHUNK_BYTES)
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
    options: FetchOptions,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    throttle: HostThrottle | None = None,
) -> FetchResult:
    """GET a public http(s) URL with redirects re-checked, a size cap, a timeout, politeness."""
    timeout = options.timeout
    throttle = throttle or DEFAULT_THROTTLE
    headers = {
        "User-Agent": options.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = _Deadline(timeout, url)
    current = wire_url(url)
    seen: set[str] = set()
    for _hop in range(MAX_REDIRECTS + 1):
        if current in seen:
            raise FetchError(f"redirect loop at {current}", hint="the site redirects in a circle")
        seen.add(current)
        result, current = _hop_once(current, url, options, headers, deadline, throttle)
        if result is not None:
            return result
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")


def _said(what: object) -> str:
    """What a server said (an error, a reason phrase), on one line without control characters
    and cut short: it ends up in a terminal and in the skip log."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(what)).split())[:200]


def _hop_once(
    current: str,
    url: str,
    options: FetchOptions,
    headers: dict[str, str],
    deadline: _Deadline,
    throttle: HostThrottle,
) -> tuple[FetchResult | None, str]:
    """One request: (the result, its URL), or (None, the checked URL a redirect points at)."""
    scheme, host, port = target(current)
    cap = options.max_bytes
    address = resolve_safe(host, port, options.allow_private_urls, deadline.left())
    waited = time.monotonic()
    throttle.wait(host.lower(), options.host_delay)
    deadline.pause(time.monotonic() - waited)
    dog = _Watchdog()
    conn = _connection(scheme, host, port, address, deadline, dog)
    try:
        conn.request("GET", request_path(current), headers=headers)
        response = conn.getresponse()
        status = response.status
        location = response.getheader("Location")
        if status in _REDIRECTS and location:
            return None, redirect_url(current, location)
        if status == 304:
            body = b""
        elif status >= 400:
            raise FetchError(f"{current} answered HTTP {status} {_said(response.reason)}")
        else:
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > cap:
                raise TooLargeError(
                    f"body of {current} ({int(length):,} bytes) is larger than the cap of "
                    f"{cap:,} bytes"
                )
            body = _read_capped(response, cap, current)
        if dog.fired:  # the watchdog's shutdown can look like a clean end of the body
            raise deadline.expired()
        etag = headers.get("If-None-Match")
        last_modified = headers.get("If-Modified-Since")
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
        ), current
    except FetchError:
        raise
    except TimeoutError:
        raise deadline.expired() from None
    except ssl.SSLError as exc:
        if dog.fired:
            raise deadline.expired() from None
        raise FetchError(f"TLS error fetching {current}: {_said(exc.reason or exc)}") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # ValueError: http.client refuses a header value or URL it cannot send
        if dog.fired:
            raise deadline.expired() from None
        raise FetchError(f"cannot fetch {current}: {_said(exc)}") from None
    finally:
        dog.disarm()
        conn.close()


def check_url(url: str, options: FetchOptions) -> str:
    """The wire form of a URL that ``fetch`` would try (http(s), a host, public addresses
    only unless ``allow_private_urls``); UnsafeURLError or FetchError otherwise. For early
    feedback on a posted URL: ``fetch`` checks every hop again when it runs."""
    current = wire_url(url)
    _scheme, host, port = target(current)
    resolve_safe(host, port, options.allow_private_urls, options.timeout)
    return current

"""URLs as they go on the wire: parsed once, IDNA host, percent-encoded path and query.

No network here (fetch.py is the only module that connects): this turns whatever a user, a feed
or a redirect ``Location`` gives into an ASCII URL http.client can send, or a coded error.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from storyline.errors import UnsafeURLError

SCHEME_PORTS = {"http": 80, "https": 443}
# RFC 3986 reserved and unreserved characters, plus "%" so existing escapes are kept as they
# are; everything else (spaces, controls, non-ASCII) is percent-encoded as UTF-8.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"
# RFC 3986 reg-name characters: anything else in a host (NUL, spaces, controls) is malformed.
_HOST = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=%-]+")


def _malformed(url: str, why: object) -> UnsafeURLError:
    return UnsafeURLError(
        f"malformed URL {url[:200]!r}: {why}",
        hint="check the URL (a redirect's Location comes from the server, not from you)",
    )


def _ascii_host(host: str, url: str) -> str:
    """The host in ASCII: IDNA (punycode) for an internationalised name, IPv6 in brackets."""
    if ":" in host:  # urlsplit has already checked the brackets of an IPv6 literal
        return f"[{host}]"
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise _malformed(url, f"host {host!r} is not a valid IDNA name ({exc})") from None
    if not _HOST.fullmatch(host):
        raise _malformed(url, f"host {host!r} holds characters a host name cannot have")
    return host


def wire_url(url: str) -> str:
    """An http(s) URL ready to send (ASCII, no fragment, no user info); UnsafeURLError when it
    is malformed, not http(s) or has no host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = parts.hostname
    except ValueError as exc:  # bad IPv6 brackets, a port that is not a number
        raise _malformed(url, exc) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEME_PORTS:
        raise UnsafeURLError(f"refusing {url[:200]!r}: only http and https URLs are fetched")
    if not host:
        raise UnsafeURLError(f"refusing {url[:200]!r}: no host")
    netloc = _ascii_host(host, url) + (f":{port}" if port is not None else "")
    try:
        path = quote(parts.path, safe=_PATH_SAFE) or "/"
        query = quote(parts.query, safe=_QUERY_SAFE)
    except UnicodeEncodeError as exc:  # a lone surrogate has no UTF-8 form
        raise _malformed(url, exc) from None
    return urlunsplit((scheme, netloc, path, query, ""))


def target(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL returned by ``wire_url``."""
    parts = urlsplit(url)
    return parts.scheme, parts.hostname or "", parts.port or SCHEME_PORTS[parts.scheme]


def request_path(url: str) -> str:
    """The path and query sent in the request line."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def redirect_url(current: str, location: str) -> str:
    """The wire URL a ``Location`` header points at, resolved against the current URL.

    http.client decodes header bytes as Latin-1; servers send UTF-8 bytes in a non-ASCII
    Location (as browsers assume), so the bytes are recovered and read as UTF-8 when they are.
    """
    try:
        location = location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass  # not UTF-8 bytes: keep the Latin-1 reading, percent-encoded below
    try:
        joined = urljoin(current, location.strip())
    except ValueError as exc:
        raise _malformed(location, exc) from None
    return wire_url(joined)

"""Canonical URLs: one spelling per article address, so re-ingesting a shared link is a no-op."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track who clicked where; they never select different content.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid"})
TRACKING_PREFIXES = ("utm_",)

# Ports a browser would add anyway: "http://x:80/a" and "http://x/a" are the same page.
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The URL with scheme/host lower-cased, default port, fragment, tracking params and trailing
    slash dropped; "" for "" (an article read from a file has no address)."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url  # not an absolute URL (a file path, an id): keep it as given
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal: urlsplit strips the brackets
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if parts.username or parts.password:
        netloc = f"{parts.username or ''}{':' + parts.password if parts.password else ''}@{host}"
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{netloc}:{port}"
    path = parts.path
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    if path == "/":
        path = ""
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    return urlunsplit((scheme, netloc, path, query, ""))

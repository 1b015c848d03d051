"""What reading and fetching are configured with: typed values ``service`` builds once from the
settings table (``storyline.settings``), so ingest never indexes a settings dict.

The defaults are the table's (a test checks they agree); they serve callers that read inputs
outside a configured run (tests, benchmarks, the fuzzers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    """Limits on what is read from a file, a feed or a record."""

    max_bytes: int = 5_000_000  # the largest input file or dump line read, in bytes
    max_chars: int = 200_000  # article text beyond this is cut (and the cut said)


@dataclass(frozen=True)
class FetchOptions:
    """How ``fetch`` reaches the network."""

    max_bytes: int = 5_000_000  # the largest HTTP body read
    timeout: float = 10.0  # seconds for a whole fetch: DNS, connect, headers, body, redirects
    user_agent: str = "Storyline/0.1 (+self-hosted news comparison)"
    allow_private_urls: bool = False  # loopback/private addresses (tests only)
    host_delay: float = 1.0  # seconds between two requests to one host

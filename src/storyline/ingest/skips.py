"""A record that could not be read, kept so the caller can report it instead of crashing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skip:
    """One input record that was not turned into an article, and why."""

    source: str  # the file path or URL it came from
    line: int  # 1-based line (or entry number for feeds); 0 when the whole source is meant
    reason: str

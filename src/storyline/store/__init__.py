"""Persistence: the Store protocol and its backends (SQLite now, PostgreSQL later)."""

from __future__ import annotations

from pathlib import Path

from storyline.errors import StoreError
from storyline.store.base import AddResult, FeedState, Skip, Store
from storyline.store.sqlite import SQLiteStore
from storyline.store.urls import canonical_url

__all__ = [
    "AddResult",
    "FeedState",
    "SQLiteStore",
    "Skip",
    "Store",
    "canonical_url",
    "open_store",
]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(target: str | Path, read_only: bool = False) -> Store:
    """The store at ``target``: a file path (or ":memory:") opens SQLite; postgresql:// URLs
    are reserved for the PostgreSQL backend."""
    text = str(target)
    if text.lower().startswith(_POSTGRES_SCHEMES):
        raise StoreError(
            "PostgreSQL backend not available yet",
            hint="use a SQLite file path for the store setting",
        )
    if text.lower().startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    return SQLiteStore(text, read_only=read_only)

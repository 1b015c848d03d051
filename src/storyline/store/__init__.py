"""Persistence: the Store protocol and its backends (SQLite, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

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
    """The store at ``target``: a postgresql:// URL opens PostgreSQL, anything else (a file
    path, "sqlite:///path" or ":memory:") SQLite."""
    text = str(target)
    if text.lower().startswith(_POSTGRES_SCHEMES):
        from storyline.store.postgres import PostgresStore  # psycopg loads only when used

        return PostgresStore(text, read_only=read_only)
    if text.lower().startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    return SQLiteStore(text, read_only=read_only)

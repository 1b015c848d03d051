"""The store backends the store tests run on: SQLite files, and PostgreSQL schemas on the server
that STORYLINE_TEST_POSTGRES names (.ci/run starts one on loopback and sets it)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

POSTGRES_ENV = "STORYLINE_TEST_POSTGRES"
BACKENDS = ("sqlite", "postgres")


def postgres_url() -> str | None:
    """The test server's URL, None when this machine has none."""
    return os.environ.get(POSTGRES_ENV) or None


def with_schema(url: str, schema: str) -> str:
    """The URL with its search_path set to one schema."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


class Backend:
    """Named stores of one backend for one test: ``target(name)`` is what a user passes as the
    store setting, ``open(name)`` the store itself; the same name is the same store."""

    def __init__(self, name: str, tmp_path: Path):
        self.name = name
        self.tmp_path = tmp_path
        self._targets: dict[str, str] = {}
        self._admin = None
        if name == "postgres":
            url = postgres_url()
            if url is None:
                pytest.skip(
                    f"PostgreSQL store cases need a server: set {POSTGRES_ENV}="
                    "postgresql://user@127.0.0.1:PORT/db (.ci/run starts one and sets it)"
                )
            import psycopg

            self._url = url
            self._admin = psycopg.connect(url, autocommit=True)
            self._admin.execute("SET lock_timeout = '10s'")  # a leaked session must not hang us

    @property
    def postgres(self) -> bool:
        return self.name == "postgres"

    def target(self, name: str = "s") -> str:
        """A file path (SQLite) or a URL with a fresh schema of its own (PostgreSQL)."""
        if name not in self._targets:
            if self.postgres:
                schema = f"t_{uuid.uuid4().hex[:12]}_{name}"
                self._admin.execute(f'CREATE SCHEMA "{schema}"')
                self._targets[name] = with_schema(self._url, schema)
            else:
                self._targets[name] = str(self.tmp_path / f"{name}.db")
        return self._targets[name]

    def open(self, name: str = "s", read_only: bool = False):
        from storyline.store import open_store

        return open_store(self.target(name), read_only=read_only)

    def query(self, name: str, sql: str) -> list[tuple]:
        """Rows of a read-only SQL query on a store's own tables, through the backend's driver
        (not the store's code), for checks of what was really stored."""
        target = self.target(name)
        if self.postgres:
            import psycopg

            with psycopg.connect(target) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as conn:
            return conn.execute(sql).fetchall()

    def execute(self, name: str, sql: str) -> None:
        """Run one SQL statement on a store's tables behind its back and commit it."""
        target = self.target(name)
        if self.postgres:
            import psycopg

            with psycopg.connect(target) as conn:
                conn.execute(sql)
            return
        import sqlite3

        conn = sqlite3.connect(target)
        try:
            conn.execute(sql)
            conn.commit()
        finally:
            conn.close()

    def close(self) -> None:
        if self._admin is not None:
            for target in self._targets.values():
                schema = target.rsplit("%3D", 1)[1]
                self._admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            self._admin.close()
            self._admin = None

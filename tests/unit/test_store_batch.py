"""Store.batch(): many writes, one transaction, on both backends (the posted ingest's unit)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from storyline.errors import NotFoundError, StoreError
from storyline.ingest.normalize import make_article
from storyline.model import AnalyzedArticle
from storyline.settings import load_settings

SETTINGS = load_settings()


def _article(n: int):
    return make_article(f"Report number {n} on the flood.", SETTINGS, title=f"r{n}",
                        url=f"https://x.example/{n}", published=datetime(2026, 3, 1, tzinfo=UTC))


def test_writes_inside_commit_together(backend):
    with backend.open() as store, backend.open() as other:
        with store.writer(5), store.batch():
            store.add_article(_article(1))
            store.add_article(_article(2))
            store.save_feed("https://x.example/feed", None, None, None)
            assert store.count_articles() == 2  # the batch reads its own writes
            assert other.count_articles() == 0  # another session sees nothing yet
        assert other.count_articles() == 2 and len(other.feeds()) == 1


def test_a_failure_leaves_the_store_as_it_was(backend):
    with backend.open() as store:
        store.add_article(_article(0))
        with pytest.raises(RuntimeError), store.writer(5), store.batch():
            store.add_article(_article(1))
            store.record_skip("x", "y")
            raise RuntimeError("the tracker failed half way")
        assert store.count_articles() == 1 and store.skips() == []
        store.add_article(_article(2))  # the store writes on as before
        assert store.count_articles() == 2


def test_a_failed_write_is_undone_alone_and_the_batch_goes_on(backend):
    with backend.open() as store:
        ghost = AnalyzedArticle(article=_article(9))
        with store.writer(5), store.batch():
            store.add_article(_article(1))
            with pytest.raises(NotFoundError):
                store.save_analysis(ghost)  # not stored: refused, as outside a batch
            with pytest.raises(StoreError):
                store.link_copy(_article(1).id, _article(1).id, 1.0)  # a copy of itself
            with pytest.raises((StoreError, sqlite3.OperationalError)):
                with store._tx() as conn:  # a statement the server refuses (PostgreSQL would
                    conn.execute("INSERT INTO no_such_table VALUES (1)")  # abort the batch)
            store.add_article(_article(2))
        assert store.count_articles() == 2
        assert store.original_of(_article(1).id) is None

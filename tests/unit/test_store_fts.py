"""Full-text search of the SQLite store (FTS5, migration 4)."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime

import pytest

from storyline.ingest.normalize import make_article
from storyline.service.options import read_options
from storyline.settings import load_settings
from storyline.store import SQLiteStore
from storyline.store.browse import match_expression
from storyline.store.migrations import MIGRATIONS, migrate

OPTIONS = read_options(load_settings())


def _article(text: str, title: str = "", url: str = "", outlet: str = "Desk", day: int = 1):
    return make_article(text, OPTIONS, title=title, url=url, outlet=outlet,
                        published=datetime(2026, 3, day, tzinfo=UTC))


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as s:
        yield s


def test_words_prefixes_accents_and_case(store):
    store.add_articles([
        _article("Engineers opened the spillways on Friday.", "Dam", day=1),
        _article("Minister Ibrahim al-Rashídi spoke.", "Minister", outlet="Harbour Times", day=2),
        _article("Nothing about water here.", "Other", day=3),
    ])
    assert [a.title for a in store.search_articles("SPILLWAY")[1]] == ["Dam"]
    assert [a.title for a in store.search_articles("rashidi")[1]] == ["Minister"]
    assert store.search_articles("opened friday")[0] == 1  # every word, any order
    assert store.search_articles("opened water")[0] == 0
    assert store.search_articles("minister", outlet="harbour times")[0] == 1
    assert store.search_articles("minister", outlet="Desk")[0] == 0
    total, newest = store.search_articles("")
    assert total == 3 and [a.title for a in newest] == ["Other", "Minister", "Dam"]


@pytest.mark.parametrize("query", ['"', "NEAR(a b)", "a OR", "-x", "*", "title:dam", "^", "(("])
def test_query_syntax_is_never_read_from_user_text(store, query):
    store.add_articles([_article("A dam, a title and x near b.", "Dam")])
    total, _ = store.search_articles(query)  # no sqlite3.OperationalError
    assert total in (0, 1)
    assert all(re.fullmatch(r'"\w+"\*', term) for term in match_expression(query).split())


def test_only_latest_revisions_are_found(store):
    store.add_article(_article("The toll rose to 11 on Thursday.", "v1", url="https://x.example/a"))
    store.add_article(_article("The toll rose to 16 on Thursday.", "v2", url="https://x.example/a"))
    assert [a.title for a in store.search_articles("toll")[1]] == ["v2"]
    assert store.search_articles("11")[0] == 0


def test_migration_indexes_the_articles_already_stored(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), MIGRATIONS[:3])  # a store from before full-text search
    conn.close()
    with SQLiteStore(path) as s:  # still v4 here: write one, then drop the index
        s.add_article(_article("Rescue teams pulled 212 people out.", "Rescue"))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE articles_fts")
    conn.execute("DROP INDEX stories_updated")
    for trigger in ("insert", "delete", "update"):
        conn.execute(f"DROP TRIGGER articles_fts_{trigger}")
    conn.execute("DROP TABLE signature_bands")  # and every migration after 4 (5: signatures)
    conn.execute("DROP TABLE signatures")
    conn.execute("DELETE FROM schema_version WHERE version >= 4")
    conn.close()
    with SQLiteStore(path) as s:  # migrates to 4 (and on) and rebuilds the index
        assert s.schema_version() == MIGRATIONS[-1][0]
        assert [a.title for a in s.search_articles("rescue")[1]] == ["Rescue"]

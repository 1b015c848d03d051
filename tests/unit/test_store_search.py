"""Full-text search, outlet counts and changed stories on both store backends: the same answers
from SQLite's FTS5 and PostgreSQL's tsvector (migration 3)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from tests.unit.test_store_fts import OPTIONS, _article

from storyline.ingest.normalize import make_article
from storyline.model import Story
from storyline.store import browse
from storyline.store.postgres_migrations import LATEST_VERSION


@pytest.fixture
def store(backend):
    with backend.open() as s:
        yield s


def _titles(found: tuple[int, list]) -> list[str]:
    return [a.title for a in found[1]]


def test_words_prefixes_accents_and_case(store):
    store.add_articles([
        _article("Engineers opened the spillways on Friday.", "Dam", day=1),
        _article("Minister Ibrahim al-Rashídi spoke.", "Minister", outlet="Harbour Times", day=2),
        _article("Nothing about water here.", "Other", day=3),
        _article("ÉCOLE FERMÉE À GENÈVE, dit le maire.", "Genève", day=4),
    ])
    assert _titles(store.search_articles("SPILLWAY")) == ["Dam"]
    assert _titles(store.search_articles("rashidi")) == ["Minister"]
    assert _titles(store.search_articles("Rashídi")) == ["Minister"]
    assert _titles(store.search_articles("école fermee")) == ["Genève"]  # accents, case
    assert _titles(store.search_articles("dam")) == ["Dam"]  # the title is searched too
    assert store.search_articles("opened friday")[0] == 1  # every word, any order
    assert store.search_articles("opened water")[0] == 0
    assert store.search_articles("minister", outlet="harbour times")[0] == 1
    assert store.search_articles("minister", outlet="Desk")[0] == 0
    total, newest = store.search_articles("")
    assert total == 4 and [a.title for a in newest] == ["Genève", "Other", "Minister", "Dam"]


@pytest.mark.parametrize("query", ['"', "NEAR(a b)", "a OR", "-x", "*", "title:dam", "^", "((",
                                   "'", "a & b", "a | !b", "dam:*", "a <-> b", "\\", "dam:A"])
def test_query_syntax_is_never_read_from_user_text(store, query):
    store.add_articles([_article("A dam, a title and x near b.", "Dam")])
    total, _ = store.search_articles(query)  # no driver error
    assert total in (0, 1)


def test_tsquery_terms_are_quoted_words():
    from storyline.store.postgres_search import tsquery

    for query in ("'; DROP TABLE articles; --", "a & b | !c", "x:* <-> y"):
        assert all(re.fullmatch(r"'\w+':\*", t) for t in tsquery(query).split(" & "))
    assert tsquery("\\' & | ! <-> :*") == ""  # no word: no condition
    assert tsquery("Rashídi ÉCOLE") == "'rashidi':* & 'ecole':*"
    assert tsquery("") == ""


def test_only_latest_revisions_are_found(store):
    store.add_article(_article("The toll rose to 11 on Thursday.", "v1", url="https://x.example/a"))
    store.add_article(_article("The toll rose to 16 on Thursday.", "v2", url="https://x.example/a"))
    assert _titles(store.search_articles("toll")) == ["v2"]
    assert store.search_articles("11")[0] == 0
    assert store.search_articles("16")[0] == 1


def test_counts_stop_at_the_cap_and_pages_stay_newest_first(store, monkeypatch):
    store.add_articles([_article(f"Flood report number {n}.", f"r{n}", day=n) for n in range(1, 8)])
    store.add_article(make_article("Flood report without a date.", OPTIONS, title="undated"))
    monkeypatch.setattr(browse, "COUNT_CAP", 3)
    total, page = store.search_articles("flood", limit=4)
    assert total == 3
    assert [a.title for a in page] == ["r7", "r6", "r5", "r4"]
    _, last = store.search_articles("flood", offset=7, limit=4)
    assert [a.title for a in last] == ["undated"]  # undated last
    _, every = store.search_articles("", limit=10)
    assert [a.title for a in every][-1] == "undated"


def test_outlet_counts(store):
    store.add_articles([_article("One.", outlet="B", day=2), _article("Two.", outlet="A", day=3),
                        _article("Three.", outlet="B", day=5)])
    when = datetime(2026, 3, 5, tzinfo=UTC).timestamp()
    assert store.outlet_counts() == [("B", 2, when), ("A", 1, datetime(
        2026, 3, 3, tzinfo=UTC).timestamp())]


def test_stories_changed_since_a_write(store):
    articles = [_article(f"Story text {n}.", day=n) for n in range(1, 4)]
    store.add_articles(articles)
    stories = [Story(store.next_story_id(), f"s{n}", (a.id,), ("Desk",), a.published,
                     a.published) for n, a in enumerate(articles)]
    store.replace_stories(stories, [])
    every, ids, latest = store.stories_changed(None)
    assert sorted(s.id for s in every) == sorted(s.id for s in stories) and ids is None
    grown = replace(stories[0], article_ids=(articles[0].id,), label="s0 again")
    store.replace_stories([grown], [stories[2].id])  # one rewritten, one deleted
    changed, ids, newer = store.stories_changed(latest, {s.id for s in stories})
    assert [s.label for s in changed] == ["s0 again"]
    assert ids == {stories[0].id, stories[1].id}
    assert newer >= latest


def test_the_postgres_migration_indexes_the_articles_already_stored(pg):
    """A PostgreSQL store from before full-text search (version 2) finds its old articles
    once migrated (SQLite's migration 4 has its test in test_store_fts.py)."""
    backend = pg
    with backend.open("old") as s:
        s.add_article(_article("Rescue teams pulled 212 people out.", "Rescue"))
    for sql in ("DROP INDEX articles_search", "DROP INDEX articles_newest",
                "DROP INDEX stories_updated", "ALTER TABLE articles DROP COLUMN search",
                # and every migration after 3 (4: the dedupe signatures, 5: the words table)
                "DROP TABLE signature_bands", "DROP TABLE signatures",
                "DROP TRIGGER article_words_follow ON articles", "DROP TABLE article_words",
                "DROP FUNCTION article_words_follow",
                "DELETE FROM schema_version WHERE version >= 3"):
        backend.execute("old", sql)
    with backend.open("old") as s:
        assert s.schema_version() == LATEST_VERSION
        assert _titles(s.search_articles("rescue")) == ["Rescue"]


def test_matching_articles_are_the_latest_revisions_the_search_finds(store):
    """articles_matching answers the latest revisions only (PostgreSQL: its words table, kept
    by triggers, follows a revision in and its predecessor out), as the search does."""
    url = "https://example.org/harbour"
    first = _article("The quartermaster counted lanterns.", "Harbour", url=url)
    other = _article("Lanterns were lit at the quay.", "Quay", day=2)
    store.add_articles([first, other])
    assert store.articles_matching("lantern") == {first.id, other.id}
    second = _article("The quartermaster counted beacons.", "Harbour", url=url, day=3)
    assert store.add_article(second).status == "revision"
    for words in ("lantern", "beacon", "quartermaster counted", "beacons lanterns", "zzq"):
        found = {a.id for a in store.search_articles(words)[1]}
        assert store.articles_matching(words) == found, words
    assert store.articles_matching("quartermaster") == {second.id}
    assert store.articles_matching("LANTERNS") == {other.id}


def test_the_postgres_words_table_holds_the_articles_stored_before_it(pg):
    """Migration 5 fills the words table from the articles already stored."""
    with pg.open("words") as s:
        kept = _article("Rescue teams pulled 212 people out.", "Rescue")
        s.add_article(kept)
    for sql in ("DROP TRIGGER article_words_follow ON articles", "DROP TABLE article_words",
                "DROP FUNCTION article_words_follow",
                "DELETE FROM schema_version WHERE version >= 5"):
        pg.execute("words", sql)
    with pg.open("words") as s:
        assert s.schema_version() == LATEST_VERSION
        assert s.articles_matching("rescue teams") == {kept.id}
        added = _article("Rescue boats reached the island.", "Boats", day=2)
        s.add_article(added)
        assert s.articles_matching("rescue") == {kept.id, added.id}

"""Versioned schema migrations for the PostgreSQL store: (version, SQL), applied in order.

The same tables as the SQLite store (migrations.py), in PostgreSQL types; its own version
numbers, since the two schemas move separately. Each migration runs in one transaction with the
row that records it (PostgreSQL's DDL is transactional), under a transaction advisory lock, so
two processes opening a new store at once migrate it once and a crash leaves the previous
version. Never edit a released migration: append a new one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import tuple_row

from storyline.store.migrations import VERSION_TABLE, migration_failed, refuse_newer

# Advisory lock classes of the store (the first key; the second is the schema's hash): any
# numbers no other program on the database uses. The write lock serialises write transactions
# as SQLite's BEGIN IMMEDIATE does, the lease and its queue are lease.py's two flocks, the
# migrate lock serialises migrations.
LOCK_WRITE = 0x5354_0001
LOCK_LEASE = 0x5354_0002
LOCK_LEASE_QUEUE = 0x5354_0003
LOCK_MIGRATE = 0x5354_0004

# What the search index holds of an article: its title and text lowered, decomposed (NFD) and
# stripped of combining marks, in words of the 'simple' configuration (no stemming, no stop
# words: a prefix query "spillway" finds "spillways", as FTS5's unicode61 tokenizer does).
# Changing it means a new migration that re-creates the column.
SEARCH_VECTOR = (
    "to_tsvector('simple'::regconfig, regexp_replace(normalize(lower((title || ' ' || text)"
    "{collate}), NFD), '[\\u0300-\\u036f]', '', 'g'))"
)

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE articles (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- ingest order, tie-breaker
            id TEXT NOT NULL UNIQUE,                -- Article.id, the content hash
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,                -- sha256(text), for "same URL, same text"
            title TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            canonical_url TEXT NOT NULL DEFAULT '', -- store.urls.canonical_url(url)
            revision INTEGER NOT NULL DEFAULT 1,    -- 1, 2, ... per canonical URL
            previous_id TEXT REFERENCES articles(id),
            latest BOOLEAN NOT NULL DEFAULT TRUE,   -- the newest revision of its URL
            outlet TEXT NOT NULL DEFAULT '',
            published TEXT,                         -- ISO, timezone as given
            published_ts DOUBLE PRECISION,          -- epoch seconds (naive = UTC), for ordering
            language TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_url ON articles(canonical_url, revision) WHERE canonical_url <> '';
        CREATE INDEX articles_text_hash ON articles(text_hash);
        -- articles()'s keyset order: undated last, then published, then ingest order
        CREATE INDEX articles_order ON articles ((published_ts IS NULL),
            (COALESCE(published_ts, 0)), seq) WHERE latest;

        CREATE TABLE analyses (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            layers TEXT NOT NULL,         -- codec.analysis_to_json
            vectors BYTEA,                -- float32 little-endian
            vectors_shape TEXT,           -- "n,dim"
            saved_at TEXT NOT NULL
        );

        CREATE TABLE copies (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            original_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            similarity DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX copies_original ON copies(original_id);

        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL DEFAULT '',
            outlets TEXT NOT NULL DEFAULT '[]',
            first_seen TEXT,
            first_seen_ts DOUBLE PRECISION,
            last_seen TEXT,
            last_seen_ts DOUBLE PRECISION,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            score DOUBLE PRECISION
        );
        CREATE INDEX story_articles_story ON story_articles(story_id, position);

        CREATE TABLE state (
            key TEXT PRIMARY KEY,
            value BYTEA NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            last_polled TEXT
        );

        CREATE TABLE skips (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );

        -- 'story': the last story number issued; 'state': writes of the engines' snapshots
        CREATE TABLE counters (
            name TEXT PRIMARY KEY,
            value BIGINT NOT NULL
        );
        INSERT INTO counters (name, value) VALUES ('story', 0), ('state', 0);
        """,
    ),
    (
        2,
        """
        -- The user's corrections of the stories (merge, split, move), numbered in the order
        -- made, as SQLite's migration 3: no foreign key to stories, a merge deletes the others.
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,                  -- model.CorrectionKind
            story_id TEXT NOT NULL,              -- the story that took the articles
            from_ids TEXT NOT NULL,              -- JSON list of the stories they left
            article_ids TEXT NOT NULL,           -- JSON list of the articles that moved
            removed TEXT NOT NULL,               -- JSON list of the stories it emptied
            new_story INTEGER NOT NULL,          -- 1 when story_id was opened by it
            at TEXT NOT NULL                     -- ISO, UTC
        );
        CREATE TABLE correction_stories (
            correction_id INTEGER NOT NULL REFERENCES corrections(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            PRIMARY KEY (correction_id, story_id)
        );
        CREATE INDEX correction_stories_story ON correction_stories(story_id);
        """,
    ),
    (
        3,
        # Full-text search (postgres_search.py reads it), as SQLite's migration 4: a tsvector
        # of the title and text, folded as the query is (search_fold: lower case, diacritics
        # removed), in a GIN index; the newest-first order of the search results; the stories
        # written since a time (a server's cached stories list catching up).
        f"""
        DO $fold$
        BEGIN
            -- ICU lowers every script whatever the database's locale ('C' lowers ASCII only)
            IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
                EXECUTE $add$ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS
                    AS ({SEARCH_VECTOR.format(collate=' COLLATE "und-x-icu"')}) STORED$add$;
            ELSE
                EXECUTE $add$ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS
                    AS ({SEARCH_VECTOR.format(collate='')}) STORED$add$;
            END IF;
        END
        $fold$;
        CREATE INDEX articles_search ON articles USING GIN (search) WHERE latest;
        CREATE INDEX articles_newest ON articles (published_ts DESC NULLS LAST, seq DESC)
            WHERE latest;
        CREATE INDEX stories_updated ON stories(updated_at);
        """,
    ),
    (
        4,
        """
        -- The dedupe index's signatures, as SQLite's migration 5.
        CREATE TABLE signatures (
            sid BIGSERIAL PRIMARY KEY,
            article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
            group_id TEXT NOT NULL,
            signature BYTEA NOT NULL
        );
        CREATE TABLE signature_bands (
            band_key BIGINT NOT NULL,
            sid BIGINT NOT NULL REFERENCES signatures(sid) ON DELETE CASCADE,
            PRIMARY KEY (band_key, sid)
        );
        CREATE INDEX signature_bands_sid ON signature_bands(sid);
        """,
    ),
    (
        5,
        # The words of the latest revisions in a narrow table of their own (postgres_search.
        # articles_matching reads it): the id and the search vector stripped of positions (what
        # an AND of prefixes needs), so a word every article holds reads a third of the heap
        # pages the articles' rows fill (at 100k articles ~370 vs ~1,150 bytes a row; 14,291
        # pages). Kept by triggers: a new latest revision comes in, a superseded one goes out,
        # a deleted article's row goes with it (the foreign key).
        """
        CREATE TABLE article_words (
            id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            words tsvector NOT NULL
        );
        INSERT INTO article_words (id, words) SELECT id, strip(search) FROM articles
            WHERE latest;
        CREATE INDEX article_words_words ON article_words USING GIN (words);
        CREATE FUNCTION article_words_follow() RETURNS trigger LANGUAGE plpgsql
            SET search_path FROM CURRENT AS $follow$
        BEGIN
            IF NEW.latest AND (TG_OP = 'INSERT' OR NOT OLD.latest) THEN
                INSERT INTO article_words (id, words) VALUES (NEW.id, strip(NEW.search))
                    ON CONFLICT (id) DO UPDATE SET words = EXCLUDED.words;
            ELSIF NOT NEW.latest AND TG_OP = 'UPDATE' AND OLD.latest THEN
                DELETE FROM article_words WHERE id = NEW.id;
            END IF;
            RETURN NULL;
        END
        $follow$;
        CREATE TRIGGER article_words_follow AFTER INSERT OR UPDATE OF latest ON articles
            FOR EACH ROW EXECUTE FUNCTION article_words_follow();
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(conn: psycopg.Connection) -> int:
    """The highest applied migration, 0 for a fresh (or foreign) schema."""
    if scalar(conn, "SELECT to_regclass('schema_version')") is None:
        return 0
    return scalar(conn, "SELECT MAX(version) FROM schema_version") or 0


def scalar(conn: psycopg.Connection, sql: str, params: tuple = ()) -> Any:
    """The first column of the first row of a query (None when no row)."""
    with conn.cursor(row_factory=tuple_row) as cur:
        row = cur.execute(sql, params).fetchone()
    return row[0] if row else None


def check_version(conn: psycopg.Connection, where: str, latest: int = LATEST_VERSION) -> int:
    """The store's version; StoreError when it is newer than this code knows."""
    return refuse_newer(current_version(conn), latest, where, "database or schema")


def migrate(
    conn: psycopg.Connection,
    where: str,
    key: int,
    migrations: tuple[tuple[int, str], ...] = MIGRATIONS,
) -> int:
    """Apply every pending migration in order (one transaction each); return the new version.

    ``conn`` must be in autocommit mode; ``key`` is the schema's advisory lock key."""
    latest = migrations[-1][0] if migrations else 0
    version = check_version(conn, where, latest)
    for number, sql in migrations:
        if number <= version:
            continue
        try:
            with conn.transaction():
                # take the lock first, then re-check: another process may have migrated while
                # this one waited
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_MIGRATE, key))
                conn.execute(VERSION_TABLE)
                if check_version(conn, where, latest) >= number:
                    continue
                conn.execute(sql)
                conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)",
                    (number, datetime.now(UTC).isoformat()),
                )
        except psycopg.Error as exc:
            raise migration_failed(number, str(exc).strip(), where) from None
        version = number
    return version

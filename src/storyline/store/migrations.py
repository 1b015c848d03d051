"""Versioned schema migrations for the SQLite store: (version, SQL), applied in order.

Each migration runs in its own transaction together with the row that records it in
``schema_version``, so a crash leaves the store at the previous version, never half-migrated.
Never edit a released migration: append a new one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from storyline.errors import StoreError

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- ingest order, the tie-breaker everywhere
            id TEXT NOT NULL UNIQUE,                -- Article.id, the content hash
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,                -- sha256(text), for "same URL, same text"
            title TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            canonical_url TEXT NOT NULL DEFAULT '', -- store.urls.canonical_url(url)
            revision INTEGER NOT NULL DEFAULT 1,    -- 1, 2, ... per canonical URL
            previous_id TEXT REFERENCES articles(id),
            latest INTEGER NOT NULL DEFAULT 1,      -- 1 for the newest revision of its URL
            outlet TEXT NOT NULL DEFAULT '',
            published TEXT,                         -- ISO, timezone as given
            published_ts REAL,                      -- epoch seconds (naive = UTC), for ordering
            language TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_url ON articles(canonical_url, revision) WHERE canonical_url != '';
        CREATE INDEX articles_text_hash ON articles(text_hash);
        CREATE INDEX articles_published ON articles(latest, published_ts);

        CREATE TABLE analyses (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            layers TEXT NOT NULL,         -- codec.analysis_to_json
            vectors BLOB,                 -- float32 little-endian
            vectors_shape TEXT,           -- "n,dim"
            saved_at TEXT NOT NULL
        );

        CREATE TABLE copies (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            original_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            similarity REAL NOT NULL
        );
        CREATE INDEX copies_original ON copies(original_id);

        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL DEFAULT '',
            outlets TEXT NOT NULL DEFAULT '[]',
            first_seen TEXT,
            first_seen_ts REAL,
            last_seen TEXT,
            last_seen_ts REAL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            score REAL
        );
        CREATE INDEX story_articles_story ON story_articles(story_id, position);

        CREATE TABLE state (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            last_polled TEXT
        );

        CREATE TABLE skips (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """,
    ),
    (
        2,
        """
        -- Numbers handed out under the writer lease: 'story' is the last story number issued
        -- (so two processes never issue one id twice), 'state' counts writes of the engines'
        -- snapshots (a tracker reloads them when another process wrote since it loaded).
        CREATE TABLE counters (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        );
        INSERT INTO counters (name, value) SELECT 'story', COALESCE(MAX(CAST(substr(id, 2)
            AS INTEGER)), 0) FROM stories WHERE id GLOB 's[0-9]*';
        INSERT INTO counters (name, value) VALUES ('state', 0);
        """,
    ),
    (
        3,
        """
        -- The user's corrections of the stories (merge, split, move), numbered in the order
        -- made: a story's history. No foreign key to stories: a merge deletes the others.
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
        -- Every story a correction touched (taken into, left, emptied), for a story's history.
        CREATE TABLE correction_stories (
            correction_id INTEGER NOT NULL REFERENCES corrections(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            PRIMARY KEY (correction_id, story_id)
        );
        CREATE INDEX correction_stories_story ON correction_stories(story_id);
        """,
    ),
    (
        4,
        """
        -- Full-text search over titles and texts (FTS5, an external-content index of the
        -- articles table kept in step by triggers; store.browse reads it), and an index of
        -- when each story was last written.
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
        -- The stories written since a time (a server's cached stories list catching up).
        CREATE INDEX stories_updated ON stories(updated_at);
        """,
    ),
    (
        5,
        """
        -- The dedupe index's signatures (stories/dedupe.py), so RAM holds only a time window:
        -- an older original is still found as the original of a new copy by its LSH band keys.
        CREATE TABLE signatures (
            sid INTEGER PRIMARY KEY,                -- insertion order
            article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
            group_id TEXT NOT NULL,                 -- the original of its group of copies
            signature BLOB NOT NULL                 -- uint32 little-endian MinHash values
        );
        CREATE TABLE signature_bands (
            band_key INTEGER NOT NULL,              -- dedupe.band_keys: a band's hash, int64
            sid INTEGER NOT NULL REFERENCES signatures(sid) ON DELETE CASCADE,
            PRIMARY KEY (band_key, sid)
        ) WITHOUT ROWID;
        CREATE INDEX signature_bands_sid ON signature_bands(sid);
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]

# The applied migrations, in both backends' schemas.
VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
)
"""


def refuse_newer(version: int, latest: int, path: str, elsewhere: str) -> int:
    """``version``; StoreError when it is newer than ``latest``, the newest this code knows
    (``elsewhere``: what else the user may open, in the hint)."""
    if version > latest:
        raise StoreError(
            f"the store has schema version {version}, newer than this Storyline knows ({latest})",
            hint=f"upgrade Storyline to open this store, or use another {elsewhere}",
            path=path,
        )
    return version


def refuse_older(version: int, latest: int, path: str) -> None:
    """StoreError when a store opened read-only is not yet at ``latest`` (a reader cannot
    migrate it)."""
    if version < latest:
        raise StoreError(
            f"the store is at schema version {version}, this Storyline needs {latest}",
            hint="open it once for writing (any storyline command) to migrate it",
            path=path,
        )


def migration_failed(number: int, detail: str, path: str) -> StoreError:
    """The error of a migration that was rolled back."""
    return StoreError(
        f"migration {number} failed: {detail}",
        hint="the store was left at its previous version; report this as a bug",
        path=path,
    )


def current_version(conn: sqlite3.Connection) -> int:
    """The highest applied migration, 0 for a fresh (or foreign) database."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has_table:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def check_version(conn: sqlite3.Connection, path: str) -> int:
    """The store's version; StoreError when it is newer than this code knows."""
    return refuse_newer(current_version(conn), LATEST_VERSION, path, "store path")


def migrate(
    conn: sqlite3.Connection,
    path: str,
    migrations: tuple[tuple[int, str], ...] = MIGRATIONS,
) -> int:
    """Apply every pending migration in order (one transaction each); return the new version.

    ``conn`` must be in autocommit mode (isolation_level=None): transactions are explicit here.
    """
    conn.execute(VERSION_TABLE)
    version = check_version(conn, path)
    refuse_newer(version, migrations[-1][0] if migrations else 0, path, "store path")
    for number, sql in migrations:
        if number <= version:
            continue
        try:
            # BEGIN IMMEDIATE takes the write lock first; then re-check, because another
            # process may have migrated while we waited for it.
            conn.execute("BEGIN IMMEDIATE")
            if current_version(conn) >= number:
                conn.execute("COMMIT")
                continue
            for statement in split_statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version(version, applied_at) VALUES (?, ?)",
                (number, datetime.now(UTC).isoformat()),
            )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise migration_failed(number, str(exc), path) from None
        version = number
    return version


def split_statements(sql: str) -> list[str]:
    """The complete statements of a script (executescript would commit our transaction)."""
    statements, buffer = [], ""
    for part in sql.split(";"):
        buffer += part + ";"
        # a ";" inside a string literal or a trigger body does not complete a statement
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                statements.append(buffer.strip())
            buffer = ""
    return statements

"""The story engine end to end: ingest into a store, copies, revisions, stories, feeds, watch."""

from __future__ import annotations

import contextlib
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline import service
from storyline.model import Article
from storyline.service.options import track_options
from storyline.settings import load_settings
from storyline.store import SQLiteStore

DEMO = Path(__file__).resolve().parents[2] / "src" / "storyline" / "data" / "demo"
INGEST_DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture()
def settings(backend):
    return load_settings({"store": backend.target("news"), "allow_private_urls": True,
                          "host_delay": 0.0, "fetch_timeout": 5.0})


def _gold(path: Path) -> dict[str, str]:
    return {
        (r := json.loads(line))["url"]: r["story"]
        for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    }


def test_demo_corpus_into_stories(settings):
    corpus = DEMO / "corpus.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines()
    report = service.ingest([str(corpus)], settings)
    assert report.added + report.revisions == len(lines)
    assert report.revisions >= 1  # one article is an updated version of a URL
    assert report.copies >= 1  # the syndicated wire story
    assert report.skipped == 0

    again = service.ingest([str(corpus)], settings)
    assert again.duplicates == len(lines) and again.added == again.revisions == 0

    stories = service.list_stories(settings=settings)
    gold = _gold(corpus)
    assert len({gold[u] for u in gold}) <= len(stories) <= len(lines)
    # every stored article sits in exactly one story, and stories carry labels and outlets
    members = [a for st in stories for a in st.article_ids]
    assert len(members) == len(set(members))
    assert all(st.label and st.outlets for st in stories)

    biggest = max(stories, key=lambda st: st.size)
    view = service.get_story(biggest.id, settings)
    assert [a.id for a in view.articles] and set(view.copies) <= {a.id for a in view.articles}


def test_story_comparison_keeps_analyses(settings):
    service.ingest([str(DEMO / "corpus.jsonl")], settings)
    views = [service.get_story(st.id, settings) for st in service.list_stories(settings=settings)]
    target = max(views, key=lambda v: len(v.articles) - len(v.copies))
    assert len(target.articles) - len(target.copies) >= 2
    comparison = service.compare_story(target.story.id, settings)
    assert len(comparison.articles) >= 2
    from storyline.store import open_store

    with open_store(settings["store"]) as store:
        for ref in comparison.articles:
            analysis = store.get_analysis(ref.id)
            assert analysis is not None and analysis.vectors is not None


class _FeedHandler(BaseHTTPRequestHandler):
    body = (INGEST_DATA / "feed.rss").read_bytes()
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.headers.get("If-None-Match") or "")
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def feed_url():
    _FeedHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.rss"
    server.shutdown()


def test_feed_then_watch_uses_conditional_get(settings, feed_url):
    report = service.ingest([feed_url], settings)
    assert report.added >= 1 and report.feeds == 1
    watched = service.watch({**settings, "watch_interval": 0.0}, polls=2)
    assert watched.added == 0 and watched.skipped == 0
    assert _FeedHandler.hits[-1] == '"v1"'  # the later polls sent the ETag and got 304


def test_unsafe_feed_is_a_recorded_skip(backend):
    settings = load_settings({"store": backend.target("s")})  # private URLs refused
    report = service.ingest(["http://127.0.0.1:9/feed.rss", str(INGEST_DATA / "feed.rss")],
                            settings)
    assert report.skipped >= 1 and "E401" in report.skips[0][1]
    assert report.added >= 1  # the rest of the batch went on


def _wire_copy(i: int) -> Article:
    text = (f"By staff reporter {i} for Outlet {i}. " + " ".join(
        f"harbour council strike vote {w}" for w in range(60)) + f" Filed at {i} past.")
    return Article(id=f"copy{i}", text=text, title="Harbour strike", outlet=f"Outlet {i}",
                   url=f"https://outlet{i}.example/news/{i}",
                   published=datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=i))


@contextlib.contextmanager
def _statements_sent(store, monkeypatch):
    """A list that fills with the SQL statements the store sends while the block runs."""
    statements: list[str] = []
    if isinstance(store, SQLiteStore):
        store.conn.set_trace_callback(statements.append)
        try:
            yield statements
        finally:
            store.conn.set_trace_callback(None)
        return
    import psycopg

    for name in ("execute", "executemany"):
        sent = getattr(psycopg.Cursor, name)

        def counted(cursor, query, params=None, *args, _sent=sent, _many=name != "execute",
                    **kw):
            statements.extend([str(query)] * (len(params) if _many else 1))
            return _sent(cursor, query, params, *args, **kw)

        monkeypatch.setattr(psycopg.Cursor, name, counted)
    yield statements
    monkeypatch.undo()


def _statements_for_one_copy(tracker, i: int, monkeypatch) -> int:
    with _statements_sent(tracker.store, monkeypatch) as statements:
        report = service.IngestReport()
        tracker.add_batch([_wire_copy(i)], report)
        assert report.copies == 1
    return len(statements)


def test_store_work_per_copy_does_not_grow_with_the_copies_stored(settings, monkeypatch):
    """Each new copy of a wire story costs the same SQL statements with 10 or 200 copies stored
    (it used to read every earlier copy back)."""
    settings = {**settings, "story_refine": False}
    with service.Tracker(track_options(settings)) as tracker:
        tracker.add_batch([_wire_copy(i) for i in range(10)], service.IngestReport())
        few = _statements_for_one_copy(tracker, 10, monkeypatch)
        tracker.add_batch([_wire_copy(i) for i in range(11, 200)], service.IngestReport())
        many = _statements_for_one_copy(tracker, 200, monkeypatch)
        assert tracker.store.copies_of("copy0")[-1][0] == "copy200"
    assert many == few and few > 0, (few, many)

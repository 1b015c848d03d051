"""Hostile input through service.ingest / watch and the CLI: batches go on, skips are recorded,
exit codes say whether anything was read."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline import service
from storyline.settings import load_settings
from storyline.store import open_store

GOOD_A = "Bridge reopens\n\nThe council reopened the old bridge on Monday after repairs.\n"
GOOD_B = "Ferry returns\n\nThe ferry to the island runs again from Tuesday, the operator said.\n"


def _rss(title: str, text: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><link>http://example.com/{abs(hash(title))}</link>"
        f"<description>{text}</description></item></channel></rss>"
    ).encode()


@pytest.fixture()
def settings(tmp_path):
    return load_settings({"store": str(tmp_path / "news.db"), "allow_private_urls": True,
                          "host_delay": 0.0, "fetch_timeout": 5.0, "story_refine": False})


def test_one_bad_file_does_not_abort_a_folder(tmp_path, settings):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_A)
    (folder / "b.txt").write_text(GOOD_B)
    (folder / "c.xml").write_bytes(b"")
    report = service.ingest([str(folder)], settings)
    assert report.added == 2 and report.skipped == 1 and not report.nothing_read
    assert report.skips[0][0] == str(folder / "c.xml") and "[E101]" in report.skips[0][1]
    assert report.skip_kinds == {"E101": 1} and report.sources == 3 == report.sources_read + 1
    with open_store(settings["store"]) as store:
        assert store.count_articles() == 2
        assert [s.source for s in store.skips()] == [str(folder / "c.xml")]


def test_records_before_a_bad_jsonl_line_are_stored(tmp_path, settings):
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        '{"id": "1", "text": "The council reopened the old bridge on Monday."}\n'
        + "[" * 1000 + "]" * 1000 + "\n"
    )
    report = service.ingest([str(dump)], settings)
    assert report.added == 1 and report.skipped == 1 and report.skip_kinds == {"record": 1}


def test_nothing_read_when_every_source_is_refused(tmp_path, settings):
    (tmp_path / "empty.xml").write_bytes(b"")
    strict = {**settings, "allow_private_urls": False}
    report = service.ingest(
        [str(tmp_path / "empty.xml"), "http://169.254.169.254/feed", str(tmp_path / "gone")],
        strict,
    )
    assert report.nothing_read and report.added == 0 and report.skipped == 3
    assert report.skip_kinds == {"E101": 1, "E401": 1, "E100": 1}
    assert "link-local" in report.skips[1][1]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "storyline.interfaces.cli", *args],
        capture_output=True, text=True, timeout=120,
    )


def test_cli_exit_code_says_whether_anything_was_read(tmp_path):
    (tmp_path / "empty.xml").write_bytes(b"")
    (tmp_path / "a.txt").write_text(GOOD_A)
    store = str(tmp_path / "cli.db")
    refused = _cli("ingest", str(tmp_path / "empty.xml"), "--store", store, "--no-refine")
    assert refused.returncode == 1 and "[E107]" in refused.stderr
    assert "E101 1" in refused.stderr and "Traceback" not in refused.stderr
    mixed = _cli("ingest", str(tmp_path / "empty.xml"), str(tmp_path / "a.txt"),
                 "--store", store, "--no-refine")
    assert mixed.returncode == 0, mixed.stderr
    assert "added 1" in mixed.stdout and "skipped 1" in mixed.stdout


class _Feeds(BaseHTTPRequestHandler):
    bodies: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802
        body = self.bodies.get(self.path, b"")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def feeds():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_watch_goes_on_after_a_bad_feed(settings, feeds):
    _Feeds.bodies = {
        "/a-bad.rss": _rss("Bridge reopens", "The council reopened the old bridge on Monday."),
        "/b-good.rss": _rss("Ferry returns", "The ferry to the island runs again from Tuesday."),
    }
    first = service.ingest([f"{feeds}/a-bad.rss", f"{feeds}/b-good.rss"], settings)
    assert first.added == 2 and first.feeds == 2
    # the first feed (polled first: feeds go by URL) turns hostile; the second has news
    # an XML declaration naming an encoding in bytes that are not UTF-8: feedparser raised
    _Feeds.bodies["/a-bad.rss"] = b'<?xml version="1.0" encoding="caf\xe9"?><rss/>'

    _Feeds.bodies["/b-good.rss"] = _rss("Ferry strike", "The ferry crews went on strike today.")
    watched = service.watch({**settings, "watch_interval": 0.0}, polls=1)
    assert watched.skipped == 1 and "unreadable feed" in watched.skips[0][1]
    assert watched.added == 1  # the feed after the bad one was still polled


def test_pipe_and_undecodable_file_name_in_a_folder_are_skips(tmp_path, settings):
    import signal

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_A)
    os.mkfifo(folder / "pipe.txt")  # reading it would wait forever for a writer
    with open(os.path.join(os.fsencode(folder), b"\xff-empty.txt"), "wb"):
        pass  # a name that is not UTF-8 reaches Python with a lone surrogate
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("ingest hung on a pipe"))
    signal.alarm(20)
    try:
        report = service.ingest([str(folder)], settings)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert report.added == 1 and report.skip_kinds == {"E100": 1, "E101": 1}
    reasons = dict(report.skips)
    assert "not a regular file" in reasons[str(folder / "pipe.txt")]
    with open_store(settings["store"]) as store:
        assert any(s.source.endswith("\ufffd-empty.txt") for s in store.skips())


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists every folder")
def test_unlistable_subfolder_is_a_skip(tmp_path, settings):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(GOOD_A)
    (folder / "locked").chmod(0)
    try:
        report = service.ingest([str(folder)], settings)
    finally:
        (folder / "locked").chmod(0o755)
    assert report.added == 1 and report.skipped == 1 and "cannot list" in report.skips[0][1]


def test_ingest_stores_an_article_whose_url_does_not_parse(tmp_path, settings):
    # found by benchmarks/fuzz_readers.py: the store's URL canonicaliser raised ValueError
    path = tmp_path / "story.txt"
    path.write_text("Bridge\n\nThe bridge opened on Monday.\n\nContent retrieved from: http://[::1/.\n")
    report = service.ingest([str(path)], settings)
    assert report.added == 1 and report.skipped == 0

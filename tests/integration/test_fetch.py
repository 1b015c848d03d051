"""fetch against a local HTTP server on 127.0.0.1, and refusal of unsafe URLs by default."""

import gzip
import socket
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from tests.conftest import local_server, time_bound

from storyline.errors import FetchError, TooLargeError, UnsafeURLError
from storyline.ingest import HostThrottle, fetch, read_fetched, read_url
from storyline.model import Article
from storyline.service.options import fetch_options, read_options
from storyline.settings import load_settings

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
TEST_SECONDS = 20  # no test here may hang: an alarm fails it after this long


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path
        if path == "/feed.rss":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._send(304, headers={"ETag": '"v1"'})
            body = (DATA / "feed.rss").read_bytes()
            return self._send(
                200,
                body,
                {
                    "Content-Type": "application/rss+xml",
                    "ETag": '"v1"',
                    "Last-Modified": "Mon, 03 May 2021 10:00:00 GMT",
                },
            )
        if path == "/page":
            body = (DATA / "page.html").read_bytes()
            return self._send(200, body, {"Content-Type": "text/html"})
        if path == "/ua":
            return self._send(200, self.headers.get("User-Agent", "").encode())
        if path == "/gzip":
            return self._send(200, gzip.compress(b"x" * 5000), {"Content-Encoding": "gzip"})
        if path == "/bomb":
            return self._send(200, gzip.compress(b"0" * 2_000_000), {"Content-Encoding": "gzip"})
        if path in ("/loop-a", "/loop-b"):
            other = "/loop-b" if path == "/loop-a" else "/loop-a"
            return self._send(302, headers={"Location": other})
        if path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left == 0:
                return self._send(200, b"end of chain")
            return self._send(301, headers={"Location": f"/chain/{left - 1}"})
        if path == "/to-file":
            return self._send(302, headers={"Location": "file:///etc/passwd"})
        if path == "/huge":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            try:
                for _ in range(200):
                    self.wfile.write(b"y" * 10_000)
            except OSError:
                pass
            return None
        if path == "/huge-declared":
            return self._send(200, b"z" * 300_000)
        if path == "/slow":
            time.sleep(3)
            return self._send(200, b"late")
        return self._send(404, b"not here")


@pytest.fixture(scope="module")
def server():
    with local_server(_Handler) as url:
        yield url


@pytest.fixture(autouse=True)
def _time_bound():
    with time_bound(TEST_SECONDS):
        yield


READ = read_options(load_settings({"max_bytes": 100_000}))  # as the fetch cap below


@pytest.fixture
def local():
    return fetch_options(load_settings(
        {"allow_private_urls": True, "fetch_timeout": 1.0, "host_delay": 0.0, "max_bytes": 100_000}
    ))


def test_fetch_feed_and_read_it(server, local):
    result = fetch(f"{server}/feed.rss", local)
    assert result.status == 200 and not result.not_modified
    assert result.content_type == "application/rss+xml" and result.etag == '"v1"'
    assert result.body == (DATA / "feed.rss").read_bytes()
    items = list(read_url(f"{server}/feed.rss", READ, local))
    assert [i.title for i in items if isinstance(i, Article)] == [
        "Bridge opens downtown",
        "Council votes to rename the square",
    ]


def test_read_url_html_page(server, local):
    (article,) = list(read_url(f"{server}/page", READ, local))
    assert article.outlet == "Example Daily" and article.url == f"{server}/page"


def test_conditional_get_304(server, local):
    first = fetch(f"{server}/feed.rss", local)
    again = fetch(f"{server}/feed.rss", local, etag=first.etag, last_modified=first.last_modified)
    assert again.status == 304 and again.not_modified and again.body == b""
    assert again.etag == '"v1"'
    assert list(read_fetched(again, READ)) == []  # nothing new to ingest


def test_user_agent_and_gzip(server, local):
    assert fetch(f"{server}/ua", local).body.decode() == local.user_agent
    assert fetch(f"{server}/gzip", local).body == b"x" * 5000
    with pytest.raises(TooLargeError):
        fetch(f"{server}/bomb", local)


def test_redirects(server, local):
    result = fetch(f"{server}/chain/3", local)
    assert result.body == b"end of chain" and result.final_url == f"{server}/chain/0"
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{server}/chain/6", local)
    with pytest.raises(FetchError, match="loop"):
        fetch(f"{server}/loop-a", local)
    with pytest.raises(UnsafeURLError):  # every hop is checked again
        fetch(f"{server}/to-file", local)


def test_body_cap(server, local):
    with pytest.raises(TooLargeError, match="100,000 bytes"):
        fetch(f"{server}/huge", local)
    with pytest.raises(TooLargeError, match="300,000"):
        fetch(f"{server}/huge-declared", local)


def test_timeout(server, local):
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{server}/slow", local)
    assert time.monotonic() - start < 2.5


def test_http_error_status(server, local):
    with pytest.raises(FetchError, match="404"):
        fetch(f"{server}/missing", local)


def test_host_throttle_spaces_requests(server, local):
    throttle = HostThrottle()
    polite = replace(local, host_delay=0.4)
    start = time.monotonic()
    fetch(f"{server}/ua", polite, throttle=throttle)
    fetch(f"{server}/ua", polite, throttle=throttle)
    assert time.monotonic() - start >= 0.4


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://192.168.1.1:8080/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://localhost/",
        "file:///etc/passwd",
        "ftp://example.com/feed.xml",
        "gopher://example.com/",
    ],
)
def test_unsafe_urls_refused_before_connecting(monkeypatch, url):
    def no_connect(*_args, **_kwargs):
        raise AssertionError("fetch tried to connect")

    monkeypatch.setattr(socket, "create_connection", no_connect)
    with pytest.raises(UnsafeURLError) as err:
        fetch(url, fetch_options(load_settings({"allow_private_urls": False, "host_delay": 0.0})))
    assert err.value.code == "E401"


def test_query_string_is_sent(server, local):
    with pytest.raises(FetchError, match="404"):  # the handler sees "/ua?x=1", not "/ua"
        fetch(f"{server}/ua?x=1", local)

"""fetch against a misbehaving local server: slow drips, non-ASCII URLs, bad redirects."""

import time
from http.server import BaseHTTPRequestHandler

import pytest
from tests.conftest import local_server, time_bound

from storyline.errors import FetchError, FormatError, UnsafeURLError
from storyline.ingest import fetch, read_url
from storyline.service.options import fetch_options, read_options
from storyline.settings import load_settings

TEST_SECONDS = 20  # no test here may hang: an alarm fails it after this long
TIMEOUT = 1.0  # fetch_timeout of these tests; a slow server must be abandoned within +1 s
# The slow server's pace: issue #9's one byte a second, scaled to this timeout and faster than
# it, so no single read ever times out and only a deadline for the whole request stops it.
DRIP_SECONDS = TIMEOUT / 4

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    "<item><title>Bridge opens</title><link>http://example.com/a</link>"
    "<description>The bridge opened on Monday after two years of work.</description></item>"
    "</channel></rss>"
)


class _Hostile(BaseHTTPRequestHandler):
    seen: list[str] = []

    def log_message(self, *args):
        pass

    def _drip(self, data: bytes) -> None:
        try:
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(DRIP_SECONDS)
        except OSError:
            pass  # the client gave up, as it should

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self.seen.append(self.path)
        if self.path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            return self._drip(b"X-Slow: " + b"s" * 600 + b"\r\n\r\n")
        if self.path == "/drip-body":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 600\r\n\r\n")
            return self._drip(b"b" * 600)
        if self.path == "/drip-body-unsized":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
            return self._drip(b"b" * 600)
        if self.path.startswith("/slow-hop/"):
            left = int(self.path.rsplit("/", 1)[1])
            time.sleep(TIMEOUT / 2)  # each hop alone is within the timeout, all four are not
            if left == 0:
                return self._send(200, b"end")
            return self._send(302, headers=[("Location", f"/slow-hop/{left - 1}")])
        if self.path == "/caf%C3%A9":
            return self._send(200, b"accent")
        if self.path == "/to-accent":
            # a raw UTF-8 Location, as servers send it (send_header encodes as Latin-1)
            return self._send(302, headers=[("Location", "/café".encode().decode("latin-1"))])
        if self.path == "/to-bad-ipv6":
            return self._send(302, headers=[("Location", "http://[::1/feed")])
        if self.path == "/to-bad-port":
            return self._send(302, headers=[("Location", "http://example.com:99999/")])
        if self.path == "/utf16-entity-feed":
            feed = FEED.replace(
                '<?xml version="1.0"?>',
                '<?xml version="1.0" encoding="utf-16"?>'
                '<!DOCTYPE rss [<!ENTITY big "expanded expanded expanded">]>',
            ).replace("after two years", "&big;")
            body = feed.encode("utf-16-le")  # no byte-order mark
            return self._send(200, body, [("Content-Type", "application/rss+xml")])
        return self._send(404, b"not here")


@pytest.fixture(scope="module")
def server():
    with local_server(_Hostile) as url:
        yield url


@pytest.fixture(autouse=True)
def _time_bound():
    with time_bound(TEST_SECONDS):
        yield


READ = read_options(load_settings({"max_bytes": 100_000}))  # as the fetch cap below


@pytest.fixture
def local():
    return fetch_options(load_settings(
        {"allow_private_urls": True, "fetch_timeout": TIMEOUT, "host_delay": 0.0,
         "max_bytes": 100_000}
    ))


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body", "/drip-body-unsized"])
def test_slow_drip_is_abandoned_on_one_deadline(server, local, path):
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{server}{path}", local)
    assert time.monotonic() - start < TIMEOUT + 1.0


def test_one_deadline_spans_every_redirect_hop(server, local):
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{server}/slow-hop/3", local)
    assert time.monotonic() - start < TIMEOUT + 1.0


def test_non_ascii_path_is_percent_encoded(server, local):
    assert fetch(f"{server}/café", local).body == b"accent"


def test_non_ascii_redirect_location(server, local):
    result = fetch(f"{server}/to-accent", local)
    assert result.body == b"accent" and result.final_url == f"{server}/caf%C3%A9"


@pytest.mark.parametrize("path", ["/to-bad-ipv6", "/to-bad-port"])
def test_malformed_redirect_is_a_coded_error(server, local, path):
    with pytest.raises(UnsafeURLError, match="malformed URL") as err:
        fetch(f"{server}{path}", local)
    assert err.value.code == "E401"


def test_link_local_is_named_link_local(server):
    strict = fetch_options(load_settings({"allow_private_urls": False, "host_delay": 0.0}))
    with pytest.raises(UnsafeURLError, match="is a link-local address"):
        fetch("http://169.254.169.254/latest/meta-data/", strict)
    with pytest.raises(UnsafeURLError, match="is a link-local address"):
        fetch("http://[fe80::1]/", strict)


def test_entity_in_bomless_utf16_feed_is_refused(server, local):
    with pytest.raises(FormatError, match="ENTITY"):
        list(read_url(f"{server}/utf16-entity-feed", READ, local))

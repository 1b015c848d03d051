"""URLs as fetch sends them: IDNA hosts, percent-encoded paths, malformed URLs as coded errors."""

import pytest

from storyline.errors import UnsafeURLError
from storyline.ingest.wire import redirect_url, request_path, target, wire_url


@pytest.mark.parametrize(
    ("url", "wire"),
    [
        ("http://example.com", "http://example.com/"),
        ("HTTPS://Example.COM:8443/a?b=1#frag", "https://example.com:8443/a?b=1"),
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
        ("http://example.com/café/ü?q=ß", "http://example.com/caf%C3%A9/%C3%BC?q=%C3%9F"),
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://example.com/already%20escaped", "http://example.com/already%20escaped"),
        ("http://user:pw@example.com/", "http://example.com/"),  # user info is never sent
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_wire_url_is_ascii_and_keeps_meaning(url, wire):
    assert wire_url(url) == wire
    assert wire_url(url).isascii()


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1/feed",  # unclosed IPv6 bracket
        "http://[not-ipv6]/",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://exa\x00mple.com/",
        "http://a..b/".replace("a..b", "é..b"),  # an empty IDNA label
        "http://example.com/\udc80",  # a lone surrogate has no UTF-8 form
        "ftp://example.com/",
        "http:///nohost",
    ],
)
def test_malformed_urls_are_coded_errors(url):
    with pytest.raises(UnsafeURLError) as err:
        wire_url(url)
    assert err.value.code == "E401"


def test_redirect_location_utf8_bytes_and_relative():
    base = "http://example.com/dir/page"
    # http.client hands header bytes over decoded as Latin-1
    raw = "/neu/straße".encode().decode("latin-1")
    assert redirect_url(base, raw) == "http://example.com/neu/stra%C3%9Fe"
    assert redirect_url(base, "other") == "http://example.com/dir/other"
    assert redirect_url(base, "//bücher.example/x") == "http://xn--bcher-kva.example/x"
    latin1 = "/caf\xe9"  # a lone 0xE9 byte is not UTF-8: kept as the character it reads as
    assert redirect_url(base, latin1) == "http://example.com/caf%C3%A9"
    with pytest.raises(UnsafeURLError):
        redirect_url(base, "http://[::1/x")


def test_target_and_request_path():
    url = wire_url("https://example.com/a b?x=1")
    assert target(url) == ("https", "example.com", 443)
    assert request_path(url) == "/a%20b?x=1"

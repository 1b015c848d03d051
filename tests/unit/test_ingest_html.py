"""HTML pages: metadata, charset detection, truncated pages, pages without an article."""

from pathlib import Path

import pytest

from storyline.errors import NoMainTextError
from storyline.ingest.html import decode_html, fragment_text, parse_html
from storyline.service.options import read_options
from storyline.settings import load_settings

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture
def options():
    return read_options(load_settings())


def test_page_metadata_and_main_text(options):
    article = parse_html(
        (DATA / "page.html").read_bytes(), options, url="https://www.example.com/b"
    )
    assert article.title.startswith("Bridge opens downtown")
    assert article.outlet == "Example Daily"
    assert article.author == "Jane Roe"
    assert article.published.date().isoformat() == "2021-05-03"
    assert article.text.startswith("The new bridge opened on Monday")
    assert "\u201cIt is a good day for the city,\u201d" in article.text
    assert "Home" not in article.text and "Copyright" not in article.text
    assert article.url == "https://www.example.com/b"


def test_outlet_falls_back_to_url_host(options):
    html = (
        "<html><body><article><p>The council met on Tuesday and voted to rename the old "
        "market square after a local teacher, officials said.</p></article></body></html>"
    )
    article = parse_html(html, options, url="https://www.town-news.example/2022/06/07/square")
    assert article.outlet in ("town-news.example", "www.town-news.example")
    assert article.published.date().isoformat() == "2022-06-07"


def test_charset_detection():
    assert decode_html("<meta charset='windows-1252'>caf\u00e9 \u2014".encode("cp1252")).endswith(
        "caf\u00e9 \u2014"
    )
    assert (
        decode_html("caf\u00e9".encode("latin-1"), "text/html; charset=ISO-8859-1") == "caf\u00e9"
    )
    assert decode_html("\ufeffcaf\u00e9".encode("utf-16")) == "caf\u00e9"
    assert decode_html("caf\u00e9".encode()) == "caf\u00e9"
    assert decode_html(b"caf\xe9 undeclared") == "caf\u00e9 undeclared"  # windows-1252 fallback


def test_truncated_html_parses_what_exists(options):
    article = parse_html((DATA / "truncated.html").read_bytes(), options, source="truncated.html")
    assert article.text.startswith("The ferry service resumed on Monday")


def test_page_without_article_is_no_main_text(options):
    with pytest.raises(NoMainTextError) as err:
        parse_html((DATA / "nomain.html").read_bytes(), options, source="nomain.html")
    assert err.value.code == "E105" and "nomain.html" in str(err.value)


def test_fragment_text():
    assert (
        fragment_text("<p>One <b>two</b></p><script>x()</script><p>Three</p>") == "One two\n\nThree"
    )
    assert fragment_text("plain &amp; simple") == "plain &amp; simple"

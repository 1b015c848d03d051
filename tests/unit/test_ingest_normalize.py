"""Text normalisation, ids, URL/date helpers and make_article."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from storyline.ingest.normalize import (
    article_id,
    date_from_url,
    detect_language,
    make_article,
    normalize_text,
    outlet_from_url,
    parse_date,
)
from storyline.service.options import read_options
from storyline.settings import load_settings


@pytest.fixture
def options():
    return read_options(load_settings())


def test_normalize_text_cleans_and_keeps_quotes():
    raw = "Cafe\u0301 said \u201chello\u201d\r\nline two  \t\rthree\x00\x07\n\n\n\n\nfour\u00a0"
    assert normalize_text(raw) == "Caf\u00e9 said \u201chello\u201d\nline two\nthree\n\nfour"


def test_normalize_text_is_idempotent():
    raw = "  A\r\n\r\n\r\n\r\nB\u2028C\ufeff \n"
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert once == "A\n\nB\nC"


def test_article_id_is_stable_and_content_based():
    assert article_id("Hello world") == article_id("Hello world \r\n")
    assert article_id("Hello world") != article_id("Hello world!")
    ident = article_id("Hello world")
    assert ident.startswith("a") and len(ident) == 17
    int(ident[1:], 16)


def test_outlet_from_url():
    assert outlet_from_url("https://WWW.Example.COM/a/b") == "example.com"
    assert outlet_from_url("http://news.bbc.co.uk:8080/x") == "news.bbc.co.uk"
    assert outlet_from_url("not a url") == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://sputniknews.com/middleeast/202002101078277507-us-troops/", (2020, 2, 10)),
        ("https://example.com/2019/12/31/story.html", (2019, 12, 31)),
        ("https://example.com/news/2018-04-17-summit", (2018, 4, 17)),
        ("https://example.com/a/20170102/b", (2017, 1, 2)),
        ("https://example.com/1850/01/01/old", None),
        ("https://example.com/2999/01/01/future", None),
        ("https://example.com/2020/13/45/bad", None),
        ("https://example.com/article/123456", None),
    ],
)
def test_date_from_url(url, expected):
    got = date_from_url(url)
    assert ((got.year, got.month, got.day) if got else None) == expected
    assert got is None or got.tzinfo is not None


def test_parse_date_formats_and_absurd_values():
    assert parse_date("2020-02-10T12:30:00Z") == datetime(2020, 2, 10, 12, 30, tzinfo=UTC)
    assert parse_date("Mon, 10 Feb 2020 12:30:00 +0100") == datetime(
        2020, 2, 10, 11, 30, tzinfo=UTC
    )
    assert parse_date("February 10, 2020").date().isoformat() == "2020-02-10"
    assert parse_date("2020-02-10").tzinfo is not None
    for absurd in ("1970-01-01T00:00:00Z", "3000-01-01", "yesterday-ish", "", None):
        assert parse_date(absurd) is None


def test_detect_language():
    english = "The president said on Tuesday that talks with the union would continue. " * 3
    french = "Le président a déclaré mardi que les discussions avec le syndicat continueraient. "
    assert detect_language(english) == "en"
    assert detect_language(french * 3) == "fr"
    assert detect_language("The president said on Tuesday that talks would continue.") == ""


def test_make_article_normalises_once_and_caps(options):
    small = replace(options, max_chars=20)
    article = make_article(
        "Line one here.\r\nLine two is long enough.", small, url="https://www.x.org/p"
    )
    assert article.text == "Line one here.\nLine"
    assert article.get("truncated") == "true"
    assert article.id == article_id(article.text)
    assert article.outlet == "x.org"
    full = make_article("Line one here.\r\nLine two is long enough.", options)
    assert full.get("truncated") == "" and full.text == "Line one here.\nLine two is long enough."

"""RSS/Atom feeds and OPML lists, including malformed and entity-expansion inputs."""

from pathlib import Path

import pytest

from storyline.errors import FormatError
from storyline.ingest import Skip
from storyline.ingest.feeds import parse_feed
from storyline.ingest.opml import parse_opml
from storyline.model import Article
from storyline.service.options import read_options
from storyline.settings import load_settings

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture
def options():
    return read_options(load_settings())


def test_rss_entries_become_articles(options):
    items = list(parse_feed((DATA / "feed.rss").read_bytes(), options, source="feed.rss"))
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == 2
    first = articles[0]
    assert first.title == "Bridge opens downtown"
    assert (
        first.text
        == "The new bridge opened on Monday, the mayor said.\n\nIt cost 40 million euros."
    )
    assert first.url == "https://www.example.com/2021/05/03/bridge"
    assert first.outlet == "example.com"
    assert first.published.isoformat() == "2021-05-03T09:30:00+00:00"
    assert "City Desk" in first.author
    assert articles[1].text == articles[1].title == "Council votes to rename the square"
    assert items[2] == Skip("feed.rss", 3, "feed entry has neither text nor title")


def test_atom_entry(options):
    (article,) = parse_feed((DATA / "feed.atom").read_bytes(), options)
    assert article.title == "Ferry service resumes"
    assert article.text.startswith("The ferry service resumed on Monday")
    assert article.author == "Ann Writer" and article.outlet == "atom.example.net"


def test_malformed_feed_is_a_format_error(options):
    with pytest.raises(FormatError) as err:
        list(parse_feed((DATA / "malformed.xml").read_bytes(), options, source="malformed.xml"))
    assert err.value.code == "E106" and "malformed.xml" in str(err.value)
    with pytest.raises(FormatError):
        list(parse_feed(b"just some words, not a feed", options))


def test_feed_with_entities_is_refused(options):
    with pytest.raises(FormatError, match="ENTITY"):
        list(parse_feed((DATA / "entity_feed.xml").read_bytes(), options))


def test_opml_lists_feed_urls_once():
    urls = parse_opml((DATA / "feeds.opml").read_bytes(), source="feeds.opml")
    assert urls == ["https://www.example.com/feed.rss", "https://atom.example.net/atom.xml"]


@pytest.mark.parametrize("name", ["bomb.opml", "broken.opml"])
def test_bad_opml_is_a_format_error(name):
    with pytest.raises(FormatError) as err:
        parse_opml((DATA / name).read_bytes(), source=name)
    assert name in str(err.value)


def test_opml_root_must_be_opml():
    with pytest.raises(FormatError, match="root"):
        parse_opml(b"<rss><channel/></rss>")

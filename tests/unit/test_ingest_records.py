"""JSONL and CSV dumps: good records, bad lines as Skips, real NewsWCL50 data."""

from pathlib import Path

import pytest

from storyline.ingest import Skip, read_path
from storyline.ingest.records import read_jsonl
from storyline.model import Article
from storyline.service.options import read_options
from storyline.settings import load_settings

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture
def options():
    return read_options(load_settings())


def _split(items):
    articles = [i for i in items if isinstance(i, Article)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert len(articles) + len(skips) == len(items)
    return articles, skips


def test_jsonl_good_and_bad_lines(options):
    articles, skips = _split(list(read_path(DATA / "records.jsonl", options)))
    assert [a.get("source_id") for a in articles] == ["r1", "r2", "r6", "r7"]
    assert {s.line: s.reason.split(" ")[0] for s in skips} == {
        3: "invalid",
        4: "duplicate",
        5: "record",
        6: "expected",
    }
    first = articles[0]
    assert first.title == "Bridge opens downtown" and first.outlet == "Example Daily"
    assert first.published.isoformat() == "2021-05-03T09:30:00+00:00"
    assert first.get("story") == "s1" and first.get("leaning") == "M"
    assert first.get("tags") == '["city", "roads"]'
    assert first.source.endswith("records.jsonl")
    epoch = articles[1]
    assert epoch.published is None and epoch.outlet == "news.example.org"
    headline = articles[2]
    assert headline.text == headline.title == "Headline only: council votes to rename the square"
    assert headline.published is None
    assert articles[3].published is None and articles[3].title == ""


def test_jsonl_one_bad_line_never_stops(options):
    lines = ['{"id": 1, "text": "One article body here."}', "{oops", '{"id": 2, "text": "Two."}']
    articles, skips = _split(list(read_jsonl(lines, options, source="mem")))
    assert len(articles) == 2 and skips == [Skip("mem", 2, skips[0].reason)]
    assert articles[0].get("source_id") == "1"


def test_csv_with_semicolons_quotes_and_bad_rows(options):
    articles, skips = _split(list(read_path(DATA / "records.csv", options)))
    assert [a.get("source_id") for a in articles] == ["c1", "c3"]
    assert articles[0].text == (
        'The bridge opened on Monday; the mayor said "it is a good day".\n'
        "A second line inside the cell."
    )
    assert articles[0].published.date().isoformat() == "2021-05-03"
    assert articles[1].text == "Only a headline here"
    assert articles[1].published.isoformat() == "2021-05-03T10:00:00+00:00"
    assert articles[1].get("leaning") == "R"
    reasons = sorted(s.reason.split(" ")[0] for s in skips)
    assert reasons == ["2", "duplicate", "record"]  # "2 cells for 7 columns"


def test_newswcl50_reads_45_labelled_articles(options):
    path = SHARED / "newswcl50" / "articles.jsonl"
    if not path.exists():
        pytest.skip("shared data missing")
    articles, skips = _split(list(read_path(path, options)))
    assert len(articles) == 45 and not skips
    assert all(a.get("story") for a in articles)
    assert len({a.get("story") for a in articles}) == 9
    assert len({a.id for a in articles}) == 45

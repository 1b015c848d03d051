"""Plain-text articles, including the two founding seed files."""

from pathlib import Path

import pytest

from storyline.errors import EmptyInputError
from storyline.ingest.normalize import article_id, normalize_text
from storyline.ingest.text import parse_text
from storyline.service.options import read_options
from storyline.settings import load_settings

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"


@pytest.fixture
def options():
    return read_options(load_settings())


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed file missing: {path}")
    return path.read_text(encoding="utf-8")


def test_first_seed_has_url_line_and_no_headline(options):
    raw = _seed("000_63e7cd1a6ad879a8.txt")
    article = parse_text(raw, options, source="seed0")
    assert article.title == ""
    assert article.url == (
        "https://sputniknews.com/middleeast/202002101078277507-us-troops-already-started-"
        "leaving-iraq-countrys-lawmaker-reportedly-says/"
    )
    assert article.outlet == "sputniknews.com"
    assert article.published.date().isoformat() == "2020-02-10"
    assert article.text.startswith("The Iraqi Parliament earlier voted")
    assert "Content retrieved from" not in article.text
    assert article.text.endswith("Iraqi lawmakers disagreed.")
    assert article.language == "en"


def test_second_seed_has_headline(options):
    raw = _seed("001_3fe7b2294ab71dad.txt")
    article = parse_text(raw, options)
    assert article.title == "Iraqi MP: US Troops Pullout Already Underway"
    assert article.outlet == "" and article.url == "" and article.published is None
    assert article.text.startswith("The United States has practically started")
    assert "\u201cThe US has started withdrawal" in article.text  # typographic quotes kept


def test_seed_text_is_normalised_and_id_stable(options):
    raw = _seed("000_63e7cd1a6ad879a8.txt")
    article = parse_text(raw, options)
    assert normalize_text(article.text) == article.text
    assert article.id == article_id(article.text)
    again = parse_text(raw.replace("\n", "\r\n"), options)
    assert again.id == article.id


def test_headline_rules(options):
    assert (
        parse_text("Short title\n\nBody sentence one. Body two.", options).title == "Short title"
    )
    assert parse_text("No full stop here\nBody sentence.", options).title == "No full stop here"
    plain = parse_text("A first sentence.\nA second sentence.", options)
    assert plain.title == "" and plain.text.startswith("A first sentence.")


def test_url_line_variants(options):
    article = parse_text(
        "Body text.\n\nContent retrieved from: http://www.ex.com/2021/01/02/a.", options
    )
    assert article.url == "http://www.ex.com/2021/01/02/a"
    assert article.outlet == "ex.com" and article.text == "Body text."


def test_empty_text_is_an_error(options):
    with pytest.raises(EmptyInputError):
        parse_text("\n \n", options, source="blank.txt")


def test_a_saved_pages_header_lines_are_its_metadata_not_its_headline(options):
    raw = ("Date: 2024-08-02\nTitle: Bridge opened at Marlbeck\nSource: https://news.example/b\n"
           "\nThe bridge over the river opened on Friday.\n")
    article = parse_text(raw, options)
    assert article.published.date().isoformat() == "2024-08-02"
    assert article.title == "Bridge opened at Marlbeck"
    assert article.url == "https://news.example/b" and article.outlet == "news.example"
    assert article.text == "The bridge over the river opened on Friday."
    dated = parse_text("Date: 2024-08-02\nThe bridge opened on Friday.", options)
    assert dated.published is not None and dated.title == ""
    assert dated.text == "The bridge opened on Friday."


@pytest.mark.parametrize("first", ["Date night: how to plan one", "Source: police sources",
                                   "Date: the day after"])
def test_a_line_that_only_looks_like_a_header_stays_text(options, first):
    article = parse_text(f"{first}\n\nThe body of the story is here.", options)
    assert article.published is None and article.url == ""
    assert article.title == first

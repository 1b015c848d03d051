"""read_path / read_article dispatch and the coded error of every bad-input kind."""

from dataclasses import replace
from pathlib import Path

import pytest

from storyline.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    FormatError,
    InputError,
    NoMainTextError,
    TooLargeError,
)
from storyline.ingest import Skip, Source, expand_sources, read_article, read_path
from storyline.model import Article
from storyline.service.options import read_options
from storyline.settings import load_settings

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture
def options():
    return read_options(load_settings())


BODY = "Short headline\n\nThe council met on Tuesday and voted to rename the square.\n"


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.txt", b"", EmptyInputError),
        ("blank.txt", b" \n\t\n", EmptyInputError),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), BinaryInputError),
        ("nul.txt", b"text\x00with\x00nuls", BinaryInputError),
        ("ctrl.txt", bytes([1, 2, 3, 4, 5, 6]) * 20 + b"abc", BinaryInputError),
        ("latin1.txt", "caf\u00e9 au lait, said the mayor.".encode("latin-1"), EncodingError),
        ("nomain.html", (DATA / "nomain.html").read_bytes(), NoMainTextError),
        ("list.opml", (DATA / "feeds.opml").read_bytes(), FormatError),
        ("two.jsonl", b'{"text": "One body."}\n{"text": "Two body."}\n', FormatError),
        ("bad.jsonl", b"{not json}\n", FormatError),
    ],
)
def test_bad_inputs_raise_coded_errors_naming_the_file(tmp_path, options, name, data, error):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as err:
        read_article(path, options)
    assert str(path) in str(err.value) and err.value.code.startswith("E1")


def test_missing_file(tmp_path, options):
    with pytest.raises(InputError) as err:
        read_article(tmp_path / "nope.txt", options)
    assert "nope.txt" in str(err.value) and "not found" in str(err.value)


def test_too_large_names_the_cap(tmp_path, options):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300)
    with pytest.raises(TooLargeError) as err:
        read_article(path, replace(options, max_bytes=1000))
    assert "1,000 bytes" in str(err.value) and str(path) in str(err.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_accepted_encodings(tmp_path, options, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(BODY.replace("square", "caf\u00e9 square").encode(encoding))
    article = read_article(path, options)
    assert article.title == "Short headline"
    assert article.text == "The council met on Tuesday and voted to rename the caf\u00e9 square."


def test_dispatch_by_extension_and_sniffing(tmp_path, options):
    assert read_article(DATA / "tiny.txt", options).title == "Short headline"
    assert read_article(DATA / "page.html", options).outlet == "Example Daily"
    sniffed = tmp_path / "page_without_extension"
    sniffed.write_bytes((DATA / "page.html").read_bytes())
    assert read_article(sniffed, options).outlet == "Example Daily"
    feed_items = list(read_path(DATA / "feed.rss", options))
    assert sum(isinstance(i, Article) for i in feed_items) == 2
    assert sum(isinstance(i, Skip) for i in feed_items) == 1
    jsonl = list(read_path(DATA / "records.jsonl", options))
    assert sum(isinstance(i, Article) for i in jsonl) == 4
    one = tmp_path / "one.json"
    one.write_text('{"id": "x", "title": "T", "text": "A body of text."}', encoding="utf-8")
    assert read_article(one, options).get("source_id") == "x"


def test_truncated_html_file(options):
    assert read_article(DATA / "truncated.html", options).text.startswith("The ferry service")


def test_expand_sources(tmp_path, options):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "list.opml").write_bytes((DATA / "feeds.opml").read_bytes())
    got = list(expand_sources([str(tmp_path), "https://example.org/feed", "ftp://x/y"], options))
    assert got == [
        Source("file", str(tmp_path / "a.txt"), origin=str(tmp_path)),
        Source("url", "https://www.example.com/feed.rss", origin=str(tmp_path / "list.opml")),
        Source("url", "https://atom.example.net/atom.xml", origin=str(tmp_path / "list.opml")),
        Source("file", str(tmp_path / "sub" / "b.txt"), origin=str(tmp_path)),
        Source("url", "https://example.org/feed"),
        Source("url", "ftp://x/y"),
    ]
    (skip,) = expand_sources([str(tmp_path / "missing")], options)  # a Skip, not a raise
    assert isinstance(skip, Skip) and "[E100]" in skip.reason and "missing" in skip.reason


def test_expand_sources_skips_what_it_cannot_expand(tmp_path, options):
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken.opml").write_bytes((DATA / "broken.opml").read_bytes())
    (tmp_path / "empty.xml").write_bytes(b"")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    got = list(expand_sources([str(tmp_path)], options))
    assert got[0] == Source("file", str(tmp_path / "a.txt"), origin=str(tmp_path))
    assert isinstance(got[1], Skip) and got[1].source == str(tmp_path / "broken.opml")
    # an empty .xml is not sniffed as OPML: it is read, and refused, with the other files
    assert got[2] == Source("file", str(tmp_path / "empty.xml"), origin=str(tmp_path))
    assert len(got) == 3
    (empty,) = expand_sources([str(tmp_path / "empty")], options)
    assert isinstance(empty, Skip) and "no files" in empty.reason


def test_json_is_sniffed_only_without_extension(tmp_path, options):
    record = '{"id": "j", "title": "T", "text": "A body of text from a record."}\n'
    bare = tmp_path / "dump"
    bare.write_text(record, encoding="utf-8")
    assert read_article(bare, options).get("source_id") == "j"
    as_text = tmp_path / "dump.txt"
    as_text.write_text(record, encoding="utf-8")
    assert read_article(as_text, options).text == record.strip()

"""Hostile reader inputs from issue #9: each ends in a coded error or a Skip, never a traceback."""

import pytest

from storyline.errors import FormatError
from storyline.ingest import Skip, read_path
from storyline.ingest.feeds import parse_feed
from storyline.ingest.opml import parse_opml
from storyline.ingest.records import read_jsonl
from storyline.model import Article
from storyline.service.options import read_options
from storyline.settings import load_settings

ITEM = (
    "<item><title>Bridge opens</title><link>http://example.com/a</link>"
    "<description>The bridge opened on Monday after two years of work.</description></item>"
)
RSS = '<?xml version="1.0"{enc}?>{doctype}<rss version="2.0"><channel><title>T</title>{items}' \
      "</channel></rss>"
ENTITY = '<!DOCTYPE rss [<!ENTITY big "expanded expanded">]>'
OPML = '<?xml version="1.0"{enc}?>{doctype}<opml><body><outline xmlUrl="http://e.com/f"/>' \
       "</body></opml>"


def rss(enc="", doctype="", items=ITEM):
    return RSS.format(enc=f' encoding="{enc}"' if enc else "", doctype=doctype, items=items)


@pytest.fixture
def options():
    return read_options(load_settings())


@pytest.mark.parametrize(
    ("reference", "becomes"),
    [
        ("&#1114112;", "\ufffd"),  # past U+10FFFF: feedparser raised ValueError
        ("&#x110000;", "\ufffd"),
        ("&#99999999999999999999;", "\ufffd"),  # OverflowError
        ("&#xD800;", "\ufffd"),  # a lone surrogate: UnicodeEncodeError
        ("&#55357;&#56832;", "\U0001f600"),  # an emoji as two UTF-16 references, as CMSs write
        ("&#xD83D;&#xDE00;", "\U0001f600"),
        ("&#233;", "\u00e9"),  # a good reference is left alone
    ],
)
def test_impossible_character_references_keep_the_feed(options, reference, becomes):
    second = ITEM.replace("Bridge opens", "Ferry returns").replace("/a", "/b")
    data = rss(items=ITEM.replace("Bridge opens", f"Bridge {reference} opens") + second)
    first, other = parse_feed(data.encode(), options, source="bad.rss")
    assert first.title == f"Bridge {becomes} opens" and other.title == "Ferry returns"


def test_declaration_in_non_utf8_bytes_is_a_coded_error(options):
    data = rss(enc="caf\xe9").encode("latin-1")
    with pytest.raises(FormatError):
        list(parse_feed(data, options))


@pytest.mark.parametrize(
    ("codec", "declared"),
    [
        ("utf-16-le", "utf-16"),  # no byte-order mark: the parser still reads it
        ("utf-16-be", "utf-16"),
        ("utf-32-le", "utf-32"),
        ("utf-32-be", "utf-32"),
        ("cp037", "cp037"),  # EBCDIC
        ("utf-8", "utf-8"),
    ],
)
def test_entity_refused_in_every_encoding(options, codec, declared):
    hostile = rss(enc=declared, doctype=ENTITY, items=ITEM.replace("two years", "&big;"))
    with pytest.raises(FormatError, match="ENTITY"):
        list(parse_feed(hostile.encode(codec), options))
    with pytest.raises(FormatError, match="DOCTYPE"):
        parse_opml(OPML.format(enc=f' encoding="{declared}"', doctype=ENTITY).encode(codec))
    # the same feed without the declaration reads fine in that encoding: no false refusal
    (article,) = parse_feed(rss(enc=declared).encode(codec), options)
    assert article.title == "Bridge opens"


def test_entity_hidden_by_a_declared_utf7_encoding_is_refused(options):
    head = '<?xml version="1.0" encoding="utf-7"?>'
    # "+ADwAIQ-" is "<!" in UTF-7 (base64 of UTF-16): a byte search alone would miss it
    body = '+ADwAIQ-DOCTYPE rss [+ADwAIQ-ENTITY big "x">]><rss version="2.0"><channel/></rss>'
    data = (head + body).encode("ascii")
    assert "<!ENTITY" in data.decode("utf-7") and b"<!" not in data
    with pytest.raises(FormatError, match="ENTITY"):
        list(parse_feed(data, options))


def test_deeply_nested_jsonl_line_is_a_skip_and_earlier_records_are_kept(options):
    lines = [
        '{"id": "1", "text": "The bridge opened on Monday."}',
        "[" * 1000 + "]" * 1000,
        '{"id": "3", "text": "x", "extra": ' + "[" * 990 + "]" * 990 + "}",
        '{"id": "4", "text": "The ferry runs again."}',
    ]
    items = list(read_jsonl(lines, options, source="deep.jsonl"))
    assert [i.text for i in items if isinstance(i, Article)][0] == "The bridge opened on Monday."
    assert items[1] == Skip("deep.jsonl", 2, "JSON nested too deeply to be an article record")
    assert isinstance(items[-1], Article) and items[-1].text == "The ferry runs again."


def test_deeply_nested_json_file_is_a_coded_error(tmp_path, options):
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(FormatError, match="nested too deeply"):
        list(read_path(path, options))


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_an_over_long_dump_line_is_skipped_in_bounded_memory(tmp_path, suffix):
    import tracemalloc

    cap = 50_000
    small = read_options(load_settings({"max_bytes": cap}))
    good = '{"id": "2", "text": "The ferry runs again."}'
    long_line = '{"id": "1", "text": "' + "x" * (40 * cap) + '"}'
    if suffix == ".csv":
        good, long_line = '2,"The ferry runs again."', '1,"' + "x" * (40 * cap) + '"'
        long_line = "id,text\n" + long_line
    path = tmp_path / f"dump{suffix}"
    path.write_text(long_line + "\n" + good + "\n", encoding="utf-8")
    tracemalloc.start()
    items = list(read_path(path, small))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(items[0], Skip)
    assert [i.text for i in items if isinstance(i, Article)] == ["The ferry runs again."]
    assert peak < 10 * cap  # the 2 MB line was never held whole


def _codec_names() -> list[str]:
    from encodings.aliases import aliases

    return sorted(set(aliases.values()))


@pytest.mark.parametrize("name", _codec_names())
def test_any_declared_charset_gives_an_article_or_a_coded_error(options, name):
    from storyline.errors import StorylineError
    from storyline.ingest.html import parse_html

    body = "<article><p>The council voted on Monday to close the old bridge, the mayor said.</p>"
    pages = [
        (f'<html><head><meta charset="{name}"></head><body>{body}</body></html>', ""),
        (f"<html><body>{body}</body></html>", f"text/html; charset={name}"),
    ]
    for page, content_type in pages:
        try:  # base64, rot13, idna, undefined... name codecs that are no document charset
            assert isinstance(parse_html(page.encode(), options, content_type=content_type),
                              Article)
        except StorylineError:
            pass


def test_control_characters_beside_block_elements_in_feed_markup(options):
    from storyline.ingest.html import fragment_text

    # found by benchmarks/fuzz_readers.py: lxml parsed these, then refused the block-break tail
    assert fragment_text("a <br/> \x04b").split() == ["a", "b"]
    assert fragment_text("<p>x</p>a\x01b<p>y</p>").split() == ["x", "aby"]
    title = "Headline <br/> \x04with a control byte"
    (article,) = parse_feed(rss(items=ITEM.replace("Bridge opens", title)).encode(), options)
    assert article.title == "Headline with a control byte"


def test_a_url_that_does_not_parse_is_kept_aside(tmp_path, options):
    path = tmp_path / "story.txt"
    path.write_text("Headline\n\nThe bridge opened.\n\nContent retrieved from: http://[::1/.\n")
    (article,) = read_path(path, options)
    assert article.url == "" and article.get("unparsed_url") == "http://[::1/"


@pytest.mark.parametrize("markup", ["<html>", "x <html> y", "<html><body>a</body></html>"])
def test_fragment_holding_an_html_element(markup, options):
    from storyline.ingest.html import fragment_text

    # found by benchmarks/fuzz_readers.py: lxml asserted "too many bodies" on these
    assert "<" not in fragment_text(markup)
    data = rss(items=ITEM.replace("two years of work", f"work {markup.replace('<', '&lt;')}"))
    (article,) = parse_feed(data.encode(), options)
    assert "<html" not in article.text

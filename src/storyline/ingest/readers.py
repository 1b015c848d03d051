"""Reading articles from a file or a URL, dispatching on the input kind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from storyline.errors import EmptyInputError, EncodingError, FormatError, InputError
from storyline.ingest.decode import check_not_binary, decode_text, read_bytes
from storyline.ingest.feeds import parse_feed
from storyline.ingest.fetch import FetchResult, fetch
from storyline.ingest.html import parse_html
from storyline.ingest.normalize import outlet_from_url
from storyline.ingest.options import FetchOptions, ReadOptions
from storyline.ingest.records import TOO_DEEP, read_csv, read_jsonl, record_or_skip
from storyline.ingest.skips import Skip
from storyline.ingest.sources import kind_of_path, sniff_kind
from storyline.ingest.text import parse_text
from storyline.model import Article

# Record dumps are streamed line by line rather than read whole under the max_bytes cap.
EXTENSION_KINDS_STREAMED = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv"}


_OPML_HINT = "an OPML file lists feeds: pass it to `ingest`, which fetches each feed"


def _json_records(text: str, options: ReadOptions, source: str) -> Iterator[Article | Skip]:
    """A .json file: one record object, or a list of them (else read as JSON Lines)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        yield from read_jsonl(text.splitlines(), options, source=source)
        return
    except RecursionError:
        raise FormatError(TOO_DEEP, path=source) from None
    records = data if isinstance(data, list) else [data]
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            yield record_or_skip(record, options, source=source, line=number, seen=seen)
        else:
            yield Skip(source, number, f"expected a JSON object, got {type(record).__name__}")


def _read_dump_lines(path: Path, options: ReadOptions) -> Iterator[str]:
    """Lines of a record dump, streamed (dumps may exceed max_bytes; each line is capped).

    A line longer than the cap is yielded cut at cap + 1 characters (so the reader skips it
    for its length) and the rest of it is read and dropped piece by piece: memory stays
    bounded by the cap however long a line is.
    """
    cap = options.max_bytes
    with open(path, encoding="utf-8-sig", newline="") as fh:
        try:
            while line := fh.readline(cap + 1):
                if len(line) > cap and not line.endswith(("\n", "\r")):
                    while (rest := fh.readline(cap + 1)) and not rest.endswith(("\n", "\r")):
                        pass
                yield line
        except UnicodeDecodeError as exc:
            raise EncodingError(f"not valid UTF-8 ({exc.reason})", path=str(path)) from None


def read_path(path: Path, options: ReadOptions) -> Iterator[Article | Skip]:
    """Articles (and Skips for bad records) from one file, by extension and sniffing.

    File-level problems (missing, empty, binary, bad encoding, too large, no main text) raise
    coded errors naming the file; a bad record inside a dump or feed is yielded as a Skip.
    """
    path = Path(path)
    where = str(path)
    streamed = EXTENSION_KINDS_STREAMED.get(path.suffix.lower())
    if streamed is not None:
        yield from _read_dump(path, streamed, options)
        return
    data = read_bytes(path, options)
    kind = kind_of_path(path, data)
    if kind == "html":
        yield parse_html(data, options, source=where)
    elif kind == "feed":
        check_not_binary(data, where)
        yield from parse_feed(data, options, source=where)
    elif kind == "opml":
        raise FormatError("is an OPML feed list, not an article", hint=_OPML_HINT, path=where)
    elif kind == "jsonl":
        yield from read_jsonl(decode_text(data, where).splitlines(), options, source=where)
    elif kind == "json":
        yield from _json_records(decode_text(data, where), options, where)
    else:
        yield parse_text(decode_text(data, where), options, source=where)


def _read_dump(path: Path, kind: str, options: ReadOptions) -> Iterator[Article | Skip]:
    where = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8_192)
    except FileNotFoundError:
        raise InputError("file not found", hint="check the path", path=where) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=where) from None
    if not head.strip():
        raise EmptyInputError("file is empty", path=where)
    check_not_binary(head, where)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise EncodingError("record dumps must be UTF-8, not UTF-16", path=where)
    lines = _read_dump_lines(path, options)
    if kind == "csv":
        yield from read_csv(lines, options, source=where)
    else:
        yield from read_jsonl(lines, options, source=where)


def read_article(path: Path, options: ReadOptions) -> Article:
    """Exactly one article from a file; coded errors name the file for anything else."""
    where = str(path)
    articles: list[Article] = []
    skips: list[Skip] = []
    for item in read_path(Path(path), options):
        (articles if isinstance(item, Article) else skips).append(item)
        if len(articles) > 1:
            raise FormatError(
                "holds more than one article",
                hint="use `ingest` for files with several articles",
                path=where,
            )
    if not articles:
        if skips:
            raise FormatError(
                f"no readable article (line {skips[0].line}: {skips[0].reason})", path=where
            )
        raise EmptyInputError("holds no article", path=where)
    return articles[0]


def read_fetched(result: FetchResult, options: ReadOptions) -> Iterator[Article | Skip]:
    """Articles from a fetched body: a feed or an HTML page (by content type and sniffing)."""
    if result.not_modified:
        return
    where = result.final_url
    if not result.body.strip():
        raise EmptyInputError("the server sent an empty body", path=where)
    content_type = result.content_type.lower()
    default = "feed" if any(k in content_type for k in ("rss", "atom", "xml")) else "html"
    if "text/plain" in content_type:
        default = "text"
    kind = sniff_kind(result.body, default)
    if kind == "feed":
        yield from parse_feed(result.body, options, source=where)
    elif kind == "opml":
        raise FormatError("is an OPML feed list, not a feed", hint=_OPML_HINT, path=where)
    elif kind == "text":
        article = parse_text(decode_text(result.body, where), options, source=where)
        yield article if article.url else _with_url(article, result.final_url)
    else:
        yield parse_html(
            result.body,
            options,
            url=result.final_url,
            source=where,
            content_type=result.content_type,
        )


def _with_url(article: Article, url: str) -> Article:
    return replace(article, url=url, outlet=article.outlet or outlet_from_url(url))


def read_url(
    url: str, options: ReadOptions, fetching: FetchOptions
) -> Iterator[Article | Skip]:
    """Fetch a URL (safely, see fetch.py) and read it as a feed or an HTML page."""
    yield from read_fetched(fetch(url, fetching), options)

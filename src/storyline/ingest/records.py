"""JSONL and CSV article dumps (fields id, title, text, url, outlet, published, language, story).

Every other field is kept in ``Article.extra`` as a string pair, as are ("story", ...) and
("source_id", <the input id>). A bad line becomes a ``Skip`` and never stops the file.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from storyline.ingest.normalize import make_article, normalize_text, parse_date
from storyline.ingest.options import ReadOptions
from storyline.ingest.skips import Skip
from storyline.model import Article

# The fields the schema maps onto Article; everything else goes to Article.extra.
KNOWN_FIELDS = ("id", "title", "text", "url", "outlet", "published", "language", "story")
CSV_DELIMITERS = ",;\t|"  # the delimiters seen in the wild, told apart by the header line
# Python's json recurses once per nesting level; no article record nests more than a few.
TOO_DEEP = "JSON nested too deeply to be an article record"


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def record_to_article(
    record: dict[str, Any], options: ReadOptions, *, source: str, line: int, seen: set[str]
) -> Article | Skip:
    """One record -> an Article, or a Skip naming why it cannot be one."""
    input_id = _as_text(record.get("id")).strip()
    if input_id and input_id in seen:
        return Skip(source, line, f"duplicate id {input_id!r}")
    title = _as_text(record.get("title")).strip()
    text = _as_text(record.get("text"))
    # judged on the normalised text: a BOM or control characters alone are no text
    if not normalize_text(text):
        if not normalize_text(title):
            return Skip(source, line, "record has neither text nor title")
        text = title  # headline-only records (e.g. aggregator dumps) are analysed as headlines
    if input_id:
        seen.add(input_id)
    extra = [(str(k), _as_text(v)) for k, v in record.items() if k not in KNOWN_FIELDS]
    story = _as_text(record.get("story")).strip()
    if story:
        extra.append(("story", story))
    if input_id:
        extra.append(("source_id", input_id))
    return make_article(
        text,
        options,
        title=title,
        url=_as_text(record.get("url")),
        outlet=_as_text(record.get("outlet")),
        published=parse_date(record.get("published")),  # absurd or missing: None
        language=_as_text(record.get("language")),
        source=source,
        extra=tuple(extra),
    )


def read_jsonl(
    lines: Iterable[str], options: ReadOptions, *, source: str = ""
) -> Iterator[Article | Skip]:
    """Articles (or Skips) from JSON Lines, one object per line; blank lines are ignored."""
    seen: set[str] = set()
    cap = options.max_bytes
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > cap:
            yield Skip(source, number, f"line longer than the cap of {cap:,} bytes")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(source, number, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield Skip(source, number, TOO_DEEP)
            continue
        if not isinstance(record, dict):
            yield Skip(source, number, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield record_or_skip(record, options, source=source, line=number, seen=seen)


def record_or_skip(
    record: dict[str, Any], options: ReadOptions, *, source: str, line: int, seen: set[str]
) -> Article | Skip:
    """``record_to_article``, with a record nested too deeply to re-serialise as a Skip."""
    try:
        return record_to_article(record, options, source=source, line=line, seen=seen)
    except RecursionError:  # json.dumps of a field nested close to the parser's own limit
        return Skip(source, line, TOO_DEEP)


def _delimiter(header: str) -> str:
    """The delimiter the header line uses most (csv.Sniffer misreads quoting from one line)."""
    counts = {d: header.count(d) for d in CSV_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# Stands in for a line longer than the cap: one empty cell, or an escaped quote inside a
# quoted cell, so the parser's quoting state is the same as if the line had not been there.
_OVERLONG_STAND_IN = '""\n'


def _capped(lines: Iterable[str], cap: int, overlong: list[int]) -> Iterator[str]:
    """The lines, with each one longer than ``cap`` replaced and its number noted."""
    for number, line in enumerate(lines, start=1):
        if len(line) > cap:
            overlong.append(number)
            line = _OVERLONG_STAND_IN
        yield line


def read_csv(
    lines: Iterable[str], options: ReadOptions, *, source: str = ""
) -> Iterator[Article | Skip]:
    """Articles (or Skips) from CSV lines with a header row; the delimiter is sniffed.

    Pass a file opened with ``newline=""`` (or ``str.splitlines(keepends=True)``) so quoted
    cells may hold line breaks. A row spanning a line longer than ``max_bytes`` is a Skip.
    """
    cap = options.max_bytes
    overlong: list[int] = []
    rows = _capped(lines, cap, overlong)
    first = next(rows, None)
    if first is None:
        return
    # No cell may be larger than an input may be; csv's limit is process-wide, set per read.
    csv.field_size_limit(cap)
    reader = csv.reader(itertools.chain([first], rows), delimiter=_delimiter(first))
    seen: set[str] = set()
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except csv.Error as exc:
        yield Skip(source, 1, f"unreadable CSV header: {exc}")
        return
    if overlong:
        yield Skip(source, 1, f"CSV header longer than the cap of {cap:,} bytes")
        return
    if "text" not in header and "title" not in header:
        yield Skip(source, 1, "CSV header has neither a 'text' nor a 'title' column")
        return
    while True:
        start = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Skip(source, reader.line_num, f"unreadable CSV row: {exc}")
            continue
        if overlong and overlong[-1] > start:  # the row spans a line that was left out
            yield Skip(source, reader.line_num, f"line longer than the cap of {cap:,} bytes")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Skip(source, reader.line_num, f"{len(row)} cells for {len(header)} columns")
            continue
        record = dict(zip(header, row, strict=True))
        yield record_or_skip(record, options, source=source, line=reader.line_num, seen=seen)

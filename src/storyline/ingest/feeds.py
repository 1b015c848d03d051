"""RSS and Atom feeds (from bytes, never from a URL): each entry becomes an Article."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from storyline.errors import FormatError
from storyline.ingest.html import fragment_text
from storyline.ingest.normalize import make_article, outlet_from_url, parse_date
from storyline.ingest.options import ReadOptions
from storyline.ingest.skips import Skip
from storyline.ingest.xmlguard import refuse_declarations
from storyline.model import Article


def _entry_text(entry: Any) -> str:
    """The fullest text an entry carries: its content, else its summary, as plain text."""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return fragment_text(value)
    return fragment_text(entry.get("summary") or entry.get("description") or "")


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            # feedparser's struct_time is in UTC
            return parse_date(datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC))
    for key in ("published", "updated", "created"):
        if entry.get(key):
            return parse_date(entry.get(key))
    return None


# Numeric character references: CMSs write emoji as two UTF-16 surrogate references
# ("&#55357;&#56832;"), and a reference past U+10FFFF or to a lone surrogate makes feedparser's
# fallback parser raise. Repairing them keeps the feed's other entries.
_SURROGATE_PAIR = re.compile(
    rb"&#(?:[xX](d[89ab][0-9a-f]{2})|(5[56][0-9]{3}));&#(?:[xX](d[c-f][0-9a-f]{2})|(5[67][0-9]{3}));",
    re.IGNORECASE,
)
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_REPLACEMENT = b"&#xFFFD;"


def _code_point(hex_digits: bytes | None, digits: bytes | None) -> int:
    return int(hex_digits, 16) if hex_digits else int(digits)


def _pair(match: re.Match) -> bytes:
    high = _code_point(match.group(1), match.group(2))
    low = _code_point(match.group(3), match.group(4))
    if not (0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF):
        return match.group(0)  # the decimal pattern is loose: not a pair after all
    return b"&#x%X;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _single(match: re.Match) -> bytes:
    digits = match.group(1) or match.group(2)
    if len(digits) > 8:  # beyond any code point, and int() of a huge number costs time
        return _REPLACEMENT
    point = _code_point(match.group(1), match.group(2))
    if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
        return _REPLACEMENT
    return match.group(0)


def repair_character_references(data: bytes) -> bytes:
    """UTF-8 XML with surrogate-pair references joined and impossible ones made U+FFFD."""
    if b"&#" not in data:
        return data
    return _CHARREF.sub(_single, _SURROGATE_PAIR.sub(_pair, data))


def _parse(data: bytes, where: str) -> Any:
    """feedparser's reading of the bytes; FormatError for a declaration or a parser failure."""
    import feedparser  # only bytes are passed: feedparser must never fetch by itself
    from feedparser.encodings import convert_to_utf8

    try:
        # The UTF-8 text feedparser's parsers will read, decoded as feedparser decodes it.
        conversion: dict = {}
        parsed = convert_to_utf8({}, data, conversion)
    except Exception as exc:  # noqa: BLE001 - any failure of the third-party decoder
        raise _unreadable(where, exc) from None
    # Old RSS 0.91 feeds carry a harmless DOCTYPE; entity declarations are refused.
    refuse_declarations(data, where, allow_doctype=True, parsed=parsed)
    if conversion.get("encoding") and b"&#" in parsed:
        # feedparser reads its own conversion back unchanged (UTF-8, declaration rewritten)
        data = repair_character_references(parsed)
    try:
        return feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - any failure of the third-party parser
        raise _unreadable(where, exc) from None


def _unreadable(where: str, exc: Exception) -> FormatError:
    # e.g. ValueError for "&#1114112;", UnicodeDecodeError for a declaration in bad bytes
    return FormatError(
        f"unreadable feed ({type(exc).__name__}: {str(exc)[:200]})",
        hint="the feed is not well-formed RSS/Atom; tell its publisher, or leave it out",
        path=where,
    )


def parse_feed(data: bytes, options: ReadOptions, *, source: str = "") -> Iterator[Article | Skip]:
    """Articles from RSS/Atom bytes; a bad entry is a Skip, a feed without entries FormatError."""
    where = source or "<feed>"
    if not isinstance(data, bytes):
        raise TypeError("parse_feed takes bytes")
    feed = _parse(data, where)
    if not feed.entries:
        if feed.get("bozo"):
            problem = feed.get("bozo_exception")
            raise FormatError(f"malformed feed with no entries ({problem})", path=where)
        if not feed.get("version"):
            raise FormatError("not an RSS or Atom feed", path=where)
        return
    feed_title = fragment_text(feed.feed.get("title") or "")
    for number, entry in enumerate(feed.entries, start=1):
        try:
            title = fragment_text(entry.get("title") or "")
            text = _entry_text(entry) or title
            if not text:
                yield Skip(where, number, "feed entry has neither text nor title")
                continue
            link = (entry.get("link") or "").strip()
            yield make_article(
                text,
                options,
                title=title,
                url=link,
                outlet=outlet_from_url(link) or feed_title,
                published=_entry_date(entry),
                author=entry.get("author") or "",
                source=source,
                extra=(("feed_entry_id", entry["id"]),) if entry.get("id") else (),
            )
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            yield Skip(where, number, f"unreadable feed entry: {exc}")

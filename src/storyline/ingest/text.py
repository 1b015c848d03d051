"""Plain-text articles: an optional header block ("Title: ...", "Date: ...") or headline line,
the body, an optional source-URL line."""

from __future__ import annotations

import re

from storyline.errors import EmptyInputError
from storyline.ingest.normalize import date_from_url, make_article, normalize_text, parse_date
from storyline.ingest.options import ReadOptions
from storyline.model import Article

# Headlines are rarely over ~25 words; a longer first line is body text.
MAX_HEADLINE_CHARS = 160

_URL_LINE = re.compile(
    r"^(?:content\s+retrieved\s+from|retrieved\s+from|source|url)\s*:\s*(https?://\S+)$",
    re.IGNORECASE,
)
# A saved page's leading metadata lines, "Date: 2024-08-02", "Title: ...", "Source: URL".
_HEADER_LINE = re.compile(
    r"^(?P<key>title|headline|date|published|author|by|byline|source|url|link|outlet|publisher)"
    r"\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_HEADER_FIELDS = {"headline": "title", "published": "date", "by": "author", "byline": "author",
                  "source": "url", "link": "url", "publisher": "outlet"}
MAX_HEADER_LINES = 8
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


def _split_url_line(lines: list[str]) -> tuple[list[str], str]:
    """Remove a trailing "Content retrieved from: URL." line and return the URL."""
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip():
            continue
        match = _URL_LINE.match(lines[i].strip())
        if not match:
            return lines, ""
        url = match.group(1).rstrip(".,;)")  # the sentence's full stop is not part of the URL
        return lines[:i], url
    return lines, ""


def _split_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The leading "Key: value" lines a saved page may carry; a date that does not parse, or a
    source that is no URL, is text, not a header."""
    fields: dict[str, str] = {}
    k = 0
    while k < min(len(lines), MAX_HEADER_LINES):
        match = _HEADER_LINE.match(lines[k].strip())
        if not match:
            break
        key = match.group("key").lower()
        key, value = _HEADER_FIELDS.get(key, key), match.group("value").strip()
        if (key == "date" and parse_date(value) is None) or (
                key == "url" and not value.lower().startswith(("http://", "https://"))):
            break
        fields.setdefault(key, value)
        k += 1
    if not fields:
        return {}, lines
    while k < len(lines) and not lines[k].strip():
        k += 1  # the blank line that closes the header
    return fields, lines[k:]


def _split_headline(lines: list[str]) -> tuple[str, list[str]]:
    """Take the first line as headline when it is short and stands apart or lacks a full stop."""
    if len(lines) < 2:
        return "", lines
    first = lines[0].strip()
    rest = lines[1:]
    if not first or len(first) > MAX_HEADLINE_CHARS or not any(s.strip() for s in rest):
        return "", lines
    followed_by_blank = not rest[0].strip()
    if followed_by_blank or not _SENTENCE_END.search(first):
        return first, rest
    return "", lines


def parse_text(raw: str, options: ReadOptions, *, source: str = "") -> Article:
    """An Article from plain text: headline -> title, URL line -> url/outlet/date, rest -> text."""
    lines = normalize_text(raw).split("\n")
    header, lines = _split_header(lines)
    lines, url = _split_url_line(lines)
    url = url or header.get("url", "")
    title, body_lines = (header["title"], lines) if "title" in header else _split_headline(lines)
    body = "\n".join(body_lines)
    if not body.strip():
        if not title:
            raise EmptyInputError("holds no article text", path=source or None)
        body = title
    published = parse_date(header["date"]) if "date" in header else None
    return make_article(
        body,
        options,
        title=title,
        url=url,
        outlet=header.get("outlet", ""),
        author=header.get("author", ""),
        published=published or (date_from_url(url) if url else None),
        source=source,
    )

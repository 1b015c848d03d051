"""Plain-text articles: an optional headline line, the body, an optional source-URL line."""

from __future__ import annotations

import re

from storyline.errors import EmptyInputError
from storyline.ingest.normalize import date_from_url, make_article, normalize_text
from storyline.ingest.options import ReadOptions
from storyline.model import Article

# Headlines are rarely over ~25 words; a longer first line is body text.
MAX_HEADLINE_CHARS = 160

_URL_LINE = re.compile(
    r"^(?:content\s+retrieved\s+from|retrieved\s+from|source|url)\s*:\s*(https?://\S+)$",
    re.IGNORECASE,
)
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
    lines, url = _split_url_line(lines)
    title, body_lines = _split_headline(lines)
    body = "\n".join(body_lines)
    if not body.strip():
        if not title:
            raise EmptyInputError("holds no article text", path=source or None)
        body = title
    return make_article(
        body,
        options,
        title=title,
        url=url,
        published=date_from_url(url) if url else None,
        source=source,
    )

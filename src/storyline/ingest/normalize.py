"""Text normalisation, content-hash ids, URL/date helpers and the one place Articles are built.

The article text is normalised once, in ``make_article``, and stored; every later span indexes
that stored text exactly. ``normalize_text`` is idempotent, so normalising again is harmless.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from dateutil import parser as date_parser

from storyline.errors import EmptyInputError
from storyline.ingest.options import ReadOptions
from storyline.model import THIN_TEXT, Article

# Shorter texts give py3langid too little evidence: a headline or two is often misclassified,
# and the analysis refuses an article on the detected language, so stay silent ("") instead.
MIN_LANGUAGE_CHARS = 200
# Detection is stable after a few paragraphs; looking further only costs time.
LANGUAGE_SAMPLE_CHARS = 2_000
# Digits in a URL path are often ids; only years in this window are read as dates. News
# archives online start in the 1990s.
MIN_URL_YEAR = 1990
# Fewer words of text than this besides the page clutter are no paragraph: a sign-in or
# subscription prompt the clutter rules missed, a caption, a teaser line (GVA dev's exact
# repeats of other incidents' pages hold 0-28 such words; its articles' 10th percentile is 64).
THIN_TEXT_WORDS = 30
# Characters of clutter-free lead ``thin_text`` reads first (``without_clutter``'s limit): 400
# hold about 70 words, and the lines read are 1-3 for most pages (GVA dev: a median page of
# 17 lines, 1,404 characters; the probe costs ~60 us a page there, the whole text ~500 us).
THIN_PROBE_CHARS = 400
# Parsed dates before this are placeholders (the 1970 epoch zero) or garbage, not news dates.
MIN_DATE_YEAR = 1971

# py3langid loads its model (0.46 CPU s, an LZMA file) on the first classify, unguarded: 50
# request threads posting at once to a fresh server each loaded it (25 % of the server's
# samples in benchmarks/serve_load.py), so the first load is made under a lock.
_LANGUAGE_MODEL = threading.Lock()
_language_model_loaded = False

_NEWLINES = re.compile(r"\r\n|\r|[\u2028\u2029\x85\x0b\x0c]")
# Control characters except \t and \n, plus invisible marks that split words for no reason
# (BOM, zero-width space, soft hyphen).
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\u200b\u00ad]")
# A lone surrogate (from a JSON "\\ud800" escape or a "&#xD800;" reference) has no UTF-8 form:
# the store could not write it and no span could point at it.
_SURROGATE = re.compile("[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0\u3000]+$", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")


def normalize_text(raw: str) -> str:
    """NFC text with \\n newlines, no control characters, no trailing spaces, <= 1 blank line."""
    text = unicodedata.normalize("NFC", no_surrogates(raw))
    text = _NEWLINES.sub("\n", text)
    text = _JUNK.sub("", text)
    text = text.replace("\u00a0", " ")
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


def no_surrogates(value: str) -> str:
    """The string with every lone surrogate replaced by U+FFFD, so it can be stored as UTF-8."""
    return _SURROGATE.sub("\ufffd", value)


def article_id(text: str) -> str:
    """Content-hash id: "a" + the first 16 hex digits of sha256 of the normalised text (an
    article's ``identity``: its text, with its title when the text is thin)."""
    digest = hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
    return "a" + digest[:16]


def thin_text(text: str, title: str) -> bool:
    """Whether a titled page has fewer than THIN_TEXT_WORDS words of text besides its page
    clutter (``nlp.boilerplate``), so that its text cannot tell it from another page. A
    headline-only record (text = title) is its headline: never thin."""
    if not title or " ".join(text.split()) == title:  # titles are stored with spaces collapsed
        return False
    # nlp imports this module: imported here
    from storyline.nlp.boilerplate import MAX_CLUTTER_CHARS, line_clutter, without_clutter

    # A long line of a paragraph's words that is no clutter on its own is article text whatever
    # its neighbours (the rules that read neighbours mark short lines only): most pages stop here.
    if any(
        len(line) > MAX_CLUTTER_CHARS
        and len(line.split()) >= THIN_TEXT_WORDS
        and not line_clutter(line)
        for line in text.split("\n")
    ):
        return False
    # A lead first (a line kept in a head is kept in the whole text: the rules look back, never
    # ahead, except to keep a listed line); the whole text only when the lead is thin.
    if len(without_clutter(text, title, THIN_PROBE_CHARS).split()) >= THIN_TEXT_WORDS:
        return False
    return len(without_clutter(text, title).split()) < THIN_TEXT_WORDS


def _parses(url: str) -> bool:
    """True when urlsplit takes the URL (it refuses unbalanced IPv6 brackets, for one)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def outlet_from_url(url: str) -> str:
    """The URL's host, lowercased, without a leading "www."; "" when there is none."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _plausible(year: int, earliest: int) -> bool:
    return earliest <= year <= datetime.now(UTC).year + 1


_URL_DATES = (
    # /2020/02/10/, /2020-02-10
    re.compile(r"/((?:19|20)\d\d)[/_-](\d\d?)[/_-](\d\d?)(?=[/_.-]|$)"),
    # /20200210..., /202002101078277507-... (date then a long id)
    re.compile(r"/((?:19|20)\d\d)(\d\d)(\d\d)(?=\D|\d{6,}|$)"),
)


def date_from_url(url: str) -> datetime | None:
    """A calendar date written in a URL path (/2020/02/10/, /2020-02-10, /20200210...)."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            year, month, day = (int(g) for g in match.groups())
            if not _plausible(year, MIN_URL_YEAR):
                continue
            try:
                return datetime(year, month, day, tzinfo=UTC)
            except ValueError:
                continue
    return None


def _as_utc(value: datetime) -> datetime:
    # Naive times are taken as UTC so every stored date compares with every other.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_date(value: object) -> datetime | None:
    """A timezone-aware (UTC) datetime from ISO, RFC 2822 or common formats; None if absurd."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        if not text:
            return None
        parsed = None
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        if parsed is None:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                parsed = None
        if parsed is None:
            try:
                parsed = date_parser.parse(text, fuzzy=False)
            except (ValueError, OverflowError, TypeError):
                return None
    try:
        parsed = _as_utc(parsed)
    except (ValueError, OverflowError):
        return None
    if not _plausible(parsed.year, MIN_DATE_YEAR):
        return None
    return parsed


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid); "" when the text is too short."""
    sample = text.strip()[:LANGUAGE_SAMPLE_CHARS]
    if len(sample) < MIN_LANGUAGE_CHARS:
        return ""
    return _classify(sample)


def load_language_model() -> None:
    """Load py3langid's model now, once (a server's start), rather than on the first article."""
    _classify("")


def _classify(sample: str) -> str:
    global _language_model_loaded
    import py3langid  # loads its model on import: keep it off the import path of ingest

    if not _language_model_loaded:
        with _LANGUAGE_MODEL:  # the first call loads the model: one thread loads it
            code, _score = py3langid.classify(sample)
            _language_model_loaded = True
            return code
    code, _score = py3langid.classify(sample)
    return code


def make_article(
    text: str,
    options: ReadOptions,
    *,
    title: str = "",
    url: str = "",
    outlet: str = "",
    published: datetime | None = None,
    language: str = "",
    author: str = "",
    source: str = "",
    extra: tuple[tuple[str, str], ...] = (),
) -> Article:
    """Build an Article: normalise and cap the text once, hash it, fill in what is unknown.

    EmptyInputError when nothing is left of the text once normalised: readers skip such
    records before, this guards every reader against storing an article without text.
    """
    body = normalize_text(text)
    if not body:
        raise EmptyInputError("holds no article text once normalised", path=source or None)
    max_chars = options.max_chars
    if len(body) > max_chars:
        body = body[:max_chars].rstrip()
        extra = tuple(extra) + (("truncated", "true"),)
    url = no_surrogates(url.strip())
    if url and not _parses(url):
        # Kept, but not as the address: the store and the story engine split every URL.
        extra = tuple(extra) + (("unparsed_url", url),)
        url = ""
    title = " ".join(normalize_text(title).split())
    # the mark is ingest's own finding, never taken from an input record's fields
    extra = tuple(pair for pair in extra if pair[0] != THIN_TEXT)
    if thin_text(body, title):
        extra += ((THIN_TEXT, "true"),)
    article = Article(
        id="",
        text=body,
        title=title,
        url=url,
        outlet=no_surrogates(outlet.strip()) or outlet_from_url(url),
        published=_as_utc(published) if published else None,
        language=no_surrogates(language.strip().lower()) or detect_language(body),
        author=" ".join(no_surrogates(author).split()),
        source=no_surrogates(source),
        extra=tuple((no_surrogates(k), no_surrogates(v)) for k, v in extra),
    )
    return replace(article, id=article_id(article.identity))

"""HTML pages: charset detection, then trafilatura for the main text and the metadata."""

from __future__ import annotations

import codecs
import re

import lxml.html

from storyline.errors import EmptyInputError, NoMainTextError
from storyline.ingest.decode import bom_encoding, check_not_binary
from storyline.ingest.normalize import (
    date_from_url,
    make_article,
    normalize_text,
    outlet_from_url,
    parse_date,
)
from storyline.ingest.options import ReadOptions
from storyline.model import Article

# Charset declarations must come early in a page (the HTML spec says within 1024 bytes);
# looking a little further tolerates long comments before <head>.
CHARSET_SNIFF_BYTES = 4_096
# Browsers decode undeclared legacy pages as windows-1252; so do we when UTF-8 fails.
LEGACY_FALLBACK = "windows-1252"
# trafilatura's fallbacks return menus and footers of pages without an article; real article
# bodies, even short briefs, have more words than this and some punctuation.
MIN_MAIN_TEXT_WORDS = 8
# Guessing a date from copyright lines and the like gives wrong dates; prefer none.
DATE_PARAMS = {"extensive_search": False, "original_date": True}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_BLOCKS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "tr", "section", "article", "pre", "ul", "ol", "table",
)  # fmt: skip


# Python codecs that decode bytes to text but are no document charset; browsers never honour
# UTF-7 either (it hides markup from filters).
NOT_CHARSETS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"}
)


def _known(encoding: str | None) -> str | None:
    """The codec a declared charset names, when it is a real text encoding of documents."""
    if not encoding:
        return None
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        return None
    # base64, rot13, zlib and the like are codecs too, but not text encodings
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_CHARSETS:
        return None
    return info.name


def decode_html(data: bytes, content_type: str = "") -> str:
    """Decode HTML bytes: BOM, then the HTTP charset, then <meta charset>, then UTF-8/1252."""
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    candidates = [
        bom_encoding(data),
        _known(header.group(1)) if header else None,
        _known(meta.group(1).decode("ascii", "replace")) if meta else None,
    ]
    for encoding in candidates:
        if encoding:
            # A wrong declaration should not lose the page: replace the odd bad byte.
            try:
                return data.decode(encoding, errors="replace").lstrip("\ufeff")
            except (UnicodeError, LookupError):
                continue  # a codec that cannot replace bad bytes: try the next candidate
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(LEGACY_FALLBACK, errors="replace")


# Characters lxml parses but refuses to set back into a tree (the block-break step does):
# C0 controls other than tab and line breaks, non-characters, lone surrogates. The stored text
# drops them anyway (normalize_text).
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def fragment_text(markup: str) -> str:
    """Visible text of an HTML fragment, with a line break after each block element."""
    if "<" not in markup:
        return normalize_text(markup)
    markup = _NOT_XML_TEXT.sub("", markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
        for bad in root.xpath(".//script|.//style"):
            bad.drop_tree()
        for element in root.iter(*_BLOCKS):
            element.tail = "\n\n" + (element.tail or "")
        return normalize_text(root.text_content())
    except Exception:  # noqa: BLE001 - lxml raises ParserError, ValueError, even AssertionError
        # ("too many bodies" for a fragment holding <html>); stripping the tags is a safe reading
        return normalize_text(re.sub(r"<[^>]*>", " ", markup))


def _drop_title_line(text: str, title: str) -> str:
    """trafilatura often repeats the <h1> headline as the first line of the text."""
    first, _, rest = text.partition("\n")
    if title and first.strip() == title.strip() and rest.strip():
        return rest
    return text


def parse_html(
    data: bytes | str,
    options: ReadOptions,
    *,
    url: str = "",
    source: str = "",
    content_type: str = "",
) -> Article:
    """An Article from an HTML page; NoMainTextError when the page has no article body."""
    import trafilatura  # heavy import, needed only for HTML

    where = source or url or None
    if isinstance(data, bytes):
        check_not_binary(data, where or "<html>")
        markup = decode_html(data, content_type)
    else:
        markup = data
    if not markup.strip():
        raise EmptyInputError("page is empty", path=where)
    doc = trafilatura.bare_extraction(
        markup,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=DATE_PARAMS,
    )
    text = normalize_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if len(text.split()) < MIN_MAIN_TEXT_WORDS or not re.search(r"[.!?,;:]", text):
        raise NoMainTextError("no main text found in the page", path=where)
    title = normalize_text(doc.title or "")
    page_url = url or (doc.url or "")
    published = parse_date(doc.date) if doc.date else None
    return make_article(
        _drop_title_line(text, title),
        options,
        title=title,
        url=page_url,
        outlet=(doc.sitename or "").strip() or outlet_from_url(page_url),
        published=published or date_from_url(page_url),
        language=doc.language or "",
        author=doc.author or "",
        source=source or url,
    )

"""Refusing DOCTYPE/ENTITY declarations in XML, in whatever encoding the parser would read.

Entity declarations live in a DOCTYPE; OPML never needs one, and feeds only an old RSS 0.91
DOCTYPE without entities. Refusing them rules out entity expansion ("billion laughs") and
external entities before a parser runs. A byte search alone misses a declaration the parser
reads in UTF-16 without a byte-order mark, UTF-32, EBCDIC or a declared UTF-7, so the bytes are
searched in every reading an XML parser could give them: as ASCII-compatible bytes, in the
encoding the first bytes show (XML 1.0 appendix F), and in the encoding the declaration names.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from storyline.errors import FormatError

# The XML declaration sits at the very start; its encoding attribute within a few hundred bytes.
DECLARATION_BYTES = 1_024

_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTITY = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_DECLARED = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# XML 1.0 appendix F: what "<" or "<?xm" looks like in each encoding family, BOM or not.
_FAMILIES = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x3c", "utf-16-be"),
    (b"\x3c\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # "<?xm" in EBCDIC
)


def _family(data: bytes) -> str | None:
    for marker, encoding in _FAMILIES:
        if data.startswith(marker):
            return encoding
    # Whitespace before "<" shifts the marker: look at where the first NUL bytes fall.
    head = data[:8]
    if head.count(0) >= 2:
        if head[0::2].count(0) > head[1::2].count(0):
            return "utf-16-be"
        return "utf-16-le"
    return None


def _declared(text: str) -> str | None:
    match = _DECLARED.match(text.lstrip("\ufeff"))
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1)).name
    except LookupError:
        return None


def readings(data: bytes) -> Iterator[str]:
    """The texts an XML parser could read these bytes as (replacement characters for bad
    bytes: a declaration is found even in a document that is otherwise garbled)."""
    ascii_view = data.decode("latin-1")  # every byte, so every ASCII-compatible encoding
    yield ascii_view
    family = _family(data)
    head = ascii_view[:DECLARATION_BYTES]
    if family:
        text = data.decode(family, errors="replace")
        yield text
        head = text[:DECLARATION_BYTES]
    declared = _declared(head)
    if declared and declared not in (family, "latin-1", "iso8859-1", "ascii"):
        try:
            yield data.decode(declared, errors="replace")
        except (LookupError, TypeError, ValueError):
            pass  # not a text codec (e.g. "base64"): no parser reads XML through it


def refuse_declarations(
    data: bytes, where: str, *, allow_doctype: bool = False, parsed: bytes | None = None
) -> None:
    """Raise FormatError when XML declares entities (or any DOCTYPE, unless allowed) in any
    reading of its bytes; ``parsed`` is what the parser will actually read, when known."""
    pattern = _ENTITY if allow_doctype else _DECLARATION
    texts = list(readings(data))
    if parsed is not None:
        texts.append(parsed.decode("utf-8", errors="replace"))
    if any(pattern.search(text) for text in texts):
        raise FormatError(
            "XML with a DOCTYPE or ENTITY declaration is refused (entity-expansion risk)",
            hint="remove the <!DOCTYPE ...> block; OPML and feeds do not need it",
            path=where,
        )

"""OPML subscription lists -> feed URLs. DOCTYPE and ENTITY declarations are refused."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from storyline.errors import FormatError

# Entity declarations live in a DOCTYPE; OPML never needs one, and refusing both rules out
# entity-expansion ("billion laughs") and external-entity attacks before the parser runs.
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)


def refuse_declarations(data: bytes, where: str, *, allow_doctype: bool = False) -> None:
    """Raise FormatError when XML bytes declare entities (or any DOCTYPE, unless allowed)."""
    pattern = _ENTITY if allow_doctype else _DECLARATION
    probe = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        probe = data.decode("utf-16", errors="replace").encode("utf-8")
    if pattern.search(probe):
        raise FormatError(
            "XML with a DOCTYPE or ENTITY declaration is refused (entity-expansion risk)",
            hint="remove the <!DOCTYPE ...> block; OPML and feeds do not need it",
            path=where,
        )


def parse_opml(data: bytes, *, source: str = "") -> list[str]:
    """The feed URLs (xmlUrl attributes) of an OPML document, in order, without repeats."""
    where = source or "<opml>"
    refuse_declarations(data, where)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FormatError(f"malformed OPML: {exc}", path=where) from None
    if root.tag.lower() != "opml":
        raise FormatError(f"not OPML: the root element is <{root.tag}>", path=where)
    urls: dict[str, None] = {}
    for outline in root.iter():
        if not isinstance(outline.tag, str) or outline.tag.lower() != "outline":
            continue
        attrs = {k.lower(): v for k, v in outline.attrib.items()}
        url = (attrs.get("xmlurl") or "").strip()
        if url:
            urls[url] = None
    return list(urls)

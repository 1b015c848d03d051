"""OPML subscription lists -> feed URLs. DOCTYPE and ENTITY declarations are refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from storyline.errors import FormatError
from storyline.ingest.xmlguard import refuse_declarations


def parse_opml(data: bytes, *, source: str = "") -> list[str]:
    """The feed URLs (xmlUrl attributes) of an OPML document, in order, without repeats."""
    where = source or "<opml>"
    refuse_declarations(data, where)
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError, LookupError) as exc:
        # ValueError, LookupError: expat cannot read the declared (multi-byte) encoding
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

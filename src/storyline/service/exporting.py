"""Exports: stories as CSV, a comparison's findings as W3C Web Annotation JSON-LD.

Every evidence span of a finding becomes one annotation whose target carries both a
TextQuoteSelector (the exact text with up to ``CONTEXT_CHARS`` before and after it) and a
TextPositionSelector (character offsets into the article text Storyline stored), so an
annotation tool can anchor it even when the page around the text differs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# Prefix and suffix length of a TextQuoteSelector: 32 characters tell apart repeated phrases
# in a news article (the Web Annotation model's own examples use fewer).
CONTEXT_CHARS = 32
STORY_CSV_FIELDS = ("id", "label", "size", "outlets", "first_seen", "last_seen")


def stories_csv(rows: list[dict]) -> str:
    """Story rows as CSV (outlets joined with "; "); cells that a spreadsheet would run as a
    formula are quoted with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=STORY_CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        cells = {**row, "outlets": "; ".join(row["outlets"])}
        writer.writerow({k: _cell(v) for k, v in cells.items()})
    return out.getvalue()


def feeds_opml(feeds: list[dict], title: str = "Storyline feeds") -> str:
    """The feeds as an OPML 2.0 subscription list."""
    from xml.sax.saxutils import quoteattr

    outlines = "".join(
        f'    <outline type="rss" text={quoteattr(f["url"])} xmlUrl={quoteattr(f["url"])}/>\n'
        for f in feeds
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
        f"  <head><title>{_xml_text(title)}</title></head>\n  <body>\n{outlines}  </body>\n"
        "</opml>\n"
    )


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _findings(data: dict) -> Iterator[tuple[str, str, str, dict]]:
    """(finding id, motivation, what it says, evidence) for every evidence of every finding."""
    for d in data["disputes"]:
        for n, side in enumerate(d["sides"]):
            what = f"Dispute ({d['kind']}): {d['question']}. Side {n + 1}: {side['value']}"
            for ev in side["evidence"]:
                yield f"{d['id']}:{n}", "questioning", what, ev
    for g in data["claims"]:
        outlets = ", ".join(g["outlets"])
        for c in g["claims"]:
            yield g["id"], "highlighting", f"Claim group ({g['status']}) told by {outlets}", c[
                "evidence"
            ]
    for w in data["wording"]:
        for t in w["terms"]:
            loaded = " (loaded)" if t["loaded"] else ""
            yield w["id"], "classifying", f"Wording for {w['referent']}: {t['term']}{loaded}", t[
                "evidence"
            ]
    for n, p in enumerate(data["provenance"]):
        for s in p["upstream"] + p["speakers"]:
            yield f"p{n + 1}", "identifying", f"Source ({s['kind']}): {s['name']}", s["evidence"]
    for e in data["entities"]:
        for v in e["variants"]:
            yield e["id"], "identifying", f"Entity {e['name']}: spelled {v['spelling']}", v[
                "evidence"
            ]


def _source(article: dict) -> str:
    url = (article.get("url") or "").strip()
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return "urn:storyline:article:" + quote(article["id"], safe="")


def annotations(data: dict, story_id: str, base_url: str = "urn:storyline:") -> dict:
    """A comparison's findings as a W3C Web Annotation collection (one page, JSON-LD)."""
    texts = {a["id"]: a for a in data["articles"]}
    items = []
    for fid, motivation, what, ev in _findings(data):
        article = texts.get(ev["article_id"])
        if article is None:
            continue
        text, start, end = article["text"], ev["start"], ev["end"]
        items.append({
            "id": f"{base_url}stories/{quote(story_id, safe='')}/annotations/"
                  f"{quote(fid, safe='')}/{quote(ev['article_id'], safe='')}/{start}-{end}",
            "type": "Annotation",
            "motivation": motivation,
            "body": {"type": "TextualBody", "value": what, "format": "text/plain",
                     "purpose": "commenting" if motivation != "classifying" else "tagging"},
            "target": {
                "source": _source(article),
                "selector": [
                    {"type": "TextQuoteSelector", "exact": text[start:end],
                     "prefix": text[max(0, start - CONTEXT_CHARS) : start],
                     "suffix": text[end : end + CONTEXT_CHARS]},
                    {"type": "TextPositionSelector", "start": start, "end": end},
                ],
            },
        })
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": f"{base_url}stories/{quote(story_id, safe='')}/annotations",
        "type": "AnnotationCollection",
        "label": f"Storyline findings of story {story_id}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }

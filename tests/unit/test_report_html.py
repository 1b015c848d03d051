"""The HTML report keeps each article's text intact and marks every finding's evidence."""

from __future__ import annotations

from html.parser import HTMLParser

from storyline.interfaces.report_html import _marked_text, render_html


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections: list[str] = []
        self.marks: dict[str, str] = {}
        self._in_section = 0
        self._skip = 0
        self._mark_ids: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self._in_section = 1
            self.sections.append("")
        elif tag in {"h2", "div"} and self._in_section:
            self._skip += 1
        elif tag == "mark":
            self._mark_ids = attrs["data-ids"].split()

    def handle_endtag(self, tag):
        if tag == "section":
            self._in_section = 0
        elif tag in {"h2", "div"} and self._skip:
            self._skip -= 1
        elif tag == "mark":
            self._mark_ids = None

    def handle_data(self, data):
        if self._in_section and not self._skip:
            self.sections[-1] += data
            for fid in self._mark_ids or []:
                self.marks[fid] = self.marks.get(fid, "") + data


def _ev(aid, start, end, text):
    return {"article_id": aid, "outlet": aid, "sentence": 0, "start": start, "end": end,
            "text": text[start:end], "sentence_start": 0, "sentence_end": len(text)}


def test_marks_split_at_overlaps():
    html = _marked_text("abcdef", [(0, 4, "x"), (2, 6, "y")])
    assert html == ('<mark data-ids="x">ab</mark><mark data-ids="x y">cd</mark>'
                    '<mark data-ids="y">ef</mark>')


def test_report_text_is_intact_and_evidence_marked():
    t1 = "Floods killed 12 people <in> Harlow & more."
    t2 = "Floods killed 17 people."
    data = {
        "same_event": 0.8,
        "articles": [
            {"id": "a", "outlet": "one", "title": "T", "url": "", "published": None, "text": t1},
            {"id": "b", "outlet": "two", "title": "", "url": "", "published": None, "text": t2},
        ],
        "claims": [{"id": "g1", "status": "conflicting", "outlets": ["one", "two"],
                    "confidence": 0.9, "disputes": ["d1"],
                    "claims": [{"id": "x", "evidence": _ev("a", 0, len(t1), t1)},
                               {"id": "y", "evidence": _ev("b", 0, len(t2), t2)}]}],
        "disputes": [{"id": "d1", "kind": "number", "question": "how many people were killed",
                      "group": "g1", "confidence": 0.9, "explanation": "",
                      "sides": [{"outlets": ["one"], "value": "12 people", "normalized": "12",
                                 "independent": 1, "credits": [],
                                 "evidence": [_ev("a", 14, 23, t1)]},
                                {"outlets": ["two"], "value": "17 people", "normalized": "17",
                                 "independent": 1, "credits": [],
                                 "evidence": [_ev("b", 14, 23, t2)]}]}],
        "provenance": [], "wording": [], "entities": [],
    }
    parser = _Collect()
    parser.feed(render_html(data))
    assert parser.sections == [t1, t2]
    assert parser.marks["d1"] == "12 people17 people"
    assert parser.marks["g1"] == t1 + t2

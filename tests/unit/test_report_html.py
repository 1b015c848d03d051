"""The HTML report keeps each article's text intact and marks every finding's evidence."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from tests import report_fixture
from tests.conftest import check_evidence

from storyline.interfaces.report_html import _asset, _marked_text, render_html


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
    assert html == ('<mark data-ids="x" data-starts="x">ab</mark>'
                    '<mark data-ids="x y" data-starts="y">cd</mark><mark data-ids="y">ef</mark>')


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
    assert parser.marks["d1:0"] == "12 people"  # each side is marked apart, in its article
    assert parser.marks["d1:1"] == "17 people"
    assert parser.marks["g1"] == t1 + t2


# --------------------------------------------------------------------------- a 13-outlet report

class _Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children: list = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def find(self, pred):
        for c in self.children:
            if isinstance(c, _Node):
                if pred(c):
                    yield c
                yield from c.find(pred)

    def inside(self, pred) -> bool:
        node = self.parent
        while node is not None:
            if pred(node):
                return True
            node = node.parent
        return False


class _Tree(HTMLParser):
    VOID = {"meta", "input", "br", "img", "hr", "link"}

    def __init__(self, html: str):
        super().__init__()
        self.root = _Node("#root", {}, None)
        self._at = self.root
        self.starts: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs, self._at)
        self.starts.append((tag, node.attrs))
        self._at.children.append(node)
        if tag not in self.VOID:
            self._at = node

    def handle_endtag(self, tag):
        node = self._at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self._at = node.parent

    def handle_data(self, data):
        self._at.children.append(data)

    def all(self, tag=None, cls=None, **attrs):
        def pred(n):
            return ((tag is None or n.tag == tag) and (cls is None or cls in n.classes())
                    and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()))
        return list(self.root.find(pred))


@pytest.fixture(scope="module")
def twelve():
    data = report_fixture.comparison()
    check_evidence(data)  # the fixture's spans index its texts exactly
    return data, _Tree(render_html(data))


def test_hostile_strings_never_become_markup(twelve):
    data, tree = twelve
    scripts = tree.all("script")
    assert len(scripts) == 2  # the config and the page's own code, nothing from an article
    assert json.loads(scripts[0].text())["default"] == ["c0", "c1", "c2"]
    assert scripts[1].text() == _asset("report.js")
    assert not tree.all("img")
    for tag, attrs in tree.starts:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith("https://"), (tag, href)
    hostile = tree.all("section", data_col=f"c{report_fixture.HOSTILE}")[0]
    assert report_fixture.HOSTILE_TITLE in hostile.text()  # shown as text, verbatim
    assert report_fixture.HOSTILE_URL in hostile.text()
    assert not list(hostile.find(lambda n: n.tag == "a"))  # a javascript: URL is not a link
    text = list(hostile.find(lambda n: "text" in n.classes()))[0]
    assert text.text() == data["articles"][report_fixture.HOSTILE]["text"]
    boxes = tree.all("input", type="checkbox")
    assert report_fixture.HOSTILE_OUTLET in boxes[-1].parent.text()


def test_every_article_text_is_kept_whole(twelve):
    data, tree = twelve
    texts = [list(s.find(lambda n: "text" in n.classes()))[0].text()
             for s in tree.all("section", cls="article")]
    assert texts == [a["text"] for a in data["articles"]]


def test_disputes_lead_in_ranked_order_with_their_sides(twelve):
    data, tree = twelve
    cards = tree.all("article", cls="card")
    assert [c.attrs["data-f"] for c in cards[:2]] == ["d1", "d2"]
    first = cards[0]
    sides = list(first.find(lambda n: "side" in n.classes()))
    assert [s.attrs["data-side"] for s in sides] == ["0", "1"]
    assert "8 independent of 8 outlets" in " ".join(sides[0].text().split())
    assert "most outlets" in sides[0].text() and "most outlets" not in sides[1].text()
    button = list(first.find(lambda n: "sbs" in n.classes()))[0]
    assert button.attrs["data-cols"] == "c0 c8"  # the first outlet of each side


def test_side_marks_sit_in_the_right_columns(twelve):
    data, tree = twelve
    for side, outlets in (("d1:0", range(8)), ("d1:1", range(8, 11))):
        marked = {m.parent_section for m in _marks(tree) if side in m.attrs["data-ids"].split()}
        assert marked == {f"c{n}" for n in outlets}, side


def _marks(tree):
    for sec in tree.all("section", cls="article"):
        for m in sec.find(lambda n: n.tag == "mark"):
            m.parent_section = sec.attrs["data-col"]
            yield m


def test_matrix_rows_and_cells(twelve):
    data, tree = twelve
    rows = [r for r in tree.all("tr") if "data-f" in r.attrs]
    assert [r.attrs["data-f"] for r in rows] == ["g1", "g2", "g3"]  # groups of 2+ outlets
    cells = {r.attrs["data-f"]: [c.attrs["class"] for c in r.find(lambda n: n.tag == "td")]
             for r in rows}
    assert cells["g1"] == ["carries"] * 8 + ["disputes"] * 3 + ["omits"] * 2
    assert cells["g2"] == ["carries"] * 4 + ["disputes"] * 2 + ["omits"] * 7
    assert cells["g3"] == ["carries"] * 10 + ["omits"] * 3
    symbols = {c.text() for r in rows for c in r.find(lambda n: n.tag == "td")}
    assert symbols == {"●", "○", "≠"}  # readable without colour
    foot = [c.text() for c in tree.all("tfoot")[0].find(lambda n: n.tag == "td")]
    assert foot == ["1"] * report_fixture.N_OUTLETS


def test_picker_lists_every_outlet_and_shows_the_best_covered(twelve):
    data, tree = twelve
    boxes = tree.all("input", type="checkbox")
    assert [b.attrs["value"] for b in boxes] == [f"c{n}" for n in range(13)]
    assert [b.attrs["value"] for b in boxes if "checked" in b.attrs] == ["c0", "c1", "c2"]
    shown = [s.attrs["data-col"] for s in tree.all("section", cls="article")
             if "hidden" not in s.attrs]
    assert shown == ["c0", "c1", "c2"]


def test_clutter_is_dimmed_and_never_marked(twelve):
    data, tree = twelve
    for n in (2, 5):
        sec = tree.all("section", data_col=f"c{n}")[0]
        clutter = list(sec.find(lambda x: "clutter" in x.classes()))
        assert "".join(c.text() for c in clutter) == report_fixture.CLUTTER
        assert not any(c.inside(lambda x: x.tag == "mark") or list(c.find(lambda x: True))
                       for c in clutter)


def test_urls_link_only_when_http(twelve):
    data, tree = twelve
    links = tree.all("a", cls="url")
    assert links[0].attrs["href"] == report_fixture.LONG_URL
    assert links[0].attrs["rel"] == "noopener noreferrer"
    assert len(links) == report_fixture.N_OUTLETS - 1  # the javascript: URL stays text


def test_kind_chips_count_disputes(twelve):
    data, tree = twelve
    chips = {c.attrs["data-kind"]: c for c in tree.all("button", cls="chip")
             if "data-kind" in c.attrs}
    assert list(chips) == ["number", "date", "time", "denial", "characterisation", "speaker",
                           "source"]
    assert [k for k, c in chips.items() if "disabled" not in c.attrs] == ["number", "denial"]

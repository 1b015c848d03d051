"""A self-contained HTML report for a comparison of any number of outlets.

Built from the comparison's plain dict (the same data as ``--json``), so the page and the JSON
never disagree. The page leads with the disputes, ranked as the comparison ranks them; clicking
one marks every side's evidence in every article column, each side in its own colour and letter.
Chips filter the findings by dispute kind and finding type, a coverage matrix shows which outlet
carries, omits or disputes each claim group told by more than one outlet, and checkboxes choose
which outlets' articles stand side by side. CSS and JS are package data (``web/``) inlined into
the page: it works offline, from a file, with no build step. Every string that comes from an
article (titles, outlets, URLs, texts, values) is escaped; only http(s) URLs become links.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from html import escape
from importlib import resources
from urllib.parse import urlsplit

KINDS = ("number", "date", "time", "denial", "characterisation", "speaker", "source")
FINDING_TYPES = (
    ("dispute", "Disputes"),
    ("conflicting", "Disputed claims"),
    ("shared", "Shared claims"),
    ("only_in", "Only one outlet"),
    ("wording", "Wording"),
    ("source", "Sources"),
    ("entity", "Same entity"),
)
SIDE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Three 320 px columns fit beside the 380 px findings pane on a 1400 px screen; more scroll.
DEFAULT_COLUMNS = 3
VALUE_CHARS = 220  # a side's value is often a whole sentence (denials): the card shows its start
CLAIM_CHARS = 160


def _e(value: object) -> str:
    """Text or attribute-safe HTML for any value (quotes escaped too)."""
    return escape(str(value), quote=True)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@cache
def _asset(name: str) -> str:
    return resources.files("storyline.interfaces").joinpath("web", name).read_text("utf-8")


class _Columns:
    """The article columns: a short key per article and the outlet names that map to them."""

    def __init__(self, articles: list[dict]):
        self.articles = articles
        self.key = {a["id"]: f"c{n}" for n, a in enumerate(articles)}
        self.by_outlet: dict[str, list[str]] = {}
        for a in articles:
            self.by_outlet.setdefault(a["outlet"], []).append(self.key[a["id"]])
        self.outlet = {self.key[a["id"]]: a["outlet"] or a["title"] or a["id"] for a in articles}

    def of(self, evidences: Iterable[dict], outlets: Iterable[str] = ()) -> list[str]:
        """Column keys of the articles holding these evidences, then of the articles of the
        outlets none of whose articles holds one (an outlet may have several articles)."""
        keys = [self.key[ev["article_id"]] for ev in evidences if ev["article_id"] in self.key]
        held = set(keys)
        for o in outlets:
            if not held.intersection(self.by_outlet.get(o, [])):
                keys += self.by_outlet.get(o, [])
        return list(dict.fromkeys(keys))


def _leading_side(sides: list[dict]) -> int | None:
    """Index of the side most independent outlets carry, None when the top sides tie."""
    if len(sides) > 1 and sides[0]["independent"] > sides[1]["independent"]:
        return 0
    return None


# --------------------------------------------------------------------------- finding cards


class _Findings:
    """Finding cards in display order and (token, evidence) pairs for the article marks.

    A token is a finding id ("g3", "w2"), or "<dispute id>:<side index>" for a dispute's side
    so that the page can colour each side apart.
    """

    def __init__(self, data: dict, cols: _Columns):
        self.data, self.cols = data, cols
        self.pairs: list[tuple[str, dict]] = []
        self.sections: list[str] = []
        self.counts: dict[str, int] = {}

    def build(self) -> _Findings:
        groups = self.data["claims"]
        self._section("dispute", [self._dispute(d) for d in self.data["disputes"]])
        for status in ("conflicting", "shared", "only_in"):
            self._section(status, [self._group(g) for g in groups if g["status"] == status])
        self._section("wording", [self._wording(w) for w in self.data["wording"]])
        self._section("source", [self._provenance(n, p) for n, p in
                                 enumerate(self.data["provenance"])])
        self._section("entity", [self._entity(e) for e in self.data["entities"]])
        return self

    def _section(self, ftype: str, cards: list[str]) -> None:
        cards = [c for c in cards if c]
        self.counts[ftype] = len(cards)
        title = dict(FINDING_TYPES)[ftype]
        body = "".join(cards) or '<p class="none">None found.</p>'
        self.sections.append(
            f'<div class="fsec" data-type="{ftype}"><h3>{title} '
            f'<span class="count">{len(cards)}</span></h3>{body}</div>'
        )

    def _card(self, fid: str, ftype: str, head: str, body: str, kind: str = "") -> str:
        kind_attr = f' data-kind="{_e(kind)}"' if kind else ""
        return (
            f'<article class="card {ftype}" data-f="{_e(fid)}" data-type="{ftype}"{kind_attr} '
            f'tabindex="0" role="button" aria-pressed="false"><div class="chead">{head}</div>'
            f"{body}</article>"
        )

    def _outlets(self, outlets: list[str]) -> str:
        return "".join(f'<span class="ol">{_e(o)}</span>' for o in outlets)

    def _dispute(self, d: dict) -> str:
        sides, picks = [], []
        lead = _leading_side(d["sides"])
        for n, s in enumerate(d["sides"]):
            token = f"{d['id']}:{n}"
            self.pairs.extend((token, ev) for ev in s["evidence"])
            keys = self.cols.of(s["evidence"], s["outlets"])
            picks.extend(keys[:1])
            letter = SIDE_LETTERS[n % len(SIDE_LETTERS)]
            credits = (f'<div class="credits">credits {_e("; ".join(s["credits"]))}</div>'
                       if s["credits"] else "")
            majority = ' <span class="tag">most outlets</span>' if lead == n else ""
            sides.append(
                f'<li class="side" data-side="{n}"><span class="letter">{letter}</span><div>'
                f'<div class="value" title="{_e(s["value"])}">{_e(_cut(s["value"], VALUE_CHARS))}'
                f'</div><div class="norm">{_e(s["normalized"])}{majority}</div>'
                f'<div class="who"><b>{s["independent"]}</b> independent of '
                f'{len(s["outlets"])} outlet{"s" * (len(s["outlets"]) != 1)}: '
                f'{self._outlets(s["outlets"])}</div>{credits}</div></li>'
            )
        head = (
            f'<span class="kind k-{_e(d["kind"])}">{_e(d["kind"])}</span>'
            f'<span class="q">{_e(d["question"])}</span>'
            f'<span class="conf" title="confidence">{d["confidence"]:.2f}</span>'
        )
        explanation = f'<p class="expl">{_e(d["explanation"])}</p>' if d["explanation"] else ""
        button = (
            f'<button type="button" class="sbs" data-cols="{" ".join(picks)}">'
            "Compare sides</button>"
            if len(picks) > 1 else ""
        )
        body = f'<ol class="sides">{"".join(sides)}</ol>{explanation}{button}'
        return self._card(d["id"], "dispute", head, body, kind=d["kind"])

    def _group(self, g: dict) -> str:
        self.pairs.extend((g["id"], c["evidence"]) for c in g["claims"])
        first = g["claims"][0]["evidence"]["text"] if g["claims"] else ""
        n = len(g["outlets"])
        head = (
            f'<span class="kind">{n} outlet{"s" * (n != 1)}</span>'
            + "".join(f'<span class="ref">{_e(d)}</span>' for d in g.get("disputes", []))
            + f'<span class="conf" title="confidence">{g["confidence"]:.2f}</span>'
        )
        body = (f'<div class="value">{_e(_cut(first, CLAIM_CHARS))}</div>'
                f'<div class="who">{self._outlets(g["outlets"])}</div>')
        return self._card(g["id"], g["status"], head, body)

    def _wording(self, w: dict) -> str:
        self.pairs.extend((w["id"], t["evidence"]) for t in w["terms"])
        terms = "".join(
            f'<li><span class="ol">{_e(t["outlet"])}</span> '
            f'<span class="{"loaded" if t["loaded"] else "neutral"}">{_e(t["term"])}</span>'
            f'{" (loaded)" if t["loaded"] else ""}</li>'
            for t in w["terms"]
        )
        head = f'<span class="kind">wording</span><span class="q">{_e(w["referent"])}</span>'
        return self._card(w["id"], "wording", head, f'<ul class="terms">{terms}</ul>')

    def _provenance(self, n: int, p: dict) -> str:
        credits = p["upstream"] + p["speakers"]
        if not credits:
            return ""
        fid = f"p{n + 1}"
        self.pairs.extend((fid, s["evidence"]) for s in credits)
        names = "; ".join(f"{s['name']} ({s['kind']})" for s in credits)
        head = f'<span class="kind">sources</span><span class="q">{_e(p["outlet"])}</span>'
        return self._card(fid, "source", head, f'<div class="value">{_e(names)}</div>')

    def _entity(self, e: dict) -> str:
        spellings = sorted({v["spelling"] for v in e["variants"]})
        if len(spellings) < 2 and not e["descriptions"]:
            return ""
        self.pairs.extend((e["id"], v["evidence"]) for v in e["variants"] + e["descriptions"])
        head = f'<span class="kind">same entity</span><span class="q">{_e(e["name"])}</span>'
        body = f'<div class="value">{_e(" / ".join(spellings))} ({_e(e["rule"])})</div>'
        return self._card(e["id"], "entity", head, body)


# --------------------------------------------------------------------------- matrix and columns


def _matrix(data: dict, cols: _Columns) -> tuple[str, int]:
    """The coverage table (claim groups told by 2+ outlets x article columns) and its row count.

    A cell is "disputes" when the outlet stands on a side of one of the group's disputes other
    than the one most independent outlets take (any side when the top sides tie), "carries" when
    it tells the claim otherwise, "omits" when it does not.
    """
    disputes = {d["id"]: d for d in data["disputes"]}
    rows = [g for g in data["claims"] if len(set(g["outlets"])) > 1]
    rows.sort(key=lambda g: (g["status"] != "conflicting", -len(set(g["outlets"]))))
    keys = list(cols.outlet)
    head = "".join(
        f'<th class="oc" scope="col" data-col="{k}" title="{_e(cols.outlet[k])}">'
        f"<span>{_e(cols.outlet[k])}</span></th>"
        for k in keys
    )
    body = []
    for g in rows:
        state = dict.fromkeys(cols.of([c["evidence"] for c in g["claims"]], g["outlets"]),
                              ("carries", ""))
        for did in g.get("disputes", []):
            d = disputes.get(did)
            if not d:
                continue
            lead = _leading_side(d["sides"])
            for n, s in enumerate(d["sides"]):
                side = f"{d['question']}: {s['value'][:80]}"
                for k in cols.of(s["evidence"], s["outlets"]):
                    if n != lead:
                        state[k] = ("disputes", side)
                    elif k not in state:
                        state[k] = ("carries", side)
        cells = []
        for k in keys:
            what, side = state.get(k, ("omits", ""))
            symbol = {"carries": "●", "omits": "○", "disputes": "≠"}[what]
            tip = f"{cols.outlet[k]}: {what}" + (f" ({side})" if side else "")
            cells.append(f'<td class="{what}" data-col="{k}" title="{_e(tip)}">{symbol}</td>')
        first = g["claims"][0]["evidence"]["text"] if g["claims"] else g["id"]
        status = "disputed" if g["status"] == "conflicting" else g["status"]
        body.append(
            f'<tr data-f="{_e(g["id"])}" tabindex="0"><th scope="row" title="{_e(first)}">'
            f'<span class="lbl"><span class="st {g["status"]}">{_e(status)}</span> '
            f'{_e(_cut(first, 120))}</span></th>'
            f'{"".join(cells)}</tr>'
        )
    only = {k: 0 for k in keys}
    for g in data["claims"]:
        if len(set(g["outlets"])) == 1:
            for k in cols.of([c["evidence"] for c in g["claims"]][:1], g["outlets"][:1])[:1]:
                only[k] += 1
    foot = "".join(f'<td data-col="{k}">{only[k]}</td>' for k in keys)
    legend = (
        '<span class="carries">●</span> carries <span class="omits">○</span> omits '
        '<span class="disputes">≠</span> disputes (on another side than most outlets); '
        "click a row to mark its evidence, an outlet to show its article"
    )
    table = (
        f'<details id="matrix" open><summary>Coverage: {len(rows)} claim groups told by more '
        f"than one outlet × {len(keys)} outlets</summary><p class=\"legend\">{legend}</p>"
        f'<div class="mwrap"><table><thead><tr><th class="corner">claim group</th>{head}</tr>'
        f'</thead><tbody>{"".join(body)}</tbody><tfoot><tr><th>claims only this outlet '
        f"tells</th>{foot}</tr></tfoot></table></div></details>"
    )
    return table, len(rows)


def _marked_text(
    text: str, spans: list[tuple[int, int, str]], clutter: Iterable[tuple[int, int]] = ()
) -> str:
    """The article text with <mark> around every evidence span (overlaps split into pieces).

    A mark lists the tokens it belongs to (``data-ids``) and those whose span starts there
    (``data-starts``, where the page puts a side's letter). Page clutter is dimmed.
    """
    clutter = [(s, e) for s, e in clutter if s < e]
    cuts = {0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans}
    cuts |= {s for s, _ in clutter} | {e for _, e in clutter}
    cuts = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        ids = list(dict.fromkeys(fid for s, e, fid in spans if s <= a and b <= e))
        piece = escape(text[a:b])
        if ids:
            starts = list(dict.fromkeys(fid for s, _, fid in spans if s == a))
            attr = f' data-starts="{_e(" ".join(starts))}"' if starts else ""
            piece = f'<mark data-ids="{_e(" ".join(ids))}"{attr}>{piece}</mark>'
        if any(s <= a and b <= e for s, e in clutter):
            piece = f'<span class="clutter" title="page clutter, not a claim">{piece}</span>'
        out.append(piece)
    return "".join(out)


def _link(url: str) -> str:
    """The URL as wrapping text, a link only when it is http(s) (never javascript: and such)."""
    if not url:
        return ""
    if urlsplit(url.strip()).scheme.lower() in {"http", "https"}:
        return (f'<a class="url" href="{_e(url.strip())}" rel="noopener noreferrer" '
                f'target="_blank">{_e(url)}</a>')
    return f'<span class="url">{_e(url)}</span>'


def _column(a: dict, key: str, spans: list, claims: int, shown: bool, families: dict) -> str:
    family = a.get("family") or ""
    copy = ""
    if family and family != a["id"]:
        copy = f' · <span class="copy">copy of {_e(families.get(family, family))}</span>'
    date = (a.get("published") or "")[:10]
    meta = f'<b>{_e(a["outlet"])}</b>' + (f" · {_e(date)}" if date else "") + copy
    clutter = [(b["start"], b["end"]) for b in a.get("boilerplate") or []]
    dimmed = f" · {len(clutter)} clutter spans dimmed" if clutter else ""
    return (
        f'<section class="article" data-col="{key}" data-article="{_e(a["id"])}"'
        f'{"" if shown else " hidden"}><div class="colhead"><h2>{_e(a["title"] or a["outlet"])}'
        f'</h2><div class="meta">{meta}</div><div class="link">{_link(a.get("url") or "")}</div>'
        f'<div class="stats">{claims} claims{dimmed} <span class="hits"></span></div></div>'
        f'<p class="text">{_marked_text(a["text"], spans, clutter)}</p></section>'
    )


def _chips(data: dict, cards: _Findings) -> str:
    kinds = {k: sum(d["kind"] == k for d in data["disputes"]) for k in KINDS}
    kinds.update({d["kind"]: kinds.get(d["kind"], 0) for d in data["disputes"]})
    kind_chips = "".join(
        f'<button type="button" class="chip" data-kind="{_e(k)}" aria-pressed="true"'
        f'{"" if n else " disabled"}>{_e(k)} <span class="count">{n}</span></button>'
        for k, n in kinds.items()
    )
    type_chips = "".join(
        f'<button type="button" class="chip" data-type="{t}" aria-pressed="true">{label} '
        f'<span class="count">{cards.counts[t]}</span></button>'
        for t, label in FINDING_TYPES
    )
    return (
        f'<div class="chips" role="group" aria-label="dispute kind"><span class="lab">kind'
        f'</span>{kind_chips}</div><div class="chips" role="group" aria-label="finding type">'
        f'<span class="lab">show</span>{type_chips}</div>'
    )


def _picker(cols: _Columns, claims: dict[str, int], shown: set[str]) -> str:
    boxes = "".join(
        f'<label class="pick"><input type="checkbox" value="{k}"'
        f'{" checked" if k in shown else ""}> {_e(cols.outlet[k])} '
        f'<span class="n" title="claims">{claims[k]}</span>'
        '<span class="hits" title="marks of the selected finding"></span></label>'
        for k in cols.outlet
    )
    return (
        f'<details id="picker" open><summary>Outlets side by side: <span id="nshown">'
        f"{len(shown)}</span> of {len(cols.outlet)}</summary><div class=\"boxes\">"
        '<button type="button" id="pick-all">all</button>'
        f'<button type="button" id="pick-default">default</button>{boxes}</div></details>'
    )


def report_parts(data: dict) -> dict[str, str]:
    """The report's pieces as escaped HTML (findings pane, picker, matrix, article columns,
    the page script's JSON config, title and summary), for the static page and the web app."""
    articles = data["articles"]
    cols = _Columns(articles)
    cards = _Findings(data, cols).build()
    claims = {k: 0 for k in cols.outlet}
    for g in data["claims"]:
        for c in g["claims"]:
            key = cols.key.get(c["evidence"]["article_id"])
            if key:
                claims[key] += 1
    ranked = sorted(cols.outlet, key=lambda k: -claims[k])  # stable: ties in article order
    shown = set(ranked[:DEFAULT_COLUMNS])
    families = {a["id"]: a["outlet"] for a in articles}
    columns = []
    for a in articles:
        key = cols.key[a["id"]]
        spans = [(ev["start"], ev["end"], t) for t, ev in cards.pairs
                 if ev["article_id"] == a["id"]]
        columns.append(_column(a, key, spans, claims[key], key in shown, families))
    matrix, _ = _matrix(data, cols)
    config = json.dumps({"default": ranked[:DEFAULT_COLUMNS], "letters": SIDE_LETTERS})
    config = config.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    outlets = len({a["outlet"] for a in articles})
    title = f"Storyline comparison: {len(articles)} articles, {outlets} outlets"
    summary = (f"{len(data['disputes'])} disputes · {len(data['claims'])} claim groups · "
               f"same event {data['same_event']:.2f}")
    return {
        "title": _e(title),
        "summary": _e(summary),
        "findings": _chips(data, cards) + "".join(cards.sections),
        "picker": _picker(cols, claims, shown),
        "matrix": matrix,
        "columns": "".join(columns),
        "config": config,
    }


def render_html(data: dict) -> str:
    """The whole report page for a comparison dict."""
    p = report_parts(data)
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{p['title']}</title><style>{_asset('report.css')}</style></head><body>"
        f"<header><h1>{p['title']}</h1><span class=\"sum\">{p['summary']}</span></header>"
        f'<div class="layout"><aside id="findings">{p["findings"]}</aside><main>'
        f'{p["picker"]}{p["matrix"]}<div id="articles">{p["columns"]}</div></main></div>'
        f'<script type="application/json" id="config">{p["config"]}</script>'
        f"<script>{_asset('report.js')}</script></body></html>"
    )

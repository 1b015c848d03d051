"""A self-contained HTML report: the articles side by side, every finding's evidence marked.

Built from the comparison's plain dict (the same data as ``--json``), so the page and the JSON
never disagree. Clicking a finding highlights its evidence spans in the article columns.
"""

from __future__ import annotations

import json
from html import escape

_CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222}
header{padding:12px 20px;background:#1d3557;color:#fff}
header h1{margin:0;font-size:20px}
main{display:grid;grid-template-columns:360px 1fr;gap:0;height:calc(100vh - 56px)}
#findings{overflow:auto;border-right:1px solid #ccc;padding:8px 12px;font-size:13px}
#articles{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(280px,1fr);overflow:auto}
.article{padding:10px 14px;border-right:1px solid #eee;line-height:1.5;font-size:14px;
 white-space:pre-wrap}
.article h2{font-size:15px;margin:0 0 4px;white-space:normal}
.meta{color:#666;font-size:12px;margin-bottom:8px;white-space:normal}
.finding{border:1px solid #ddd;border-radius:6px;padding:6px 8px;margin:6px 0;cursor:pointer}
.finding:hover,.finding.on{border-color:#e76f51;background:#fff4ef}
.kind{font-weight:600;text-transform:uppercase;font-size:11px;letter-spacing:.04em}
.shared .kind{color:#2a9d8f}.only_in .kind{color:#b8860b}
.conflicting .kind,.conflict .kind{color:#c1121f}
.wording .kind{color:#6a4c93}.entity .kind{color:#1d3557}.source .kind{color:#457b9d}
mark{background:#eee;border-radius:2px;padding:0}
mark.hit{background:#ffd166;outline:2px solid #e76f51}
.loaded{color:#c1121f;font-weight:600}.neutral{color:#2a9d8f}
h3{margin:14px 0 4px;font-size:14px}
"""

_JS = """
const F = JSON.parse(document.getElementById('evidence').textContent);
function show(id){
  document.querySelectorAll('mark.hit').forEach(m=>m.classList.remove('hit'));
  document.querySelectorAll('.finding.on').forEach(m=>m.classList.remove('on'));
  const el=document.querySelector('[data-f="'+id+'"]'); if(el) el.classList.add('on');
  let first=null;
  document.querySelectorAll('mark').forEach(m=>{
    if((' '+m.dataset.ids+' ').includes(' '+id+' ')){m.classList.add('hit'); first=first||m;}
  });
  if(first) first.scrollIntoView({block:'center',behavior:'smooth'});
}
document.querySelectorAll('.finding').forEach(el=>el.addEventListener('click',()=>show(el.dataset.f)));
"""


def _evidence_index(data: dict) -> tuple[list[tuple[str, dict]], list[str]]:
    """(finding id, evidence) pairs and the finding cards, in display order."""
    pairs: list[tuple[str, dict]] = []
    cards: list[str] = []

    def card(fid: str, cls: str, kind: str, body: str, evidences: list[dict]) -> None:
        pairs.extend((fid, ev) for ev in evidences)
        cards.append(
            f'<div class="finding {cls}" data-f="{fid}"><span class="kind">{escape(kind)}</span>'
            f"<div>{body}</div></div>"
        )

    cards.append("<h3>Disputes</h3>")
    for d in data["disputes"]:
        body = "<br>".join(
            f"<b>{escape(s['value'][:140])}</b>: {escape(', '.join(s['outlets']))}"
            f" ({s['independent']} independent)"
            for s in d["sides"]
        )
        card(
            d["id"],
            "conflict",
            f"{d['kind']} · {d['question']}",
            body,
            [e for s in d["sides"] for e in s["evidence"]],
        )
    for status, title in (
        ("conflicting", "Disputed claims"),
        ("shared", "Shared claims"),
        ("only_in", "Only one outlet"),
    ):
        cards.append(f"<h3>{title}</h3>")
        for g in (g for g in data["claims"] if g["status"] == status):
            first = g["claims"][0]["evidence"]["text"]
            body = f"{escape(', '.join(g['outlets']))}: {escape(first[:160])}"
            card(
                g["id"],
                status,
                f"{status.replace('_', ' ')} · {g['confidence']:.2f}",
                body,
                [c["evidence"] for c in g["claims"]],
            )
    cards.append("<h3>Wording</h3>")
    for w in data["wording"]:
        body = "<br>".join(
            f'<b>{escape(t["outlet"])}</b>: <span class="{"loaded" if t["loaded"] else "neutral"}'
            f'">{escape(t["term"])}</span>'
            for t in w["terms"]
        )
        card(
            w["id"],
            "wording",
            f"wording · {w['referent']}",
            body,
            [t["evidence"] for t in w["terms"]],
        )
    cards.append("<h3>Sources</h3>")
    for n, p in enumerate(data["provenance"]):
        credits = p["upstream"] + p["speakers"]
        if credits:
            body = f"<b>{escape(p['outlet'])}</b>: " + "; ".join(
                escape(f"{s['name']} ({s['kind']})") for s in credits
            )
            card(f"p{n + 1}", "source", "provenance", body, [s["evidence"] for s in credits])
    cards.append("<h3>Entities</h3>")
    for e in data["entities"]:
        spellings = sorted({v["spelling"] for v in e["variants"]})
        if len(spellings) < 2 and not e["descriptions"]:
            continue
        body = f"<b>{escape(e['name'])}</b>: {escape(' / '.join(spellings))} ({escape(e['rule'])})"
        card(
            e["id"],
            "entity",
            "same entity",
            body,
            [v["evidence"] for v in e["variants"] + e["descriptions"]],
        )
    return pairs, cards


def _marked_text(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The article text with <mark> around every evidence span (overlaps split into pieces)."""
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        ids = [fid for s, e, fid in spans if s <= a and b <= e]
        piece = escape(text[a:b])
        out.append(
            f'<mark data-ids="{" ".join(dict.fromkeys(ids))}">{piece}</mark>' if ids else piece
        )
    return "".join(out)


def render_html(data: dict) -> str:
    """The whole report page for a comparison dict."""
    pairs, cards = _evidence_index(data)
    columns = []
    for a in data["articles"]:
        spans = [(ev["start"], ev["end"], fid) for fid, ev in pairs if ev["article_id"] == a["id"]]
        meta = " · ".join(x for x in (a["outlet"], (a["published"] or "")[:10], a["url"]) if x)
        columns.append(
            f'<section class="article"><h2>{escape(a["title"] or a["outlet"])}</h2>'
            f'<div class="meta">{escape(meta)}</div>{_marked_text(a["text"], spans)}</section>'
        )
    evidence = json.dumps(sorted({fid for fid, _ in pairs})).replace("</", "<\\/")
    title = f"Storyline comparison of {len(data['articles'])} articles"
    return (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(title)}</title>"
        f"<style>{_CSS}</style><header><h1>{escape(title)} · same event "
        f"{data['same_event']:.2f}</h1></header><main><div id=findings>{''.join(cards)}</div>"
        f"<div id=articles>{''.join(columns)}</div></main>"
        f'<script type="application/json" id="evidence">{evidence}</script>'
        f"<script>{_JS}</script></html>"
    )

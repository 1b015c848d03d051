"""The terminal report of a comparison (Rich), drawn from the comparison's plain dict."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from storyline.interfaces.terminal import safe

STATUS_STYLE = {"shared": "green", "only_in": "yellow", "conflicting": "bold red"}
# Claims longer than this are cut in the terminal; the JSON and HTML reports keep them whole.
CLAIM_CHARS = 160


def _cut(text: str, n: int = CLAIM_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _articles(data: dict) -> Table:
    t = Table(title="Articles", expand=True)
    for col in ("outlet", "title", "published", "id"):
        t.add_column(col)
    for a in data["articles"]:
        t.add_row(
            safe(a["outlet"]),
            safe(_cut(a["title"] or "—", 70)),
            safe((a["published"] or "—")[:10]),
            safe(a["id"]),
        )
    return t


def _claims(data: dict, status: str, title: str) -> Table | None:
    groups = [g for g in data["claims"] if g["status"] == status]
    if not groups:
        return None
    t = Table(title=f"{title} ({len(groups)})", expand=True, show_lines=True)
    t.add_column("outlets", style=STATUS_STYLE[status], ratio=1)
    t.add_column("claim (evidence)", ratio=4)
    t.add_column("conf", justify="right")
    for g in groups:
        lines = Text()
        for c in g["claims"]:
            ev = c["evidence"]
            lines.append(safe(f"[{ev['outlet']} §{ev['sentence']}] ", "dim"))
            lines.append(safe(_cut(ev["text"]) + "\n"))
        t.add_row(safe(", ".join(g["outlets"])), lines, f"{g['confidence']:.2f}")
    return t


def _disputes(data: dict) -> Table | None:
    """Disputes first: one row per disputed question, each side with its outlets."""
    if not data["disputes"]:
        return None
    groups = {g["id"]: g for g in data["claims"]}
    t = Table(title=f"Disputes ({len(data['disputes'])})", expand=True, show_lines=True)
    for col in ("kind", "question (about)", "sides: value — outlets §sentence · credited", "conf"):
        t.add_column(col)
    for d in data["disputes"]:
        about = Text()
        about.append(safe(d["question"]))
        group = groups.get(d["group"])
        if group:
            about.append(safe("\n" + _cut(group["claims"][0]["evidence"]["text"], 90), "dim"))
        sides = Text()
        for s in d["sides"]:
            n = len(s["outlets"])
            sides.append(safe(_cut(s["value"], 60), "bold"))
            sides.append(safe(f" — {n} outlet{'s' if n > 1 else ''}"
                              + (f", {s['independent']} independent" if s["independent"] < n
                                 else "") + "\n"))
            refs = ", ".join(f"{e['outlet']} §{e['sentence']}" for e in s["evidence"])
            sides.append(safe(f"   {refs}\n"))
            if s["credits"]:
                sides.append(safe(f"   credited: {'; '.join(s['credits'])}\n", "dim"))
        t.add_row(safe(d["kind"]), about, sides, f"{d['confidence']:.2f}")
    return t


def _provenance(data: dict) -> Table:
    t = Table(title="Provenance: who each outlet relies on", expand=True)
    for col in ("outlet", "upstream sources", "people quoted"):
        t.add_column(col)
    for p in data["provenance"]:
        up = "; ".join(f"{s['name']} ({s['cue']})" for s in p["upstream"]) or "—"
        sp = "; ".join(s["name"] for s in p["speakers"]) or "—"
        t.add_row(safe(p["outlet"]), safe(up), safe(sp))
    return t


def _wording(data: dict) -> Table | None:
    if not data["wording"]:
        return None
    t = Table(title="Wording: loaded vs neutral terms", expand=True)
    for col in ("referent", "terms by outlet", "from"):
        t.add_column(col)
    for w in data["wording"]:
        terms = Text()
        for term in w["terms"]:
            terms.append(safe(f"{term['outlet']}: "))
            terms.append(safe(f"“{term['term']}”", "bold red" if term["loaded"] else "green"))
            terms.append("  ")
        t.add_row(safe(w["referent"]), terms, safe(w["source"]))
    return t


def _entities(data: dict) -> Table | None:
    spelled = [
        e
        for e in data["entities"]
        if len({v["spelling"] for v in e["variants"]}) > 1 or e["descriptions"]
    ]
    if not spelled:
        return None
    t = Table(title="Same entity, different spellings", expand=True)
    for col in ("entity", "spellings by outlet", "rule"):
        t.add_column(col)
    for e in spelled:
        by_outlet: dict[str, list[str]] = {}
        for v in e["variants"] + e["descriptions"]:
            by_outlet.setdefault(v["outlet"], [])
            if v["spelling"] not in by_outlet[v["outlet"]]:
                by_outlet[v["outlet"]].append(v["spelling"])
        t.add_row(
            safe(e["name"]),
            safe("; ".join(f"{o}: {', '.join(s)}" for o, s in by_outlet.items())),
            safe(e["rule"]),
        )
    return t


def render_comparison(data: dict, console: Console) -> None:
    """Print a comparison (as produced by ``to_dict``) to a Rich console."""
    header = Text(f"Same event: {data['same_event']:.2f}   ")
    counts = {s: sum(1 for g in data["claims"] if g["status"] == s) for s in STATUS_STYLE}
    for status, n in counts.items():
        header.append(f"{status.replace('_', ' ')}: {n}   ", style=STATUS_STYLE[status])
    parts = [
        _articles(data),
        header,
        _disputes(data),
        _claims(data, "conflicting", "Disputed claims"),
        _claims(data, "shared", "Shared claims"),
        _claims(data, "only_in", "Reported by one outlet only"),
        _provenance(data),
        _wording(data),
        _entities(data),
    ]
    console.print(Panel(Group(*[p for p in parts if p is not None]), title="Storyline comparison"))


def render_analysis(data: dict, console: Console) -> None:
    """Print one article's analysis layers."""
    a = data["article"]
    console.print(
        Panel(
            safe(
                f"{a['title'] or '(no headline)'}\n{a['outlet'] or a['source']} · "
                f"{a['published'] or 'undated'} · {a['language']} · {a['id']}"
            ),
            title="Article",
        )
    )
    text = a["text"]
    t = Table(title="Layers", expand=True)
    for col in ("layer", "span", "text", "detail"):
        t.add_column(col)
    for m in data["mentions"]:
        t.add_row("entity", f"{m['start']}-{m['end']}", safe(m["text"]), safe(m["label"]))
    for q in data["quantities"]:
        t.add_row(
            "quantity",
            f"{q['start']}-{q['end']}",
            safe(q["text"]),
            safe(f"{q['value']:g} {q['unit']}"),
        )
    for d in data["times"]:
        t.add_row(
            "date", f"{d['start']}-{d['end']}", safe(d["text"]), safe(d["value"] or "unresolved")
        )
    for q in data["quotes"]:
        kind = "quote" if q["direct"] else "reported"
        t.add_row(
            kind,
            f"{q['start']}-{q['end']}",
            safe(_cut(text[q["content_start"] : q["content_end"]], 80)),
            safe(f"{q['speaker'] or '?'} ({q['cue']})"),
        )
    for r in data["attributions"]:
        t.add_row("source", f"{r['start']}-{r['end']}", safe(r["source"]), safe(r["cue"]))
    for d in data["descriptions"]:
        t.add_row("description", f"{d['start']}-{d['end']}", safe(d["text"]), safe(d["head"]))
    console.print(f"{len(data['sentences'])} sentences")
    console.print(t)


def render_timeline(data: dict, console: Console) -> None:
    """A story's articles drawn on a time axis, one row per article."""
    rows = data["timeline"]
    dated = [r for r in rows if r["published"]]
    console.print(
        Panel(
            safe(
                f"{data['label']}\n{data['articles']} articles · "
                f"{len(data['outlets'])} outlets · "
                + (f"{' '.join(data['languages'])} · " if data.get("languages") else "")
                + f"{data['id']}"
            ),
            title="Story",
        )
    )
    if dated:
        from datetime import datetime

        times = [datetime.fromisoformat(r["published"]) for r in dated]
        lo, hi = min(times), max(times)
        span = (hi - lo).total_seconds() or 1.0
        width = 40
        console.print(f"timeline {lo:%Y-%m-%d %H:%M} → {hi:%Y-%m-%d %H:%M}")
        for r, when in zip(dated, times, strict=True):
            pos = int((when - lo).total_seconds() / span * (width - 1))
            bar = "·" * pos + "●" + "·" * (width - 1 - pos)
            copy = " (copy)" if r["copy_of"] else ""
            console.print(
                Text.assemble(
                    (bar, "cyan"),
                    f" {when:%m-%d %H:%M} ",
                    safe(f"{r['outlet'][:24]:<24}", "bold"),
                    safe(f" {_cut(r['title'] or '', 60)}{copy}"),
                    (f"  {r['id']}", "dim"),
                )
            )
    for r in rows:
        if not r["published"]:
            console.print(
                safe(
                    f"{'(undated)':>50} {r['outlet'][:24]:<24} {_cut(r['title'] or '', 60)}"
                    f"  {r['id']}"
                )
            )


def describe_correction(c: dict) -> str:
    """One line for a user's correction (``to_dict`` of a Correction)."""
    when = (c["at"] or "")[:16].replace("T", " ")
    n = len(c["article_ids"])
    articles = f"{n} article{'s' if n != 1 else ''}"
    if c["kind"] == "merge":
        what = f"merged {', '.join(c['from_ids'])} into {c['story_id']} ({articles})"
    elif c["kind"] == "split":
        what = f"split {articles} off {c['from_ids'][0]} into new story {c['story_id']}"
    else:
        target = f"new story {c['story_id']}" if c["new_story"] else c["story_id"]
        what = f"moved article {c['article_ids'][0]} from {c['from_ids'][0]} to {target}"
        if c["removed"]:
            what += f" ({c['removed'][0]} emptied)"
    return f"#{c['id']} {when} {c['kind']}: {what}"

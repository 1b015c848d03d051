"""The web app of `storyline serve`: server-rendered pages over the API's own view dicts.

Templates (Jinja2, autoescaped) and static files live in ``interfaces/web/``; no build step,
no CDN, no inline script (the guard's Content-Security-Policy forbids it). Form posts carry a
CSRF token that must match their cookie; with ``serve_token`` set, they also need the session
cookie that signing in with the token sets.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from storyline.errors import InputError, StorylineError
from storyline.interfaces.report_html import _marked_text, report_parts
from storyline.service.browsing import PAGE_DEFAULT, PAGE_MAX

CSRF_COOKIE = "storyline_csrf"
SESSION_COOKIE = "storyline_session"
STATIC = {  # name -> media type: only these files are served from web/
    "report.css": "text/css", "report.js": "text/javascript",
    "app.css": "text/css", "app.js": "text/javascript",
}
LAYERS = ("mention", "quantity", "time", "quote", "attribution")
# Timeline geometry (SVG user units): a lane per outlet, the time axis across.
LANE_PX, AXIS_LEFT, AXIS_WIDTH = 26, 170, 800
POINT_PAD = 10  # the first report's star clear of the lane's name
# The same chart for a phone (a 390 px window leaves ~350 px inside the page's padding), shown
# instead of the wide one under 820 px: scaled down, the wide one's text was ~4 px high, and
# scrolled, its later articles were out of sight. Two ticks: three labels of ~74 px overlap.
NARROW_LEFT, NARROW_WIDTH, NARROW_TICKS, NARROW_LABEL = 104, 226, 2, 15


@cache
def _env():
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("storyline.interfaces", "web/templates"),
                      autoescape=True)
    env.filters["day"] = lambda v: (v or "")[:10]
    env.filters["when"] = lambda v: (v or "—")[:16].replace("T", " ")
    env.filters["http"] = _http_url
    return env


def _http_url(url: str) -> str:
    """The URL when it is http(s), else "" (a javascript: URL never becomes a link)."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


def _session_value(token: str) -> str:
    return hmac.new(token.encode(), b"storyline-session", hashlib.sha256).hexdigest()


def _signed_in(request: Request) -> bool:
    token = str(request.app.state.settings["serve_token"]).strip()
    if not token:
        return True
    given = request.cookies.get(SESSION_COOKIE, "")
    return hmac.compare_digest(given.encode(), _session_value(token).encode())


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    """A page, with the CSRF cookie set when the browser has none yet."""
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    token_set = bool(str(request.app.state.settings["serve_token"]).strip())
    html = _env().get_template(template).render(
        csrf=csrf, signed_in=_signed_in(request), token_set=token_set, path=request.url.path,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
    return response


def error_page(request: Request, exc: StorylineError, status: int) -> HTMLResponse:
    return render(request, "error.html", status=status, error=exc)


def _check_form(request: Request, csrf: str) -> None:
    """A form post must carry its CSRF cookie's value, and be signed in when a token is set."""
    from storyline.errors import SettingError

    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), csrf.encode()):
        raise SettingError("the form expired or came from another site",
                           hint="reload the page and send the form again")
    if not _signed_in(request):
        raise SettingError("writes need the server's token", hint="sign in first")


def _back(path: str, **query) -> RedirectResponse:
    query = {k: v for k, v in query.items() if v}
    return RedirectResponse(path + ("?" + urlencode(query) if query else ""), status_code=303)


# --------------------------------------------------------------------------- charts


def _ts(value: str | None) -> float | None:
    return datetime.fromisoformat(value).timestamp() if value else None


def timeline_chart(view: dict, axis_left: int = AXIS_LEFT, axis_width: int = AXIS_WIDTH,
                   tick_count: int = 5, label_chars: int = 26) -> dict:
    """Positions of a story's articles on a time axis, one lane per outlet (an SVG drawn by
    the template; undated articles are listed apart)."""
    times = [t for lane in view["timeline"] for p in lane["points"]
             if (t := _ts(p["published"])) is not None]
    low, high = (min(times), max(times)) if times else (0.0, 1.0)
    span = max(high - low, 1.0)
    lanes, undated = [], []
    for n, lane in enumerate(view["timeline"]):
        points = []
        for p in lane["points"]:
            t = _ts(p["published"])
            if t is None:
                undated.append(p)
                continue
            x = axis_left + POINT_PAD + (t - low) / span * (axis_width - 2 * POINT_PAD)
            points.append({**p, "x": round(x, 1)})
        lanes.append({"outlet": lane["outlet"], "y": n * LANE_PX + LANE_PX // 2 + 4,
                      "points": points})
    ticks = []
    if times:
        last = tick_count - 1
        for k in range(tick_count):
            t = low + span * k / last
            ticks.append({"x": round(axis_left + POINT_PAD + (axis_width - 2 * POINT_PAD) * k
                                     / last, 1),
                          "label": datetime.fromtimestamp(t, UTC).strftime("%d %b %H:%M"),
                          # the end labels inside the chart, not cut at its edges
                          "anchor": "start" if k == 0 else "end" if k == last else "middle"})
    return {"lanes": lanes, "undated": undated, "ticks": ticks, "label_chars": label_chars,
            "left": axis_left, "height": len(lanes) * LANE_PX + 30,
            "width": axis_left + axis_width + 20}


def sparkline(coverage: list[dict]) -> dict:
    """Bars of articles per day for a stories-list row."""
    top = max((c["articles"] for c in coverage), default=1)
    bars = [{"x": n * 7, "h": max(2, round(18 * c["articles"] / top)), **c}
            for n, c in enumerate(coverage)]
    return {"bars": bars, "width": max(7, 7 * len(bars))}


# Provenance graph geometry: three columns (outlets, upstream sources, people quoted).
GRAPH_ROW_PX, GRAPH_COLUMNS = 22, (150, 470, 790)


def provenance_graph(data: dict) -> dict:
    """Nodes and edges of who relies on whom: each outlet to the upstream media it credits and
    to the people it quotes (an SVG drawn by the template)."""
    outlets = list(dict.fromkeys(p["outlet"] for p in data["provenance"]))
    upstream = list(dict.fromkeys(s["name"] for p in data["provenance"] for s in p["upstream"]))
    speakers = list(dict.fromkeys(s["name"] for p in data["provenance"] for s in p["speakers"]))

    def column(names: list[str], x: int) -> dict[str, dict]:
        return {n: {"name": n, "x": x, "y": 30 + k * GRAPH_ROW_PX} for k, n in enumerate(names)}

    nodes = [column(outlets, GRAPH_COLUMNS[0]), column(upstream, GRAPH_COLUMNS[1]),
             column(speakers, GRAPH_COLUMNS[2])]
    edges = []
    for p in data["provenance"]:
        start = nodes[0][p["outlet"]]
        for credits, targets, kind in ((p["upstream"], nodes[1], "upstream"),
                                       (p["speakers"], nodes[2], "speaker")):
            for name in dict.fromkeys(s["name"] for s in credits):
                end = targets[name]
                edges.append({"x1": start["x"] + 6, "y1": start["y"], "x2": end["x"] - 6,
                              "y2": end["y"], "kind": kind, "outlet": p["outlet"],
                              "name": name})
    rows = max(len(outlets), len(upstream), len(speakers), 1)
    return {"nodes": [list(c.values()) for c in nodes], "edges": edges,
            "height": 40 + rows * GRAPH_ROW_PX, "width": GRAPH_COLUMNS[2] + 200}


def spellings(data: dict) -> list[dict]:
    """Entities the outlets spell differently: each spelling with the outlets using it."""
    out = []
    for e in data["entities"]:
        by: dict[str, list[str]] = {}
        for v in e["variants"]:
            by.setdefault(v["spelling"], [])
            if v["outlet"] not in by[v["spelling"]]:
                by[v["spelling"]].append(v["outlet"])
        if len(by) > 1:
            out.append({"name": e["name"], "label": e["label"],
                        "spellings": [{"spelling": k, "outlets": v} for k, v in by.items()]})
    return out


_PIECES: OrderedDict[str, tuple] = OrderedDict()  # ETag -> the story page's report pieces
_PIECES_LOCK = threading.Lock()
PIECES_CACHE_SIZE = 64  # as many as the Catalog keeps comparisons


def _report_pieces(data: dict, etag: str) -> tuple:
    """The report's HTML pieces, provenance graph and spellings of a comparison, built once
    per comparison (1.1 ms for the demo's story, 1.6 ms for the 12-outlet test fixture: small,
    but paid on every view of a page read ~100 times a second under load)."""
    with _PIECES_LOCK:
        if etag in _PIECES:
            return _PIECES[etag]
    pieces = (report_parts(data), provenance_graph(data), spellings(data))
    with _PIECES_LOCK:
        _PIECES[etag] = pieces
        while len(_PIECES) > PIECES_CACHE_SIZE:
            _PIECES.popitem(last=False)
    return pieces


def article_marks(view: dict) -> str:
    """The article text with every analysis layer's spans marked (escaped)."""
    layers = view["analysis"] or {}
    spans = []
    for m in layers.get("mentions", []):
        spans.append((m["start"], m["end"], "mention"))
    for q in layers.get("quantities", []):
        spans.append((q["start"], q["end"], "quantity"))
    for t in layers.get("times", []):
        spans.append((t["start"], t["end"], "time"))
    for q in layers.get("quotes", []):
        spans.append((q["content_start"], q["content_end"], "quote"))
    for a in layers.get("attributions", []):
        spans.append((a["start"], a["end"], "attribution"))
    clutter = [(s["start"], s["end"]) for s in layers.get("sentences", []) if s.get("boilerplate")]
    return _marked_text(view["text"], spans, clutter)


# --------------------------------------------------------------------------- routes


def build_web() -> APIRouter:
    from storyline.interfaces.api import story_filter

    r = APIRouter()

    @r.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, q: str = "", outlet: str = "", since: str = "",
                     until: str = "", min_size: int = Query(0, ge=0), offset: int = Query(0, ge=0),
                     limit: int = Query(PAGE_DEFAULT, ge=1, le=PAGE_MAX)):
        catalog = request.app.state.catalog
        where = story_filter(since or None, until or None, outlet, q, min_size, None)
        page = catalog.stories(where, offset, limit)
        for row in page["items"]:
            row["spark"] = sparkline(row["coverage"])
        form = {"q": q, "outlet": outlet, "since": since, "until": until,
                "min_size": min_size or ""}
        pager = {k: v for k, v in form.items() if v}
        return render(request, "stories.html", page=page, form=form, pager=pager,
                      outlets=[o["name"] for o in catalog.outlets()], urlencode=urlencode)

    @r.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str):
        catalog = request.app.state.catalog
        kept = catalog.successor(story_id)
        if kept:  # merged away (story ids are never reused): its articles are there now
            return _back(f"/stories/{kept}")
        view = catalog.story(story_id)
        parts, problem, graph, names = None, None, None, []
        try:
            data, etag = catalog.comparison(story_id)
            parts, graph, names = _report_pieces(data, etag)
        except StorylineError as exc:  # too few originals, a language the analysis skips, ...
            problem = exc
        narrow = timeline_chart(view, NARROW_LEFT, NARROW_WIDTH, NARROW_TICKS, NARROW_LABEL)
        return render(request, "story.html", view=view, charts=(
            ("wide", timeline_chart(view)), ("narrow", narrow)),
                      parts=parts, problem=problem, graph=graph, names=names)

    @r.post("/stories/merge", include_in_schema=False)
    def merge_selected_form(request: Request, ids: list[str] = Form(default=[]),
                            csrf: str = Form("")):
        _check_form(request, csrf)
        if len(ids) < 2:
            raise InputError("tick two or more stories to merge")
        done = request.app.state.intake.merge(ids[0], ids[1:])
        return _back(f"/stories/{done['correction']['story_id']}")

    @r.post("/stories/{story_id}/merge", include_in_schema=False)
    def merge_form(request: Request, story_id: str, others: str = Form(""),
                   csrf: str = Form("")):
        _check_form(request, csrf)
        done = request.app.state.intake.merge(story_id, others.replace(",", " ").split())
        return _back(f"/stories/{done['correction']['story_id']}")

    @r.post("/stories/{story_id}/split", include_in_schema=False)
    def split_form(request: Request, story_id: str, article_ids: list[str] = Form(default=[]),
                   csrf: str = Form("")):
        _check_form(request, csrf)
        done = request.app.state.intake.split(story_id, article_ids)
        return _back(f"/stories/{done['correction']['story_id']}")

    @r.post("/articles/{article_id}/move", include_in_schema=False)
    def move_form(request: Request, article_id: str, to: str = Form(""), csrf: str = Form("")):
        _check_form(request, csrf)
        done = request.app.state.intake.move(article_id, to.strip() or None)
        return _back(f"/stories/{done['correction']['story_id']}")

    @r.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", outlet: str = "",
                    offset: int = Query(0, ge=0)):
        page = request.app.state.catalog.search(q, outlet, offset, PAGE_DEFAULT)
        pager = {k: v for k, v in {"q": q, "outlet": outlet}.items() if v}
        return render(request, "articles.html", page=page, q=q, outlet=outlet, pager=pager,
                      urlencode=urlencode)

    @r.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str):
        view = request.app.state.catalog.article(article_id)
        counts = {k: len((view["analysis"] or {}).get(k + "s", [])) for k in
                  ("mention", "time", "quote", "attribution")}
        counts["quantity"] = len((view["analysis"] or {}).get("quantities", []))
        return render(request, "article.html", view=view, marked=article_marks(view),
                      layers=LAYERS, counts=counts)

    @r.post("/articles/{article_id}/analyse", include_in_schema=False)
    def analyse_form(request: Request, article_id: str, csrf: str = Form("")):
        _check_form(request, csrf)
        request.app.state.catalog.analyse_article(article_id)
        return _back(f"/articles/{article_id}")

    @r.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request):
        return render(request, "outlets.html", outlets=request.app.state.catalog.outlets())

    @r.get("/outlet", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, name: str = ""):
        catalog = request.app.state.catalog
        return render(request, "outlet.html", outlet=catalog.outlet(name),
                      sources=catalog.outlet_sources(name))

    @r.post("/outlet", include_in_schema=False)
    def outlet_form(request: Request, name: str = Form(""), country: str = Form(""),
                    owner: str = Form(""), state_affiliated: str = Form(""),
                    notes: str = Form(""), csrf: str = Form("")):
        _check_form(request, csrf)
        request.app.state.catalog.outlet(name)  # an outlet the store holds
        request.app.state.intake.save_outlet_profile(name, {
            "country": country, "owner": owner, "notes": notes,
            "state_affiliated": state_affiliated == "yes"})
        return _back("/outlet", name=name)

    @r.get("/feeds", response_class=HTMLResponse, include_in_schema=False)
    def feeds_page(request: Request, done: str = "", error: str = ""):
        catalog = request.app.state.catalog
        return render(request, "feeds.html", feeds=catalog.feeds(), skips=catalog.skips(20),
                      done=done, error=error)

    @r.post("/feeds", include_in_schema=False)
    def add_feed_form(request: Request, url: str = Form(""), csrf: str = Form("")):
        _check_form(request, csrf)
        try:
            request.app.state.intake.add_feed(url)
        except StorylineError as exc:
            return _back("/feeds", error=exc.render())
        return _back("/feeds", done=f"added {url.strip()}")

    @r.post("/feeds/opml", include_in_schema=False)
    def import_opml_form(request: Request, opml: UploadFile = File(...), csrf: str = Form("")):
        _check_form(request, csrf)
        try:
            done = request.app.state.intake.import_opml(opml.file.read())
        except StorylineError as exc:
            return _back("/feeds", error=exc.render())
        refused = "; ".join(f"{r['url']}: {r['reason']}" for r in done["refused"][:5])
        return _back("/feeds", done=f"OPML: {len(done['added'])} added, {len(done['already'])} "
                     f"already stored, {len(done['refused'])} refused", error=refused)

    @r.post("/feeds/remove", include_in_schema=False)
    def remove_feed_form(request: Request, url: str = Form(""), csrf: str = Form("")):
        _check_form(request, csrf)
        removed = request.app.state.intake.remove_feed(url)
        return _back("/feeds", done=f"removed {url}" if removed else "", error="" if removed
                     else "no such feed")

    @r.post("/fetch", include_in_schema=False)
    def fetch_form(request: Request, url: str = Form(""), csrf: str = Form("")):
        _check_form(request, csrf)
        try:
            report = request.app.state.intake.post_urls([url])
        except StorylineError as exc:
            return _back("/feeds", error=exc.render())
        return _back("/feeds", done=f"fetched {url.strip()}: {report['added']} added, "
                     f"{report['duplicates']} duplicates, {report['skipped']} skipped")

    @r.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request):
        return render(request, "login.html", failed=False)

    @r.post("/login", include_in_schema=False)
    def login_form(request: Request, token: str = Form(""), csrf: str = Form("")):
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not cookie or not hmac.compare_digest(cookie.encode(), csrf.encode()):
            raise InputError("the form expired or came from another site",
                             hint="reload the page and send the form again")
        expected = str(request.app.state.settings["serve_token"]).strip()
        if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            return render(request, "login.html", status=401, failed=True)
        response = _back("/")
        response.set_cookie(SESSION_COOKIE, _session_value(expected), httponly=True,
                            samesite="strict", path="/")
        return response

    @r.get("/api/v1/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request):
        spec = request.app.openapi()
        return render(request, "docs.html", spec=spec)

    @r.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)  # no icon; a 204 keeps browsers from logging a 404

    @r.get("/static/{name}", include_in_schema=False)
    def static(name: str):
        if name not in STATIC:
            return Response(status_code=404)
        body = resources.files("storyline.interfaces").joinpath("web", name).read_bytes()
        return Response(body, media_type=STATIC[name] + "; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})

    return r

"""The JSON API under /api/v1 and the ASGI app of `storyline serve` (API + web app).

Routes are a few lines over the service's ``Catalog`` (reads) and ``Intake`` (writes); the web
app (``webapp.py``) renders the very same view dicts. Coded errors become JSON
``{"error": {"code", "message", "hint"}}`` with a fitting status, never a traceback. The
OpenAPI document is served at /api/v1/openapi.json and a self-hosted page at /api/v1/docs
(FastAPI's own docs pages load scripts from a CDN: they are turned off).
"""

from __future__ import annotations

import threading
import time
from contextlib import asynccontextmanager
from datetime import datetime

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from storyline.errors import (
    CompareError,
    CorrectionError,
    FetchError,
    InputError,
    NotFoundError,
    SettingError,
    StoreBusyError,
    StoreError,
    StorylineError,
)
from storyline.interfaces.http_guard import Guard, is_loopback
from storyline.service.browsing import PAGE_DEFAULT, PAGE_MAX, Catalog, StoryFilter
from storyline.service.exporting import annotations, feeds_opml, stories_csv
from storyline.service.posting import Intake

API = "/api/v1"
# Comparisons computed after each poll: the most recently active stories without one. The
# demo's 5-article story takes ~5 s on this 2-core machine, so 10 keep a round under a minute.
WARM_STORIES = 10
# Feeds not polled (serve_watch off): the stories posts changed get their comparisons computed
# in the background too, looked for every WARM_EVERY s once posts have paused for WARM_QUIET s
# (a comparison is seconds of analysis on a 2-core machine: amid a stream of posts it would
# take the writer's CPU; serve_load.py's 50 clients never pause that long).
WARM_EVERY, WARM_QUIET = 10.0, 5.0
# Most stories one export holds: a whole store's stories for a newsroom (a few MB of CSV).
EXPORT_MAX = 100_000
# Threads for posts waiting for the writer, beside the pool that serves reads (40 threads):
# every waiting post joins the next group commit, so more threads than concurrent posters
# only idle; the load is 50 posting clients.
WRITE_THREADS = 64


def check_bind(host: str, settings: dict) -> None:
    """Refuse to listen beyond loopback unless writes need a token."""
    if not is_loopback(host) and not str(settings["serve_token"]).strip():
        raise SettingError(
            f"refusing to listen on {host}: beyond loopback, writes need a token",
            hint="set STORYLINE_SERVE_TOKEN (or serve_token in storyline.toml), or bind "
            "127.0.0.1",
        )


def status_of(exc: StorylineError) -> int:
    """The HTTP status of a coded error."""
    for kind, status in ((NotFoundError, 404), (StoreBusyError, 503), (CompareError, 409),
                         (CorrectionError, 422), (FetchError, 422), (InputError, 422),
                         (SettingError, 400), (StoreError, 503)):
        if isinstance(exc, kind):
            return status
    return 400


def error_body(exc: StorylineError) -> dict:
    return {"error": {"code": exc.code, "message": exc.message, "hint": exc.hint or None}}


class IngestBody(BaseModel):
    """Articles (the JSONL fields: title, text, url, outlet, published, language, id) and/or
    URLs of pages or feeds to fetch."""

    articles: list[dict] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list)


class FeedBody(BaseModel):
    url: str


class MergeBody(BaseModel):
    """Stories whose articles join the story named in the path (which keeps its id)."""

    others: list[str]


class SplitBody(BaseModel):
    """Articles of the story that leave it for a new story."""

    article_ids: list[str]


class MoveBody(BaseModel):
    """The story the article goes to; null opens a story of its own."""

    to: str | None = None


class OutletProfile(BaseModel):
    """What the newsroom knows of an outlet."""

    country: str = ""
    owner: str = ""
    state_affiliated: bool = False
    notes: str = ""


class OpmlBody(BaseModel):
    """An OPML document, as text."""

    opml: str


def _date(value: str | None, name: str) -> datetime | None:
    from storyline.ingest.normalize import parse_date

    if not value:
        return None
    when = parse_date(value)
    if when is None:
        raise InputError(f"{name}: cannot read {value[:40]!r} as a date")
    return when


def story_filter(since: str | None, until: str | None, outlet: str, q: str, min_size: int,
                 max_size: int | None) -> StoryFilter:
    """The stories filter from query parameters."""
    return StoryFilter(_date(since, "since"), _date(until, "until"), outlet.strip(), q.strip(),
                       min_size, max_size)


def build_router() -> APIRouter:
    r = APIRouter(prefix=API)

    def catalog(request: Request) -> Catalog:
        return request.app.state.catalog

    @r.get("/stories", summary="Stories, newest first, filtered and paged")
    def list_stories(
        request: Request,
        since: str | None = Query(None, description="Active at or after this date"),
        until: str | None = Query(None, description="First seen at or before this date"),
        outlet: str = Query("", description="Covered by this outlet"),
        q: str = Query("", description="Words in an article's title or text, or text in "
                                   "the story's label"),
        min_size: int = Query(0, ge=0), max_size: int | None = Query(None, ge=0),
        offset: int = Query(0, ge=0), limit: int = Query(PAGE_DEFAULT, ge=1, le=PAGE_MAX),
    ) -> dict:
        where = story_filter(since, until, outlet, q, min_size, max_size)
        return catalog(request).stories(where, offset, limit)

    @r.get("/stories/{story_id}", summary="One story: articles, outlets, timeline")
    def get_story(request: Request, story_id: str) -> dict:
        return catalog(request).story(story_id)

    @r.get("/stories/{story_id}/comparison", summary="The story's full Comparison (ETag)")
    def get_comparison(request: Request, story_id: str) -> Response:
        body, etag = catalog(request).comparison_json(story_id)
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        wanted = (request.headers.get("if-none-match") or "").split(",")
        if etag in {t.strip().removeprefix("W/") for t in wanted}:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/json", headers=headers)

    @r.get("/stories/{story_id}/annotations",
           summary="The comparison's findings as W3C Web Annotations (JSON-LD)")
    def get_annotations(request: Request, story_id: str) -> Response:
        data, etag = catalog(request).comparison(story_id)
        body = annotations(data, story_id, base_url=str(request.base_url) + API.lstrip("/") + "/")
        return JSONResponse(body, media_type='application/ld+json; profile='
                            '"http://www.w3.org/ns/anno.jsonld"', headers={"ETag": etag})

    @r.post("/stories/{story_id}/merge", summary="Merge other stories into this one")
    def merge(request: Request, story_id: str, body: MergeBody) -> dict:
        return request.app.state.intake.merge(story_id, body.others)

    @r.post("/stories/{story_id}/split", summary="Split articles off into a new story")
    def split(request: Request, story_id: str, body: SplitBody) -> dict:
        return request.app.state.intake.split(story_id, body.article_ids)

    @r.post("/articles/{article_id}/move", summary="Move an article to another or a new story")
    def move(request: Request, article_id: str, body: MoveBody) -> dict:
        return request.app.state.intake.move(article_id, body.to)

    @r.get("/corrections", summary="The user's corrections of the stories, oldest first")
    def list_corrections(request: Request, story_id: str | None = None) -> list[dict]:
        return catalog(request).corrections(story_id)

    @r.get("/articles", summary="Articles whose title or text holds q, newest first")
    def search_articles(
        request: Request, q: str = "", outlet: str = "",
        offset: int = Query(0, ge=0), limit: int = Query(PAGE_DEFAULT, ge=1, le=PAGE_MAX),
    ) -> dict:
        return catalog(request).search(q, outlet, offset, limit)

    @r.get("/articles/{article_id}", summary="One article, its story and stored analysis")
    def get_article(request: Request, article_id: str) -> dict:
        return catalog(request).article(article_id)

    @r.get("/outlets", summary="Outlets with their article and story counts and profiles")
    def list_outlets(request: Request) -> list[dict]:
        return catalog(request).outlets()

    @r.get("/outlets/{name:path}",
           summary="One outlet: counts, profile, the sources its analysed articles credit")
    def get_outlet(request: Request, name: str) -> dict:
        return {**catalog(request).outlet(name), "sources": catalog(request).outlet_sources(name)}

    @r.put("/outlets/{name:path}", summary="Edit an outlet's profile")
    def put_outlet(request: Request, name: str, body: OutletProfile) -> dict:
        return request.app.state.intake.save_outlet_profile(name, body.model_dump())

    @r.get("/feeds", summary="Stored feeds and their last poll")
    def list_feeds(request: Request) -> list[dict]:
        return catalog(request).feeds()

    @r.post("/feeds", status_code=201, summary="Add a feed (the URL passes the fetch guard)")
    def add_feed(request: Request, body: FeedBody) -> dict:
        return request.app.state.intake.add_feed(body.url)

    @r.get("/feeds.opml", summary="The stored feeds as an OPML list")
    def export_opml(request: Request) -> Response:
        return Response(feeds_opml(catalog(request).feeds()), media_type="text/x-opml",
                        headers={"Content-Disposition": 'attachment; filename="feeds.opml"'})

    @r.post("/feeds/opml", summary="Add every feed of an OPML list (each through the guard)")
    def import_opml(request: Request, body: OpmlBody) -> dict:
        return request.app.state.intake.import_opml(body.opml.encode("utf-8"))

    @r.delete("/feeds", summary="Remove a feed")
    def remove_feed(request: Request, url: str) -> dict:
        if not request.app.state.intake.remove_feed(url):
            raise NotFoundError(f"no feed {url[:200]!r}")
        return {"removed": url}

    @r.post("/ingest", summary="Store posted articles (idempotent) and fetch posted URLs")
    async def ingest(request: Request, body: IngestBody) -> dict:
        intake: Intake = request.app.state.intake
        # posts wait their turn for the one writer in threads of their own: in the shared
        # pool, 50 waiting posts took every thread and readers waited seconds for one
        writes = request.app.state.write_threads
        out = await anyio.to_thread.run_sync(intake.post_articles, body.articles,
                                             limiter=writes)
        out["urls"] = (await anyio.to_thread.run_sync(intake.post_urls, body.urls,
                                                      limiter=writes) if body.urls else None)
        return out

    @r.get("/export/stories.csv", summary="Every story passing the filter, as CSV")
    def export_csv(request: Request, since: str | None = None, until: str | None = None,
                   outlet: str = "", q: str = "", min_size: int = 0,
                   max_size: int | None = None) -> Response:
        rows = _export(request, story_filter(since, until, outlet, q, min_size, max_size))
        return Response(stories_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="stories.csv"'})

    @r.get("/export/stories.json", summary="Every story passing the filter, as JSON")
    def export_json(request: Request, since: str | None = None, until: str | None = None,
                    outlet: str = "", q: str = "", min_size: int = 0,
                    max_size: int | None = None) -> list[dict]:
        return _export(request, story_filter(since, until, outlet, q, min_size, max_size))

    def _export(request: Request, where: StoryFilter) -> list[dict]:
        rows, offset = [], 0
        while offset < EXPORT_MAX:
            page = catalog(request).stories(where, offset, PAGE_MAX)
            rows += [{k: v for k, v in row.items() if k != "coverage"} for row in page["items"]]
            offset += PAGE_MAX
            if offset >= page["total"]:
                break
        return rows

    return r


def _watch_loop(app: FastAPI, stop: threading.Event) -> None:
    """Poll the stored feeds at once, then every ``watch_interval`` seconds until stopped;
    after each poll, compute the comparisons of the stories that changed most recently."""
    import logging

    log = logging.getLogger("storyline.serve")
    interval = float(app.state.settings["watch_interval"])
    while not stop.is_set():
        try:
            log.info("polled the feeds: %s", app.state.intake.poll())
            log.info("comparisons ready: %s", app.state.catalog.warm(WARM_STORIES, stop.is_set))
        except StorylineError as exc:
            log.warning("poll failed: %s", exc.render())
        stop.wait(interval)


def _warm_loop(app: FastAPI, stop: threading.Event) -> None:
    """Without polling: after each pause in the posts that follows a write, compute the
    comparisons of the stories that changed most recently."""
    import logging

    log = logging.getLogger("storyline.serve")
    catalog: Catalog = app.state.catalog

    def posting() -> bool:  # a round stops between two comparisons when posts resume
        return stop.is_set() or time.monotonic() - app.state.intake.last_post < WARM_QUIET

    warmed = None  # the store's read version the last round saw
    while not stop.wait(WARM_EVERY):
        if posting():
            continue
        try:
            version = catalog.store.read_version()
            if version != warmed:
                log.info("comparisons ready: %s", catalog.warm(WARM_STORIES, posting))
                warmed = version if not posting() else warmed  # cut short: again next pause
        except StorylineError as exc:
            log.warning("comparisons not computed: %s", exc.render())


def _preload(app: FastAPI) -> None:
    """Read the stories list into the catalog's cache (a failure is the first request's) and
    load the language model posts are read with."""
    app.state.intake.preload()
    try:
        app.state.catalog.preload()
    except StorylineError:
        pass


def create_app(settings: dict, *, host: str = "127.0.0.1", extra_hosts: tuple[str, ...] = (),
               start_writer: bool = False):
    """The ASGI app: the API, the web app, the guard; feeds polled when ``serve_watch``;
    ``start_writer``: the writer process started with the app, not by the first post."""
    from storyline.interfaces.webapp import build_web

    check_bind(host, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        stop = threading.Event()
        # the stories list read whole once before the first request needs it (requests that
        # come meanwhile wait for this read rather than make their own)
        threading.Thread(target=_preload, args=(app,), daemon=True,
                         name="storyline-preload").start()
        if start_writer:
            app.state.intake.start_writer()
        loop = _watch_loop if settings["serve_watch"] else _warm_loop
        thread = threading.Thread(target=loop, args=(app, stop), daemon=True,
                                  name="storyline-" + ("watch" if loop is _watch_loop else "warm"))
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=30)
            app.state.intake.close()
            app.state.catalog.close()

    app = FastAPI(title="Storyline", version="1", docs_url=None, redoc_url=None,
                  openapi_url=f"{API}/openapi.json", lifespan=lifespan,
                  description="Stories, articles and claim-by-claim comparisons of a store.")
    app.state.settings = settings
    app.state.catalog = Catalog(settings)
    app.state.intake = Intake(settings)
    app.state.write_threads = anyio.CapacityLimiter(WRITE_THREADS)

    @app.exception_handler(StorylineError)
    async def coded(request: Request, exc: StorylineError):
        if request.url.path.startswith(API):
            return JSONResponse(error_body(exc), status_code=status_of(exc))
        from storyline.interfaces.webapp import error_page

        return error_page(request, exc, status_of(exc))

    app.include_router(build_router())
    app.include_router(build_web())
    token = str(settings["serve_token"]).strip()
    return Guard(app, token=token, max_bytes=int(settings["serve_max_request_bytes"]),
                 loopback_only=is_loopback(host), extra_hosts=extra_hosts)

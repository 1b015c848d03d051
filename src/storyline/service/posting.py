"""Writes a running server makes: posted articles and URLs, feeds added and removed, polls.

One ``Intake`` per server process. Posted articles are read (checked, language detected) in
the request's thread, then stored by one writer that keeps one Tracker (the engines stay loaded
between posts; the store's writer lease is taken per batch, so CLI ingests in other processes
still interleave). Posts that arrive while another is being stored wait together and are then
stored as one batch (group commit), and each is answered after that batch is committed. The
writer is a process of its own (``writer.WriterProcess``, setting ``serve_writer_process``) or,
with that setting off, this process's threads taking turns under a lock.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence

from storyline.errors import FormatError, InputError
from storyline.model import Article
from storyline.service.common import resolve
from storyline.service.options import fetch_options, read_options, track_options
from storyline.stories.tracker import IngestReport, Tracker

# Articles one POST may carry: 1,000 is one ingest batch (service.ingesting.INGEST_BATCH), so a
# post is one store transaction; more should be split by the client.
MAX_POSTED_ARTICLES = 1000
MAX_POSTED_URLS = 50  # each is a fetch of up to fetch_timeout seconds, done in the request


class Intake:
    """The write use cases of a server, over one store."""

    def __init__(self, settings: dict | None = None):
        self.settings = resolve(settings)
        self._reading = read_options(self.settings)
        self._fetching = fetch_options(self.settings)
        self._lock = threading.Lock()  # this process's writes, one at a time
        self._queue_lock = threading.Lock()
        self._queue: list[Post] = []  # posts waiting for the writer
        self._tracker: Tracker | None = None
        self._process = None  # the WriterProcess, started by the first post
        self.last_post = 0.0  # time.monotonic() of the latest post's start or end

    def close(self) -> None:
        with self._queue_lock:
            if self._process is not None:
                self._process.close()
                self._process = None
        with self._lock:
            if self._tracker is not None:
                self._tracker.close()
                self._tracker = None

    def _tracked(self) -> Tracker:
        if self._tracker is None:
            self._tracker = Tracker(track_options(self.settings))
        return self._tracker

    def post_articles(self, records: Sequence[dict]) -> dict:
        """Store posted article records (the JSONL fields) and assign their stories.

        Idempotent: an article's id is its content hash, so posting it again answers
        "duplicate" with the same id. Every record gets a result, in order."""
        from storyline.ingest.records import record_to_article

        if len(records) > MAX_POSTED_ARTICLES:
            raise InputError(
                f"{len(records)} articles in one request, at most {MAX_POSTED_ARTICLES}",
                hint="split the articles over several requests",
            )
        self.last_post = time.monotonic()
        results: list[dict] = []
        articles: list[Article] = []
        seen: set[str] = set()
        for n, record in enumerate(records):
            if not isinstance(record, dict):
                results.append({"index": n, "status": "skipped", "reason": "not a JSON object"})
                continue
            item = record_to_article(record, self._reading, source="api", line=n + 1, seen=seen)
            if isinstance(item, Article):
                articles.append(item)
                results.append({"index": n, "id": item.id})
            else:
                results.append({"index": n, "status": "skipped", "reason": item.reason})
        started = time.perf_counter()
        skips = [(f"api:{r['index'] + 1}", r["reason"]) for r in results if "reason" in r]
        post = Post([r for r in results if "id" in r], articles, skips)
        if self.settings["serve_writer_process"]:
            self._writer_process().store(post)
        else:
            self._store_here(post)
        self.last_post = time.monotonic()
        counts = {k: sum(r["status"] == k for r in results)
                  for k in ("added", "revision", "duplicate", "skipped")}
        return {"results": results, **counts, "seconds": round(time.perf_counter() - started, 3)}

    def preload(self) -> None:
        """Load what reading a post needs (the language model) before the first post comes."""
        from storyline.ingest.normalize import load_language_model

        load_language_model()

    def start_writer(self) -> None:
        """Start the writer process now (a server's start), so the first post finds its engines
        loaded; nothing when posts are stored in this process."""
        if self.settings["serve_writer_process"]:
            self._writer_process()

    def _writer_process(self):
        from storyline.service.writer import WriterProcess

        with self._queue_lock:
            if self._process is None or not self._process.alive:  # a dead one: a new one
                if self._process is not None:
                    self._process.close()
                self._process = WriterProcess(self.settings)
            return self._process

    def _store_here(self, post: Post) -> None:
        """Store a post in this process: the thread holding the lock stores every post queued
        meanwhile, in one batch; the post's rows get their statuses, or its error is raised."""
        with self._queue_lock:
            self._queue.append(post)
        with self._lock:
            if not post.done:
                with self._queue_lock:
                    posts, self._queue = self._queue, []
                try:
                    store_posts(self._tracked(), posts)
                except Exception as exc:  # its engines may be ahead of the store: reload
                    for p in posts:  # (opening the tracker failed: no post has its error yet)
                        p.error, p.done = p.error or exc, True
                    if self._tracker is not None:
                        self._tracker.close()
                        self._tracker = None
        if post.error is not None:
            raise post.error

    def post_urls(self, urls: Sequence[str]) -> dict:
        """Fetch pages or feeds (each URL through the fetch guard first) and ingest them."""
        from storyline.ingest.fetch import check_url
        from storyline.service.ingesting import ingest

        if len(urls) > MAX_POSTED_URLS:
            raise InputError(f"{len(urls)} URLs in one request, at most {MAX_POSTED_URLS}")
        for url in urls:
            _text(url, "url")
            check_url(url, self._fetching)
        with self._lock:
            if self._tracker is not None:  # one Tracker at a time in this process
                self._tracker.close()
                self._tracker = None
            return ingest(list(urls), self.settings).as_dict()

    def add_feed(self, url: str) -> dict:
        """Store a feed to poll (its URL through the fetch guard first)."""
        from storyline.ingest.fetch import check_url
        from storyline.store import open_store

        check_url(_text(url, "url"), self._fetching)
        url = url.strip()
        with self._lock, open_store(str(self.settings["store"])) as store:
            if not any(f.url == url for f in store.feeds()):
                store.save_feed(url, None, None, None)
        return {"url": url}

    def import_opml(self, data: bytes) -> dict:
        """Add every feed of an OPML list (each through the fetch guard); what was added,
        already stored or refused, with the reason."""
        from storyline.errors import StorylineError
        from storyline.ingest.opml import parse_opml

        known = {f["url"] for f in self.feed_urls()}
        added, present, refused = [], [], []
        for url in parse_opml(data, source="posted OPML"):
            if url in known:
                present.append(url)
                continue
            try:
                added.append(self.add_feed(url)["url"])
            except StorylineError as exc:
                refused.append({"url": url, "reason": exc.render()})
        return {"added": added, "already": present, "refused": refused}

    def feed_urls(self) -> list[dict]:
        from storyline.store import open_store

        with open_store(str(self.settings["store"])) as store:
            return [{"url": f.url} for f in store.feeds()]

    def remove_feed(self, url: str) -> bool:
        """Forget a feed; False when it was not stored."""
        from storyline.store import open_store

        with self._lock, open_store(str(self.settings["store"])) as store:
            return store.remove_feed(url)

    # ------------------------------------------------------------------ outlet profiles

    def save_outlet_profile(self, name: str, fields: dict) -> dict:
        """Store (replace) what the newsroom knows of an outlet: country, owner, whether it is
        state-affiliated, notes. Kept in the store's state table (every backend has it)."""
        from storyline.store import open_store

        profile = outlet_profile(_text(name, "outlet name"), fields)
        with self._lock, open_store(str(self.settings["store"])) as store:
            profiles = read_profiles(store)
            profiles[name] = profile
            store.set_state(PROFILES_KEY, json.dumps(profiles, ensure_ascii=False).encode())
        return {"name": name, **profile}

    # ------------------------------------------------------------------ corrections

    def merge(self, story_id: str, others: Sequence[str]) -> dict:
        """Merge ``others`` into ``story_id``; the correction and the stories it left."""
        from storyline.service.stories import merge_stories

        return self._corrected(lambda: merge_stories(story_id, list(others), self.settings))

    def split(self, story_id: str, article_ids: Sequence[str]) -> dict:
        """Move the chosen articles of a story out to a new story."""
        from storyline.service.stories import split_story

        return self._corrected(lambda: split_story(story_id, list(article_ids), self.settings))

    def move(self, article_id: str, to: str | None) -> dict:
        """Move an article to story ``to``, or out to a new story when ``to`` is None."""
        from storyline.service.stories import move_article

        return self._corrected(lambda: move_article(article_id, to, self.settings))

    def _corrected(self, correct) -> dict:
        from storyline.model import to_dict
        from storyline.service.browsing import story_row
        from storyline.store import open_store

        with self._lock:  # the correction's own Tracker takes the writer lease
            correction = correct()
        touched = dict.fromkeys((correction.story_id, *correction.from_ids))
        with open_store(str(self.settings["store"])) as store:
            rows = [story_row(store.get_story(s)) for s in touched if s not in correction.removed]
        return {"correction": to_dict(correction), "stories": rows}

    def poll(self) -> dict:
        """Poll every stored feed once and ingest what is new (the serve loop's round)."""
        from storyline.service.ingesting import watch

        with self._lock:
            if self._tracker is not None:
                self._tracker.close()
                self._tracker = None
            return watch(self.settings, polls=1).as_dict()


PROFILES_KEY = "outlet_profiles"
# Longest values a profile keeps: a country name, an owner's name, a few paragraphs of notes.
PROFILE_LIMITS = {"country": 80, "owner": 200, "notes": 4000}


def store_posts(tracker: Tracker, posts: list[Post]) -> None:
    """Store the articles of several posts in one batch (one engine snapshot instead of one
    per post) and fill in each post's results; on an error, every post carries it (and it is
    raised again, so the caller can reload its tracker)."""
    from storyline.store.urls import canonical_url

    try:
        store = tracker.store
        articles = [a for p in posts for a in p.articles]
        canons = [canonical_url(a.url) if a.url else "" for a in articles]
        # what was stored before, in a query or two rather than one per article
        stored = store.stored_ids(a.id for a in articles)
        urls: dict[str, str | None] = dict.fromkeys(filter(None, canons))
        urls.update(store.latest_by_url(urls))
        if articles:
            tracker.add_batch(list(articles), IngestReport())
        stories = store.story_ids_of(a.id for a in articles)
        rows = [row for p in posts for row in p.rows]
        for row, article, canon in zip(rows, articles, canons, strict=True):
            if article.id in stored:
                row["status"] = "duplicate"
            elif canon and urls.get(canon) not in (None, article.id):
                row["status"] = "revision"
            else:
                row["status"] = "added"
            stored.add(article.id)
            if canon:
                urls[canon] = article.id
            row["story_id"] = stories.get(article.id)
        for p in posts:
            for source, reason in p.skips:
                store.record_skip(source, reason)
    except Exception as exc:  # each waiting post re-raises it in its own request
        for p in posts:
            p.error = exc
        raise
    finally:
        for p in posts:
            p.done = True


def outlet_profile(name: str, fields: dict) -> dict:
    """A checked profile from posted fields; FormatError naming the bad field."""
    out: dict = {}
    for key, limit in PROFILE_LIMITS.items():
        value = fields.get(key, "")
        if not isinstance(value, str) or len(value) > limit:
            raise FormatError(f"{key} of {name[:80]!r} must be text of at most {limit} chars")
        out[key] = value.strip()
    affiliated = fields.get("state_affiliated", False)
    if not isinstance(affiliated, bool):
        raise FormatError("state_affiliated must be true or false")
    out["state_affiliated"] = affiliated
    unknown = set(fields) - set(PROFILE_LIMITS) - {"state_affiliated"}
    if unknown:
        raise FormatError(f"unknown profile field(s): {', '.join(sorted(unknown))[:200]}")
    return out


def read_profiles(store) -> dict[str, dict]:
    """Every stored outlet profile, by outlet name."""
    raw = store.get_state(PROFILES_KEY)
    return json.loads(raw.decode()) if raw else {}


class Post:
    """One request's articles, result rows and skips (source, reason), waiting to be stored."""

    def __init__(self, rows: list[dict], articles: list[Article],
                 skips: list[tuple[str, str]] | None = None):
        self.rows, self.articles, self.skips = rows, articles, skips or []
        self.done = False
        self.error: Exception | None = None


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FormatError(f"{field} must be a non-empty string")
    return value

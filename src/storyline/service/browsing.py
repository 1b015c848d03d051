"""Browsing a store: the view dicts the JSON API and the web app both render.

A ``Catalog`` holds one open store for a long-running server. Every method returns plain,
JSON-ready dicts (the API sends them as they are, the web templates render the same dicts), so
the two interfaces never disagree. Lists that need a whole-store pass (stories, outlets) are
cached until the store's state version moves, which every ingest batch and refinement does.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from storyline.model import Article, Story, to_dict
from storyline.service.common import resolve
from storyline.stories.tracker import published_order

# Rows per page of the stories and articles lists, and the most one request may ask for: a
# 500-row page of stories renders in well under the 200 ms target on the demo store.
PAGE_DEFAULT = 50
PAGE_MAX = 500
# Comparisons kept in memory (one is ~100-400 KB of JSON for a 4-12 outlet story).
COMPARISON_CACHE_SIZE = 64
# Seconds after which the stories list is read whole again rather than caught up: a safety
# net for a membership change that wrote no story row (none is known).
FULL_RELOAD_SECONDS = 300.0
# Stories whose coverage by day is kept (a few hundred bytes each).
COVERAGE_CACHE_SIZE = 20_000
# Text filters whose matching stories are kept (a few KB to a few hundred KB each: the story
# ids of every match), per read version.
TEXT_MATCH_CACHE_SIZE = 32
# Matching articles up to which the text filter finds their stories through the membership
# index rather than by checking every cached story (22k stories, 100k articles, min of 5 at
# load ~9: 1,000 ids 17.6 vs 20.6 ms, 10 ids 0.2 vs 17.9 ms, 5,000 ids 147 vs 28 ms).
FEW_MATCHES = 1000
# Skips read to find each feed's latest failed poll: a watch round logs at most one skip per
# failing feed, so 2,000 hold the last rounds of a few hundred feeds; reading them: 3.0 ms on
# SQLite (median of 5, a log of 100k skips; the whole log, as the feeds page read it: 205 ms).
FEED_SKIPS_READ = 2000
# Searches and story views kept per read version of the store (a few KB each; a 500-row search
# page ~150 KB, so ~40 MB at worst): under benchmarks/serve_load.py the store moves every few
# seconds while each of 4 readers asks the same page ~20 times a second, and the search alone
# was 23 % of the server's busy py-spy samples.
VIEW_CACHE_SIZE = 256
# Latest articles of an outlet whose analyses are read for the sources it credits.
SOURCES_SAMPLE = 200
# Characters around a search hit shown in the results.
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class StoryFilter:
    """What the stories list keeps: active in [since, until], an outlet, text (in the label or
    in the full text of an article), a size range."""

    since: datetime | None = None
    until: datetime | None = None
    outlet: str = ""
    text: str = ""
    min_size: int = 0
    max_size: int | None = None

    def keeps(self, story: Story, matched: set[str] | frozenset[str] = frozenset()) -> bool:
        """Whether a story passes every given condition; ``matched``: the stories whose
        articles' text holds the filter's words (the text may be in the label instead)."""
        if self.since and (story.last_seen is None or story.last_seen < self.since):
            return False
        if self.until and (story.first_seen is None or story.first_seen > self.until):
            return False
        text, outlet = self._folded
        if outlet and outlet not in {o.casefold() for o in story.outlets}:
            return False
        if text and story.id not in matched and text not in story.label.casefold():
            return False
        if self.min_size and story.size < self.min_size:
            return False
        return self.max_size is None or story.size <= self.max_size

    @cached_property
    def _folded(self) -> tuple[str, str]:
        """The text and outlet case-folded, once per filter rather than once per story."""
        return self.text.casefold(), self.outlet.casefold()


def page_bounds(offset: int, limit: int) -> tuple[int, int]:
    """An offset and limit clamped to what one request may ask."""
    return max(0, int(offset)), max(1, min(PAGE_MAX, int(limit)))


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def story_row(story: Story) -> dict:
    """One story as a list row."""
    return {
        "id": story.id,
        "label": story.label,
        "size": story.size,
        "outlets": list(story.outlets),
        "first_seen": _when(story.first_seen),
        "last_seen": _when(story.last_seen),
    }


def article_row(article: Article, copy_of: str | None = None) -> dict:
    """One article without its text."""
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": _when(article.published),
        "language": article.language,
        "copy_of": copy_of,
    }


_WORDS = re.compile(r"\w+")


def _snippet(text: str, query: str) -> str:
    """About SNIPPET_CHARS of the text around the first word of the query it holds."""
    folded = text.casefold()
    at = min((i for w in _WORDS.findall(query) if (i := folded.find(w.casefold())) >= 0),
             default=0)
    start = max(0, at - SNIPPET_CHARS // 2)
    end = start + SNIPPET_CHARS
    if start:  # from a word's start and to a word's end (the search page showed "ents of ...")
        space = text.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", at, end)
        end = space if space > at else end
    return text[start:end]


def coverage_by_day(articles: list[Article]) -> list[dict]:
    """Articles per calendar day (UTC dates as published), oldest first; undated left out."""
    days = Counter(a.published.date().isoformat() for a in articles if a.published)
    return [{"day": d, "articles": n} for d, n in sorted(days.items())]


class Catalog:
    """A store opened once, with the read use cases of a running server."""

    def __init__(self, settings: dict | None = None):
        from storyline.store import open_store

        self.settings = resolve(settings)
        self.store = open_store(str(self.settings["store"]))
        self._lock = threading.RLock()
        self._compare_lock = threading.Lock()
        self._stories: tuple[int, list[Story]] | None = None
        self._by_id: dict[str, Story] | None = None  # the cached stories, for catching up
        self._changed_at: str | None = None  # the latest story write the cache has seen
        self._full_at = 0.0  # when every story was last read
        self._reloading = False  # a whole re-read is running in a thread
        self._outlets: tuple[int, list[dict]] | None = None
        self._comparisons: OrderedDict[tuple, tuple[dict, str]] = OrderedDict()
        self._encoded: OrderedDict[str, bytes] = OrderedDict()  # ETag -> JSON body
        self._coverages: OrderedDict[tuple, list[dict]] = OrderedDict()
        self._matches: OrderedDict[tuple, frozenset[str]] = OrderedDict()
        self._views: OrderedDict[tuple, dict] = OrderedDict()  # never changed once made

    def close(self) -> None:
        self.store.close()

    def _view(self, key: tuple, compute) -> dict:
        """A view dict made once per read version of the store (every write moves it); the
        dict is shared by the requests that ask it, so nobody changes it."""
        if not hasattr(self.store, "read_version"):
            return compute()
        key = (self.store.read_version(), *key)
        with self._lock:
            found = self._views.get(key)
            if found is not None:
                self._views.move_to_end(key)
                return found
        found = compute()
        with self._lock:
            self._views[key] = found
            while len(self._views) > VIEW_CACHE_SIZE:
                self._views.popitem(last=False)
        return found

    # ------------------------------------------------------------------ stories

    def _all_stories(self) -> list[Story]:
        """Every story, most recently active first, cached per state version. On a store that
        says which stories changed since a time, only those are re-read (all 22k stories of a
        100k-article store take 250-600 ms to read; benchmarks/serve_scale.py); the whole
        re-read every FULL_RELOAD_SECONDS, a safety net, runs in a thread of its own while
        requests keep catching up, so only the very first read is on a request's path."""
        version = self.store.state_version()
        with self._lock:
            if self._stories is not None and self._stories[0] == version:
                return self._stories[1]
            if not hasattr(self.store, "stories_changed"):
                by_id, latest = {s.id: s for s in self.store.stories()}, None
            elif self._by_id is None:
                by_id, latest = self._read_whole(self.store)
            else:
                changed, ids, latest = self.store.stories_changed(self._changed_at,
                                                                  set(self._by_id))
                by_id = self._by_id if ids is None else {
                    k: v for k, v in self._by_id.items() if k in ids}
                by_id.update((s.id, s) for s in changed)
                if time.monotonic() - self._full_at >= FULL_RELOAD_SECONDS:
                    self._reload_in_background()
            stories = sorted(by_id.values(), reverse=True,
                             key=lambda s: (s.last_seen is not None, s.last_seen, s.id))
            self._by_id, self._changed_at = by_id, latest
            self._stories = (version, stories)
            return stories

    def _read_whole(self, store) -> tuple[dict[str, Story], str | None]:
        """Every story by id and the latest story write time, read whole."""
        every, _ids, latest = store.stories_changed(None)
        self._full_at = time.monotonic()
        return {s.id: s for s in every}, latest

    def _reload_in_background(self) -> None:
        """Start the whole re-read in a thread, on a reader store of its own (one at a time):
        its result replaces the cache, which then catches up from the time it was read."""
        if self._reloading:
            return
        self._reloading = True
        self._full_at = time.monotonic()

        def reload() -> None:
            from storyline.errors import StorylineError

            try:
                with self.store.reader() as store:
                    by_id, latest = self._read_whole(store)
                with self._lock:
                    self._by_id, self._changed_at, self._stories = by_id, latest, None
            except StorylineError:  # the next due reload tries again; requests catch up
                pass
            finally:
                self._reloading = False

        threading.Thread(target=reload, name="storyline-stories-reload", daemon=True).start()

    def preload(self) -> None:
        """Read the stories list once (a server's start: the first request then finds it)."""
        self._all_stories()

    def stories(self, where: StoryFilter, offset: int = 0, limit: int = PAGE_DEFAULT) -> dict:
        """A page of stories passing the filter, newest first, each with its coverage by day."""
        offset, limit = page_bounds(offset, limit)
        every = self._all_stories()
        matched = self._text_matches(where.text, every) if where.text else frozenset()
        kept = (every if where == StoryFilter()
                else [s for s in every if where.keeps(s, matched)])
        rows = []
        for story in kept[offset : offset + limit]:
            row = story_row(story)
            row["coverage"] = self._coverage(story)
            rows.append(row)
        return {"total": len(kept), "offset": offset, "limit": limit, "items": rows}

    def _text_matches(self, text: str, every: list[Story]) -> set[str] | frozenset[str]:
        """The stories of ``every`` whose articles hold every word of ``text`` (the store's
        full-text index), cached per read version: paging through one filter reads it once.
        The index answers articles, mapped here to the stories the list shows (the join to
        the memberships in SQL was half the time on PostgreSQL at 100k articles)."""
        if not hasattr(self.store, "articles_matching"):
            return frozenset()
        key = (self.store.read_version(), text.casefold())
        with self._lock:
            found = self._matches.get(key)
        if found is None:
            ids = self.store.articles_matching(text)
            if len(ids) <= FEW_MATCHES:  # a rare word: its articles' stories from the index
                found = frozenset(self.store.story_ids_of(ids).values())
            else:
                found = frozenset(s.id for s in every if not ids.isdisjoint(s.article_ids))
            with self._lock:
                self._matches[key] = found
                while len(self._matches) > TEXT_MATCH_CACHE_SIZE:
                    self._matches.popitem(last=False)
        return found

    def _coverage(self, story: Story) -> list[dict]:
        """A story's articles per day, kept while its membership stays the same (reading the
        members of a page of 50 stories costs ~50 ms on the demo + 2,000 headlines)."""
        key = (story.id, story.article_ids)
        with self._lock:
            found = self._coverages.get(key)
        if found is None:
            found = coverage_by_day(self._articles(story.article_ids))
            with self._lock:
                self._coverages[key] = found
                while len(self._coverages) > COVERAGE_CACHE_SIZE:
                    self._coverages.popitem(last=False)
        return found

    def _articles(self, ids) -> list[Article]:
        return [self.store.get_article(i) for i in ids]

    def successor(self, story_id: str) -> str | None:
        """The story a correction moved a deleted story's articles into, if any."""
        merged = [c for c in self.store.corrections(story_id) if story_id in c.removed]
        return merged[-1].story_id if merged else None

    def corrections(self, story_id: str | None = None) -> list[dict]:
        """The user's corrections, oldest first (those touching ``story_id`` when given)."""
        return [to_dict(c) for c in self.store.corrections(story_id)]

    def story(self, story_id: str) -> dict:
        """One story: its articles in published order, its outlets, a per-outlet timeline
        (the first report and syndicated copies marked) and its corrections."""
        return self._view(("story", story_id), lambda: self._story(story_id))

    def _story(self, story_id: str) -> dict:
        from storyline.errors import NotFoundError

        try:
            story = self.store.get_story(story_id)
        except NotFoundError as exc:
            kept = self.successor(story_id)
            if kept:
                raise NotFoundError(f"story {story_id!r} was merged into {kept!r}",
                                    hint=f"open story {kept}", path=exc.path) from None
            raise
        articles = sorted(self._articles(story.article_ids), key=published_order)
        copies = {a.id: o for a in articles if (o := self.store.original_of(a.id))}
        first = next((a.id for a in articles if a.published and a.id not in copies), None)
        rows = []
        for a in articles:
            row = article_row(a, copies.get(a.id))
            row["first_report"] = a.id == first
            rows.append(row)
        lanes: dict[str, list[dict]] = {}
        for row in rows:
            lanes.setdefault(row["outlet"], []).append(row)
        outlets = [
            {"name": name, "articles": len(items), "first": items[0]["published"],
             "copies": sum(r["copy_of"] is not None for r in items)}
            for name, items in lanes.items()
        ]
        timeline = [
            {"outlet": name, "points": [
                {"article_id": r["id"], "published": r["published"],
                 "syndicated": r["copy_of"] is not None, "first": r["first_report"]}
                for r in items
            ]}
            for name, items in lanes.items()
        ]
        return {
            "story": {
                **story_row(story),
                "languages": sorted({a.language for a in articles if a.language}),
                "coverage": coverage_by_day(articles),
            },
            "articles": rows,
            "outlets": outlets,
            "timeline": timeline,
            "corrections": self.corrections(story.id),
        }

    def comparison(self, story_id: str) -> tuple[dict, str]:
        """A story's full comparison dict and its ETag, computed once per membership."""
        from storyline.service.comparing import compare_story

        story = self.store.get_story(story_id)
        key = (story.id, story.article_ids)
        with self._lock:
            if key in self._comparisons:
                self._comparisons.move_to_end(key)
                return self._comparisons[key]
        with self._compare_lock:  # one analysis at a time: the pipeline is not thread-safe
            with self._lock:
                if key in self._comparisons:
                    return self._comparisons[key]
            data = to_dict(compare_story(story_id, self.settings))
            body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            with self._lock:
                self._comparisons[key] = (data, etag)
                self._encoded[etag] = body
                while len(self._encoded) > COMPARISON_CACHE_SIZE:
                    self._encoded.popitem(last=False)
                while len(self._comparisons) > COMPARISON_CACHE_SIZE:
                    self._comparisons.popitem(last=False)
        return data, etag

    def comparison_json(self, story_id: str) -> tuple[bytes, str]:
        """The comparison as the JSON bytes its ETag was computed from (encoded once: a
        12-outlet comparison is ~400 KB, and encoding it per request costs the other
        requests' time)."""
        data, etag = self.comparison(story_id)
        with self._lock:
            body = self._encoded.get(etag)
        if body is None:
            body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
            with self._lock:
                self._encoded[etag] = body
        return body, etag

    def has_comparison(self, story_id: str) -> bool:
        """Whether the story's comparison for its current articles is cached."""
        story = self.store.get_story(story_id)
        with self._lock:
            return (story.id, story.article_ids) in self._comparisons

    def warm(self, limit: int = 10, stop: Callable[[], bool] | None = None) -> list[str]:
        """Compute the comparisons of the ``limit`` most recently active stories of two or
        more articles that have none cached (a background task: the first reader of a story
        page then does not wait for its analysis), until ``stop()`` is true; the ids computed."""
        from storyline.errors import StorylineError

        done = []
        for story in self._all_stories():
            if len(done) >= limit or (stop is not None and stop()):
                break
            key = (story.id, story.article_ids)
            with self._lock:
                cached = key in self._comparisons
            if story.size < 2 or cached:
                continue
            try:
                self.comparison(story.id)
            except StorylineError:  # too few originals, another language: nothing to show
                continue
            done.append(story.id)
        return done

    # ------------------------------------------------------------------ articles, outlets

    def article(self, article_id: str) -> dict:
        """One article with its text, its story and its stored analysis (None if not analysed)."""
        article = self.store.get_article(article_id)
        story = self.store.story_of(article_id)
        analysis = self.store.get_analysis(article_id)
        layers = None
        if analysis is not None:
            layers = {k: v for k, v in to_dict(analysis).items() if k != "article"}
        return {
            **article_row(article, self.store.original_of(article_id)),
            "text": article.text,
            "author": article.author,
            "story": story_row(story) if story else None,
            "analysis": layers,
        }

    def analyse_article(self, article_id: str) -> dict:
        """Analyse a stored article now (kept in the store), then its view."""
        from storyline.service.analysis import analyse_many

        article = self.store.get_article(article_id)
        if self.store.get_analysis(article_id) is None:
            with self._compare_lock:
                self.store.save_analysis(analyse_many([article], self.settings)[0])
        return self.article(article_id)

    def search(self, text: str = "", outlet: str = "", offset: int = 0,
               limit: int = PAGE_DEFAULT) -> dict:
        """Articles whose title or text holds every word of ``text`` (as a word prefix,
        case- and accent-insensitive), from an outlet, newest first, each with a snippet
        around its first hit. The store's full-text index where it has one, else a scan."""
        offset, limit = page_bounds(offset, limit)
        return self._view(("search", text, outlet, offset, limit),
                          lambda: self._search(text, outlet, offset, limit))

    def _search(self, text: str, outlet: str, offset: int, limit: int) -> dict:
        capped = False
        if hasattr(self.store, "search_articles"):
            from storyline.store.browse import COUNT_CAP

            total, found = self.store.search_articles(text, outlet.strip(), offset, limit)
            capped = total >= COUNT_CAP
        else:
            total, found = self._scan(text, outlet, offset, limit)
        items = [{**article_row(a), "snippet": _snippet(a.text, text)} for a in found]
        return {"total": total, "capped": capped, "offset": offset, "limit": limit,
                "items": items}

    def _scan(self, text: str, outlet: str, offset: int, limit: int) -> tuple[int, list]:
        """Every stored article checked in turn (a backend without a full-text index)."""
        words = [w.casefold() for w in _WORDS.findall(text)]
        where = outlet.casefold().strip()
        hits = []
        for a in self.store.articles():
            if where and a.outlet.casefold() != where:
                continue
            folded = (a.title + "\n" + a.text).casefold()
            if all(w in folded for w in words):
                hits.append(a)
        hits.sort(key=published_order, reverse=True)
        return len(hits), hits[offset : offset + limit]

    def outlets(self) -> list[dict]:
        """Every outlet with how many articles and stories it has, most articles first."""
        version = self.store.state_version()
        with self._lock:
            if self._outlets and self._outlets[0] == version:
                return self._outlets[1]
        counts: Counter = Counter()
        copies: Counter = Counter()
        latest: dict[str, str | None] = {}
        if hasattr(self.store, "outlet_counts"):  # one aggregate query
            for name, n, last_ts in self.store.outlet_counts():
                counts[name] = n
                latest[name] = _when(datetime.fromtimestamp(last_ts, UTC)) if last_ts else None
        else:
            for a in self.store.articles():
                counts[a.outlet] += 1
                if a.published:
                    latest[a.outlet] = max(latest.get(a.outlet) or "", a.published.isoformat())
        for s in self._all_stories():
            for o in s.outlets:
                copies[o] += 1
        from storyline.service.posting import read_profiles

        profiles = read_profiles(self.store)
        rows = [
            {"name": name, "articles": n, "stories": copies[name], "latest": latest.get(name),
             "profile": profiles.get(name)}
            for name, n in counts.most_common()
        ]
        with self._lock:
            self._outlets = (version, rows)
        return rows

    def outlet(self, name: str) -> dict:
        """One outlet's counts and profile; NotFoundError for a name no article carries."""
        from storyline.errors import NotFoundError

        for row in self.outlets():
            if row["name"] == name:
                return row
        raise NotFoundError(f"no outlet {name[:200]!r} in the store")

    def outlet_sources(self, name: str, articles: int = SOURCES_SAMPLE) -> dict:
        """The upstream media and the people an outlet credits, counted over its latest
        ``articles`` analysed articles (the attributions and quotes of their analyses)."""
        latest = self.search("", name, 0, PAGE_MAX)["items"] if name else []
        upstream: Counter = Counter()
        speakers: Counter = Counter()
        analysed = 0
        for row in latest[:articles]:
            analysis = self.store.get_analysis(row["id"])
            if analysis is None:
                continue
            analysed += 1
            upstream.update({a.source for a in analysis.attributions if a.source})
            speakers.update({q.speaker for q in analysis.quotes if q.speaker})
        return {"articles": len(latest[:articles]), "analysed": analysed,
                "upstream": [{"name": k, "articles": n} for k, n in upstream.most_common(20)],
                "speakers": [{"name": k, "articles": n} for k, n in speakers.most_common(20)]}

    def feeds(self) -> list[dict]:
        """Every stored feed with its last poll: when it last answered, and whether a later
        try failed (the skip the poll logged under the feed's URL) and why."""
        feeds = self.store.feeds()
        failed = {}  # the latest failure of each feed among the last FEED_SKIPS_READ skips
        urls = {f.url for f in feeds}
        for skip in self.store.skips(FEED_SKIPS_READ) if feeds else ():
            if skip.source in urls:
                failed[skip.source] = skip
        rows = []
        for f in feeds:
            skip = failed.get(f.url)
            if skip and (f.last_polled is None or skip.at > f.last_polled):
                status = {"status": "failed", "failed_at": skip.at.isoformat(),
                          "reason": skip.reason}
            else:
                status = {"status": "ok" if f.last_polled else "not polled yet",
                          "failed_at": None, "reason": None}
            rows.append({"url": f.url, "etag": f.etag, "last_modified": f.last_modified,
                         "last_polled": _when(f.last_polled), **status})
        return rows

    def skips(self, limit: int = 50) -> list[dict]:
        """The last skips of the skip log, newest first."""
        return [
            {"source": s.source, "reason": s.reason, "at": s.at.isoformat()}
            for s in reversed(self.store.skips(limit))
        ]

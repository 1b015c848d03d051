"""Ingest use cases: read sources into the store, poll the stored feeds, refine stories.

``ingest`` and ``watch`` share one feed loop (``_poll``) and one way to take a source's items
(``_take``): a batch is stored every ``INGEST_BATCH`` articles, every skip is recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from storyline.ingest.options import FetchOptions, ReadOptions
from storyline.model import Article
from storyline.service.common import resolve
from storyline.service.options import fetch_options, read_options, track_options
from storyline.stories.tracker import IngestReport, Tracker

# Articles per store transaction during ingest: large enough that commits and the engines'
# state snapshot (written once per batch) do not dominate — 1,000 ingested uci headlines at
# 530/s where 500 gave 400/s — small enough that progress moves smoothly. A crash loses
# nothing committed: the tracker catches up on open.
INGEST_BATCH = 1000

Progress = Callable[[IngestReport, str], None]


def ingest(
    sources: Sequence[str],
    settings: dict | None = None,
    on_progress: Progress | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Read files, directories, feeds and OPML lists into the store and assign stories;
    ``on_wait`` hears when another process holds the store's writer lease."""
    from storyline.errors import StorylineError
    from storyline.ingest import Skip, expand_sources, read_path

    s = resolve(settings)
    report = IngestReport()
    started = time.perf_counter()
    reading, fetching = read_options(s), fetch_options(s)
    with Tracker(track_options(s), on_wait) as tracker:
        batch: list[Article] = []
        for source in expand_sources(list(sources), reading):
            report.sources += 1
            if isinstance(source, Skip):  # a missing path, a broken OPML list, ...
                _skip(tracker, report, source.source, source.reason)
                continue
            progress = _progress(on_progress, report, source.location)
            try:
                if source.kind == "url":
                    read, skipped = _poll(
                        tracker, report, source.location, reading, fetching, batch, progress
                    )
                else:
                    items = read_path(Path(source.location), reading)
                    read, skipped = _take(tracker, report, items, batch, progress)
            except StorylineError as exc:
                read, skipped = 0, 1
                _skip(tracker, report, source.location, exc.render(), exc.code)
            if read or not skipped:  # a feed answering 304 or without entries was read too
                report.sources_read += 1
            progress()
        if batch:
            tracker.add_batch(batch, report)
        _refine(tracker, report, s, on_progress)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _progress(on_progress: Progress | None, report: IngestReport, where: str) -> Callable[[], None]:
    return (lambda: on_progress(report, where)) if on_progress else (lambda: None)


def _take(
    tracker: Tracker,
    report: IngestReport,
    items: Iterable,
    batch: list[Article],
    on_batch: Callable[[], None],
) -> tuple[int, int]:
    """Add a source's articles to ``batch`` (stored each time it fills) and record its skips;
    how many articles and skips the source gave."""
    from storyline.ingest import Skip

    read = skipped = 0
    for item in items:
        if isinstance(item, Skip):
            skipped += 1
            _skip(tracker, report, f"{item.source}:{item.line}", item.reason)
            continue
        read += 1
        batch.append(item)
        if len(batch) >= INGEST_BATCH:
            tracker.add_batch(batch, report)
            batch.clear()
            on_batch()
    return read, skipped


def _poll(
    tracker: Tracker,
    report: IngestReport,
    url: str,
    reading: ReadOptions,
    fetching: FetchOptions,
    batch: list[Article],
    on_batch: Callable[[], None],
    *,
    feed=None,
    throttle=None,
) -> tuple[int, int]:
    """Fetch a URL (conditionally, when ``feed`` holds its last validators), take its items
    and save its poll state; raises the fetch's coded error."""
    from storyline.ingest import fetch, read_fetched

    etag, modified = (feed.etag, feed.last_modified) if feed else (None, None)
    result = fetch(url, fetching, etag=etag, last_modified=modified, throttle=throttle)
    counts = _take(tracker, report, read_fetched(result, reading), batch, on_batch)
    tracker.store.save_feed(
        url, result.etag or etag, result.last_modified or modified, datetime.now(UTC)
    )
    report.feeds += 1
    return counts


def _refine(
    tracker: Tracker, report: IngestReport, settings: dict, on_progress: Progress | None
) -> None:
    """Refine the open stories if the ``story_refine`` setting is on and the engine assigned
    articles since its last refinement."""
    if not settings["story_refine"] or not tracker.engine.unrefined:
        return
    if on_progress:
        on_progress(report, "refining stories")
    tracker.refine(report)


def refine(
    settings: dict | None = None, on_wait: Callable[[str], None] | None = None
) -> IngestReport:
    """Refine the store's open stories now (what ``ingest`` does after new articles)."""
    report = IngestReport()
    started = time.perf_counter()
    with Tracker(track_options(resolve(settings)), on_wait) as tracker:
        tracker.refine(report)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _skip(
    tracker: Tracker, report: IngestReport, source: str, reason: str, kind: str = ""
) -> None:
    """Record a skip; ``kind`` is the error code, else the code the reason starts with, else
    "record" (a bad record inside a dump or feed)."""
    from storyline.ingest.normalize import no_surrogates

    # A file name in bytes that are not UTF-8 reaches us with lone surrogates: not storable.
    source, reason = no_surrogates(source), no_surrogates(reason)
    tracker.store.record_skip(source, reason)
    report.skipped += 1
    report.skips.append((source, reason))
    if not kind:
        kind = reason[1:5] if reason.startswith("[E") and reason[5:6] == "]" else "record"
    report.skip_kinds[kind] = report.skip_kinds.get(kind, 0) + 1


def watch(
    settings: dict | None = None,
    *,
    polls: int | None = None,
    on_poll: Progress | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Poll the stored feeds with conditional GET every ``watch_interval`` seconds.

    ``polls`` bounds the number of rounds (None: until interrupted); ``on_wait`` hears when
    another process holds the store's writer lease.
    """
    from storyline.errors import StorylineError
    from storyline.ingest import HostThrottle

    s = resolve(settings)
    report = IngestReport()
    throttle = HostThrottle()
    rounds = 0
    reading, fetching = read_options(s), fetch_options(s)
    with Tracker(track_options(s), on_wait) as tracker:
        while polls is None or rounds < polls:
            started = time.perf_counter()
            for feed in tracker.store.feeds():
                batch: list[Article] = []
                progress = _progress(on_poll, report, feed.url)
                try:
                    _poll(
                        tracker,
                        report,
                        feed.url,
                        reading,
                        fetching,
                        batch,
                        progress,
                        feed=feed,
                        throttle=throttle,
                    )
                except StorylineError as exc:
                    _skip(tracker, report, feed.url, exc.render(), exc.code)
                if batch:
                    tracker.add_batch(batch, report)
                progress()
            _refine(tracker, report, s, None)
            rounds += 1
            report.seconds += time.perf_counter() - started
            if polls is None or rounds < polls:
                time.sleep(max(0.0, float(s["watch_interval"]) - (time.perf_counter() - started)))
    report.seconds = round(report.seconds, 3)
    return report

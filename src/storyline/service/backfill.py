"""Backfill use case: a large dump read, analysed on a pool of workers (in this process, or on a
Ray cluster whose actors load the models once each), stored in ingest's batches through one
writer, then stories assigned in published order and refined, as ``ingest`` would.

Resumable: a stored article whose analysis is stored is never analysed again, an analysis is
saved only with (after) its article, and stories are assigned to what is in no story yet, so a
run killed at any moment and started again finishes the work without redoing any of it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from storyline.model import AnalyzedArticle, Article
from storyline.service.common import resolve
from storyline.service.ingesting import INGEST_BATCH
from storyline.service.options import analysis_options, fetch_options, read_options, track_options
from storyline.stories.tracker import IngestReport, published_order

# Articles per call to a worker: big enough that spaCy's and the embedder's batching pay off,
# small enough that two workers share a 1,000-article batch evenly.
ANALYSIS_CHUNK = 25

# Stored batches whose analysis may be under way at once: the workers never wait for the writer,
# and memory holds at most this many batches (plus the one being read).
BATCHES_IN_FLIGHT = 2

ENGINES = ("local", "ray")

# Times a run replaces its stuck Ray workers before it stops with [E320]: a stuck worker is a
# fault (a native deadlock, a lost node), not a slow chunk, so a second in a row is unlikely.
WORKER_RESTARTS = 2

Progress = Callable[["BackfillReport", str], None]


@dataclass
class BackfillReport:
    """Counts and timings of one backfill run."""

    engine: str = "local"
    workers: int = 1
    read: int = 0  # articles read from the sources
    stored: int = 0  # of those, stored now (added or a revision)
    duplicates: int = 0  # already stored (this run or an earlier one)
    analysed: int = 0  # analyses computed and stored by this run
    resumed: int = 0  # articles whose stored analysis was kept, not redone
    not_analysed: int = 0  # stored articles the analysis refused (e.g. language), with a skip
    skipped: int = 0
    skips: list[tuple[str, str]] = field(default_factory=list)
    skip_kinds: dict[str, int] = field(default_factory=dict)
    worker_restarts: int = 0  # times stuck Ray workers were replaced and their chunks redone
    stories: IngestReport = field(default_factory=IngestReport)  # the story phase's counts
    tracked: int = 0  # articles the story phase assigned
    to_track: int = 0  # articles the story phase had to assign
    analyse_seconds: float = 0.0  # reading, analysis and storing
    story_seconds: float = 0.0  # story assignment and refinement
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def nothing_read(self) -> bool:
        """True when something was tried and nothing at all could be read."""
        return self.read == 0 and self.skipped > 0


def analyse_chunk(
    articles: Sequence[Article], settings: dict, overlap: bool = True
) -> tuple[list[AnalyzedArticle], list[tuple[str, str]]]:
    """Analyse articles, one at a time where the batch fails: (analyses, (id, coded reason) of
    each article the analysis refused); ``overlap`` as ``Pipeline.run``'s."""
    from storyline.errors import StorylineError
    from storyline.service.analysis import analyse_many

    try:
        return analyse_many(articles, settings, overlap=overlap), []
    except StorylineError:
        done, refused = [], []
        for article in articles:
            try:
                done.extend(analyse_many([article], settings))
            except StorylineError as exc:
                refused.append((article.id, exc.render()))
        return done, refused


def _chunks(articles: list[Article]) -> list[list[Article]]:
    return [articles[i : i + ANALYSIS_CHUNK] for i in range(0, len(articles), ANALYSIS_CHUNK)]


class LocalAnalyser:
    """Analysis in this process (``--engine local``)."""

    workers = 1
    restarts = 0  # a process of its own is never replaced

    def __init__(self, settings: dict):
        self.settings = settings

    def submit(self, articles: list[Article]) -> Any:
        done: list[AnalyzedArticle] = []
        refused: list[tuple[str, str]] = []
        for chunk in _chunks(articles):  # the chunks a Ray worker gets: the same batches
            analyses, failures = analyse_chunk(chunk, self.settings)
            done.extend(analyses)
            refused.extend(failures)
        return done, refused

    def result(self, handle: Any) -> tuple[list[AnalyzedArticle], list[tuple[str, str]]]:
        return handle

    def close(self) -> None:
        pass


class RayAnalyser:
    """Analysis on a Ray actor pool: one actor per worker, each loading the models once; results
    come back in the order submitted (``--engine ray``). A chunk not back within
    ``backfill_chunk_timeout`` seconds means a stuck worker: every actor is replaced and the
    chunks still out are submitted again, in order (analysis is pure, so nothing is doubled),
    at most ``WORKER_RESTARTS`` times in a run."""

    def __init__(self, settings: dict, address: str | None, workers: int):
        import ray

        self._started = not ray.is_initialized()
        if self._started:
            if address:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
            else:  # a local instance on loopback, as many CPUs as workers
                ray.init(
                    num_cpus=workers,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",
                    log_to_driver=False,
                    configure_logging=False,
                )
        self.settings = settings
        self.workers = workers
        self.timeout = float(settings["backfill_chunk_timeout"])
        self.restarts = 0
        self._out: deque[list[Article]] = deque()  # chunks submitted, not yet returned
        self._actors: list = []
        self._pool = self._new_pool()

    def _new_pool(self) -> Any:
        import ray
        from ray.util import ActorPool

        worker = ray.remote(num_cpus=1)(_Worker)
        self._actors = [worker.remote(self.settings) for _ in range(self.workers)]
        return ActorPool(self._actors)

    def _send(self, chunk: list[Article]) -> None:
        self._pool.submit(lambda actor, value: actor.analyse.remote(value), chunk)

    def submit(self, articles: list[Article]) -> Any:
        chunks = _chunks(articles)
        for chunk in chunks:
            self._send(chunk)
            self._out.append(chunk)
        return len(chunks)

    def result(self, handle: Any) -> tuple[list[AnalyzedArticle], list[tuple[str, str]]]:
        done, refused = [], []
        for _ in range(handle):
            analyses, failures = self._next()
            done.extend(analyses)
            refused.extend(failures)
        return done, refused

    def _next(self) -> tuple[list, list]:
        """The oldest chunk's results, restarting the workers while they are stuck."""
        while True:
            try:
                answer = self._pool.get_next(timeout=self.timeout)
            except TimeoutError:
                self._restart()
                continue
            self._out.popleft()
            return answer

    def _restart(self) -> None:
        import ray

        from storyline.errors import WorkerError

        self.restarts += 1
        for actor in self._actors:
            ray.kill(actor)
        if self.restarts > WORKER_RESTARTS:
            raise WorkerError(
                f"a chunk of {len(self._out[0])} articles was not analysed within "
                f"{self.timeout:g} s, {WORKER_RESTARTS + 1} times"
            )
        self._pool = self._new_pool()
        for chunk in self._out:  # every chunk still out, in the order submitted
            self._send(chunk)

    def close(self) -> None:
        import ray

        if self._started:
            ray.shutdown()


class _Worker:
    """A Ray actor: builds the analysis pipeline once, then analyses chunks."""

    def __init__(self, settings: dict):
        from storyline.service.analysis import _pipeline

        self.settings = settings
        _pipeline(analysis_options(settings))  # load the models now, once per worker

    def analyse(self, articles: list[Article]) -> tuple[list, list]:
        # One thread: an actor is given one CPU, and a worker process's background threads
        # making their first embedder calls at once is the deadlock seen in CI (embeddings.py).
        return analyse_chunk(articles, self.settings, overlap=False)


def backfill(
    sources: Sequence[str],
    settings: dict | None = None,
    *,
    engine: str = "local",
    address: str | None = None,
    workers: int = 2,
    on_progress: Progress | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> BackfillReport:
    """Read, analyse and store sources in batches, then assign stories in published order and
    refine them: the same articles, analyses and stories as ``ingest`` plus ``analyse_many``."""
    from storyline.errors import SettingError
    from storyline.store import open_store
    from storyline.stories.tracker import Tracker

    if engine not in ENGINES:
        raise SettingError(f"unknown backfill engine {engine!r}; choose one of {ENGINES}")
    s = resolve(settings)
    report = BackfillReport(engine=engine, workers=workers if engine == "ray" else 1)
    started = time.perf_counter()
    progress = on_progress or (lambda _report, _phase: None)
    analyser = LocalAnalyser(s) if engine == "local" else RayAnalyser(s, address, workers)
    try:
        with open_store(str(s["store"])) as store:
            _store_analysed(store, analyser, _batches(sources, s, store, report), s, report,
                            progress, on_wait)
    finally:
        report.worker_restarts = analyser.restarts
        analyser.close()
    report.analyse_seconds = round(time.perf_counter() - started, 3)
    began = time.perf_counter()

    def tracked(done: int, total: int) -> None:
        report.tracked, report.to_track = done, total
        progress(report, "assigning stories")

    with Tracker(track_options(s), on_wait, on_track=tracked) as tracker:  # assigns on opening
        report.stories = tracker.caught_up_report
        if s["story_refine"] and tracker.engine.unrefined:
            progress(report, "refining stories")
            tracker.refine(report.stories)
    report.story_seconds = round(time.perf_counter() - began, 3)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _store_analysed(
    store: Any,
    analyser: LocalAnalyser | RayAnalyser,
    batches: Iterator[list[Article]],
    settings: dict,
    report: BackfillReport,
    progress: Progress,
    on_wait: Callable[[str], None] | None,
) -> None:
    """Submit each batch's articles that lack a stored analysis, and store every batch with its
    analyses as they come back, in order, at most BATCHES_IN_FLIGHT batches ahead."""
    pending: deque[tuple[list[Article], Any]] = deque()
    in_flight: set[str] = set()  # ids submitted and not yet stored
    for batch in batches:
        batch = sorted(batch, key=published_order)  # as ingest stores a batch
        kept = store.analysed_among([a.id for a in batch])
        todo = [a for a in dict((a.id, a) for a in batch).values()
                if a.id not in kept and a.id not in in_flight]
        report.resumed += len(kept)
        in_flight.update(a.id for a in todo)
        pending.append((batch, analyser.submit(todo)))
        while len(pending) > BATCHES_IN_FLIGHT:
            _write(store, analyser, *pending.popleft(), settings, report, in_flight, on_wait)
            progress(report, "analysing")
    while pending:
        _write(store, analyser, *pending.popleft(), settings, report, in_flight, on_wait)
        progress(report, "analysing")


def _write(
    store: Any,
    analyser: LocalAnalyser | RayAnalyser,
    batch: list[Article],
    handle: Any,
    settings: dict,
    report: BackfillReport,
    in_flight: set[str],
    on_wait: Callable[[str], None] | None,
) -> None:
    """Store a batch, then the analyses of the articles stored under their own id."""
    analyses, refused = analyser.result(handle)
    with store.writer(float(settings["writer_timeout"]), on_wait):
        results = store.add_articles(batch)
        own = {r.article_id for r in results if r.status != "duplicate"}
        own |= {a.id for a, r in zip(batch, results, strict=True) if r.article_id == a.id}
        report.analysed += store.save_analyses([x for x in analyses if x.article.id in own])
    for result in results:
        if result.status == "duplicate":
            report.duplicates += 1
        else:
            report.stored += 1
    for article_id, reason in refused:
        report.not_analysed += 1
        _skip(store, report, f"analysis:{article_id}", reason)
    in_flight.difference_update(a.id for a in batch)


def _batches(
    sources: Sequence[str], settings: dict, store: Any, report: BackfillReport
) -> Iterator[list[Article]]:
    """The sources' articles in ingest's batches, in the order read; skips recorded."""
    from storyline.errors import StorylineError
    from storyline.ingest import Skip, expand_sources, read_path

    batch: list[Article] = []
    reading = read_options(settings)
    for source in expand_sources(list(sources), reading):
        if isinstance(source, Skip):
            _skip(store, report, source.source, source.reason)
            continue
        try:
            items = (
                _fetched(source.location, settings, store)
                if source.kind == "url"
                else read_path(Path(source.location), reading)
            )
            for item in items:
                if isinstance(item, Skip):
                    _skip(store, report, f"{item.source}:{item.line}", item.reason)
                    continue
                report.read += 1
                batch.append(item)
                if len(batch) >= INGEST_BATCH:
                    yield batch
                    batch = []
        except StorylineError as exc:
            _skip(store, report, source.location, exc.render(), exc.code)
    if batch:
        yield batch


def _fetched(url: str, settings: dict, store: Any) -> Iterator:
    """A URL's items (a feed's entries, a page), its validators saved as ``ingest`` does."""
    from datetime import UTC, datetime

    from storyline.ingest import fetch, read_fetched

    result = fetch(url, fetch_options(settings))
    yield from read_fetched(result, read_options(settings))
    store.save_feed(url, result.etag, result.last_modified, datetime.now(UTC))


def _skip(store: Any, report: BackfillReport, source: str, reason: str, kind: str = "") -> None:
    """Record a skip in the store and the report, counted by error code (or "record")."""
    from storyline.ingest.normalize import no_surrogates

    source, reason = no_surrogates(source), no_surrogates(reason)
    store.record_skip(source, reason)
    report.skipped += 1
    report.skips.append((source, reason))
    if not kind:
        kind = reason[1:5] if reason.startswith("[E") and reason[5:6] == "]" else "record"
    report.skip_kinds[kind] = report.skip_kinds.get(kind, 0) + 1

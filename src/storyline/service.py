"""The use cases: read, analyse, compare, ingest, cluster, evaluate. Interfaces call only this.

Each function takes plain values (paths, articles, a settings dict) and returns model objects,
so the CLI, the JSON API and the web UI share one implementation.
"""

from __future__ import annotations

import functools
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.compare import compare_analyses
from storyline.errors import CompareError
from storyline.model import AnalyzedArticle, Article, Comparison
from storyline.settings import load_settings

if TYPE_CHECKING:  # the story engine loads numpy and faiss: imported where it is used
    from storyline.evaluation import ComparisonReport
    from storyline.stories.evaluate import ClusteringReport, SimilarityReport

ArticleLike = Article | AnalyzedArticle | str | Path

log = logging.getLogger(__name__)


def _settings(settings: dict | None) -> dict:
    return load_settings() if settings is None else settings


def read_articles(paths: Iterable[str | Path], settings: dict | None = None) -> list[Article]:
    """Read one article from each file (text or HTML); errors name the file."""
    from storyline.ingest import read_article

    s = _settings(settings)
    return [read_article(Path(p), s) for p in paths]


def read_labelled(path: str | Path, settings: dict | None = None) -> tuple[list[Article], int]:
    """The articles of a labelled JSONL/CSV dump as ingest reads them, and how many records it
    skipped (duplicate ids, records without text, bad JSON: each reason is logged)."""
    from storyline.ingest import Skip, read_path

    articles, skipped = [], 0
    for item in read_path(Path(path), _settings(settings)):
        if isinstance(item, Skip):
            log.info("skipped %s:%s: %s", item.source, item.line, item.reason)
            skipped += 1
        else:
            articles.append(item)
    return articles, skipped


def evaluate_clustering(path: str | Path, settings: dict | None = None) -> ClusteringReport:
    """Replay a labelled file through a fresh story engine and score its stories."""
    from storyline.stories.evaluate import score_clustering

    s = _settings(settings)
    articles, skipped = read_labelled(path, s)
    return score_clustering(articles, s, path=str(path), skipped=skipped)


def evaluate_similarity(path: str | Path, settings: dict | None = None) -> SimilarityReport:
    """Score the engine's story similarity against a SemEval-2022 Task 8 style CSV."""
    from storyline.stories.evaluate import read_pairs, score_similarity

    s = _settings(settings)
    return score_similarity(read_pairs(path), s, path=str(path))


def evaluate_comparison(path: str | Path, settings: dict | None = None) -> ComparisonReport:
    """Compare each gold event's articles and score the comparison against the hand labels."""
    from storyline.evaluation import read_gold, score_comparison
    from storyline.model import to_dict
    from storyline.nlp import accepted_languages

    s = _settings(settings)
    gold_path = Path(path)
    events = read_gold(gold_path)
    dumps: dict[Path, dict[str, Article]] = {}
    started = time.perf_counter()
    results = []
    for event in events:
        articles = [_gold_article(ref, gold_path, s, dumps) for ref in event.articles]
        results.append((event, to_dict(compare(accepted_languages(articles, s), s))))
    return score_comparison(results, path=str(path), seconds=time.perf_counter() - started)


def _gold_article(ref: dict, gold_path: Path, s: dict, dumps: dict) -> Article:
    """A gold file's article: inline, one file, or the record with that id in a dump."""
    from storyline.errors import FormatError, InputError
    from storyline.ingest.records import record_to_article

    if "path" not in ref:
        item = record_to_article(ref, s, source=str(gold_path), line=0, seen=set())
        if not isinstance(item, Article):
            raise FormatError(f"inline article: {item.reason}", path=str(gold_path))
        return item
    # Relative paths are the repository root's (docs/comparison-gold.md): tried against the
    # current directory, then each folder above the gold file.
    rel = Path(ref["path"])
    bases = [Path.cwd(), *gold_path.resolve().parents]
    found = next((b / rel for b in bases if (b / rel).exists()), None)
    if found is None:
        raise InputError(
            f"article file {rel} not found",
            hint="paths are relative to the repository root",
            path=str(gold_path),
        )
    if "id" not in ref:
        return read_articles([found], s)[0]
    if found not in dumps:
        dumps[found] = {a.get("source_id"): a for a in read_labelled(found, s)[0]}
    article = dumps[found].get(str(ref["id"]))
    if article is None:
        raise InputError(f"no record with id {ref['id']!r}", path=str(found))
    return article


def analyse_many(
    articles: Sequence[Article], settings: dict | None = None
) -> list[AnalyzedArticle]:
    """Run the analysis pipeline over a batch of articles (language checked first)."""
    from storyline.nlp import check_language

    s = _settings(settings)
    for a in articles:
        check_language(a, s)
    return _pipeline(_settings_key(s)).run(list(articles))


def _settings_key(settings: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in settings.items() if isinstance(v, (str, int, float))))


@functools.cache
def _pipeline(key: tuple):
    """One analysis pipeline per distinct settings, built once per process (models load once)."""
    from storyline.nlp import build_pipeline

    return build_pipeline(dict(key))


def analyse(item: ArticleLike, settings: dict | None = None) -> AnalyzedArticle:
    """Analyse one article, given as an Article or a file path."""
    return _analysed([item], _settings(settings))[0]


def _analysed(items: Sequence[ArticleLike], settings: dict) -> list[AnalyzedArticle]:
    """Articles, paths and finished analyses in, analyses out (in the same order)."""
    articles: list[Article | None] = []
    done: list[AnalyzedArticle | None] = []
    for item in items:
        if isinstance(item, AnalyzedArticle):
            articles.append(None)
            done.append(item)
        else:
            article = item if isinstance(item, Article) else read_articles([item], settings)[0]
            articles.append(article)
            done.append(None)
    key = _settings_key(settings)
    todo = [a for a in articles if a is not None and (key, a) not in _ANALYSED]
    for analysis in analyse_many(todo, settings) if todo else []:
        _ANALYSED[(key, analysis.article)] = analysis
        while len(_ANALYSED) > ANALYSIS_CACHE_SIZE:
            _ANALYSED.popitem(last=False)
    return [
        d if d is not None else _ANALYSED[(key, a)] for d, a in zip(done, articles, strict=True)
    ]


# Analyses kept in memory by (settings, article): comparing an article again (another pairing,
# a re-run from the web UI) skips its analysis. The key is the whole frozen Article, not its
# id: two outlets can publish the same text under different names. ~60 KB per article.
ANALYSIS_CACHE_SIZE = 512
_ANALYSED: OrderedDict = OrderedDict()


def read_for_comparison(
    items: Sequence[ArticleLike], settings: dict | None = None
) -> list[Article | AnalyzedArticle]:
    """What ``compare`` compares, read as ``ingest`` reads it: a file is its articles (a JSONL
    or CSV dump or a feed holds several), a folder its files, a URL its page or feed. Bad
    records inside a dump are skipped with their reason logged."""
    from storyline.ingest import Skip, expand_sources, read_path, read_url

    s = _settings(settings)
    out: list[Article | AnalyzedArticle] = []
    for item in items:
        if isinstance(item, (Article, AnalyzedArticle)):
            out.append(item)
            continue
        for source in expand_sources([str(item)], s):
            read = read_url(source.location, s) if source.kind == "url" else read_path(
                Path(source.location), s
            )
            for got in read:
                if isinstance(got, Skip):
                    log.warning("skipped %s:%s: %s", got.source, got.line, got.reason)
                else:
                    out.append(got)
    return out


def compare(items: Sequence[ArticleLike], settings: dict | None = None) -> Comparison:
    """Compare two or more articles (Articles, analyses, files, dumps, folders) claim by claim."""
    s = _settings(settings)
    articles = read_for_comparison(items, s)
    if len(articles) < 2:
        where = str(items[0]) if items and isinstance(items[0], (str, Path)) else None
        raise CompareError(
            f"compare needs at least two articles, got {len(articles)}",
            path=where,
            hint="give two or more files, or a JSONL/CSV dump or folder holding several",
        )
    return compare_analyses(_analysed(articles, s))


# --------------------------------------------------------------------------- the story engine

ENGINE_STATE = "story_engine"
DEDUPE_STATE = "dedupe_index"
# Articles per store transaction during ingest: large enough that commits and the engines'
# state snapshot (written once per batch) do not dominate — 1,000 ingested uci headlines at
# 530/s where 500 gave 400/s — small enough that progress moves smoothly. A crash loses
# nothing committed: the tracker catches up on open.
INGEST_BATCH = 1000


@dataclass
class IngestReport:
    """Counts of one ingest run, and the reason for every skip."""

    added: int = 0
    duplicates: int = 0
    revisions: int = 0
    copies: int = 0
    skipped: int = 0
    stories_opened: int = 0
    feeds: int = 0
    refined: int = 0  # articles re-clustered by refinement
    moved: int = 0  # of those, articles refinement put in another story
    stories_removed: int = 0  # stories refinement emptied (merged into others)
    refine_seconds: float = 0.0
    seconds: float = 0.0
    sources: int = 0  # files and URLs tried (a directory or OPML list counts its members)
    sources_read: int = 0  # of those, read without error and not every record skipped
    skips: list[tuple[str, str]] = field(default_factory=list)
    skip_kinds: dict[str, int] = field(default_factory=dict)  # error code or "record" -> count

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def nothing_read(self) -> bool:
        """True when something was tried and every source was refused or skipped."""
        return self.sources_read == 0 and self.skipped > 0


class Tracker:
    """A store with its dedupe index and story engine, kept in step (state in the store).

    Every write of stories and engine state happens under the store's writer lease, one process
    at a time. On taking the lease the tracker reloads the engines when another process saved
    theirs since (``Store.state_version``), so it never overwrites what another committed, and
    it tracks what a writer that crashed stored but never tracked."""

    def __init__(
        self, settings: dict | None = None, on_wait: Callable[[str], None] | None = None
    ):
        from storyline.store import open_store

        self.settings = _settings(settings)
        self.on_wait = on_wait or log.warning
        self.store = open_store(str(self.settings["store"]))
        self._version: int | None = None  # the state version the engines stand at
        self._writing = False
        self.caught_up = 0
        try:
            with self.writing():  # loads the engines and catches up
                pass
        except BaseException:
            self.store.close()
            raise

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lease for a unit of work, with the engines in step with the store."""
        if self._writing:  # re-entered: a batch refining inside its lease
            yield
            return
        with self.store.writer(float(self.settings["writer_timeout"]), self.on_wait):
            self._writing = True
            try:
                if self.store.state_version() != self._version:
                    self._load()
                self.caught_up += self.catch_up()
                yield
            finally:
                self._writing = False

    def _load(self) -> None:
        """(Re)load the engines from the store's snapshots."""
        from storyline.stories.cluster import StoryEngine
        from storyline.stories.dedupe import DuplicateIndex

        self._version = self.store.state_version()
        state = self.store.get_state(ENGINE_STATE)
        self.engine = (
            StoryEngine.restore(state, self.settings) if state else StoryEngine(self.settings)
        )
        self.engine.new_story_id = self.store.next_story_id
        state = self.store.get_state(DEDUPE_STATE)
        self.dedupe = DuplicateIndex.from_bytes(state) if state else DuplicateIndex()
        if not self.dedupe.grouped:  # an index saved before copies were grouped: once
            self.dedupe = self.dedupe.regroup(self.store.original_of)

    def add_batch(self, articles: list[Article], report: IngestReport) -> None:
        """Store a batch, link syndicated copies, and assign stories in published order; in a
        long ingest, refine every ``refine.REFINE_EVERY`` articles (when refinement is on)."""
        from storyline.stories.refine import REFINE_EVERY

        articles = sorted(articles, key=_published_order)
        with self.writing():
            self._track(articles, self.store.add_articles(articles), report)
            if self.settings["story_refine"] and self.engine.unrefined >= REFINE_EVERY:
                self.refine(report)

    def catch_up(self) -> int:
        """Track stored articles the engines never saw (a crash before their state was saved)."""
        from storyline.store.base import AddResult

        if self.store.count_articles(all_revisions=True) <= self.engine.assigned:
            return 0
        with self.writing():
            missing = [
                a
                for a in self.store.articles(all_revisions=True)
                if self.engine.assignment(a.id) is None
            ]
            self._track(missing, [AddResult("added", a.id) for a in missing], IngestReport())
        return len(missing)

    def _track(self, articles: list[Article], results: list, report: IngestReport) -> None:
        """Dedupe and assign stored articles; save stories, assignments and engine state."""
        assigned: list[tuple[str, str, float]] = []
        for article, result in zip(articles, results, strict=True):
            if result.status == "duplicate":
                report.duplicates += 1
                continue
            report.added += result.status == "added"
            report.revisions += result.status == "revision"
            stored = (
                self.store.get_article(result.article_id)
                if result.article_id != article.id
                else article
            )
            if self._link_copy(stored, result.previous_id):
                report.copies += 1
            assignment = self.engine.add(stored)
            report.stories_opened += assignment.opened
            assigned.append((stored.id, assignment.story_id, assignment.score))
        # Only the stories this batch touched: every story of the engine would be read back,
        # labelled and rebuilt per batch, a cost that grows with the store.
        for story_id in dict.fromkeys(story_id for _, story_id, _ in assigned):
            self.store.save_story(self.engine.story(story_id))
        for article_id, story_id, score in assigned:
            self.store.assign_story(article_id, story_id, score)
        self.save()

    def _link_copy(self, article: Article, previous_id: str | None) -> bool:
        """Index a stored article's signature and link it to the original it copies, if any.
        Reads one stored article per group matched, never the group's other copies."""
        from storyline.stories.dedupe import pick_original

        signature = self.dedupe.signer.signature(article.text)
        # A new revision resembles the version it replaces; that is not syndication.
        groups = self.dedupe.groups(signature, exclude=(previous_id,))
        original = None
        if groups:
            candidates = [(group, self.store.get_article(group).published) for group, _ in groups]
            original = pick_original(candidates + [(article.id, article.published)])
            if original == article.id:
                original = None
            else:
                self.store.link_copy(article.id, original, dict(groups)[original])
        self.dedupe.insert(article.id, signature, original)
        return original is not None

    def refine(self, report: IngestReport) -> None:
        """Re-cluster the open stories with document embeddings; save the stories that changed,
        delete the emptied ones and save the engine state in one transaction."""
        started = time.perf_counter()
        with self.writing():
            scope = self.engine.refine_scope()
            result = self.engine.refine({i: self.store.get_article(i) for i in scope})
            self.store.replace_stories(
                [self.engine.story(i) for i in result.changed],
                result.removed,
                {ENGINE_STATE: self.engine.snapshot()},
            )
            self._version = self.store.state_version()
        report.refined += result.articles
        report.moved += result.moved
        report.stories_removed += len(result.removed)
        report.refine_seconds += round(time.perf_counter() - started, 3)

    def save(self) -> None:
        """Persist the engines' state, in step with the stories and assignments just saved."""
        with self.writing():
            self.store.replace_stories(
                [], [], {ENGINE_STATE: self.engine.snapshot(), DEDUPE_STATE: self.dedupe.to_bytes()}
            )
            self._version = self.store.state_version()


def _published_order(article: Article) -> tuple:
    return (article.published is None, article.published or datetime.min.replace(tzinfo=UTC))


def ingest(
    sources: Sequence[str],
    settings: dict | None = None,
    on_progress: Callable[[IngestReport, str], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Read files, directories, feeds and OPML lists into the store and assign stories;
    ``on_wait`` hears when another process holds the store's writer lease."""
    from storyline.errors import StorylineError
    from storyline.ingest import Skip, expand_sources, fetch, read_fetched, read_path

    s = _settings(settings)
    report = IngestReport()
    started = time.perf_counter()
    with Tracker(s, on_wait) as tracker:
        batch: list[Article] = []
        for source in expand_sources(list(sources), s):
            report.sources += 1
            if isinstance(source, Skip):  # a missing path, a broken OPML list, ...
                _skip(tracker, report, source.source, source.reason)
                continue
            read = skipped = 0  # this source's articles and skips
            try:
                fetched = fetch(source.location, s) if source.kind == "url" else None
                items = read_fetched(fetched, s) if fetched else read_path(Path(source.location), s)
                for item in items:
                    if isinstance(item, Skip):
                        skipped += 1
                        _skip(tracker, report, f"{item.source}:{item.line}", item.reason)
                        continue
                    read += 1
                    batch.append(item)
                    if len(batch) >= INGEST_BATCH:
                        tracker.add_batch(batch, report)
                        batch = []
                        if on_progress:
                            on_progress(report, source.location)
                if fetched:
                    tracker.store.save_feed(
                        source.location, fetched.etag, fetched.last_modified, datetime.now(UTC)
                    )
                    report.feeds += 1
            except StorylineError as exc:
                skipped += 1
                _skip(tracker, report, source.location, exc.render(), exc.code)
            if read or not skipped:  # a feed answering 304 or without entries was read too
                report.sources_read += 1
            if on_progress:
                on_progress(report, source.location)
        if batch:
            tracker.add_batch(batch, report)
        _refine(tracker, report, s, on_progress)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _refine(
    tracker: Tracker,
    report: IngestReport,
    settings: dict,
    on_progress: Callable[[IngestReport, str], None] | None,
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
    s = _settings(settings)
    report = IngestReport()
    started = time.perf_counter()
    with Tracker(s, on_wait) as tracker:
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
    on_poll: Callable[[IngestReport, str], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Poll the stored feeds with conditional GET every ``watch_interval`` seconds.

    ``polls`` bounds the number of rounds (None: until interrupted); ``on_wait`` hears when
    another process holds the store's writer lease.
    """
    from storyline.errors import StorylineError
    from storyline.ingest import HostThrottle, Skip, fetch, read_fetched

    s = _settings(settings)
    report = IngestReport()
    throttle = HostThrottle()
    rounds = 0
    with Tracker(s, on_wait) as tracker:
        while polls is None or rounds < polls:
            started = time.perf_counter()
            for feed in tracker.store.feeds():
                batch: list[Article] = []
                try:
                    result = fetch(
                        feed.url,
                        s,
                        etag=feed.etag,
                        last_modified=feed.last_modified,
                        throttle=throttle,
                    )
                    for item in read_fetched(result, s):
                        if isinstance(item, Skip):
                            _skip(tracker, report, f"{item.source}:{item.line}", item.reason)
                        else:
                            batch.append(item)
                    tracker.store.save_feed(
                        feed.url,
                        result.etag or feed.etag,
                        result.last_modified or feed.last_modified,
                        datetime.now(UTC),
                    )
                except StorylineError as exc:
                    _skip(tracker, report, feed.url, exc.render(), exc.code)
                if batch:
                    tracker.add_batch(batch, report)
                if on_poll:
                    on_poll(report, feed.url)
            _refine(tracker, report, s, None)
            rounds += 1
            report.seconds += time.perf_counter() - started
            if polls is None or rounds < polls:
                time.sleep(max(0.0, float(s["watch_interval"]) - (time.perf_counter() - started)))
    report.seconds = round(report.seconds, 3)
    return report


def list_stories(since: datetime | None = None, settings: dict | None = None) -> list:
    """Stories in the store, most recently active first."""
    from storyline.store import open_store

    with open_store(str(_settings(settings)["store"])) as store:
        stories = store.stories(since)
    return sorted(stories, key=lambda st: (st.last_seen is None, st.last_seen), reverse=False)[::-1]


@dataclass
class StoryView:
    """A story with its articles and which of them are copies of another."""

    story: object
    articles: list[Article]
    copies: dict[str, str]  # copy article id -> original article id


def get_story(story_id: str, settings: dict | None = None) -> StoryView:
    """One story with its articles in published order."""
    from storyline.store import open_store

    with open_store(str(_settings(settings)["store"])) as store:
        story = store.get_story(story_id)
        articles = sorted((store.get_article(i) for i in story.article_ids), key=_published_order)
        copies = {a.id: o for a in articles if (o := store.original_of(a.id))}
    return StoryView(story, articles, copies)


def compare_story(story_id: str, settings: dict | None = None) -> Comparison:
    """The comparison of a story's articles; a syndicated copy stands with its original and
    counts once. Analyses are kept in the store."""
    from storyline.store import open_store

    s = _settings(settings)
    view = get_story(story_id, s)
    originals = [a for a in view.articles if a.id not in view.copies]
    if len(originals) < 2:
        raise CompareError(
            f"story {story_id} has {len(originals)} original article(s) "
            f"({len(view.copies)} syndicated copies beside them)",
            hint="a comparison needs two independent reports; wait for more articles",
        )
    with open_store(str(s["store"])) as store:
        stored = {a.id: store.get_analysis(a.id) for a in view.articles}
        missing = [a for a in view.articles if stored[a.id] is None or stored[a.id].vectors is None]
        for analysis in analyse_many(missing, s) if missing else []:
            store.save_analysis(analysis)
            stored[analysis.article.id] = analysis
    return compare_analyses([stored[a.id] for a in view.articles], copies=view.copies)

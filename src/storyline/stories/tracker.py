"""A store kept in step with its dedupe index and story engine: the syndication policy (which
stored article copies which) and story assignment, one writer at a time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from storyline.model import Article, Correction

if TYPE_CHECKING:
    from storyline.stories.cluster import Assignment
    from storyline.stories.corrections import Change

log = logging.getLogger(__name__)


def published_order(article: Article) -> tuple:
    """Sort key: oldest first, undated last."""
    return (article.published is None, article.published or datetime.min.replace(tzinfo=UTC))


ENGINE_STATE = "story_engine"
DEDUPE_STATE = "dedupe_index"



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
        self, settings: dict, on_wait: Callable[[str], None] | None = None
    ):
        from storyline.store import open_store

        self.settings = settings
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

        articles = sorted(articles, key=published_order)
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
            assignment = self._follow_pin(stored, result.previous_id) or self.engine.add(stored)
            report.stories_opened += assignment.opened
            assigned.append((stored.id, assignment.story_id, assignment.score))
        # Only the stories this batch touched: every story of the engine would be read back,
        # labelled and rebuilt per batch, a cost that grows with the store.
        for story_id in dict.fromkeys(story_id for _, story_id, _ in assigned):
            self.store.save_story(self.engine.story(story_id))
        for article_id, story_id, score in assigned:
            self.store.assign_story(article_id, story_id, score)
        self.save()

    def _follow_pin(self, article: Article, previous_id: str | None) -> Assignment | None:
        """A new revision of an article the user placed joins the story it was pinned to (the
        engine would place it by similarity, back where the user took it from); else None."""
        story_id = self.engine.pins.get(previous_id or "")
        if story_id is None or self.engine.assignment(article.id) is not None:
            return None
        try:
            ids = self.engine.story(story_id).article_ids
        except KeyError:  # pins name existing stories; a stale one never places an article
            return None
        members = [self.store.get_article(a) for a in ids]
        self.engine.rebuild({story_id: [*members, article]})
        self.engine.pins[article.id] = story_id
        self.engine.unrefined += 1
        return self.engine.assignment(article.id)

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

    def correct(self, plan: Callable[..., Change]) -> Correction:
        """Make a user's correction under the writer lease: ``plan(members, story_of, new_id)``
        (a function of ``stories.corrections``) checks it against the stories as they stand and
        says what changes; the engine rebuilds those stories and pins their articles, and the
        store saves them with the correction and the engine state in one transaction."""
        from storyline.stories.corrections import unknown

        def members(story_id: str) -> tuple[str, ...]:
            try:
                return self.engine.story(story_id).article_ids
            except KeyError:
                raise unknown("story", story_id) from None

        def story_of(article_id: str) -> str:
            assignment = self.engine.assignment(article_id)
            if assignment is None:
                raise unknown("article", article_id)
            return assignment.story_id

        with self.writing():
            change = plan(members, story_of, self.store.next_story_id)
            try:
                read = self.store.get_article
                self.engine.rebuild(
                    {s: [read(a) for a in ids] for s, ids in change.members.items()}, change.removed
                )
                self.engine.pins.update(change.pins())
                stored = self.store.apply_correction(
                    change.correction,
                    [self.engine.story(s) for s in change.members],
                    list(change.removed),
                    {ENGINE_STATE: self.engine.snapshot()},
                )
            except BaseException:
                self._version = None  # the engine changed and the store did not: reload it
                raise
            self._version = self.store.state_version()
        return stored

    def save(self) -> None:
        """Persist the engines' state, in step with the stories and assignments just saved."""
        with self.writing():
            self.store.replace_stories(
                [], [], {ENGINE_STATE: self.engine.snapshot(), DEDUPE_STATE: self.dedupe.to_bytes()}
            )
            self._version = self.store.state_version()

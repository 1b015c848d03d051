"""A store kept in step with its dedupe index and story engine: the syndication policy (which
stored article copies which) and story assignment, one writer at a time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from storyline.model import THIN_TEXT, Article, Correction
from storyline.stories.options import StoryOptions, TrackOptions

if TYPE_CHECKING:
    from storyline.stories.cluster import Assignment, Regrouping, StoryEngine
    from storyline.stories.corrections import Change
    from storyline.stories.engine_state import EngineState

log = logging.getLogger(__name__)


def published_order(article: Article) -> tuple:
    """Sort key: oldest first, undated last."""
    return (article.published is None, article.published or datetime.min.replace(tzinfo=UTC))


ENGINE_STATE = "story_engine"
DEDUPE_STATE = "dedupe_index"  # a whole-index snapshot, as stores before migration 5 kept it

# Stored articles tracked per transaction when catching up (a backfill's story phase, or what a
# crashed writer stored): ingest's batch size, so the two make the same commits.
CATCH_UP_BATCH = 1000

# Articles whose stored signatures one query looks up (20 band keys each): a posted batch or
# an ingest batch in one query, within any SQL server's limit on bound values.
LOOKUP_BATCH = 500

Tracked = Callable[[int, int], None]  # (articles tracked so far, articles to track)


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
        self,
        options: TrackOptions,
        on_wait: Callable[[str], None] | None = None,
        on_track: Tracked | None = None,
    ):
        from storyline.store import open_store

        self.options = options
        self.on_wait = on_wait or log.warning
        self.on_track = on_track
        self.store = open_store(self.options.store)
        self._version: int | None = None  # the state version the engines stand at
        self._writing = False
        self._checked = 0  # every stored article up to this seq is in a story
        self._unsaved: list[str] = []  # ids of signatures indexed but not yet stored
        self.caught_up = 0
        self.caught_up_report = IngestReport()  # what catching up tracked: copies, stories
        # hears (article id, story id) of each assignment as made, before any refinement moves
        # it (the evaluation's online figure)
        self.on_assign: Callable[[str, str], None] | None = None
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
        with self.store.writer(self.options.writer_timeout, self.on_wait):
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
        from storyline.stories.dedupe import WINDOW_HOURS, WINDOW_SIGNATURES, DuplicateIndex

        self._version = self.store.state_version()
        self.engine, self._parts = load_engine(self.store, self.options.stories)
        self.engine.new_story_id = self.store.next_story_id
        # _checked stays: an article once in a story stays in one, and what another writer
        # stored since (or left untracked when it crashed) comes after it
        self.dedupe = DuplicateIndex()
        self._unsaved = []
        if self.store.has_signatures():  # the window, from the stored signatures
            recent = self.store.recent_signatures(None, WINDOW_SIGNATURES)
            latest = max((ts for *_, ts in recent if ts is not None), default=None)
            for article_id, group, signature, ts in recent:
                if latest is None or ts is None or ts >= latest - WINDOW_HOURS * 3600.0:
                    self.dedupe.insert(article_id, signature, group)
                    self.dedupe.note_time(article_id, ts)
        elif state := self.store.get_state(DEDUPE_STATE):  # a store from before migration 5
            self.dedupe = DuplicateIndex.from_bytes(state)
            if not self.dedupe.grouped:  # an index saved before copies were grouped: once
                self.dedupe = self.dedupe.regroup(self.store.original_of)
            self._unsaved = self.dedupe.ids()  # stored with the next batch

    def add_batch(self, articles: list[Article], report: IngestReport) -> dict[str, str]:
        """Store a batch, link syndicated copies, and assign stories in published order; in a
        long ingest, refine where the engine says it is due (when refinement is on). Maps each
        article's id to the stored article's (itself, or the one an exact repeat repeats)."""
        articles = sorted(articles, key=published_order)
        with self.writing():
            results = self.store.add_articles(articles)
            self._track_refining(articles, results, report)
        return {a.id: r.article_id for a, r in zip(articles, results, strict=True)}

    def catch_up(self) -> int:
        """Track stored articles that are in no story (a crashed writer's, or a backfill's), in
        published order, a batch at a time, refining as a long ingest does; how many."""
        from storyline.store.base import AddResult

        last = self.store.last_seq()
        total = self.store.count_untracked(self._checked) if last > self._checked else 0
        done = 0
        with self.writing():
            while done < total and (batch := self.store.untracked(CATCH_UP_BATCH, self._checked)):
                articles = [self.store.get_article(article_id) for article_id, _ in batch]
                results = [
                    AddResult("revision" if previous else "added", article_id, previous_id=previous)
                    for article_id, previous in batch
                ]
                self._track_refining(articles, results, self.caught_up_report)
                done += len(batch)
                if self.on_track:
                    self.on_track(done, total)
        self._checked = max(self._checked, last)
        return done

    def _track_refining(self, articles: list[Article], results: list, report: IngestReport) -> None:
        """``_track`` in published order, refining where the engine says it is due (a batch
        spanning weeks is refined as its clock passes each story window, as a live feed is)."""
        from storyline.stories.refine import REFINE_EVERY

        refining = self.options.stories.refine
        start, since = 0, None  # the segment not yet tracked, and its first published time
        for n, article in enumerate(articles):
            due = refining and n > start
            if due and self.engine.refine_due(article.published, n - start, since):
                self._track(articles[start:n], results[start:n], report)
                self.refine(report)
                start, since = n, None
            since = since or article.published
        self._track(articles[start:], results[start:], report)
        if refining and self.engine.unrefined >= REFINE_EVERY:
            self.refine(report)

    def _track(self, articles: list[Article], results: list, report: IngestReport) -> None:
        """Dedupe and assign stored articles; save the stories they touched, their scores, the
        signatures kept and the engine state in one transaction, then drop from memory what
        left the open window (closed stories, old signatures: the store keeps them)."""
        from storyline.stories.dedupe import BatchLookup

        assigned: list[tuple[str, str, float]] = []
        kept: list[tuple[str, str, object, list[int]]] = []
        links: list[tuple[str, str, float]] = []  # copies, linked in the batch's transaction
        signed = self._signed(articles, results)
        for n, (result, sign) in enumerate(zip(results, signed, strict=True)):
            if n % LOOKUP_BATCH == 0:
                chunk = [keys for _, _, keys in filter(None, signed[n : n + LOOKUP_BATCH])]
                lookup = BatchLookup(self.store.signatures_by_bands, chunk)
            if sign is None:
                report.duplicates += 1
                continue
            report.added += result.status == "added"
            report.revisions += result.status == "revision"
            stored, signature, keys = sign
            if self._link_copy(stored, result.previous_id, (kept, links), signature, keys, lookup):
                report.copies += 1
            assignment = self._follow_pin(stored, result.previous_id) or self.engine.add(stored)
            report.stories_opened += assignment.opened
            if self.on_assign:
                self.on_assign(stored.id, assignment.story_id)
            assigned.append((stored.id, assignment.story_id, assignment.score))
        # Only the stories this batch touched: every story of the engine would be read back,
        # labelled and rebuilt per batch, a cost that grows with the store.
        touched = [self.engine.story(i) for i in dict.fromkeys(sid for _, sid, _ in assigned)]
        self.engine.retire_closed()
        kept.extend(self._stored_later())
        self.dedupe.evict()
        with self.writing():
            try:
                self.store.save_tracked(
                    touched,
                    [(article_id, score) for article_id, _, score in assigned],
                    self._parts.delta(self.engine),
                    kept,
                    links,
                )
            except BaseException:
                self._version = None  # the engine moved on and the store did not: reload
                raise
            self._version = self.store.state_version()

    def _stored_later(self) -> list[tuple[str, str, object, list[int]]]:
        """The signatures of an index loaded from a whole-index snapshot, to store once."""
        from storyline.stories.dedupe import band_keys

        rows = []
        for article_id in self._unsaved:
            signature = self.dedupe.signature_of(article_id)
            if signature is not None:
                group = self.dedupe.group_of(article_id) or article_id
                rows.append((article_id, group, signature, band_keys(signature)))
        self._unsaved = []
        return rows

    def _follow_pin(self, article: Article, previous_id: str | None) -> Assignment | None:
        """A new revision of an article the user placed joins the story it was pinned to (the
        engine would place it by similarity, back where the user took it from); else None."""
        story_id = self.engine.pins.get(previous_id or "")
        if story_id is None or self.engine.assignment(article.id) is not None:
            return None
        try:
            ids = self._members(story_id)
        except KeyError:  # pins name existing stories; a stale one never places an article
            return None
        members = [self.store.get_article(a) for a in ids]
        self.engine.rebuild({story_id: [*members, article]})
        self.engine.pins[article.id] = story_id
        self.engine.unrefined += 1
        return self.engine.assignment(article.id)

    def _members(self, story_id: str) -> tuple[str, ...]:
        """A story's article ids: the engine's for an open story, the store's for one it
        retired; KeyError when there is none."""
        from storyline.errors import NotFoundError

        try:
            return self.engine.story(story_id).article_ids
        except KeyError:
            try:
                return self.store.get_story(story_id).article_ids
            except NotFoundError:
                raise KeyError(story_id) from None

    def _signed(self, articles: list[Article], results: list) -> list[tuple | None]:
        """Per article of a batch: (the stored article, its dedupe signature, the band keys
        stored with it), None for an exact repeat (nothing to track)."""
        from storyline.stories.dedupe import band_keys

        signed: list[tuple | None] = []
        for article, result in zip(articles, results, strict=True):
            if result.status == "duplicate":
                signed.append(None)
                continue
            stored = (
                self.store.get_article(result.article_id)
                if result.article_id != article.id
                else article
            )
            # Less than a paragraph cannot tell a syndicated copy from pages sharing a sign-in
            # prompt: a thin page is no copy (a wrong link costs more than a missed one)
            signature = None if stored.get(THIN_TEXT) else self.dedupe.signer.signature(stored.text)
            keys = band_keys(signature) if signature is not None else []  # stored with it
            signed.append((stored, signature, keys))
        return signed

    def _link_copy(
        self,
        article: Article,
        previous_id: str | None,
        found: tuple[list, list],
        signature: Any,
        keys: list[int],
        lookup: Callable[[list[int]], list],
    ) -> bool:
        """Index a stored article's signature (its band ``keys`` stored with it) and link it to
        the original it copies, if any (in the window or through the stored signatures, asked
        of ``lookup``); ``found``: the batch's kept signatures and copy links, which it joins
        (the store saves both with the batch). Reads one stored article per group matched,
        never the group's other copies."""
        from storyline.stories.dedupe import LSH_BANDS, LSH_ROWS, pick_original

        # The same keys serve the stored lookup, unless an old snapshot's index has other bands
        # (whose keys the batch's lookup was not asked: the store answers them itself).
        shared = (self.dedupe.bands, self.dedupe.rows) == (LSH_BANDS, LSH_ROWS)
        # A new revision resembles the version it replaces; that is not syndication. Its own
        # stored signature (a crash before its story was saved) is not a copy either.
        index_keys = keys if shared else None
        groups = self.dedupe.groups(
            signature,
            exclude=(previous_id, article.id),
            stored=lookup if shared else self.store.signatures_by_bands,
            keys=index_keys,
        )
        original = None
        if groups:
            candidates = [(group, self.store.get_article(group).published) for group, _ in groups]
            original = pick_original(candidates + [(article.id, article.published)])
            if original == article.id:
                original = None
            else:
                found[1].append((article.id, original, dict(groups)[original]))
        if self.dedupe.insert(article.id, signature, original, index_keys):
            self.dedupe.note_time(article.id, _epoch(article.published))
            group = self.dedupe.group_of(article.id) or article.id
            found[0].append((article.id, group, signature, keys))
        return original is not None

    def refine(self, report: IngestReport) -> None:
        """Re-cluster the open stories with document embeddings; save the stories that changed,
        delete the emptied ones and save the engine state in one transaction."""
        started = time.perf_counter()
        with self.writing():
            scope = self.engine.refine_scope()
            result = self.engine.refine({i: self.store.get_article(i) for i in scope})
            self._join_followups(result)
            self.store.replace_stories(
                [self.engine.story(i) for i in result.changed],
                result.removed,
                self._parts.delta(self.engine),
            )
            self._version = self.store.state_version()
        report.refined += result.articles
        report.moved += result.moved
        report.stories_removed += len(result.removed)
        report.refine_seconds += round(time.perf_counter() - started, 3)

    def _join_followups(self, result: Regrouping) -> None:
        """Each closed story a refinement found followed up (``followups.py``) takes its
        follow-up stories' articles, open again under its own id; the follow-ups are gone."""
        later: dict[str, list[str]] = {}
        for closed, opened in result.followups:
            later.setdefault(closed, []).append(opened)
        for closed, opened in later.items():
            kept = self.store.get_story(closed).article_ids
            joining = [a for sid in opened for a in self.engine.story(sid).article_ids]
            articles = [self.store.get_article(i) for i in (*kept, *joining)]
            self.engine.rebuild({closed: articles}, removed=opened, known=frozenset(kept))
            result.moved += len(joining)
            result.removed.extend(opened)
        gone = set(result.removed)
        changed = [sid for sid in result.changed if sid not in gone]
        result.changed = list(dict.fromkeys([*changed, *later]))

    def correct(self, plan: Callable[..., Change]) -> Correction:
        """Make a user's correction under the writer lease: ``plan(members, story_of, new_id)``
        (a function of ``stories.corrections``) checks it against the stories as they stand and
        says what changes; the engine rebuilds those stories and pins their articles, and the
        store saves them with the correction and the engine state in one transaction."""
        from storyline.stories.corrections import unknown

        def members(story_id: str) -> tuple[str, ...]:
            try:
                return self._members(story_id)
            except KeyError:
                raise unknown("story", story_id) from None

        def story_of(article_id: str) -> str:
            assignment = self.engine.assignment(article_id)
            if assignment is not None:
                return assignment.story_id
            story = self.store.story_of(article_id)  # a story the engine retired
            if story is None:
                raise unknown("article", article_id)
            return story.id

        with self.writing():
            change = plan(members, story_of, self.store.next_story_id)
            try:
                read = self.store.get_article
                self.engine.rebuild(
                    {s: [read(a) for a in ids] for s, ids in change.members.items()},
                    [s for s in change.removed if self._open_story(s)],
                )
                self.engine.pins.update(change.pins())
                stored = self.store.apply_correction(
                    change.correction,
                    [self.engine.story(s) for s in change.members],
                    list(change.removed),
                    self._parts.delta(self.engine),
                )
            except BaseException:
                self._version = None  # the engine changed and the store did not: reload it
                raise
            self._version = self.store.state_version()
        return stored

    def _open_story(self, story_id: str) -> bool:
        try:
            self.engine.story(story_id)
        except KeyError:
            return False
        return True

    def save(self) -> None:
        """Persist the story engine's state (the dedupe signatures are stored as they come)."""
        with self.writing():
            self.store.replace_stories([], [], self._parts.delta(self.engine))
            self._version = self.store.state_version()


def load_engine(store: Any, options: StoryOptions) -> tuple[StoryEngine, EngineState]:
    """The story engine a store holds (its parts, else a whole snapshot from before them, else a
    new engine), with the record of which parts the store has."""
    from storyline.stories.cluster import StoryEngine
    from storyline.stories.engine_state import (
        PREFIX,
        EngineState,
        snapshot_from_parts,
        start_tracking,
    )

    parts = store.state_parts(PREFIX)
    known = EngineState()
    if parts:
        data, known = snapshot_from_parts(parts, StoryEngine(options).dim)
        engine = StoryEngine.restore(data, options)
    elif state := store.get_state(ENGINE_STATE):  # a store from before the parts
        engine = StoryEngine.restore(state, options)
        known.legacy = True
    else:
        engine = StoryEngine(options)
    engine.retire_closed()  # a snapshot written before stories were retired
    start_tracking(engine)
    return engine, known


def _epoch(when: datetime | None) -> float | None:
    """Epoch seconds of a date (naive = UTC, as the store reads it), None when undated."""
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()

"""The Store protocol: what every backend (SQLite, PostgreSQL) offers the engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from storyline.model import AnalyzedArticle, Article, Correction, Story

AddStatus = Literal["added", "duplicate", "revision"]


@dataclass(frozen=True)
class AddResult:
    """What add_article did with one article.

    - "added": stored as new (revision 1 of its URL).
    - "duplicate": already stored (same content hash, or same canonical URL and same text);
      ``article_id`` and ``original_id`` are the stored article's id.
    - "revision": same canonical URL with different text, stored as a new revision;
      ``previous_id`` is the revision it supersedes.
    """

    status: AddStatus
    article_id: str
    revision: int = 1
    original_id: str | None = None
    previous_id: str | None = None


@dataclass(frozen=True)
class FeedState:
    """Polling state of one feed, for conditional GETs."""

    url: str
    etag: str | None
    last_modified: str | None
    last_polled: datetime | None


@dataclass(frozen=True)
class Skip:
    """An input that was not ingested, and why."""

    source: str
    reason: str
    at: datetime


@runtime_checkable
class Store(Protocol):
    """Persistent articles, analyses, copies, stories, feed state and engine snapshots."""

    # articles
    def add_article(self, article: Article) -> AddResult:
        """Store one article idempotently (see AddResult)."""
        ...

    def add_articles(self, articles: Iterable[Article]) -> list[AddResult]:
        """add_article for many, in one transaction."""
        ...

    def get_article(self, article_id: str) -> Article:
        """The article with this id (any revision); NotFoundError if none."""
        ...

    def articles(
        self, since: datetime | None = None, limit: int | None = None
    ) -> Iterator[Article]:
        """Latest revisions in published order, undated last."""
        ...

    def count_articles(self) -> int:
        """How many articles articles() lists."""
        ...

    def find_by_url(self, url: str) -> Article | None:
        """The latest revision stored under this URL's canonical form."""
        ...

    def revisions(self, url: str) -> list[Article]:
        """Every revision stored under this URL's canonical form, oldest first."""
        ...

    # analyses
    def save_analysis(self, analysis: AnalyzedArticle) -> None:
        """Store (replace) every annotation layer and the sentence vectors of an article."""
        ...

    def get_analysis(self, article_id: str) -> AnalyzedArticle | None:
        """The stored analysis, None when the article was not analysed yet."""
        ...

    # syndicated copies
    def link_copy(self, article_id: str, original_id: str, similarity: float) -> None:
        """Record that an article is a near-duplicate of an original."""
        ...

    def copies_of(self, article_id: str) -> list[tuple[str, float]]:
        """(copy id, similarity) of an original's copies, in ingest order."""
        ...

    def original_of(self, article_id: str) -> str | None:
        """The original an article copies, None when it is no copy."""
        ...

    # stories
    def save_story(self, story: Story) -> None:
        """Store (replace) a story and its membership."""
        ...

    def replace_stories(
        self, stories: list[Story], removed: list[str], state: dict[str, bytes] | None = None
    ) -> None:
        """Save stories, delete emptied ones and replace snapshots, all in one transaction."""
        ...

    def assign_story(self, article_id: str, story_id: str, score: float) -> None:
        """Put an article into a story (moving it out of any other)."""
        ...

    def stories(self, since: datetime | None = None) -> list[Story]:
        """Stories seen since a time (all when None), oldest first."""
        ...

    def get_story(self, story_id: str) -> Story:
        """The story with this id; NotFoundError if none."""
        ...

    def story_of(self, article_id: str) -> Story | None:
        """The story an article belongs to, None if unassigned."""
        ...

    def next_story_id(self) -> str:
        """A story id never handed out before in this store."""
        ...

    # corrections by the user
    def apply_correction(
        self,
        correction: Correction,
        stories: list[Story],
        removed: list[str],
        state: dict[str, bytes] | None = None,
    ) -> Correction:
        """Record a user's correction and its effect, all in one transaction.

        - numbers the correction (1, 2, ... in the order made; ``correction.id`` is ignored)
          and stores it with every story it names (``story_id``, ``from_ids``, ``removed``),
          so ``corrections(story_id)`` finds it from any of them;
        - saves ``stories`` as ``replace_stories`` does (membership exactly as given), deletes
          the ``removed`` stories, and replaces the ``state`` snapshots (the story engine's,
          so the engine and the stories stay in step);
        - sets the assignment score of ``correction.article_ids`` to NULL: placed by the
          user, not scored by the engine.

        Returns the correction with its number. NotFoundError when a story lists an article the
        store does not hold. Call it under the writer lease (``writer``). The SQL is plain
        (``MAX(id) + 1`` under the lease numbers corrections, lists are JSON text)."""
        ...

    def corrections(self, story_id: str | None = None) -> list[Correction]:
        """The corrections made, oldest first; with ``story_id``, only those that took articles
        into, out of, or emptied that story (its history, kept after a merge deleted it)."""
        ...

    # the writer lease, engine snapshots, feeds, skip log
    def writer(
        self, timeout: float, on_wait: Callable[[str], None] | None = None
    ) -> AbstractContextManager[None]:
        """Hold the store's writer lease (one writer process at a time) for a block of several
        transactions; wait up to ``timeout`` seconds for another holder, then StoreBusyError."""
        ...

    def state_version(self) -> int:
        """A number that changes whenever any process writes a snapshot."""
        ...

    def get_state(self, key: str) -> bytes | None:
        """A stored snapshot, None if absent."""
        ...

    def set_state(self, key: str, value: bytes) -> None:
        """Store (replace) a snapshot."""
        ...

    def save_feed(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        last_polled: datetime | None,
    ) -> None:
        """Store (replace) a feed's polling state."""
        ...

    def remove_feed(self, url: str) -> bool:
        """Forget a feed and its polling state; False when it was not stored."""
        ...

    def feeds(self) -> list[FeedState]:
        """Every known feed, by URL."""
        ...

    def record_skip(self, source: str, reason: str) -> None:
        """Log an input that was not ingested."""
        ...

    def skips(self, limit: int | None = None) -> list[Skip]:
        """The skip log, oldest first (the last ``limit`` entries when given)."""
        ...

    def close(self) -> None:
        """Release the store's connections."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...

"""Reading the store's stories, and the user's corrections of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from storyline.errors import NotFoundError
from storyline.model import Article, Correction
from storyline.service.common import resolve
from storyline.service.options import track_options
from storyline.stories import corrections
from storyline.stories.tracker import Tracker, published_order


def list_stories(since: datetime | None = None, settings: dict | None = None) -> list:
    """Stories in the store, most recently active first."""
    from storyline.store import open_store

    with open_store(str(resolve(settings)["store"])) as store:
        languages = store.story_languages()
        stories = [replace(st, languages=languages.get(st.id, ())) for st in store.stories(since)]
    return sorted(stories, key=lambda st: (st.last_seen is None, st.last_seen), reverse=False)[::-1]


@dataclass
class StoryView:
    """A story with its articles and which of them are copies of another."""

    story: object
    articles: list[Article]
    copies: dict[str, str]  # copy article id -> original article id
    corrections: list[Correction] = field(default_factory=list)  # its history, oldest first


def get_story(story_id: str, settings: dict | None = None) -> StoryView:
    """One story with its articles in published order and the corrections that touched it."""
    from storyline.store import open_store

    with open_store(str(resolve(settings)["store"])) as store:
        history = store.corrections(story_id)
        try:
            story = store.get_story(story_id)
        except NotFoundError as exc:
            merged = [c for c in history if story_id in c.removed]
            if merged:  # say where its articles went
                c = merged[-1]
                raise NotFoundError(
                    f"story {story_id!r} is gone: correction #{c.id} ({c.kind}) put its "
                    f"articles in {c.story_id!r}",
                    hint=f"see `storyline story {c.story_id}`",
                    path=exc.path,
                ) from None
            raise
        articles = sorted((store.get_article(i) for i in story.article_ids), key=published_order)
        copies = {a.id: o for a in articles if (o := store.original_of(a.id))}
    story = replace(story, languages=tuple(sorted({a.language for a in articles if a.language})))
    return StoryView(story, articles, copies, history)


def _correct(
    plan: Callable[..., corrections.Change],
    settings: dict | None,
    on_wait: Callable[[str], None] | None,
) -> Correction:
    with Tracker(track_options(resolve(settings)), on_wait) as tracker:
        return tracker.correct(plan)


def merge_stories(
    story_id: str,
    others: Sequence[str],
    settings: dict | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Correction:
    """Merge ``others`` into ``story_id`` (which keeps its id); the others are emptied."""
    return _correct(
        lambda members, _story_of, _new_id: corrections.merge(members, story_id, others),
        settings,
        on_wait,
    )


def split_story(
    story_id: str,
    article_ids: Sequence[str],
    settings: dict | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Correction:
    """Move the chosen articles of a story out to a new story (``Correction.story_id``)."""
    return _correct(
        lambda members, _story_of, new_id: corrections.split(
            members, story_id, article_ids, new_id
        ),
        settings,
        on_wait,
    )


def move_article(
    article_id: str,
    to: str | None = None,
    settings: dict | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Correction:
    """Move one article to story ``to``, or out to a new story when ``to`` is None."""
    return _correct(
        lambda members, story_of, new_id: corrections.move(
            members, story_of, article_id, to, new_id
        ),
        settings,
        on_wait,
    )


def list_corrections(
    story_id: str | None = None, settings: dict | None = None
) -> list[Correction]:
    """The corrections made, oldest first (those that touched ``story_id`` when given)."""
    from storyline.store import open_store

    with open_store(str(resolve(settings)["store"])) as store:
        return store.corrections(story_id)


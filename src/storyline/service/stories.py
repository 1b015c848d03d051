"""Reading the store's stories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storyline.model import Article
from storyline.service.common import resolve
from storyline.stories.tracker import published_order


def list_stories(since: datetime | None = None, settings: dict | None = None) -> list:
    """Stories in the store, most recently active first."""
    from storyline.store import open_store

    with open_store(str(resolve(settings)["store"])) as store:
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

    with open_store(str(resolve(settings)["store"])) as store:
        story = store.get_story(story_id)
        articles = sorted((store.get_article(i) for i in story.article_ids), key=published_order)
        copies = {a.id: o for a in articles if (o := store.original_of(a.id))}
    return StoryView(story, articles, copies)

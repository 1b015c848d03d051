"""The stories list's text filter searches the full text of the stories' articles (the store's
full-text index: SQLite FTS5, PostgreSQL's tsvector), not only the labels, on both backends."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.serve_fixture import demo_corpus
from tests.store_backends import Backend

from storyline import service
from storyline.interfaces.api import create_app
from storyline.settings import load_settings
from storyline.store import open_store


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    b = Backend(request.param, tmp_path)
    yield b
    b.close()


def _expected(store, word: str) -> set[str]:
    """The stories with a latest article whose title or text has a word starting with
    ``word`` (what the index answers), found by reading every article."""
    found = set()
    pattern = re.compile(rf"\b{re.escape(word)}", re.IGNORECASE)
    for story in store.stories():
        for article_id in story.article_ids:
            article = store.get_article(article_id)
            if pattern.search(article.title + "\n" + article.text):
                found.add(story.id)
    return found


def test_the_text_filter_reads_the_articles_full_text(backend):
    settings = load_settings({"store": backend.target("story-search")})
    service.ingest([str(demo_corpus())], settings)
    with open_store(settings["store"], read_only=True) as store:
        stories = store.stories()
        labels = " ".join(s.label for s in stories).casefold()
        # words of the articles that no label holds: the old label filter found nothing
        words = sorted({w for s in stories for a in s.article_ids
                        for w in re.findall(r"[a-z]{7,}", store.get_article(a).text.casefold())
                        if w not in labels})
        assert len(words) >= 20
        expected = {w: _expected(store, w) for w in words[:: max(1, len(words) // 20)]}
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        for word, stories_with_it in expected.items():
            page = c.get("/api/v1/stories", params={"q": word.upper(), "limit": 500}).json()
            assert {r["id"] for r in page["items"]} == stories_with_it, word
            assert page["total"] == len(stories_with_it) >= 1
        label_word = next(w for w in re.findall(r"\w{5,}", labels))
        by_label = c.get("/api/v1/stories", params={"q": label_word}).json()
        assert by_label["total"] >= 1  # a label's words are still found
        nothing = c.get("/api/v1/stories", params={"q": "zzqxjvv"}).json()
        assert nothing["total"] == 0
        both = c.get("/api/v1/stories", params={"q": f"{words[0]} zzqxjvv"}).json()
        assert both["total"] == 0  # every word must be in one article
        word, stories_with_it = next(iter(expected.items()))
        html = c.get("/", params={"q": word})  # the web page keeps the same stories
        assert html.status_code == 200
        assert set(re.findall(r'href="/stories/(\w+)"', html.text)) == stories_with_it


def test_a_new_post_is_found_by_its_text_at_once(backend):
    settings = load_settings({"store": backend.target("story-search-post"),
                              "story_refine": False})
    service.ingest([str(demo_corpus())], settings)
    record = {"title": "Harbour notice", "outlet": "Test Gazette",
              "text": "The quartermaster of Kestrelmouth counted the lanterns on Monday."}
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        assert c.get("/api/v1/stories", params={"q": "kestrelmouth"}).json()["total"] == 0
        posted = c.post("/api/v1/ingest", json={"articles": [record]}).json()["results"][0]
        page = c.get("/api/v1/stories", params={"q": "kestrelmou"}).json()
        assert [r["id"] for r in page["items"]] == [posted["story_id"]]


def test_both_ways_from_matching_articles_to_stories_agree(backend, monkeypatch):
    """The stories of the matching articles, through the membership index (few matches) or by
    checking every cached story (many), are the same stories."""
    from storyline.service import browsing
    from storyline.service.browsing import Catalog, StoryFilter

    settings = load_settings({"store": backend.target("story-search-ways")})
    service.ingest([str(demo_corpus())], settings)
    catalog = Catalog(settings)
    words = ["dam", "strike", "said", "the", "zzqxjvv", "spillway cracks"]

    def kept() -> dict[str, list[str]]:
        return {w: [r["id"] for r in catalog.stories(StoryFilter(text=w), limit=500)["items"]]
                for w in words}

    by_index = kept()
    monkeypatch.setattr(browsing, "FEW_MATCHES", -1)  # every match through the scan
    catalog._matches.clear()
    assert kept() == by_index
    assert len(by_index["the"]) >= 5 and by_index["zzqxjvv"] == []
    catalog.close()

"""The stories list a server caches catches up with the store's changes as a whole re-read would."""

from __future__ import annotations

import json

from tests.serve_fixture import demo_corpus

from storyline import service
from storyline.service.browsing import Catalog, StoryFilter
from storyline.settings import load_settings


def _ids(page: dict) -> list[tuple]:
    return [(r["id"], r["size"], r["last_seen"], tuple(r["outlets"])) for r in page["items"]]


def test_caught_up_list_equals_a_fresh_read(tmp_path):
    lines = demo_corpus().read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[11:]) + "\n", encoding="utf-8")
    settings = load_settings({"store": str(tmp_path / "s.db")})
    service.ingest([str(first)], settings)
    catalog = Catalog(settings)
    before = catalog.stories(StoryFilter(), limit=500)
    service.ingest([str(second)], settings)  # new stories, grown stories, a refinement
    fresh = Catalog(settings)
    caught_up = catalog.stories(StoryFilter(), limit=500)
    assert _ids(caught_up) == _ids(fresh.stories(StoryFilter(), limit=500))
    assert caught_up["total"] > before["total"]
    rows = caught_up["items"]
    service.merge_stories(rows[0]["id"], [rows[1]["id"]], settings)  # one story row deleted
    after_merge = catalog.stories(StoryFilter(), limit=500)
    assert _ids(after_merge) == _ids(Catalog(settings).stories(StoryFilter(), limit=500))
    assert after_merge["total"] == caught_up["total"] - 1
    record = json.loads(lines[0])
    record.update(id="late-1", text=record["text"] + " A late paragraph.", url="")
    late = tmp_path / "late.jsonl"
    late.write_text(json.dumps(record) + "\n", encoding="utf-8")
    service.ingest([str(late)], settings)
    assert _ids(catalog.stories(StoryFilter(), limit=500)) == _ids(
        Catalog(settings).stories(StoryFilter(), limit=500))
    catalog.close()
    fresh.close()


def test_the_whole_reread_runs_beside_the_requests(tmp_path, monkeypatch):
    """A change no story row records is found by the periodic whole re-read, which runs in a
    thread while requests keep answering from the caught-up cache."""
    import sqlite3
    import time

    from storyline.service import browsing

    settings = load_settings({"store": str(tmp_path / "s.db")})
    service.ingest([str(demo_corpus())], settings)
    catalog = Catalog(settings)
    catalog.preload()
    big = max(catalog.stories(StoryFilter(), limit=500)["items"], key=lambda r: r["size"])
    member = catalog.story(big["id"])["articles"][-1]["id"]
    conn = sqlite3.connect(tmp_path / "s.db")  # behind the store's back: no story row written
    conn.execute("DELETE FROM story_articles WHERE article_id = ?", (member,))
    conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'state'")
    conn.commit()
    conn.close()
    monkeypatch.setattr(browsing, "FULL_RELOAD_SECONDS", 0.0)

    def size() -> int:
        rows = catalog.stories(StoryFilter(), limit=500)["items"]
        return next(r["size"] for r in rows if r["id"] == big["id"])

    assert size() == big["size"]  # caught up (nothing to see) and the re-read started
    deadline = time.monotonic() + 30
    while catalog._reloading and time.monotonic() < deadline:
        time.sleep(0.02)
    assert size() == big["size"] - 1
    assert _ids(catalog.stories(StoryFilter(), limit=500)) == _ids(
        Catalog(settings).stories(StoryFilter(), limit=500))
    catalog.close()


def test_cached_search_and_story_views_follow_every_write(tmp_path):
    """A search or story view asked again answers from the cache until the store moves: an
    ingest batch, a correction, or articles stored outside a tracked batch."""
    from storyline.ingest.normalize import make_article
    from storyline.service.options import read_options
    from storyline.store import open_store

    settings = load_settings({"store": str(tmp_path / "s.db")})
    service.ingest([str(demo_corpus())], settings)
    catalog = Catalog(settings)
    found = catalog.search("dam")
    assert catalog.search("dam") is found  # nothing changed: the same view
    big = max(catalog.stories(StoryFilter(), limit=500)["items"], key=lambda r: r["size"])
    story = catalog.story(big["id"])
    assert catalog.story(big["id"]) is story
    late = tmp_path / "late.jsonl"
    late.write_text(json.dumps({"id": "late-1", "title": "Spillway dam holds", "outlet": "X",
                                "text": "The dam spillway held overnight, engineers said."})
                    + "\n", encoding="utf-8")
    service.ingest([str(late)], settings)
    assert catalog.search("dam")["total"] == found["total"] + 1
    other = next(r for r in catalog.stories(StoryFilter(), limit=500)["items"]
                 if r["id"] != big["id"])
    service.merge_stories(big["id"], [other["id"]], settings)
    assert len(catalog.story(big["id"])["articles"]) == big["size"] + other["size"]
    untracked = make_article("A spillway dam report stored by a bare store write.",
                             read_options(settings), title="Untracked dam")
    with open_store(str(tmp_path / "s.db")) as store:  # no snapshot written: no state bump
        store.add_articles([untracked])
    assert catalog.search("untracked")["total"] == 1
    catalog.close()

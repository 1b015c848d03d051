"""Bounded memory at any store size: the dedupe index keeps a time window in RAM and finds older
originals through the stored signatures; the story engine forgets closed stories (the store
keeps them, corrections still reach them)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np

from storyline import service
from storyline.model import Article
from storyline.service.options import story_options, track_options
from storyline.settings import load_settings
from storyline.stories.dedupe import WINDOW_HOURS, DuplicateIndex, band_keys
from storyline.stories.tracker import IngestReport, Tracker

WIRE = (
    "The port authority closed the northern harbour on Monday after a storm surge flooded the "
    "container terminal, stranding eleven ships and halting rail freight for the region, a "
    "spokesperson said, adding that divers would inspect the quay walls before any reopening."
)
DAY0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def _filler(rng: random.Random, n: int, when: datetime) -> Article:
    words = [f"w{rng.randrange(5000)}" for _ in range(60)]
    return Article(id=f"f{n}", text=" ".join(words), title=" ".join(words[:6]),
                   outlet=f"O{n % 5}", url=f"https://o{n % 5}.example/{n}", published=when)


def test_band_keys_match_exactly_when_a_band_matches():
    a = np.arange(128, dtype=np.uint32)
    b = a.copy()
    b[3:] += 1  # only the first band (rows 0-2) still equal
    ka, kb = band_keys(a), band_keys(b)
    assert len(ka) == 20 and ka[0] == kb[0] and not set(ka[1:]) & set(kb[1:])


def test_the_ram_window_evicts_by_time_and_by_count():
    index = DuplicateIndex()
    for n in range(10):
        index.add(f"a{n}", f"{WIRE} item number {n} " * (n + 1))
        index.note_time(f"a{n}", n * 24 * 3600.0)
    dropped = index.evict(hours=WINDOW_HOURS, keep=100)
    assert dropped == [f"a{n}" for n in range(6)]  # older than 72 h before the latest (day 9)
    assert index.evict(hours=WINDOW_HOURS, keep=2) == ["a6", "a7"] and len(index) == 2


def test_an_original_older_than_the_window_is_found_through_the_store(backend):
    settings = load_settings({"store": backend.target("s"), "story_refine": False})
    rng = random.Random(3)
    original = Article(id="orig", text=WIRE, title="Storm shuts harbour", outlet="Wire",
                       url="https://wire.example/1", published=DAY0)
    with Tracker(track_options(settings)) as tracker:
        tracker.add_batch([original], IngestReport())
        n = 0
        for day in range(1, 11):
            batch = []
            for hour in range(20):
                batch.append(_filler(rng, n, DAY0 + timedelta(days=day, hours=hour / 2)))
                n += 1
            tracker.add_batch(batch, IngestReport())
        assert "orig" not in tracker.dedupe  # left the RAM window
        assert len(tracker.dedupe) < n  # only the last days are in RAM
        copy = Article(id="copy", text=WIRE + " Reporting by the Gazette desk.", outlet="Gazette",
                       title="Storm shuts harbour", url="https://gazette.example/2",
                       published=DAY0 + timedelta(days=11))
        report = IngestReport()
        tracker.add_batch([copy], report)
        assert report.copies == 1 and tracker.store.original_of("copy") == "orig"
        closed = tracker.store.story_of("orig").id
        assert tracker.engine.assignment("orig") is None  # its story closed and was retired
        assert tracker.engine.assigned < n + 2
    # reopened: the window comes back from the store
    with Tracker(track_options(settings)) as tracker:
        assert "copy" in tracker.dedupe and "orig" not in tracker.dedupe
    # a correction still reaches a story the engine retired
    open_story = service.get_story(_story_of(settings, "copy"), settings)
    correction = service.merge_stories(open_story.story.id, [closed], settings)
    assert "orig" in service.get_story(open_story.story.id, settings).story.article_ids
    assert correction.story_id == open_story.story.id


def _story_of(settings: dict, article_id: str) -> str:
    from storyline.store import open_store

    with open_store(settings["store"]) as store:
        return store.story_of(article_id).id


def _canonical(engine) -> dict:
    """An engine's whole snapshot, its vectors keyed by id (row order is not state)."""
    import io
    import json

    arrays = np.load(io.BytesIO(engine.snapshot()), allow_pickle=False)
    state = json.loads(arrays["state"].tobytes())
    rows = {
        name: dict(zip(arrays[ids].tolist(), (v.tobytes() for v in arrays[name]), strict=True))
        for ids, name in (("ids", "vectors"), ("dense_ids", "dense"), ("doc_ids", "docs"))
    }
    return {"state": state, **rows}


def test_each_batch_writes_only_what_changed_and_the_parts_restore_the_engine(backend):
    from storyline.store import open_store
    from storyline.stories.engine_state import PREFIX
    from storyline.stories.tracker import load_engine

    settings = load_settings({"store": backend.target("s"), "embedder": "hashing"})
    rng = random.Random(5)
    written, refined = [], []
    with Tracker(track_options(settings)) as tracker:
        for day in range(12):
            batch = [_filler(rng, day * 40 + i, DAY0 + timedelta(days=day, minutes=i))
                     for i in range(40)]
            before = tracker.store.state_parts(PREFIX)
            report = IngestReport()
            tracker.add_batch(batch, report)
            after = tracker.store.state_parts(PREFIX)
            written.append(sum(1 for k, v in after.items() if before.get(k) != v))
            refined.append(report.refined)
        tracker.refine(IngestReport())
        live = _canonical(tracker.engine)
        assert tracker.engine.assigned < 12 * 40  # closed stories left the engine
    with open_store(settings["store"]) as store:
        restored, _ = load_engine(store, story_options(settings))
    assert _canonical(restored) == live
    # a batch of 40 articles rewrites about 40 assignments, 40 vectors and their stories, not
    # the whole open window (which grows to several hundred articles); a batch whose clock
    # passes a story window is refined on the way, which adds at most a document vector per
    # re-clustered article (measured: 244, 243, 243 parts for scopes of 121, 241, 361)
    assert any(refined[3:]), refined
    assert all(w < 200 + r for w, r in zip(written[3:], refined[3:], strict=True)), (
        written, refined)
    assert max(w for w, r in zip(written[3:], refined[3:], strict=True) if not r) < 200, written


"""``eval clustering`` scores what ``storyline ingest`` gives: the same code path (batches in file
order, each in published order; exact repeats stored once), every gold article scored (hashing
vectors: no model)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from storyline import service
from storyline.service import ingesting, read_labelled
from storyline.service.options import track_options
from storyline.settings import load_settings
from storyline.store import open_store
from storyline.stories.evaluate import score_clustering
from storyline.stories.metrics import bcubed

T0 = datetime(2015, 3, 2, 9, 0)
EVENTS = {
    "a": ("Rocky Mount", "Edwards Street", "Jamal Hines, 24"),
    "b": ("Durham", "Fayetteville Road", "Maria Lopez, 31"),
    "c": ("Wilson", "Nash Street", "Tyrone Banks, 19"),
}


def _record(n: int, event: str, day: float) -> dict:
    town, street, victim = EVENTS[event]
    return {
        "id": f"r{n}",
        "title": f"Man shot on {street} in {town}",
        "text": f"{town} police said {victim}, was shot on {street} late on day {n}. "
        f"Officers found shell casings near {street} and asked witnesses to call.",
        "published": (T0 + timedelta(days=day)).isoformat(),
        "story": event,
    }


def _write(tmp_path, records: list[dict]):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_the_evaluation_scores_what_ingest_gives(tmp_path, monkeypatch):
    # the file is not in time order: batches of 4 sorted one by one are not the sorted file
    days = [20, 1, 22, 2, 0, 21, 3, 23, 1.5, 20.5, 2.5, 22.5]
    records = [_record(n, "abc"[n % 3], day) for n, day in enumerate(days)]
    path = _write(tmp_path, records)
    settings = load_settings({"embedder": "hashing", "store": str(tmp_path / "s.db")})
    articles, _ = read_labelled(path, settings)
    report = score_clustering(articles, track_options(settings), path=str(path), batch=4)

    monkeypatch.setattr(ingesting, "INGEST_BATCH", 4)
    service.ingest([str(path)], settings)
    store = open_store(str(tmp_path / "s.db"))
    where = {a: s.id for s in store.stories() for a in s.article_ids}
    store.close()
    predicted = [where[a.id] for a in articles]
    expected = bcubed(predicted, [a.get("story") for a in articles])
    assert report.articles == len(records)
    assert report.predicted_clusters == len(set(predicted))
    assert report.bcubed_f1 == round(expected.f1, 4)
    assert report.bcubed_precision == round(expected.precision, 4)


def test_an_exact_repeat_is_scored_in_the_story_of_what_it_repeats(tmp_path):
    first = _record(0, "a", 0)
    first["text"] += " The victim was taken to a hospital, where he was in stable condition."
    # the same article text under another title and label: stored once (a thin text, less
    # than a paragraph, would not be: tests/unit/test_page_identity.py)
    repeat = {**first, "id": "r1", "title": "Another headline", "story": "b"}
    path = _write(tmp_path, [first, repeat, _record(2, "c", 0.5)])
    settings = load_settings({"embedder": "hashing"})
    articles, _ = read_labelled(path, settings)
    report = score_clustering(articles, track_options(settings), path=str(path))
    assert (report.articles, report.stored, report.gold_clusters) == (3, 2, 3)
    assert report.predicted_clusters == 2  # the repeat is not dropped: it sits in r0's story
    assert report.bcubed_precision < 1.0

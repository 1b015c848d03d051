"""Users' corrections on a labelled set: do they survive refinement, and what do they cost?

Ingests a labelled JSONL file into a fresh store (online pass, then refinement), then plays a
user who fixes up to K errors against the gold labels, one correction at a time through the
service: merge two stories that hold the same gold event (the larger keeps its id), else move a
misplaced article (gold event not its story's majority) to the story where its event is the
majority, or out to a new story. Then refines again twice from the same engine snapshot: with
the user's pins (as shipped) and, as the baseline, with the pins dropped. Prints BCubed F1 at
each stage, how many pinned articles each refinement moved, and the time of a correction beside
the time of reading a story (`service.get_story`) in the same run.

With ``--stream``, also the case of news that goes on arriving: every other article is
ingested, the user corrects those stories, then the rest arrives and is refined with them;
BCubed F1 of all articles beside the same stream without corrections and with the corrections'
pins dropped before the rest arrives. Prints figures; not a test.

    .venv/bin/python benchmarks/corrections.py [FILE.jsonl] [--k 20] [--stream]

Default: ../shared/data/ecbplus/dev.jsonl (772 undated articles: every story stays open, so
refinement sees all of them).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from storyline import service
from storyline.service.options import story_options
from storyline.settings import load_settings
from storyline.store import open_store
from storyline.stories.cluster import StoryEngine
from storyline.stories.metrics import bcubed
from storyline.stories.tracker import ENGINE_STATE

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _stories(settings: dict) -> dict[str, list[str]]:
    return {s.id: list(s.article_ids) for s in service.list_stories(settings=settings)}


def _f1(where: dict[str, str], gold: dict[str, str]) -> float:
    ids = [a for a in gold if a in where]
    return bcubed([where[a] for a in ids], [gold[a] for a in ids]).f1


def _next_correction(stories: dict[str, list[str]], gold: dict[str, str]):
    """The user's next fix: (kind, args), or None when the stories match the gold."""
    majority = {s: Counter(gold[a] for a in ids).most_common(1)[0][0] for s, ids in stories.items()}
    by_event: dict[str, list[str]] = {}
    for s in sorted(stories, key=lambda s: -len(stories[s])):
        by_event.setdefault(majority[s], []).append(s)
    for _event, ids in sorted(by_event.items()):
        if len(ids) > 1:
            return "merge", (ids[0], [ids[1]])
    for s, ids in sorted(stories.items()):
        for a in ids:
            if gold[a] != majority[s]:
                home = by_event.get(gold[a], [None])[0]
                return "move", (a, home)
    return None


def _correct(settings: dict, gold: dict[str, str], k: int) -> tuple[Counter, list, set]:
    """Up to ``k`` of the user's fixes: (corrections by kind, seconds each, pinned articles)."""
    made, seconds, pinned = Counter(), [], set()
    stories = _stories(settings)
    for _ in range(k):
        step = _next_correction(stories, gold)
        if step is None:
            break
        kind, (first, second) = step
        started = time.perf_counter()
        if kind == "merge":
            c = service.merge_stories(first, second, settings)
        else:
            c = service.move_article(first, second, settings)
        seconds.append(time.perf_counter() - started)
        made[kind] += 1
        stories = _stories(settings)
        for story_id in (c.story_id, *c.from_ids):
            pinned.update(stories.get(story_id, []))
    return made, seconds, pinned


def _stream(path: Path, gold: dict[str, str], k: int) -> None:
    """Every other article, the user's corrections, then the rest: F1 of all three ways."""
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    results = {}
    for way in ("no corrections", "corrections", "corrections, pins dropped"):
        with tempfile.TemporaryDirectory() as tmp:
            first, rest = Path(tmp) / "first.jsonl", Path(tmp) / "rest.jsonl"
            first.write_text("\n".join(lines[::2]), encoding="utf-8")
            rest.write_text("\n".join(lines[1::2]), encoding="utf-8")
            settings = load_settings({"store": str(Path(tmp) / "bench.db")})
            service.ingest([str(first)], settings)
            made, _, _ = _correct(settings, gold, 0 if way == "no corrections" else k)
            if way.endswith("dropped"):
                with open_store(settings["store"]) as store, store.writer(60.0):
                    state = store.get_state(ENGINE_STATE)
                    engine = StoryEngine.restore(state, story_options(settings))
                    engine.pins.clear()
                    store.set_state(ENGINE_STATE, engine.snapshot())
            service.ingest([str(rest)], settings)
            stories = _stories(settings)
            where = {a: s for s, ids in stories.items() for a in ids}
            results[way] = (_f1(where, gold), len(stories), sum(made.values()))
    print(f"  stream: {len(lines[::2])} articles, the user's corrections, then {len(lines[1::2])}")
    for way, (f1, n, made) in results.items():
        print(f"    {way:<26} BCubed F1 {f1:.3f} ({n} stories; {made} corrections)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DATA / "ecbplus/dev.jsonl")
    parser.add_argument("--k", type=int, default=20, help="corrections the user makes")
    parser.add_argument("--stream", action="store_true", help="also the arriving-news case")
    args = parser.parse_args()
    articles, _ = service.read_labelled(args.file)
    gold = {a.id: a.get("story") for a in articles}
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"store": str(Path(tmp) / "bench.db")})
        service.ingest([str(args.file)], settings)
        stories = _stories(settings)
        where = {a: s for s, ids in stories.items() for a in ids}
        print(f"{args.file.parent.name}/{args.file.name}: {len(where)} articles stored")
        print(f"  ingest + refine:     BCubed F1 {_f1(where, gold):.3f} ({len(stories)} stories)")
        made, seconds, pinned = _correct(settings, gold, args.k)
        stories = _stories(settings)
        where = {a: s for s, ids in stories.items() for a in ids}
        started = time.perf_counter()
        for story_id in list(stories)[:20]:
            service.get_story(story_id, settings)
        read = (time.perf_counter() - started) / min(20, len(stories))
        print(
            f"  after {sum(made.values())} corrections ({dict(made)}): BCubed F1 "
            f"{_f1(where, gold):.3f} ({len(stories)} stories); {len(pinned)} articles pinned"
        )
        print(
            f"  a correction: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s"
            f" (Tracker opened each time); baseline reading a story: {read:.3f} s"
        )
        with open_store(settings["store"]) as store:
            snapshot = store.get_state(ENGINE_STATE)
            by_id = {a: store.get_article(a) for a in where}
        for label, keep in (("refine with the pins", True), ("refine without (baseline)", False)):
            engine = StoryEngine.restore(snapshot, story_options(settings))
            if not keep:
                engine.pins.clear()
            started = time.perf_counter()
            engine.refine({i: by_id[i] for i in engine.refine_scope()})
            spent = time.perf_counter() - started
            after = {a: engine.assignment(a).story_id for a in where}
            moved = sum(after[a] != where[a] for a in pinned)
            print(
                f"  {label:<26} BCubed F1 {_f1(after, gold):.3f} "
                f"({len(set(after.values()))} stories); pinned articles moved {moved} of "
                f"{len(pinned)}; {spent:.1f} s"
            )
    if args.stream:
        _stream(args.file, gold, args.k)


if __name__ == "__main__":
    main()

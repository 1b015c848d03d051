"""`storyline serve` under load on loopback: posted ingest while others read (issue #11).

    .venv/bin/python benchmarks/serve_load.py [--articles 2000] [--writers 10] [--readers 4]

Starts the app (uvicorn, 127.0.0.1, a fresh SQLite store holding the demo corpus), then
``--writers`` clients post ``--articles`` uci headlines in batches of ``--batch`` while
``--readers`` clients read the stories list, a story page (HTML) and a cached comparison. All
bounded in count, loopback only. Prints: articles/s through the API beside the same articles
through `service.ingest` in process (the baseline), lost and duplicated articles, and p50/p99
per endpoint, beside the same reads straight from the service's Catalog (no HTTP).
Refinement is off in both runs (it is the same work either way and would dominate).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HEADLINES = ROOT / ".." / "shared" / "data" / "uci_headlines" / "headlines.jsonl"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def records(n: int) -> list[dict]:
    rows = [json.loads(line) for line in HEADLINES.read_text(encoding="utf-8").splitlines()]
    return [{k: r.get(k) for k in ("id", "title", "text", "url", "outlet", "published")}
            for r in rows[:n]]


def distinct_texts(rows: list[dict], settings: dict) -> set[str]:
    """The article ids (content hashes) the records should become."""
    from storyline.ingest.records import record_to_article

    return {record_to_article(r, settings, source="bench", line=n, seen=set()).id
            for n, r in enumerate(rows)}


def baseline_ingest(rows: list[dict], folder: Path) -> float:
    """Articles/s of `service.ingest` in process on the same rows (no HTTP)."""
    from storyline import service
    from storyline.settings import load_settings

    path = folder / "baseline.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    settings = load_settings({"store": str(folder / "baseline.db"), "story_refine": False})
    service.ingest([str(path)], settings)  # warm: models, engines
    settings = load_settings({"store": str(folder / "baseline2.db"), "story_refine": False})
    started = time.perf_counter()
    service.ingest([str(path)], settings)
    return len(rows) / (time.perf_counter() - started)


def main() -> int:
    import httpx
    from tests.serve_fixture import demo_settings, running_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    if not HEADLINES.exists():
        print(f"skipped: {HEADLINES} not found")
        return 0
    rows = records(args.articles)
    folder = Path(tempfile.mkdtemp(prefix="serve-load-"))
    settings = demo_settings(folder / "served.db", story_refine=False)
    batches = [rows[i : i + args.batch] for i in range(0, len(rows), args.batch)]
    latencies: dict[str, list[float]] = {"POST /ingest": [], "GET /api/v1/stories": [],
                                         "GET /stories/ID": [], "GET comparison": []}
    ids: list[str] = []
    lock = threading.Lock()
    errors: list[str] = []

    with running_server(settings) as url:
        story = max(httpx.get(f"{url}/api/v1/stories").json()["items"], key=lambda r: r["size"])
        httpx.get(f"{url}/api/v1/stories/{story['id']}/comparison", timeout=300)  # compute once
        done = threading.Event()

        def write(mine: list[list[dict]]) -> None:
            with httpx.Client(timeout=120) as c:
                for batch in mine:
                    t = time.perf_counter()
                    answer = c.post(f"{url}/api/v1/ingest", json={"articles": batch})
                    took = time.perf_counter() - t
                    with lock:
                        latencies["POST /ingest"].append(took)
                        if answer.status_code != 200:
                            errors.append(f"ingest {answer.status_code}")
                            continue
                        ids.extend(r["id"] for r in answer.json()["results"] if "id" in r)

        def read() -> None:
            paths = [("GET /api/v1/stories", "/api/v1/stories"),
                     ("GET /stories/ID", f"/stories/{story['id']}"),
                     ("GET comparison", f"/api/v1/stories/{story['id']}/comparison")]
            with httpx.Client(timeout=60) as c:
                n = 0
                while not done.is_set() and n < 2000:
                    name, path = paths[n % 3]
                    t = time.perf_counter()
                    answer = c.get(url + path)
                    took = time.perf_counter() - t
                    with lock:
                        latencies[name].append(took)
                        if answer.status_code != 200:
                            errors.append(f"{name} {answer.status_code}")
                    n += 1

        writers = [threading.Thread(target=write, args=(batches[k :: args.writers],))
                   for k in range(args.writers)]
        readers = [threading.Thread(target=read) for _ in range(args.readers)]
        started = time.perf_counter()
        for t in writers + readers:
            t.start()
        for t in writers:
            t.join()
        posted_s = time.perf_counter() - started
        done.set()
        for t in readers:
            t.join()
        stored = httpx.get(f"{url}/api/v1/articles", params={"limit": 1}).json()["total"]
        demo = 20
        # Catalog reads without HTTP, on the same store, for the same three views.
        from storyline.service.browsing import Catalog, StoryFilter

        catalog = Catalog(settings)
        direct: dict[str, list[float]] = {"stories": [], "story": [], "comparison": []}
        catalog.comparison(story["id"])
        for _ in range(50):
            for name, call in (("stories", lambda: catalog.stories(StoryFilter())),
                               ("story", lambda: catalog.story(story["id"])),
                               ("comparison", lambda: catalog.comparison(story["id"]))):
                t = time.perf_counter()
                call()
                direct[name].append(time.perf_counter() - t)
        catalog.close()

    unique = set(ids)
    print(f"posted {len(rows)} uci headlines in {len(batches)} batches of {args.batch} by "
          f"{args.writers} writers, {args.readers} readers meanwhile; store: demo + posted")
    print(f"API ingest: {len(rows) / posted_s:.0f} articles/s "
          f"(baseline service.ingest in process: {baseline_ingest(rows, folder):.0f}/s)")
    expected = distinct_texts(rows, settings)
    lost, extra = len(expected - unique), len(unique - expected)
    print(f"ids returned {len(ids)} for {len(rows)} records holding {len(expected)} distinct "
          f"texts; stored {stored - demo}; lost {lost}, duplicated {stored - demo - len(unique)}"
          f", unexpected ids {extra}; errors {len(errors)} {errors[:3]}")
    for name, values in latencies.items():
        print(f"{name:22s} n={len(values):5d} p50 {pct(values, .5):7.1f} ms "
              f"p99 {pct(values, .99):7.1f} ms")
    for name, values in direct.items():
        print(f"Catalog.{name:14s} n={len(values):5d} p50 {pct(values, .5):7.1f} ms "
              f"p99 {pct(values, .99):7.1f} ms (no HTTP, idle)")
    ratio = statistics.median(latencies["GET /api/v1/stories"]) / statistics.median(
        direct["stories"])
    print(f"(median of the stories list over HTTP / direct: {ratio:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

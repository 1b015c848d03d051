"""The writer's per-article CPU of ``ingest --no-refine`` beside another checkout's code, and
whether both store exactly the same result: the same articles, copies linked (and their
similarities), stories, members, positions and scores.

Each run is a child process with one checkout's ``src`` on its path; the models are loaded and
the store opened before the clock starts, so the figure is the per-article ingest alone. The two
checkouts alternate (A B A B ...) so both see the same machine load.

Run: .venv/bin/python benchmarks/ingest_identity.py OTHER_CHECKOUT [pairs] [files...]
(default: 3 pairs, ../shared ECB+ dev and uci headlines, each ingested on its own), or
.venv/bin/python benchmarks/ingest_identity.py OTHER_CHECKOUT --stream N: stream_scale.py's
generated stream of N articles (--no-refine) through both, whose copies of originals older than
the dedupe window are found through the stored signatures. Exits 1 when any result differs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
DEFAULT_FILES = [SHARED / "ecbplus" / "dev.jsonl", SHARED / "uci_headlines" / "headlines.jsonl"]

_CHILD = """
import json, sys, time
from storyline.stories.represent import StaticVectors
from storyline import service
from storyline.settings import load_settings
StaticVectors.load()
files, store = sys.argv[1:-1], sys.argv[-1]
wall, cpu = time.perf_counter(), time.process_time()
report = service.ingest(files, load_settings({"store": store, "story_refine": False}))
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "added": report.added, "copies": report.copies}))
"""

_TABLES = {
    "articles": "SELECT id, title, url, published FROM articles ORDER BY seq",
    "copies": "SELECT article_id, original_id, similarity FROM copies ORDER BY article_id",
    "stories": "SELECT id, label, outlets, first_seen, last_seen FROM stories ORDER BY id",
    "members": "SELECT article_id, story_id, position, score FROM story_articles"
    " ORDER BY article_id",
    "signatures": "SELECT article_id, group_id, signature FROM signatures ORDER BY sid",
}


def dump(store: Path) -> dict[str, list[tuple]]:
    """Every stored row that says what ingest decided."""
    with sqlite3.connect(store) as db:
        return {name: db.execute(sql).fetchall() for name, sql in _TABLES.items()}


def run(checkout: Path, files: list[Path], store: Path) -> dict:
    """Ingest the files into a fresh store with the checkout's code; its timing report."""
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"))
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, *map(str, files), str(store)],
        env=env, capture_output=True, text=True, timeout=1800, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def differences(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> list[str]:
    """What differs between two dumps, one line per table."""
    found = []
    for name in _TABLES:
        if a[name] != b[name]:
            n = sum(x != y for x, y in zip(a[name], b[name], strict=False))
            found.append(f"{name}: {len(a[name])} vs {len(b[name])} rows, {n} differ")
    return found


def stream(other: Path, total: int) -> int:
    """stream_scale.py's stream through both checkouts; print its figures and the diffs."""
    with tempfile.TemporaryDirectory() as tmp:
        dumps = {}
        for name, checkout in (("this", REPO), ("other", other)):
            store = Path(tmp) / f"{name}.db"
            out = subprocess.run(
                [sys.executable, str(REPO / "benchmarks" / "stream_scale.py"), str(total),
                 str(store), "--no-refine"],
                env=dict(os.environ, PYTHONPATH=str(checkout / "src")),
                capture_output=True, text=True, timeout=7200, check=True,
            )
            print(f"{name}: {out.stdout.strip().splitlines()[-2]}", flush=True)
            dumps[name] = dump(store)
        diff = differences(dumps["this"], dumps["other"])
        rows = {k: len(v) for k, v in dumps["this"].items()}
        verdict = "IDENTICAL" if not diff else "DIFFER: " + "; ".join(diff)
        print(f"stream of {total}: {rows}; {verdict}")
    return 1 if diff else 0


def main(other: Path, pairs: int, files: list[Path]) -> int:
    """Alternate this checkout and the other on each file; print CPU per article and diffs."""
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            cpu: dict[str, list[float]] = {"this": [], "other": []}
            for pair in range(pairs):
                dumps = {}
                for name, checkout in (("this", REPO), ("other", other)):
                    store = Path(tmp) / f"{name}-{pair}-{path.stem}.db"
                    report = run(checkout, [path], store)
                    cpu[name].append(report["cpu"] / max(report["added"], 1) * 1e3)
                    dumps[name] = dump(store)
                    store.unlink()
                diff = differences(dumps["this"], dumps["other"])
                failed |= bool(diff)
                rows = {k: len(v) for k, v in dumps["this"].items()}
                print(f"{path.name} pair {pair + 1}: this {cpu['this'][-1]:.3f} ms vs other"
                      f" {cpu['other'][-1]:.3f} ms CPU per article; {rows};"
                      f" {'IDENTICAL' if not diff else 'DIFFER: ' + '; '.join(diff)}",
                      flush=True)
            mine, theirs = sorted(cpu["this"]), sorted(cpu["other"])
            print(f"{path.name}: median this {mine[len(mine) // 2]:.3f} ms, other"
                  f" {theirs[len(theirs) // 2]:.3f} ms CPU per article, ratio"
                  f" {mine[len(mine) // 2] / theirs[len(theirs) // 2]:.2f}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    if len(args) == 3 and args[1] == "--stream":
        sys.exit(stream(Path(args[0]).resolve(), int(args[2])))
    sys.exit(main(
        Path(args[0]).resolve(),
        int(args[1]) if len(args) > 1 else 3,
        [Path(p) for p in args[2:]] or DEFAULT_FILES,
    ))

"""Two `storyline ingest` processes at once on one fresh store (issue #9's check): prints, per
run, the articles outside a story (in no story and not a copy), stories with no article, the
two exit codes and the wall time. Prints figures; not a timed test.

    .venv/bin/python benchmarks/concurrent_ingest.py [--no-refine] [FILE FILE]

Defaults: ../shared/data/uci_headlines/headlines.jsonl (6,366) and ecbplus/dev.jsonl (772),
refinement on (as the issue ran it).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FILES = [DATA / "uci_headlines/headlines.jsonl", DATA / "ecbplus/dev.jsonl"]


def problems(db: Path) -> dict[str, int]:
    """Articles, articles outside a story, empty stories, stories."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        def count(sql: str) -> int:
            return conn.execute(sql).fetchone()[0]

        return {
            "articles": count("SELECT COUNT(*) FROM articles"),
            "outside a story": count(
                "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_articles "
                "m WHERE m.article_id = a.id) AND NOT EXISTS (SELECT 1 FROM copies c WHERE "
                "c.article_id = a.id)"
            ),
            "empty stories": count(
                "SELECT COUNT(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM story_articles "
                "m WHERE m.story_id = s.id)"
            ),
            "stories": count("SELECT COUNT(*) FROM stories"),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=FILES)
    parser.add_argument("--no-refine", action="store_true")
    args = parser.parse_args()
    missing = [f for f in args.files if not f.exists()]
    if missing:
        print(f"missing: {', '.join(map(str, missing))}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.db"
        flags = ["--no-refine"] if args.no_refine else []
        started = time.perf_counter()
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "storyline.interfaces.cli", "ingest", str(f),
                 "--store", str(db), "--json", *flags],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "HF_HUB_OFFLINE": "1"},
            )
            for f in args.files
        ]
        codes = []
        waited = 0
        for child in children:
            _, stderr = child.communicate()
            codes.append(child.returncode)
            waited += "waiting for another process" in stderr
            if child.returncode:
                print(stderr.strip().splitlines()[-1])
        seconds = time.perf_counter() - started
        figures = problems(db)
    names = " + ".join(f.name for f in args.files)
    print(f"{names}, two ingests at once{' --no-refine' if args.no_refine else ''}: "
          f"exit codes {codes}, {waited} waited for the writer lease, {seconds:.1f} s")
    print("  " + " · ".join(f"{k} {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()

"""Two `storyline ingest` processes at once on one fresh store (issue #9's check): prints, per
run, the articles outside a story (in no story and not a copy), stories with no article, the
two exit codes and the wall time. Prints figures; not a timed test.

    .venv/bin/python benchmarks/concurrent_ingest.py [--no-refine] [--postgres] [FILE FILE]

--postgres runs it on a PostgreSQL store (a fresh schema on the server STORYLINE_TEST_POSTGRES
names, else on a throwaway one, as benchmarks/postgres_vs_sqlite.py finds it).

Defaults: ../shared/data/uci_headlines/headlines.jsonl (6,366) and ecbplus/dev.jsonl (772),
refinement on (as the issue ran it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FILES = [DATA / "uci_headlines/headlines.jsonl", DATA / "ecbplus/dev.jsonl"]


def _connect(db: str):
    if db.startswith("postgresql://"):
        import psycopg

        return psycopg.connect(db)
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def problems(db: str) -> dict[str, int]:
    """Articles, articles outside a story, empty stories, stories."""
    with _connect(db) as conn:
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
    parser.add_argument("--postgres", action="store_true", help="a PostgreSQL store")
    args = parser.parse_args()
    missing = [f for f in args.files if not f.exists()]
    if missing:
        print(f"missing: {', '.join(map(str, missing))}")
        return
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        db = str(Path(tmp) / "news.db")
        if args.postgres:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from postgres_vs_sqlite import Targets, postgres_server

            url = stack.enter_context(postgres_server())
            if url is None:
                return
            targets = Targets("postgres", Path(tmp), url)
            stack.callback(targets.drop)
            db = targets.new()
        flags = ["--no-refine"] if args.no_refine else []
        started = time.perf_counter()
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "storyline.interfaces.cli", "ingest", str(f),
                 "--store", db, "--json", *flags],
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
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{names}, two ingests at once on {backend}{' --no-refine' if args.no_refine else ''}: "
          f"exit codes {codes}, {waited} waited for the writer lease, {seconds:.1f} s")
    print("  " + " · ".join(f"{k} {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()

"""SQLite vs PostgreSQL on the uci headlines sample: the store alone and the whole ingest.

For each backend, on a fresh store each time:
- store alone: ``add_articles`` in batches of ``INGEST_BATCH`` (one transaction each), then
  re-adding the same articles (every one a duplicate), then reading them all back with
  ``articles()``; median of ``--repeats`` runs;
- whole ingest: ``storyline ingest --no-refine`` of the file (store, copies, online stories).
The PostgreSQL server is the one ``STORYLINE_TEST_POSTGRES`` names, else a throwaway one that
``.ci/postgres`` starts on loopback (root, Debian's postgresql) and stops. Prints figures; not
a timed test.

    .venv/bin/python benchmarks/postgres_vs_sqlite.py [--articles 6366] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.store_backends, for the schema-per-store URLs

from tests.store_backends import POSTGRES_ENV, with_schema  # noqa: E402

from storyline import service  # noqa: E402
from storyline.service import ingesting  # noqa: E402
from storyline.settings import load_settings  # noqa: E402
from storyline.store import open_store  # noqa: E402

DATA = REPO / ".." / "shared" / "data" / "uci_headlines" / "headlines.jsonl"


@contextmanager
def postgres_server() -> Iterator[str | None]:
    """The server's URL: STORYLINE_TEST_POSTGRES's, else a throwaway one (None if none)."""
    if os.environ.get(POSTGRES_ENV):
        yield os.environ[POSTGRES_ENV]
        return
    with tempfile.TemporaryDirectory(prefix="storyline-bench-pg.") as tmp:
        started = subprocess.run(
            ["bash", str(REPO / ".ci" / "postgres"), "start", tmp],
            capture_output=True, text=True, timeout=600,
        )
        if started.returncode != 0:
            print(f"PostgreSQL: no server ({started.stderr.strip().splitlines()[-1:]})")
            yield None
            return
        try:
            yield started.stdout.strip()
        finally:
            subprocess.run(["bash", str(REPO / ".ci" / "postgres"), "stop", tmp], timeout=120,
                           capture_output=True)


class Targets:
    """Fresh store targets of one backend: SQLite files, or PostgreSQL schemas (dropped after)."""

    def __init__(self, backend: str, tmp: Path, url: str | None):
        self.backend, self.tmp, self.url = backend, tmp, url
        self.schemas: list[str] = []

    def new(self) -> str:
        name = f"bench_{uuid.uuid4().hex[:10]}"
        if self.backend == "sqlite":
            return str(self.tmp / f"{name}.db")
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        self.schemas.append(name)
        return with_schema(self.url, name)

    def drop(self) -> None:
        if not self.schemas:
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            for name in self.schemas:
                conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def store_alone(target: str, articles: list) -> tuple[float, float, float]:
    """Seconds to add the articles in batches, to re-add them (duplicates), to read them."""
    batch = ingesting.INGEST_BATCH
    with open_store(target) as store:
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            for i in range(0, len(articles), batch):
                store.add_articles(articles[i : i + batch])
            timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        read = sum(1 for _ in store.articles())
        timings.append(time.perf_counter() - started)
        assert read == store.count_articles() > 0
    return timings[0], timings[1], timings[2]


def whole_ingest(target: str, path: Path) -> tuple[int, float]:
    """(articles stored, seconds) of `ingest --no-refine` into a fresh store."""
    settings = load_settings({"store": target, "story_refine": False})
    report = service.ingest([str(path)], settings)
    return report.added + report.revisions, report.seconds


def median_of(repeats: int, run: Callable[[], tuple]) -> tuple:
    results = [run() for _ in range(repeats)]
    return tuple(statistics.median(column) for column in zip(*results, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=0, help="first N of the file (0: all)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA}: missing")
        return
    articles, _ = service.read_labelled(DATA)
    path = DATA
    with tempfile.TemporaryDirectory() as tmp:
        if args.articles:
            articles = articles[: args.articles]
            path = Path(tmp) / "sample.jsonl"
            lines = DATA.read_text(encoding="utf-8").splitlines()[: args.articles]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"uci headlines: {len(articles)} articles, batches of {ingesting.INGEST_BATCH}")
        warm = load_settings({"store": str(Path(tmp) / "warm.db"), "story_refine": False})
        service.ingest([], warm)  # load the static vectors outside the timed part
        with postgres_server() as url:
            for backend in ("sqlite", "postgres"):
                if backend == "postgres" and url is None:
                    continue
                targets = Targets(backend, Path(tmp), url)
                try:
                    add, again, read = median_of(
                        args.repeats, lambda t=targets: store_alone(t.new(), articles)
                    )
                    stored, seconds = whole_ingest(targets.new(), path)
                finally:
                    targets.drop()
                n = len(articles)
                print(
                    f"  {backend:8s} store alone: add {n / add:7.0f}/s, re-add (duplicates) "
                    f"{n / again:7.0f}/s, read back {n / read:7.0f}/s (median of {args.repeats})"
                )
                print(
                    f"  {backend:8s} ingest --no-refine: {stored} stored in {seconds:.1f} s, "
                    f"{stored / seconds:.0f} articles/s"
                )


if __name__ == "__main__":
    main()

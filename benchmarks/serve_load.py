"""`storyline serve` under load on loopback: posted ingest while others read (issue #11).

    .venv/bin/python benchmarks/serve_load.py [--articles 10000] [--writers 50] [--readers 4]
        [--store sqlite|postgres] [--corpus mixed|headlines] [--batch 50]
        [--server process|thread] [--writer process|thread]

Starts `storyline serve` (127.0.0.1) over a fresh store holding the demo corpus: a SQLite file,
or a schema of its own on the PostgreSQL server STORYLINE_TEST_POSTGRES names (`.ci/postgres
start DIR` starts one on loopback). Then ``--writers`` clients post ``--articles`` records in
posts of ``--batch`` while ``--readers`` clients read the stories list, a story page (HTML), a
cached comparison and a word search, in turn. The records: ``mixed`` takes every real article
of ../shared/data in turn (uci headlines, GVA dev, ECB+ dev, NewsWCL50: 9,332) and re-posts the
first ones to make up the count (they must come back "duplicate", never be stored twice);
``headlines`` takes uci headlines only (at most 6,366). All bounded in count, loopback only.
``--server process`` (the default) runs the server as `storyline serve` does, a process of its
own; ``thread`` runs it in a thread of this process, where the clients' own HTTP and JSON share
the server's GIL (how this script measured before). ``--writer`` sets `serve_writer_process`:
posts stored by a process of their own (the default) or by the server's threads.

Prints: articles/s through the API beside the same records through `service.ingest` in process
(the baseline, same store kind), what the store holds afterwards (lost, duplicated, not in a
story), and p50/p99 per endpoint beside the same reads straight from the service's Catalog (no
HTTP, idle). Refinement is off in both runs (the same work either way; it would dominate).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / ".." / "shared" / "data"
CORPORA = (("uci", "uci_headlines/headlines.jsonl"), ("gva", "gva/dev.jsonl"),
           ("ecb", "ecbplus/dev.jsonl"), ("wcl", "newswcl50/articles.jsonl"))
FIELDS = ("id", "title", "text", "url", "outlet", "published")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def records(n: int, corpus: str) -> list[dict]:
    """``n`` records: real articles in turn, then re-posts of the first ones (``mixed``)."""
    rows: list[dict] = []
    for name, path in CORPORA[:1] if corpus == "headlines" else CORPORA:
        for line in (DATA / path).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            rows.append({**{k: r.get(k) for k in FIELDS}, "id": f"{name}-{r.get('id')}"})
    distinct = rows[:n]
    return distinct + [dict(r) for r in distinct[: max(0, n - len(distinct))]]


def expected_ids(rows: list[dict], settings: dict) -> set[str]:
    """The article ids (content hashes) the records should become."""
    from storyline.ingest.records import record_to_article
    from storyline.service.options import read_options

    reading = read_options(settings)
    return {record_to_article(r, reading, source="bench", line=n, seen=set()).id
            for n, r in enumerate(rows)}


class Target:
    """Fresh stores of one kind: SQLite files in a folder, or schemas on a PostgreSQL server."""

    def __init__(self, kind: str, folder: Path):
        self.kind, self.folder, self.schemas = kind, folder, []
        self.url = os.environ.get("STORYLINE_TEST_POSTGRES", "")
        if kind == "postgres" and not self.url:
            raise SystemExit("--store postgres needs STORYLINE_TEST_POSTGRES (.ci/postgres start)")

    def new(self, name: str) -> str:
        if self.kind == "sqlite":
            return str(self.folder / f"{name}.db")
        import psycopg

        schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        self.schemas.append(schema)
        joiner = "&" if "?" in self.url else "?"
        return f"{self.url}{joiner}options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        if self.schemas:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                for schema in self.schemas:
                    conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def demo_store(target: str) -> dict:
    from tests.serve_fixture import demo_corpus

    from storyline import service
    from storyline.settings import load_settings

    settings = load_settings({"store": target, "story_refine": False})
    service.ingest([str(demo_corpus())], settings)
    return settings


def baseline_ingest(rows: list[dict], stores: Target, folder: Path) -> float:
    """Articles/s of `service.ingest` in process on the same records (no HTTP), after a warm
    run of the first 200 on another store (models, engines loaded)."""
    from storyline import service
    from storyline.settings import load_settings

    path, warm = folder / "baseline.jsonl", folder / "warm.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    warm.write_text("".join(json.dumps(r) + "\n" for r in rows[:200]), encoding="utf-8")
    service.ingest([str(warm)], load_settings({"store": stores.new("warm"),
                                               "story_refine": False}))
    settings = load_settings({"store": stores.new("baseline"), "story_refine": False})
    started = time.perf_counter()
    service.ingest([str(path)], settings)
    return len(rows) / (time.perf_counter() - started)


def stored_ids(target: str) -> set[str]:
    """Every article id the store holds (every revision)."""
    from storyline.store import open_store

    with open_store(target, read_only=True) as store:
        return {r["id"] for r in store._all("SELECT id FROM articles")}


def audit(target: str, expected: set[str], before: set[str]) -> dict:
    """What the store holds of the posted articles, read straight from its tables."""
    from storyline.store import open_store

    ids = stored_ids(target)
    with open_store(target, read_only=True) as store:
        same_text = store._scalar("SELECT COUNT(*) - COUNT(DISTINCT text_hash) AS n "
                                  "FROM articles")
        loose = store._scalar("SELECT COUNT(*) AS n FROM articles a WHERE NOT EXISTS "
                              "(SELECT 1 FROM story_articles m WHERE m.article_id = a.id)")
    return {"stored": len(ids - before), "lost": len(expected - ids),
            "same_text_twice": same_text, "not_in_a_story": loose}


def main() -> int:
    import httpx
    from tests.serve_fixture import running_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--corpus", choices=("mixed", "headlines"), default="mixed")
    parser.add_argument("--server", choices=("process", "thread"), default="process")
    parser.add_argument("--writer", choices=("process", "thread"), default="process")
    parser.add_argument("--client-processes", type=int, default=2,
                        help="processes the posting clients are spread over (0: threads here)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the in-process run")
    args = parser.parse_args()
    if not (DATA / CORPORA[0][1]).exists():
        print(f"skipped: {DATA / CORPORA[0][1]} not found")
        return 0
    rows = records(args.articles, args.corpus)
    folder = Path(tempfile.mkdtemp(prefix="serve-load-"))
    stores = Target(args.store, folder)
    try:
        return run(args, rows, stores, folder, httpx, running_server)
    finally:
        stores.drop()


def run(args, rows, stores: Target, folder: Path, httpx, running_server) -> int:
    target = stores.new("served")
    settings = demo_store(target)
    before = stored_ids(target)
    batches = [rows[i : i + args.batch] for i in range(0, len(rows), args.batch)]
    statuses: dict[str, int] = {}
    settings["serve_writer_process"] = args.writer == "process"
    pids: dict[str, int] = {}
    serving = (running_server(settings) if args.server == "thread"
               else served(settings, httpx, pids))
    with serving as url:
        story = max(httpx.get(f"{url}/api/v1/stories").json()["items"], key=lambda r: r["size"])
        httpx.get(f"{url}/api/v1/stories/{story['id']}/comparison", timeout=300)  # compute once
        shares = [batches[k :: args.writers] for k in range(args.writers)]
        cpu_before = cpu_seconds(pids)
        clients_cpu = time.process_time()
        started = time.perf_counter()
        if args.client_processes:
            results, posted_s = in_processes(url, story["id"], shares, args)
        else:
            done = threading.Event()
            results = []
            reading = threading.Thread(target=lambda: results.append(
                clients(url, story["id"], [], args.readers, done)))
            reading.start()
            results.append(clients(url, story["id"], shares, 0, None))
            posted_s = time.perf_counter() - started
            done.set()
            reading.join()
        cpu_after = cpu_seconds(pids)
        clients_cpu = time.process_time() - clients_cpu
        direct = catalog_reads(settings, story["id"])

    latencies: dict[str, list[float]] = {name: [] for name, _ in READS}
    latencies = {"POST /ingest": [], **latencies}
    ids: list[str] = []
    errors: list[str] = []
    for result in results:
        for name, values in result["latencies"].items():
            latencies[name] += values
        for k, v in result["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
        ids += result["ids"]
        errors += result["errors"]
    expected = expected_ids(rows, settings)
    held = audit(target, expected, before)
    print(f"server in a {args.server}, writer in a {args.writer}")
    print(f"{args.store}: {args.writers} writers posted {len(rows)} records ({args.corpus}: "
          f"{len(expected)} distinct texts) in {len(batches)} posts of {args.batch} while "
          f"{args.readers} read; the store held the demo's {len(before)} before")
    baseline = ("skipped" if args.no_baseline else
                f"{baseline_ingest(rows, stores, folder):.0f}/s")
    print(f"API ingest: {len(rows) / posted_s:.0f} articles/s over {posted_s:.1f} s "
          f"(baseline service.ingest in process, same store kind: {baseline})")
    print(f"answers {statuses}; ids returned {len(ids)}, distinct {len(set(ids))}, unexpected "
          f"{len(set(ids) - expected)}; store: {held['stored']} posted articles stored, lost "
          f"{held['lost']}, the same text stored twice {held['same_text_twice']}, not in a "
          f"story {held['not_in_a_story']}; errors {len(errors)} {errors[:3]}")
    where = (f"{args.client_processes} processes of writers and one of readers"
             if args.client_processes else "threads of this process")
    print(f"clients in {where}" + ("" if args.client_processes else
          f"; this process's CPU while posting: {clients_cpu:.1f} s, "
          f"{clients_cpu / posted_s:.0%} of a core"))
    for name, spent in cpu_after.items():  # what each process cost, whatever the load
        used = spent - cpu_before.get(name, 0.0)
        print(f"CPU of the {name} while posting: {used:.1f} s, {used / len(rows) * 1000:.2f} "
              f"ms a record, {used / posted_s:.0%} of a core")
    for name, values in latencies.items():
        print(f"{name:24s} n={len(values):5d} p50 {pct(values, .5):7.1f} ms "
              f"p99 {pct(values, .99):7.1f} ms")
    for name, values in direct.items():
        print(f"Catalog.{name:16s} n={len(values):5d} p50 {pct(values, .5):7.1f} ms "
              f"p99 {pct(values, .99):7.1f} ms (no HTTP, idle)")
    if latencies["GET /api/v1/stories"]:
        ratio = statistics.median(latencies["GET /api/v1/stories"]) / statistics.median(
            direct["stories"])
        print(f"(median of the stories list over HTTP under load / direct idle: {ratio:.1f}x)")
    return 0


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the server process and its writer process
    (from /proc; none when the server runs in this process)."""
    if "server" not in pids:
        return {}
    tick = os.sysconf("SC_CLK_TCK")

    def used(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    out = {"server process": used(pids["server"])}
    for task in Path(f"/proc/{pids['server']}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                out["writer process"] = used(int(child))
    return out


@contextlib.contextmanager
def served(settings: dict, httpx, pids: dict[str, int]):
    """`storyline serve` over the store in a process of its own; yields its base URL (and
    puts its pid in ``pids``)."""
    from tests.serve_fixture import free_port

    port = free_port()
    from storyline.settings import SETTINGS

    env = {**os.environ, "STORYLINE_STORY_REFINE": "0"}
    if any(s.name == "serve_writer_process" for s in SETTINGS):  # (main's code before it: no)
        env["STORYLINE_SERVE_WRITER_PROCESS"] = str(settings["serve_writer_process"])
    code = "import sys; from storyline.interfaces.cli import main; sys.exit(main())"
    server = subprocess.Popen([sys.executable, "-c", code, "serve", "--store",
                               str(settings["store"]), "--port", str(port)], env=env)
    pids["server"] = server.pid
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/stories", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("storyline serve did not start")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(60)


READS = (("GET /api/v1/stories", "/api/v1/stories"), ("GET /stories/ID", "/stories/{id}"),
         ("GET comparison", "/api/v1/stories/{id}/comparison"),
         ("GET /api/v1/articles?q", "/api/v1/articles?q=fire"))


def clients(url: str, story_id: str, shares: list[list[list[dict]]], readers: int,
            done) -> dict:
    """A thread per share of posts and ``readers`` reading threads (until ``done`` is set, at
    most 20,000 reads each); their latencies, answers and errors."""
    import httpx

    out: dict = {"latencies": {"POST /ingest": [], **{name: [] for name, _ in READS}},
                 "statuses": {}, "ids": [], "errors": []}
    lock = threading.Lock()

    def write(mine: list[list[dict]]) -> None:
        with httpx.Client(timeout=300) as c:
            for batch in mine:
                t = time.perf_counter()
                answer = c.post(f"{url}/api/v1/ingest", json={"articles": batch})
                took = time.perf_counter() - t
                with lock:
                    out["latencies"]["POST /ingest"].append(took)
                    if answer.status_code != 200:
                        out["errors"].append(f"ingest {answer.status_code} {answer.text[:200]}")
                        continue
                    for r in answer.json()["results"]:
                        out["statuses"][r["status"]] = out["statuses"].get(r["status"], 0) + 1
                        out["ids"].extend([r["id"]] if "id" in r else [])

    def read() -> None:
        with httpx.Client(timeout=120) as c:
            n = 0
            while not done.is_set() and n < 20_000:
                name, path = READS[n % len(READS)]
                t = time.perf_counter()
                answer = c.get(url + path.format(id=story_id))
                took = time.perf_counter() - t
                with lock:
                    out["latencies"][name].append(took)
                    if answer.status_code != 200:
                        out["errors"].append(f"{name} {answer.status_code}")
                n += 1

    threads = ([threading.Thread(target=write, args=(share,)) for share in shares]
               + [threading.Thread(target=read) for _ in range(readers)])
    out["first"] = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["last"] = time.time()
    return out


def _client_process(url, story_id, shares, readers, done, answers) -> None:
    answers.put(clients(url, story_id, shares, readers, done))


def in_processes(url: str, story_id: str, shares: list, args) -> tuple[list[dict], float]:
    """The posting clients spread over ``--client-processes`` processes and the readers in one
    more (so the clients' own HTTP and JSON are not one GIL's work); their results and the
    seconds from the first post to the last answer."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    done, answers = context.Event(), context.Queue()
    n = args.client_processes
    posting = [context.Process(target=_client_process,
                               args=(url, story_id, shares[k::n], 0, None, answers))
               for k in range(n)]
    reading = context.Process(target=_client_process,
                              args=(url, story_id, [], args.readers, done, answers))
    for p in [reading, *posting]:
        p.start()
    results = [answers.get() for _ in posting]  # every reader result comes after done
    # from the first post sent to the last answered (not the processes' start-up)
    posted_s = max(r["last"] for r in results) - min(r["first"] for r in results)
    done.set()
    results.append(answers.get())
    for p in [reading, *posting]:
        p.join(60)
    return results, posted_s


def catalog_reads(settings: dict, story_id: str) -> dict[str, list[float]]:
    """The same views straight from a Catalog on the same store, 50 times each."""
    from storyline.service.browsing import Catalog, StoryFilter

    catalog = Catalog(settings)
    direct: dict[str, list[float]] = {"stories": [], "story": [], "comparison": [],
                                      "search": []}
    catalog.comparison(story_id)
    for _ in range(50):
        for name, call in (("stories", lambda: catalog.stories(StoryFilter())),
                           ("story", lambda: catalog.story(story_id)),
                           ("comparison", lambda: catalog.comparison(story_id)),
                           ("search", lambda: catalog.search("fire"))):
            t = time.perf_counter()
            call()
            direct[name].append(time.perf_counter() - t)
    catalog.close()
    return direct


if __name__ == "__main__":
    sys.exit(main())

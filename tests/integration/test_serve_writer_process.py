"""Posted articles stored by the writer process (setting serve_writer_process): the same answers
as the server's own threads give, group commits of concurrent posts, coded errors carried back,
and a writer that dies failing its posts (never answering "stored") and being replaced."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.serve_fixture import demo_settings

from storyline.errors import StoreBusyError, StoreError
from storyline.interfaces.api import create_app
from storyline.service.posting import Intake
from storyline.store import open_store


def _record(n: int) -> dict:
    return {"title": f"Harbour notice {n}", "outlet": "Test Gazette",
            "url": f"https://gazette.example/notice/{n}",
            "text": f"The harbour office posted notice number {n} about berth {n % 7} on Monday."}


def _posted(store_path: str) -> dict[str, str | None]:
    """Every stored Test Gazette article id with its story."""
    with open_store(store_path, read_only=True) as store:
        ids = [r["id"] for r in store._all("SELECT id FROM articles WHERE outlet = ?",
                                          ("Test Gazette",))]
        return {i: (s.id if (s := store.story_of(i)) else None) for i in ids}


@pytest.mark.parametrize("in_process", [True, False], ids=["writer-process", "threads"])
def test_posts_get_the_same_answers_either_way(tmp_path, in_process):
    settings = demo_settings(tmp_path / "s.db", story_refine=False,
                             serve_writer_process=in_process)
    intake = Intake(settings)
    try:
        revised = {**_record(1), "text": _record(1)["text"] + " Updated at noon."}
        first = intake.post_articles([_record(1), _record(2), {"title": ""}, "x", _record(1)])
        again = intake.post_articles([_record(2), revised])
    finally:
        intake.close()
    assert [r["status"] for r in first["results"]] == [
        "added", "added", "skipped", "skipped", "duplicate"]  # the 5th repeats the 1st
    assert (first["added"], first["skipped"], first["duplicate"]) == (2, 2, 1)
    assert first["results"][4]["id"] == first["results"][0]["id"]
    assert [r["status"] for r in again["results"]] == ["duplicate", "revision"]
    assert again["results"][0]["id"] == first["results"][1]["id"]
    stored = _posted(settings["store"])
    assert len(stored) == 3 and all(stored.values())  # every stored article is in a story
    assert all(r["story_id"] == stored[r["id"]] for r in first["results"][:2])
    with open_store(settings["store"], read_only=True) as store:
        skips = [s.source for s in store.skips()]
    assert {"api:3", "api:4"} <= set(skips)


def test_concurrent_posts_are_stored_once_each(tmp_path):
    settings = demo_settings(tmp_path / "s.db", story_refine=False)
    intake = Intake(settings)
    answers: list[dict] = []
    try:
        intake.post_articles([_record(0)])  # the process is up and its engines loaded

        def post(k: int) -> None:
            answers.append(intake.post_articles([_record(n) for n in range(k * 5, k * 5 + 8)]))

        threads = [threading.Thread(target=post, args=(k,)) for k in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        intake.close()
    rows = [r for a in answers for r in a["results"]]
    assert len(answers) == 12 and len(rows) == 12 * 8
    stored = _posted(settings["store"])
    assert len(stored) == 12 * 5 + 3  # records 0..62, each once
    assert {r["id"] for r in rows} <= set(stored)
    assert sum(r["status"] == "added" for r in rows) == len(stored) - 1  # record 0 came first
    assert all(r["story_id"] == stored[r["id"]] for r in rows)


def test_a_coded_error_of_the_writer_comes_back_coded(tmp_path):
    settings = demo_settings(tmp_path / "s.db", story_refine=False, writer_timeout=1)
    holder = open_store(settings["store"])  # another process's writer holds the lease
    try:
        with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
            with holder.writer(5):
                busy = c.post("/api/v1/ingest", json={"articles": [_record(1)]})
            after = c.post("/api/v1/ingest", json={"articles": [_record(1)]})
    finally:
        holder.close()
    assert busy.status_code == 503 and busy.json()["error"]["code"] == StoreBusyError.code
    assert after.status_code == 200 and after.json()["results"][0]["status"] == "added"
    assert len(_posted(settings["store"])) == 1


def test_a_writer_that_dies_fails_its_posts_and_is_replaced(tmp_path):
    settings = demo_settings(tmp_path / "s.db", story_refine=False, writer_timeout=120)
    intake = Intake(settings)
    holder = open_store(settings["store"])
    outcome: list[object] = []
    try:
        intake.post_articles([_record(0)])
        process = intake._process._process
        with holder.writer(5):  # the writer waits for the lease with our post in hand

            def post() -> None:
                try:
                    outcome.append(intake.post_articles([_record(1)]))
                except StoreError as exc:
                    outcome.append(exc)

            thread = threading.Thread(target=post)
            thread.start()
            time.sleep(1.5)
            os.kill(process.pid, signal.SIGKILL)
            thread.join(30)
        again = intake.post_articles([_record(1)])  # a new writer process
    finally:
        holder.close()
        intake.close()
    assert len(outcome) == 1 and isinstance(outcome[0], StoreError)
    assert outcome[0].code == StoreError.code and "stopped" in outcome[0].message
    assert again["results"][0]["status"] == "added"
    assert len(_posted(settings["store"])) == 2


def test_the_writer_process_ends_when_its_server_is_killed(tmp_path):
    import subprocess
    import sys

    settings = demo_settings(tmp_path / "s.db", story_refine=False)
    code = (
        "import os, sys, signal\n"
        "from storyline.settings import load_settings\n"
        "from storyline.service.writer import WriterProcess\n"
        "w = WriterProcess(load_settings({'store': sys.argv[1]}))\n"
        "print(w._process.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", code, settings["store"]],
                              stdout=subprocess.PIPE, text=True)
    child = int(server.stdout.readline())
    server.wait(60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Path(f"/proc/{child}").exists():
        state = Path(f"/proc/{child}/stat").read_text().split()[2]
        if state == "Z":
            break
        time.sleep(0.2)
    alive = Path(f"/proc/{child}").exists() and \
        Path(f"/proc/{child}/stat").read_text().split()[2] != "Z"
    assert not alive, "the writer process outlived its killed server"

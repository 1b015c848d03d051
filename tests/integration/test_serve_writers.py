"""`storyline serve` with many posting clients: reads keep their threads while posts wait."""

from __future__ import annotations

import threading
import time

import httpx
from tests.serve_fixture import demo_settings, running_server

from storyline.store import open_store

POSTERS = 45  # more than the 40 threads that serve the sync (read) endpoints


def test_reads_answer_while_many_posts_wait_for_the_writer(tmp_path):
    settings = demo_settings(tmp_path / "s.db", story_refine=False, writer_timeout=120)
    answers: list[httpx.Response] = []
    with running_server(settings) as url:
        holder = open_store(settings["store"])  # another writer holds the lease meanwhile

        def post(n: int) -> None:
            record = {"title": f"Harbour notice {n}", "outlet": "Test Gazette",
                      "text": f"The harbour office posted notice number {n} on Monday."}
            answers.append(httpx.post(f"{url}/api/v1/ingest", json={"articles": [record]},
                                      timeout=120))

        threads = [threading.Thread(target=post, args=(n,)) for n in range(POSTERS)]
        with holder.writer(5):
            for t in threads:
                t.start()
            time.sleep(2)  # every post is in, waiting for the lease or for the first post
            started = time.monotonic()
            page = httpx.get(f"{url}/api/v1/stories", timeout=60)
            waited = time.monotonic() - started
            story = httpx.get(f"{url}/", timeout=60)
        for t in threads:
            t.join(120)
        holder.close()
    assert page.status_code == 200 and story.status_code == 200
    assert waited < 10, f"the stories list waited {waited:.1f} s behind the posts"
    assert len(answers) == POSTERS and all(a.status_code == 200 for a in answers)
    assert sorted(a.json()["results"][0]["status"] for a in answers) == ["added"] * POSTERS

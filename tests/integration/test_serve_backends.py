"""`storyline serve` over each store backend: the same API answers on SQLite and PostgreSQL
(PostgreSQL runs when STORYLINE_TEST_POSTGRES names a server; .ci/run starts one)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.serve_fixture import demo_corpus
from tests.store_backends import Backend

from storyline import service
from storyline.interfaces.api import create_app
from storyline.settings import load_settings


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    b = Backend(request.param, tmp_path)
    yield b
    b.close()


def test_the_api_on_each_backend(backend):
    settings = load_settings({"store": backend.target("serve")})
    service.ingest([str(demo_corpus())], settings)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        page = c.get("/api/v1/stories").json()
        assert page["total"] >= 5
        dam = next(r for r in page["items"] if "Bayt Amir" in r["label"] and r["size"] >= 4)
        first = c.get(f"/api/v1/stories/{dam['id']}/comparison")
        assert first.status_code == 200 and first.json()["disputes"]
        again = c.get(f"/api/v1/stories/{dam['id']}/comparison",
                      headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        hits = c.get("/api/v1/articles", params={"q": "spillway"}).json()
        assert hits["total"] >= 4  # FTS5 on SQLite, a GIN tsvector on PostgreSQL
        outlets = c.get("/api/v1/outlets").json()
        assert sum(o["articles"] for o in outlets) == 20
        record = {"title": "Lighthouse keeper retires", "outlet": "Test Gazette",
                  "text": "The keeper of the Kestrel Point lighthouse retired on Monday."}
        posted = c.post("/api/v1/ingest", json={"articles": [record, record]}).json()
        assert [r["status"] for r in posted["results"]] == ["added", "duplicate"]  # same text
        assert c.post("/api/v1/ingest", json={"articles": [record]}).json()["results"][0][
            "status"] == "duplicate"
        rows = c.get("/api/v1/stories").json()["items"]
        total = len(rows)
        merged = c.post(f"/api/v1/stories/{rows[0]['id']}/merge",
                        json={"others": [rows[1]["id"]]})
        assert merged.status_code == 200
        assert c.get("/api/v1/stories").json()["total"] == total - 1
        assert c.put("/api/v1/outlets/Harbour Times", json={"country": "Haldaria"}
                     ).status_code == 200
        assert c.get("/api/v1/outlets/Harbour Times").json()["profile"]["country"] == "Haldaria"
        for path in ("/", f"/stories/{rows[0]['id']}", "/outlets", "/feeds", "/articles?q=dam"):
            assert c.get(path).status_code == 200, path

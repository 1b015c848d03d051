"""The JSON API of `storyline serve`, in process (FastAPI's TestClient) over the demo corpus."""

from __future__ import annotations

import csv
import io
import json
from html import escape

import pytest
from fastapi.testclient import TestClient
from tests.conftest import check_evidence
from tests.serve_fixture import demo_settings

from storyline.errors import SettingError
from storyline.interfaces.api import check_bind, create_app

BASE = "http://127.0.0.1"  # the guard answers only to loopback names while bound to loopback


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return tmp_path_factory.mktemp("serve") / "demo.db"


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(demo_settings(store)), base_url=BASE) as c:
        yield c


def _dam_story(client) -> dict:
    rows = client.get("/api/v1/stories", params={"q": "Bayt Amir"}).json()["items"]
    return max(rows, key=lambda r: r["size"])


def test_stories_newest_first_filtered_and_paged(client):
    page = client.get("/api/v1/stories").json()
    assert page["total"] == len(page["items"]) >= 5
    lasts = [r["last_seen"] for r in page["items"]]
    assert lasts == sorted(lasts, reverse=True)
    assert all(sum(c["articles"] for c in r["coverage"]) == r["size"] for r in page["items"])
    second = client.get("/api/v1/stories", params={"offset": 1, "limit": 2}).json()
    assert [r["id"] for r in second["items"]] == [r["id"] for r in page["items"][1:3]]
    by_outlet = client.get("/api/v1/stories", params={"outlet": "free valley voice"}).json()
    assert by_outlet["total"] >= 2
    assert all("Free Valley Voice" in r["outlets"] for r in by_outlet["items"])
    big = client.get("/api/v1/stories", params={"min_size": 5}).json()["items"]
    assert big and all(r["size"] >= 5 for r in big)
    late = client.get("/api/v1/stories", params={"since": "2026-03-16"}).json()["items"]
    assert late and all(r["last_seen"] >= "2026-03-16" for r in late)
    assert len(late) < page["total"]


def test_bad_query_gets_a_coded_error(client):
    answer = client.get("/api/v1/stories", params={"since": "not a date"})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "E100"
    missing = client.get("/api/v1/stories/s999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E404"
    assert client.get("/api/v1/stories", params={"limit": 10_000}).status_code == 422


def test_one_story_with_timeline_and_copies(client):
    port = client.get("/api/v1/stories", params={"q": "Port Lerrin"}).json()["items"][0]
    view = client.get(f"/api/v1/stories/{port['id']}").json()
    published = [a["published"] for a in view["articles"]]
    assert published == sorted(published)
    assert sum(a["first_report"] for a in view["articles"]) == 1
    copies = [a for a in view["articles"] if a["copy_of"]]
    assert len(copies) == 2  # the two republished Meridian Wire reports (demo README)
    assert {p["article_id"] for lane in view["timeline"] for p in lane["points"]} == {
        a["id"] for a in view["articles"]
    }
    assert sum(o["articles"] for o in view["outlets"]) == view["story"]["size"]


def test_comparison_is_cached_with_an_etag(client):
    story = _dam_story(client)
    first = client.get(f"/api/v1/stories/{story['id']}/comparison")
    assert first.status_code == 200
    data = first.json()
    assert data["disputes"] and check_evidence(data) > 10
    etag = first.headers["etag"]
    again = client.get(f"/api/v1/stories/{story['id']}/comparison",
                       headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    assert client.get(f"/api/v1/stories/{story['id']}/comparison").json() == data


def test_annotations_point_at_the_evidence(client):
    story = _dam_story(client)
    data = client.get(f"/api/v1/stories/{story['id']}/comparison").json()
    answer = client.get(f"/api/v1/stories/{story['id']}/annotations")
    assert answer.headers["content-type"].startswith("application/ld+json")
    doc = answer.json()
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = doc["first"]["items"]
    assert doc["total"] == len(items) > 0
    texts = {a["url"]: a["text"] for a in data["articles"]}
    kinds = {i["motivation"] for i in items}
    assert "questioning" in kinds  # the disputes
    for item in items:
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        text = texts[item["target"]["source"]]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
    assert len({i["id"] for i in items}) == len(items)


def test_article_search_and_view(client):
    hits = client.get("/api/v1/articles", params={"q": "SPILLWAY"}).json()
    assert hits["total"] >= 4
    for row in hits["items"]:
        assert "spillway" in row["snippet"].lower() or "spillway" in row["title"].lower()
    ht = client.get("/api/v1/articles", params={"q": "spillway", "outlet": "Harbour Times"}).json()
    assert 1 <= ht["total"] < hits["total"]
    article = client.get(f"/api/v1/articles/{hits['items'][0]['id']}").json()
    assert "spillway" in article["text"].lower() and article["story"]["id"]


def test_outlets(client):
    outlets = client.get("/api/v1/outlets").json()
    assert {o["name"] for o in outlets} >= {"Meridian Wire", "Lowland Post", "Harbour Times"}
    total = client.get("/api/v1/articles", params={"limit": 500}).json()["total"]
    assert sum(o["articles"] for o in outlets) == total == 20  # 21 records, one is a revision


def test_ingest_is_idempotent_and_returns_ids(client):
    records = [
        {"title": "Lighthouse keeper retires after 40 years", "outlet": "Test Gazette",
         "text": "The keeper of the Kestrel Point lighthouse retired on Monday after 40 years.",
         "url": "https://gazette.example/lighthouse", "published": "2026-03-17T09:00:00Z"},
        {"title": "Kestrel Point keeper bows out", "outlet": "Other Herald",
         "text": "After four decades the Kestrel Point lighthouse keeper handed over the keys.",
         "published": "2026-03-17T10:00:00Z"},
        {"title": "", "text": "  "},
    ]
    first = client.post("/api/v1/ingest", json={"articles": records}).json()
    assert [r["status"] for r in first["results"]] == ["added", "added", "skipped"]
    assert all(r["story_id"] for r in first["results"][:2])
    again = client.post("/api/v1/ingest", json={"articles": records}).json()
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate", "skipped"]
    assert [r.get("id") for r in again["results"]] == [r.get("id") for r in first["results"]]
    revised = {**records[0], "text": records[0]["text"] + " He will stay in the village."}
    rev = client.post("/api/v1/ingest", json={"articles": [revised]}).json()
    assert rev["results"][0]["status"] == "revision"
    found = client.get("/api/v1/articles", params={"q": "Kestrel Point"}).json()["total"]
    assert found == 2  # the latest revision of each URL


def test_writes_are_guarded(client, store):
    plain = client.post("/api/v1/ingest", content=b'{"articles": []}',
                        headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    cross = client.post("/api/v1/ingest", json={"articles": []},
                        headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    huge = client.post("/api/v1/ingest", content=b"x" * 2_000_001,
                       headers={"content-type": "application/json"})
    assert huge.status_code == 413

    def chunks():
        for _ in range(40):
            yield b"x" * 60_000

    chunked = client.post("/api/v1/ingest", content=chunks(),
                          headers={"content-type": "application/json"})
    assert chunked.status_code == 413
    many = client.post("/api/v1/ingest", json={"articles": [{"text": "x"}] * 1001})
    assert many.status_code == 422 and many.json()["error"]["code"] == "E100"
    rebound = client.get("/api/v1/stories", headers={"Host": "evil.example"})
    assert rebound.status_code == 421  # a DNS-rebinding page cannot read the loopback server
    for path in ("/", "/api/v1/stories", "/api/v1/docs"):
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_feeds_pass_the_fetch_guard(client, store):
    refused = client.post("/api/v1/feeds", json={"url": "http://127.0.0.1:9/feed.xml"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "E401"
    assert client.post("/api/v1/feeds", json={"url": "javascript:alert(1)"}).status_code == 422
    with TestClient(create_app(demo_settings(store, allow_private_urls=True)),
                    base_url=BASE) as private:
        assert private.post("/api/v1/feeds", json={"url": "http://127.0.0.1:9/feed.xml"}
                            ).status_code == 201
    assert [f["url"] for f in client.get("/api/v1/feeds").json()] == [
        "http://127.0.0.1:9/feed.xml"
    ]
    gone = client.delete("/api/v1/feeds", params={"url": "http://127.0.0.1:9/feed.xml"})
    assert gone.status_code == 200 and client.get("/api/v1/feeds").json() == []
    assert client.delete("/api/v1/feeds", params={"url": "http://x.example/"}).status_code == 404


def test_token_guards_writes_beyond_loopback(store):
    with pytest.raises(SettingError):
        check_bind("0.0.0.0", demo_settings(store))
    check_bind("::1", demo_settings(store))
    app = create_app(demo_settings(store, serve_token="s3cret-token"), host="0.0.0.0")
    with TestClient(app, base_url="http://news.example") as c:
        assert c.get("/api/v1/stories").status_code == 200  # reads stay open
        body = {"articles": []}
        assert c.post("/api/v1/ingest", json=body).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert c.post("/api/v1/ingest", json=body, headers=wrong).status_code == 401
        good = {"Authorization": "Bearer s3cret-token"}
        assert c.post("/api/v1/ingest", json=body, headers=good).status_code == 200
        page = c.get("/feeds")
        csrf = c.cookies["storyline_csrf"]
        form = {"csrf": csrf, "url": "http://127.0.0.1:9/x"}
        assert c.post("/feeds/remove", data=form).status_code == 400  # not signed in
        assert c.post("/login", data={"csrf": csrf, "token": "nope"}).status_code == 401
        signed = c.post("/login", data={"csrf": csrf, "token": "s3cret-token"},
                        follow_redirects=False)
        assert signed.status_code == 303 and "storyline_session" in c.cookies
        assert c.post("/feeds/remove", data=form, follow_redirects=False).status_code == 303
        assert page.status_code == 200


def test_web_forms_need_their_csrf_token(client):
    client.get("/feeds")
    csrf = client.cookies["storyline_csrf"]
    no_token = client.post("/feeds", data={"url": "http://127.0.0.1:9/a"})
    assert no_token.status_code == 400 and "another site" in no_token.text
    refused = client.post("/feeds", data={"url": "http://127.0.0.1:9/a", "csrf": csrf})
    assert refused.status_code == 200 and "E401" in refused.text  # redirected back, told why
    assert client.get("/api/v1/feeds").json() == []


def test_exports(client):
    total = client.get("/api/v1/stories").json()["total"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/export/stories.csv").text)))
    assert len(rows) == total and set(rows[0]) >= {"id", "label", "size", "outlets"}
    as_json = client.get("/api/v1/export/stories.json").json()
    assert [r["id"] for r in as_json] == [r["id"] for r in rows]


def test_openapi_and_docs_are_self_hosted(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/stories", "/api/v1/stories/{story_id}/comparison", "/api/v1/ingest",
                 "/api/v1/feeds", "/api/v1/export/stories.csv", "/api/v1/articles"):
        assert path in spec["paths"], path
    docs = client.get("/api/v1/docs").text
    assert "/api/v1/stories/{story_id}/annotations" in docs
    assert client.get("/docs").status_code == 404  # FastAPI's CDN-backed page stays off
    for tag in ("<script src=\"http", "<link rel=\"stylesheet\" href=\"http", "cdn"):
        assert tag not in docs.lower()


@pytest.mark.parametrize("path", ["/", "/articles?q=dam", "/outlets", "/feeds", "/login"])
def test_pages_render(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and "<html" in answer.text
    assert "<script>" not in answer.text  # no inline script anywhere


def test_story_and_article_pages(client):
    story = _dam_story(client)
    page = client.get(f"/stories/{story['id']}").text
    assert 'id="findings"' in page and 'class="card dispute"' in page
    config = page.split('<script type="application/json" id="config">')[1].split("</script>")[0]
    assert json.loads(config)["default"]
    from storyline.interfaces.webapp import provenance_graph, spellings

    data = client.get(f"/api/v1/stories/{story['id']}/comparison").json()
    graph = provenance_graph(data)
    credits = {(p["outlet"], c["name"]) for p in data["provenance"]
               for c in p["upstream"] + p["speakers"]}
    assert len(graph["edges"]) == len(credits) > 4  # each outlet to each source it credits
    assert page.count('class="edge ') == len(credits)
    names = spellings(data)
    assert names and all(len(e["spellings"]) > 1 for e in names)
    assert 'id="spellings"' in page and escape(names[0]["spellings"][1]["spelling"]) in page
    sources = client.get("/api/v1/outlets/Harbour Times").json()["sources"]  # analysed above
    assert sources["analysed"] >= 1 and sources["articles"] == 3
    assert "Meridian Wire" in {u["name"] for u in sources["upstream"]}  # "told ... Meridian Wire"
    assert "Meridian Wire" in client.get("/outlet", params={"name": "Harbour Times"}).text
    article = client.get("/api/v1/articles", params={"q": "spillway"}).json()["items"][0]
    html = client.get(f"/articles/{article['id']}").text
    assert 'id="text"' in html


def test_serve_polls_the_stored_feeds_in_the_background(tmp_path):
    import time
    from http.server import BaseHTTPRequestHandler

    import httpx
    from tests.conftest import DATA, local_server
    from tests.serve_fixture import running_server

    from storyline.settings import load_settings

    feed = (DATA / "ingest" / "feed.rss").read_bytes()

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(feed)))
            self.end_headers()
            self.wfile.write(feed)

        def log_message(self, *args):
            pass

    settings = load_settings({
        "store": str(tmp_path / "polled.db"), "serve_watch": True, "watch_interval": 0.3,
        "allow_private_urls": True, "host_delay": 0.0, "fetch_timeout": 5.0,
        "story_refine": False,
    })
    with local_server(Feed) as feed_url, running_server(settings) as url:
        added = httpx.post(f"{url}/api/v1/feeds", json={"url": feed_url + "/feed.rss"})
        assert added.status_code == 201
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            titles = {a["title"] for a in httpx.get(f"{url}/api/v1/articles").json()["items"]}
            if titles:
                break
            time.sleep(0.2)
        assert titles == {"Bridge opens downtown", "Council votes to rename the square"}
        polled = httpx.get(f"{url}/api/v1/feeds").json()
        assert polled[0]["last_polled"]


def test_serve_computes_changed_stories_comparisons_when_posts_pause(tmp_path, monkeypatch):
    """Without feed polling, the stories posts changed get their comparisons in the background,
    but not while posts keep coming."""
    import time

    from storyline.interfaces import api
    from storyline.service.browsing import Catalog

    monkeypatch.setattr(api, "WARM_EVERY", 0.1)
    monkeypatch.setattr(api, "WARM_QUIET", 0.5)
    settings = demo_settings(tmp_path / "warm.db")
    assert settings["serve_watch"] is False
    guarded = create_app(settings)
    state = guarded.app.state  # inside the guard
    with TestClient(guarded, base_url=BASE) as c:
        state.intake.last_post = time.monotonic() + 3600  # a post under way
        dam = _dam_story(c)["id"]
        time.sleep(1.0)  # ten rounds: none computes while the posts go on
        assert not state.catalog.has_comparison(dam)
        state.intake.last_post = time.monotonic()  # the posts paused
        deadline = time.monotonic() + 180
        while not state.catalog.has_comparison(dam) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert state.catalog.has_comparison(dam)
        assert time.monotonic() - state.intake.last_post >= 0.5
    fresh = Catalog(settings)  # a round stops between two comparisons when asked
    asks = iter([False])
    assert len(fresh.warm(10, lambda: next(asks, True))) == 1
    fresh.close()


def test_feeds_show_their_last_poll_status(tmp_path):
    from datetime import UTC, datetime, timedelta

    from storyline.store import open_store

    db = tmp_path / "feeds.db"
    earlier = datetime.now(UTC) - timedelta(hours=1)
    with open_store(str(db)) as s:
        s.save_feed("https://a.example/ok.xml", '"e1"', None, earlier)
        s.save_feed("https://a.example/gone.xml", None, None, earlier)
        s.save_feed("https://a.example/new.xml", None, None, None)
        s.record_skip("https://a.example/ok.xml", "[E302] an older failure")  # after earlier
        s.save_feed("https://a.example/ok.xml", '"e2"', None, datetime.now(UTC))  # then ok
        s.record_skip("https://a.example/gone.xml", "[E302] HTTP 404 from a.example")
        s.record_skip("https://a.example/gone.xml#3", "[E107] a bad entry")  # not the poll
    with TestClient(create_app(demo_settings(db)), base_url=BASE) as c:
        rows = {f["url"].rsplit("/", 1)[1]: f for f in c.get("/api/v1/feeds").json()}
        assert (rows["ok.xml"]["status"], rows["ok.xml"]["reason"]) == ("ok", None)
        gone = rows["gone.xml"]
        assert (gone["status"], gone["reason"]) == ("failed", "[E302] HTTP 404 from a.example")
        assert gone["failed_at"] > gone["last_polled"]
        assert rows["new.xml"]["status"] == "not polled yet"
        page = c.get("/feeds").text
        assert 'class="poll-failed">failed at' in page and "HTTP 404 from a.example" in page


def test_opml_import_and_export(store):
    from storyline.ingest.opml import parse_opml

    opml = (
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline xmlUrl="http://127.0.0.1:9/one.xml"/>'
        '<outline xmlUrl="javascript:alert(1)"/>'
        '<outline xmlUrl="http://10.0.0.1/private.xml"/></body></opml>'
    )
    with TestClient(create_app(demo_settings(store)), base_url=BASE) as c:
        done = c.post("/api/v1/feeds/opml", json={"opml": opml}).json()
        assert done["added"] == [] and len(done["refused"]) == 3  # loopback, scheme, private
        assert all("E401" in r["reason"] for r in done["refused"])
        bomb = '<!DOCTYPE x [<!ENTITY a "b">]><opml/>'
        assert c.post("/api/v1/feeds/opml", json={"opml": bomb}).status_code == 422
    with TestClient(create_app(demo_settings(store, allow_private_urls=True)),
                    base_url=BASE) as c:
        done = c.post("/api/v1/feeds/opml", json={"opml": opml}).json()
        assert done["added"] == ["http://127.0.0.1:9/one.xml", "http://10.0.0.1/private.xml"]
        again = c.post("/api/v1/feeds/opml", json={"opml": opml}).json()
        assert again["added"] == [] and len(again["already"]) == 2
        exported = c.get("/api/v1/feeds.opml")
        assert exported.headers["content-type"].startswith("text/x-opml")
        assert sorted(parse_opml(exported.content)) == sorted(done["added"])
        for url in done["added"]:
            c.delete("/api/v1/feeds", params={"url": url})


def test_opml_form_upload(client):
    client.get("/feeds")
    csrf = client.cookies["storyline_csrf"]
    opml = b'<opml version="2.0"><body><outline xmlUrl="http://127.0.0.1:9/x.xml"/></body></opml>'
    answer = client.post("/feeds/opml", data={"csrf": csrf},
                         files={"opml": ("feeds.opml", opml, "text/x-opml")})
    assert answer.status_code == 200  # after the redirect: the feeds page says what happened
    assert "0 added" in answer.text and "1 refused" in answer.text and "E401" in answer.text
    forged = client.post("/feeds/opml", data={"csrf": "forged"},
                         files={"opml": ("feeds.opml", opml, "text/x-opml")})
    assert forged.status_code == 400


def test_corrections_merge_split_move(tmp_path):
    settings = demo_settings(tmp_path / "corrections.db")
    with TestClient(create_app(settings), base_url=BASE) as c:
        rows = c.get("/api/v1/stories").json()["items"]
        keep, other = rows[0]["id"], rows[1]["id"]
        total = c.get("/api/v1/stories").json()["total"]
        merged = c.post(f"/api/v1/stories/{keep}/merge", json={"others": [other]}).json()
        assert merged["correction"]["kind"] == "merge" and merged["correction"]["removed"] == [
            other]
        after = c.get("/api/v1/stories").json()
        assert after["total"] == total - 1 and other not in {r["id"] for r in after["items"]}
        gone = c.get(f"/api/v1/stories/{other}")
        assert gone.status_code == 404 and keep in gone.json()["error"]["message"]
        assert c.get(f"/stories/{other}", follow_redirects=False).headers["location"] == (
            f"/stories/{keep}")
        view = c.get(f"/api/v1/stories/{keep}").json()
        assert view["corrections"][0]["kind"] == "merge"
        first = view["articles"][0]["id"]
        split = c.post(f"/api/v1/stories/{keep}/split", json={"article_ids": [first]}).json()
        new_id = split["correction"]["story_id"]
        assert split["correction"]["new_story"] and new_id not in (keep, other)
        assert [a["id"] for a in c.get(f"/api/v1/stories/{new_id}").json()["articles"]] == [first]
        moved = c.post(f"/api/v1/articles/{first}/move", json={"to": keep}).json()
        assert moved["correction"]["story_id"] == keep
        assert first in {a["id"] for a in c.get(f"/api/v1/stories/{keep}").json()["articles"]}
        bad = c.post(f"/api/v1/stories/{keep}/merge", json={"others": ["s999999"]})
        assert bad.status_code in (404, 422) and bad.json()["error"]["code"] in ("E404", "E700")
        history = c.get("/api/v1/corrections").json()
        assert [h["kind"] for h in history] == ["merge", "split", "move"]


def test_serve_command_refuses_an_open_bind_and_serves_loopback(store, tmp_path):
    import os
    import subprocess
    import sys
    import time

    import httpx
    from tests.serve_fixture import free_port

    demo_settings(store)
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_SERVE_TOKEN"}
    command = [sys.executable, "-m", "storyline.interfaces.cli", "serve", "--store", str(store)]
    refused = subprocess.run([*command, "--host", "0.0.0.0"], capture_output=True, text=True,
                             timeout=120, env=env, cwd=tmp_path)
    assert refused.returncode == 2 and "E600" in refused.stderr
    assert "Traceback" not in refused.stderr
    port = free_port()
    server = subprocess.Popen([*command, "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, answer = time.monotonic() + 60, None
        while time.monotonic() < deadline and answer is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/stories", timeout=5)
            except httpx.TransportError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200
        assert answer.json()["total"] >= 5
        assert "server" not in answer.headers  # uvicorn's banner header is off
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_warm_computes_the_recent_comparisons_once(store):
    from storyline.service.browsing import Catalog, StoryFilter

    catalog = Catalog(demo_settings(store))
    done = catalog.warm(limit=2)
    assert len(done) == 2
    rows = catalog.stories(StoryFilter(), limit=500)["items"]
    expected = [r["id"] for r in rows if r["size"] >= 2][:2]
    assert done == expected
    assert catalog.warm(limit=2) != done  # the cached ones are skipped: the next two come
    assert len(catalog._comparisons) == 4
    catalog.close()


def test_outlet_profiles_are_editable(tmp_path):
    settings = demo_settings(tmp_path / "profiles.db")
    with TestClient(create_app(settings), base_url=BASE) as c:
        profile = {"country": "Haldaria", "owner": "The state broadcaster",
                   "state_affiliated": True, "notes": "Pro-government line."}
        saved = c.put("/api/v1/outlets/The National Observer", json=profile)
        assert saved.status_code == 200 and saved.json()["owner"] == "The state broadcaster"
        outlet = c.get("/api/v1/outlets/The National Observer").json()
        assert outlet["profile"] == profile and outlet["articles"] == 3
        listed = {o["name"]: o["profile"] for o in c.get("/api/v1/outlets").json()}
        assert listed["The National Observer"] == profile and listed["Harbour Times"] is None
        too_long = c.put("/api/v1/outlets/Harbour Times", json={"notes": "x" * 4001})
        assert too_long.status_code == 422 and too_long.json()["error"]["code"] == "E106"
        assert c.get("/api/v1/outlets/Nobody Daily").status_code == 404
        page = c.get("/outlet", params={"name": "The National Observer"})
        assert "The state broadcaster" in page.text
        form = {"csrf": c.cookies["storyline_csrf"], "name": "Harbour Times",
                "country": "Haldaria", "owner": "", "notes": "", "state_affiliated": "yes"}
        assert c.post("/outlet", data=form, follow_redirects=False).status_code == 303
        assert c.get("/api/v1/outlets/Harbour Times").json()["profile"]["state_affiliated"]
        assert "Haldaria" in c.get("/outlets").text

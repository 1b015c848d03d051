"""Hostile article fields on every page of the web app: nothing runs, nothing becomes markup.

The demo event's four reports are posted through the API with hostile titles, outlets, URLs
and extra paragraphs (script tags, event-handler attributes, javascript: and data: URLs,
broken markup, template syntax, RTL overrides and zero-width characters), plus a hostile feed
URL. Every page is opened in headless Chromium with a dialog, console and page-error hook: the
count of executions must be 0, and the DOM must hold no script, handler or link we did not
write.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
from tests.integration.test_serve_browser import watched_page  # noqa: F401
from tests.serve_fixture import running_server

from storyline.interfaces.cli import demo_event_files
from storyline.settings import load_settings

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "\"><img src=x onerror=\"alert('xss-img')\">",
    "'><svg onload=alert('xss-svg')>",
    "</p></section></main><iframe src=\"javascript:alert('xss-iframe')\"></iframe>",
    "<a href=\"javascript:alert('xss-link')\">click</a>",
    "<!-- <style>body{display:none}</style>",
    "{{ 7*7 }} {% raw %}",
    "\u202eevil\u202c <b onmouseover=alert('xss-b')>x</b>",
    "ze\u200bro\u200dwidth\ufeff <scr<script>ipt>alert('xss-nested')</script>",
]
OUTLETS = [
    "<script>alert('xss-outlet')</script>Harbour",
    "Conti\u200bnental \"><img src=x onerror=alert('xss-outlet2')>",
    "\u202eeciov yellav eerf\u202c",
    "National ' onclick='alert(1)",
]
URLS = [
    "javascript:alert('xss-url')",
    "https://observer.example/\"><script>alert('xss-url2')</script>",
    "data:text/html,<script>alert('xss-url3')</script>",
    " JaVaScRiPt:alert('xss-url4')",
]
MISSING = "/stories/%3Cscript%3Ealert('xss-path')%3C%2Fscript%3E"  # echoed on the 404 page
# What the DOM may hold: our own script files, the report's JSON config, links we made.
_DOM_JS = """() => {
  const bad = [];
  document.querySelectorAll('script').forEach(s => {
    if (s.src ? !new URL(s.src).pathname.startsWith('/static/') : s.type !== 'application/json')
      bad.push('script ' + (s.src || s.textContent.slice(0, 60)));
  });
  document.querySelectorAll('*').forEach(e => {
    for (const a of e.attributes) {
      if (a.name.startsWith('on')) bad.push(e.tagName + ' ' + a.name);
    }
  });
  document.querySelectorAll('a[href], iframe, img, embed, object, form[action]').forEach(e => {
    const url = e.href || e.src || e.action || e.data || '';
    if (/^\\s*(javascript|data|vbscript):/i.test(url) && !url.startsWith('data:,'))
      bad.push(e.tagName + ' ' + url.slice(0, 60));
    if (['IFRAME', 'IMG', 'EMBED', 'OBJECT'].includes(e.tagName)) bad.push(e.tagName);
  });
  document.querySelectorAll('style').forEach(() => bad.push('style element'));
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    store = tmp_path_factory.mktemp("xss") / "hostile.db"
    settings = load_settings({"store": str(store), "allow_private_urls": True})
    with running_server(settings) as url:
        records = []
        for n, path in enumerate(demo_event_files()):
            lines = path.read_text(encoding="utf-8").split("\n")
            body = "\n".join(lines[2:]) + "\n\n" + " ".join(PAYLOADS[n::2])
            records.append({
                "title": lines[0] + " " + PAYLOADS[(n + 3) % len(PAYLOADS)],
                "outlet": OUTLETS[n], "url": URLS[n], "text": body,
                "published": f"2026-03-14T0{n + 1}:00:00Z",
            })
        posted = httpx.post(f"{url}/api/v1/ingest", json={"articles": records}, timeout=120)
        assert posted.status_code == 200, posted.text
        ids = [r["id"] for r in posted.json()["results"]]
        hostile_profile = {"country": PAYLOADS[0], "owner": PAYLOADS[1],
                           "notes": " ".join(PAYLOADS)}
        saved = httpx.put(f"{url}/api/v1/outlets/{quote(OUTLETS[0], safe='')}",
                          json=hostile_profile)
        assert saved.status_code == 200, saved.text
        feed = "http://127.0.0.1:9/\"><script>alert('xss-feed')</script>"
        assert httpx.post(f"{url}/api/v1/feeds", json={"url": feed}).status_code == 201
        yield url, ids


def _pages(url: str, ids: list[str]) -> list[str]:
    stories = httpx.get(f"{url}/api/v1/stories").json()["items"]
    compared = [s for s in stories if s["size"] >= 2]
    assert compared, "the four reports of one event form a story"
    outlets = [f"/outlet?{urlencode({'name': o})}" for o in OUTLETS]
    return ["/", *(f"/stories/{s['id']}" for s in stories), *(f"/articles/{i}" for i in ids),
            "/articles?q=alert", "/outlets", *outlets, "/feeds", "/api/v1/docs", MISSING]


def test_no_hostile_field_runs_on_any_page(browser, hostile):  # noqa: F811
    url, ids = hostile
    page, problems = watched_page(browser, 1400)
    executions, checked = 0, 0
    for path in _pages(url, ids):
        answer = page.goto(url + path)
        assert answer.status == (404 if path == MISSING else 200), path
        if page.locator("#findings .card").count():  # a story page: click through findings
            for n in range(min(5, page.locator("#findings .card").count())):
                page.locator("#findings .card").nth(n).click()
            page.locator("#pick-all").click()
        bad = page.evaluate(_DOM_JS)
        assert bad == [], (path, bad)
        checked += 1
    # The missing story's own 404 is the one console line a page may add.
    problems = [p for p in problems if not p.endswith(f"404 (Not Found) at {url}{MISSING}")]
    executions = sum(p.startswith(("dialog", "console", "error")) for p in problems)
    assert executions == 0, problems
    assert checked >= 9
    page.close()


def test_hostile_fields_read_as_text(browser, hostile):  # noqa: F811
    url, ids = hostile
    page, problems = watched_page(browser, 1400)
    page.goto(f"{url}/articles/{ids[0]}")
    text = page.locator("body").inner_text()
    assert "<script>alert('xss-script')</script>" in text  # shown, not run
    assert "{{ 7*7 }}" in text  # template syntax in an article is not evaluated
    assert page.locator("a.url").count() == 0  # a javascript: URL is no link
    story = httpx.get(f"{url}/api/v1/stories").json()["items"][0]
    page.goto(f"{url}/stories/{story['id']}")
    assert "<script>alert('xss-outlet')</script>Harbour" in page.locator("body").inner_text()
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a.url')).map(a => a.href)")
    assert all(h.startswith("https://observer.example/") for h in hrefs)
    assert problems == []
    page.close()


def test_hostile_feed_removed_through_the_form(browser, hostile):  # noqa: F811
    url, _ids = hostile
    page, problems = watched_page(browser, 1400)
    page.goto(f"{url}/feeds")
    assert "alert('xss-feed')" in page.locator("table.list").first.inner_text()
    page.locator("table.list button", has_text="Remove").first.click()
    page.wait_for_selector("p.done")
    assert httpx.get(f"{url}/api/v1/feeds").json() == []
    assert problems == []
    page.close()


def test_corpus_is_what_the_docstring_says():
    kinds = " ".join(PAYLOADS + OUTLETS + URLS)
    for needle in ("<script>", "onerror=", "javascript:", "</p>", "\u202e", "\u200b", "{{"):
        assert needle in kinds, needle
    assert len(demo_event_files()) == len(OUTLETS) == len(URLS)
    assert Path(demo_event_files()[0]).exists()

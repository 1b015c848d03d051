"""The web app of `storyline serve` in headless Chromium, over a real loopback server.

Drives Debian's /usr/bin/chromium through Playwright (never a browser Playwright downloads);
skips when it is not installed here (.ci/run installs it). Screenshots of the story page at
1400 and 390 px go to /tmp/serve-shots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.serve_fixture import demo_settings, running_server

TIMEOUT_MS = 30_000  # the first story page computes its comparison (~5 s on this machine)
SHOTS = Path("/tmp/serve-shots")
ANALYSE_MS = 120_000  # analysing one article loads the models first: ~20 s on a busy 2-core box

# Per shown column: the text of its highlighted marks, by dispute side.
_HITS_JS = """() => Array.from(document.querySelectorAll('section.article')).map(s => {
  const spans = {};
  s.querySelectorAll('mark.hit').forEach(m => {
    const side = m.dataset.side || '';
    spans[side] = (spans[side] || '') + m.textContent;
  });
  return {article: s.dataset.article, shown: !s.hidden, spans};
})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = demo_settings(tmp_path_factory.mktemp("web") / "demo.db")
    with running_server(settings) as url:
        yield url


def watched_page(browser, width: int):
    """A page whose script errors, console errors, dialogs and off-host requests are kept."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"error: {e}"))
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(
        f"console {m.type}: {m.text} at {m.location.get('url', '')}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "data:"))
            or problems.append(f"request {r.url}"))
    return page, problems


def test_stories_list_story_dispute_highlight(browser, server):
    import httpx

    page, problems = watched_page(browser, 1400)
    page.goto(server + "/")
    rows = page.locator("li.story-row")
    assert rows.count() >= 5
    page.locator(".story-row .label a", has_text="Bayt Amir").first.click()
    page.wait_for_selector("#findings .card.dispute")
    story_id = page.url.rsplit("/", 1)[1]
    data = httpx.get(f"{server}/api/v1/stories/{story_id}/comparison").json()
    dispute = data["disputes"][0]

    page.locator("#findings .card.dispute").first.click()
    assert page.locator("#findings .card.dispute").first.get_attribute("aria-pressed") == "true"
    page.locator("#pick-all").click()  # every outlet beside the others
    cols = {c["article"]: c for c in page.evaluate(_HITS_JS)}
    for n, side in enumerate(dispute["sides"]):
        for ev in side["evidence"]:
            col = cols[ev["article_id"]]
            assert col["shown"]
            assert ev["text"] in col["spans"].get(str(n % 6), ""), (n, ev["text"])
    marked = {a for a, c in cols.items() if c["spans"]}
    assert marked == {ev["article_id"] for s in dispute["sides"] for ev in s["evidence"]}

    page.locator("#pick-default").click()
    box = page.locator("#picker input:not(:checked)").first
    key = box.get_attribute("value")
    box.check()  # pick one more outlet to stand beside the others
    assert page.locator(f'section.article[data-col="{key}"]').is_visible()
    page.locator("#findings .card.dispute").first.click()
    page.locator("#findings .card.dispute").first.click()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "story-1400.png"))
    assert problems == []
    page.close()


def test_story_page_at_phone_width(browser, server):
    import httpx

    rows = httpx.get(f"{server}/api/v1/stories", params={"q": "Bayt Amir"}).json()["items"]
    story = max(rows, key=lambda r: r["size"])
    page, problems = watched_page(browser, 390)
    page.goto(f"{server}/stories/{story['id']}")
    page.locator("#findings .card.dispute").first.click()
    assert page.locator("mark.hit").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "story-390.png"), full_page=True)
    article = httpx.get(f"{server}/api/v1/stories/{story['id']}").json()["articles"][0]["id"]
    for path in ("/", "/articles", "/outlets", "/feeds", "/api/v1/docs", "/login",
                 f"/articles/{article}"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert problems == []
    page.close()


# Per timeline chart: whether it shows, and the right edge of each article's mark.
_TIMELINE_JS = """() => Array.from(document.querySelectorAll('#timeline .twrap')).map(w => ({
  shown: w.offsetParent !== null,
  rights: Array.from(w.querySelectorAll('a circle, a path')).map(
    m => m.getBoundingClientRect().right)}))"""


@pytest.mark.parametrize("width", [1400, 390])
def test_every_article_is_in_sight_on_the_timeline(browser, server, width):
    import httpx

    rows = httpx.get(f"{server}/api/v1/stories", params={"q": "Bayt Amir"}).json()["items"]
    story = max(rows, key=lambda r: r["size"])
    dated = [a for a in httpx.get(f"{server}/api/v1/stories/{story['id']}").json()["articles"]
             if a["published"]]
    page, problems = watched_page(browser, width)
    page.goto(f"{server}/stories/{story['id']}")
    charts = [c for c in page.evaluate(_TIMELINE_JS) if c["shown"]]
    assert len(charts) == 1  # the wide chart on a desktop, the narrow one on a phone
    assert len(charts[0]["rights"]) == len(dated) >= 4
    assert max(charts[0]["rights"]) <= width - 16  # none scrolled out of the window
    if width == 390:  # the provenance graph, as a list that fits
        page.locator("#provenance summary").click()
        assert page.locator(".prov-list li").count() >= 4
        assert page.locator("#provenance .twrap").is_hidden()
        page.goto(server + "/outlets")  # a wide table as cards, its words whole
        heights = page.evaluate("Array.from(document.querySelectorAll('.list td')).filter("
                                "t => t.offsetParent).map(t => t.getBoundingClientRect()"
                                ".height)")
        assert heights and max(heights) < 2 * min(heights)  # no cell cut into lines
    assert problems == []
    page.close()


# Controls and table cells past the window's right edge, after opening every section: what a
# phone user reaches only by scrolling a box sideways. The side-by-side columns (#articles)
# scroll sideways on purpose, a column per outlet.
_OUT_OF_SIGHT_JS = """() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('a,button,input,select,textarea,th,td')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > w + 1 && !el.closest('#articles'))
      out.push(el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 30));
  }
  return out;
}"""


def test_every_control_and_cell_in_sight_at_phone_width(browser, server):
    import httpx

    rows = httpx.get(f"{server}/api/v1/stories", params={"q": "Bayt Amir"}).json()["items"]
    story = max(rows, key=lambda r: r["size"])
    page, problems = watched_page(browser, 390)
    for path in ("/", f"/stories/{story['id']}", "/outlets", "/feeds", "/articles?q=dam"):
        page.goto(server + path)
        assert page.evaluate(_OUT_OF_SIGHT_JS) == [], path
    # a story's articles stacked: each title on one or two lines, not a word a line
    page.goto(f"{server}/stories/{story['id']}")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    heights = page.evaluate("Array.from(document.querySelectorAll('#story-articles "
                            "td.title a')).map(a => a.getBoundingClientRect().height)")
    assert len(heights) == story["size"] and max(heights) < 3.5 * 16
    assert problems == []
    page.close()


def test_article_page_layers(browser, server):
    import httpx

    query = {"q": "killing 11 people", "outlet": "Harbour Times"}
    hit = httpx.get(f"{server}/api/v1/articles", params=query).json()["items"][0]
    page, problems = watched_page(browser, 1400)
    page.goto(f"{server}/articles/{hit['id']}")
    if page.locator("form.inline button").count():  # not analysed yet: analyse now (CSRF form)
        page.locator("form.inline button").click()
        page.wait_for_selector("#layers", timeout=ANALYSE_MS)
    quantities = page.locator('#text mark[data-ids="quantity"]')  # in no other layer's span
    assert quantities.count() > 0
    colour = "() => getComputedStyle(document.querySelector('#text mark[data-ids=quantity]'))" \
             ".backgroundColor"
    shown = page.evaluate(colour)
    page.locator('#layers input[value="quantity"]').uncheck()
    assert page.evaluate(colour) != shown
    assert problems == []
    page.close()


def test_merge_from_the_list_then_split_on_the_story_page(browser, tmp_path):
    import httpx

    settings = demo_settings(tmp_path / "corrections.db")
    with running_server(settings) as url:
        page, problems = watched_page(browser, 1400)
        page.goto(url + "/")
        before = page.locator("li.story-row").count()
        ids = [page.locator("li.story-row").nth(n).get_attribute("data-story") for n in (0, 1)]
        for sid in ids:
            page.locator(f'li.story-row[data-story="{sid}"] input[name="ids"]').check()
        page.locator("#merge button").click()
        page.wait_for_url(f"{url}/stories/{ids[0]}")
        page.goto(url + "/")
        assert page.locator("li.story-row").count() == before - 1
        assert page.locator(f'li.story-row[data-story="{ids[1]}"]').count() == 0
        page.goto(f"{url}/stories/{ids[1]}")  # the merged-away story leads to the kept one
        assert page.url == f"{url}/stories/{ids[0]}"
        page.locator("#story-articles summary").click()
        assert "merge" in page.locator(".corrections").inner_text()
        first = page.locator("#story-articles tbody tr").first.get_attribute("data-article")
        page.locator(f'#story-articles tr[data-article="{first}"] input[type=checkbox]').check()
        page.locator('button[form="split"]').click()
        page.wait_for_url(lambda u: u != f"{url}/stories/{ids[0]}")
        new_id = page.url.rsplit("/", 1)[1]
        view = httpx.get(f"{url}/api/v1/stories/{new_id}").json()
        assert [a["id"] for a in view["articles"]] == [first]
        page.goto(url + "/")
        assert page.locator("li.story-row").count() == before
        assert problems == []
        page.close()

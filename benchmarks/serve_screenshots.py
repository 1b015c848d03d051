"""Screenshots of every page of `storyline serve` at 1400 and 390 px wide (issue #11's "every
page usable on a desktop and a phone"), from Debian's headless Chromium through Playwright.

    .venv/bin/python benchmarks/serve_screenshots.py [--out shots] [--readme docs/story-page.png]

Serves the demo corpus (plus a feed, a skip and an outlet profile, so no page is empty) on
127.0.0.1, opens each page at both widths and saves a full-page PNG to ``--out`` (git-ignored).
Prints each shot's path beside what can be measured of its fit: the page's own width against
the window's (wider: the whole page scrolls sideways) and the elements that stick out of the
window without a scrolling box of their own to hold them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1400, 390)
TIMEOUT_MS = 180_000  # the first story page computes its comparison; an article its analysis

# Elements wider than the window whose overflow no ancestor scrolls or clips: what a phone user
# would have to scroll the whole page sideways to read.
_STICKING_OUT_JS = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= w + 1) continue;
    let held = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') { held = true; break; }
    }
    if (!held) out.push(el.tagName.toLowerCase() + (el.className && typeof el.className ===
      'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
      ' ' + Math.round(r.right) + 'px');
  }
  return out;
}"""


def pages(url: str, httpx) -> list[tuple[str, str]]:
    """(name, path) of every page, with real ids from the demo store."""
    stories = httpx.get(f"{url}/api/v1/stories").json()["items"]
    story = max(stories, key=lambda r: r["size"])
    # another story of two or more (the largest is the dam's: shot twice before)
    other = max((r for r in stories if r["id"] != story["id"]), key=lambda r: r["size"])
    one = httpx.get(f"{url}/api/v1/stories/{story['id']}").json()
    article = one["articles"][0]["id"]
    outlet = one["articles"][0]["outlet"]
    return [("stories", "/"), ("stories-filtered", "/?q=spillway"),
            ("story", f"/stories/{story['id']}"), ("story-other", f"/stories/{other['id']}"),
            ("article", f"/articles/{article}"),
            ("search", "/articles?q=dam"), ("outlets", "/outlets"),
            ("outlet", f"/outlet?name={outlet}"), ("feeds", "/feeds"),
            ("api-docs", "/api/v1/docs"), ("login", "/login"),
            ("not-found", "/stories/s999999")]


def main() -> int:
    import httpx
    from playwright.sync_api import sync_playwright
    from tests.serve_fixture import demo_settings, running_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "shots"))
    parser.add_argument("--readme", default="",
                        help="also save the README's picture of a story page here "
                             "(docs/story-page.png): 1400 x 900, a dispute's evidence marked")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} not found (apt-get install chromium)")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings = demo_settings(Path(tempfile.mkdtemp(prefix="shots-")) / "demo.db",
                             allow_private_urls=True)
    with running_server(settings) as url, sync_playwright() as p:
        httpx.post(f"{url}/api/v1/feeds", json={"url": f"{url}/no-such-feed.xml"})
        httpx.put(f"{url}/api/v1/outlets/Harbour Times",
                  json={"country": "Haldaria", "owner": "Harbour Media Group",
                        "notes": "Regional daily; syndicates wire copy."})
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        for name, path in pages(url, httpx):
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(url + path, timeout=TIMEOUT_MS)
                analyse = page.locator("form[action$='/analyse'] button")
                if name == "article" and analyse.count():  # the layers are what it shows
                    with page.expect_navigation(timeout=TIMEOUT_MS):
                        analyse.first.click()
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                shot = out / f"{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                own = page.evaluate("document.documentElement.scrollWidth")
                sticking = page.evaluate(_STICKING_OUT_JS)
                fit = "fits" if own <= width else f"page {own} px wide"
                print(f"{shot}  {fit}; sticking out: {len(sticking)} {sticking[:4]}")
                page.close()
        if args.readme:
            readme_shot(browser, url, pages(url, httpx)[2][1], Path(args.readme))
        browser.close()
    return 0


def readme_shot(browser, url: str, path: str, shot: Path) -> None:
    """The story page's report in one window: the first dispute clicked, its evidence marked
    in the columns beside the coverage matrix."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url + path, timeout=TIMEOUT_MS)
    page.locator("#findings .card.dispute").first.click()
    page.evaluate("document.querySelector('#report').scrollIntoView()")
    page.screenshot(path=str(shot))
    print(f"{shot}  the README's picture")
    page.close()


if __name__ == "__main__":
    sys.exit(main())

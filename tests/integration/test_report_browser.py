"""The HTML report in headless Chromium: highlights, outlet picker, matrix, wrapping, offline.

Drives Debian's /usr/bin/chromium through Playwright (never a browser Playwright downloads);
skips when it is not installed here (.ci/run installs it, so CI always runs these).
Screenshots go to the test's tmp dir.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests import report_fixture

from storyline.interfaces.report_html import render_html

TIMEOUT_MS = 15_000  # one action or wait; the whole page loads from a local file in < 1 s
MIN_COLUMN_PX = 300  # columns keep their width and scroll sideways instead of shrinking

# Per column: whether it is shown and, for each highlighted evidence span, its side, letter and
# the highlighted text (an evidence split by overlapping marks is joined back).
_HITS_JS = """() => Array.from(document.querySelectorAll('section.article')).map(s => {
  const spans = {};
  s.querySelectorAll('mark.hit').forEach(m => {
    const side = m.dataset.side || '';
    spans[side] = (spans[side] || '') + m.textContent;
  });
  return {col: s.dataset.col, shown: !s.hidden, spans,
          letters: Array.from(s.querySelectorAll('mark.hit[data-lead]')).map(m => m.dataset.lead)};
})"""


def _open(browser, data: dict, width: int, tmp_path: Path):
    """A page showing the report of `data`, with its errors and dialogs collected."""
    path = tmp_path / "report.html"
    path.write_text(render_html(data), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: r.url.startswith("file:") or problems.append(f"fetch {r.url}"))
    page.goto(path.as_uri())
    return page, problems


def _by_col(page) -> dict[str, dict]:
    return {c["col"]: c for c in page.evaluate(_HITS_JS)}


def _multi_outlet_groups(data: dict) -> int:
    return sum(len(set(g["outlets"])) > 1 for g in data["claims"])


def test_twelve_outlets_at_1400(browser, tmp_path):
    data = report_fixture.comparison()
    page, problems = _open(browser, data, 1400, tmp_path)
    cols = _by_col(page)
    assert [c for c, v in cols.items() if v["shown"]] == ["c0", "c1", "c2"]

    page.locator("#findings .card.dispute").first.click()
    cols = _by_col(page)
    for n in range(report_fixture.N_OUTLETS):  # d1: 14 wounded in 0-7, 9 wounded in 8-10
        want = {"0": "14 people"} if n < 8 else {"1": "9 people"} if n <= 10 else {}
        assert cols[f"c{n}"]["spans"] == want, n
        assert cols[f"c{n}"]["letters"] == (["A"] if n < 8 else ["B"] if n <= 10 else [])
    assert page.locator("#findings .card.dispute").first.get_attribute("aria-pressed") == "true"
    assert page.locator('section[data-col="c0"] .stats .hits').inner_text() == "1 mark"
    mark = page.locator('section[data-col="c0"] mark.hit').first
    assert mark.is_visible()

    page.locator('#picker input[value="c9"]').check()  # the syndicated copy, side B
    column = page.locator('section[data-col="c9"]')
    assert column.is_visible()
    assert "copy of outlet-08.example" in column.locator(".meta").inner_text()
    assert column.locator("mark.hit").first.is_visible()
    widths = page.evaluate("""() => Array.from(document.querySelectorAll(
        'section.article:not([hidden])')).map(s => s.getBoundingClientRect().width)""")
    assert len(widths) == 4 and min(widths) >= MIN_COLUMN_PX
    page.locator('#picker input[value="c9"]').uncheck()
    assert column.is_hidden()

    page.locator('#matrix .oc[data-col="c11"]').click()  # an outlet over the matrix
    assert page.locator('section[data-col="c11"]').is_visible()
    assert page.locator('#picker input[value="c11"]').is_checked()

    page.locator("#findings .card.dispute").first.locator("button.sbs").click()
    shown = [c for c, v in _by_col(page).items() if v["shown"]]
    assert shown == ["c0", "c8"]  # one outlet per side

    rows = page.locator("#matrix tbody tr")
    assert rows.count() == _multi_outlet_groups(data) == 3
    rows.nth(2).click()  # g3, the shared claim of outlets 0-9
    cols = _by_col(page)
    assert [c for c, v in cols.items() if v["spans"]] == [f"c{n}" for n in range(10)]
    assert "on" in (rows.nth(2).get_attribute("class") or "")
    assert page.evaluate("""() => { const pane = document.getElementById('findings');
        const card = pane.querySelector('.card[data-f="g3"]');
        const p = pane.getBoundingClientRect(), c = card.getBoundingClientRect();
        return card.classList.contains('on') && c.top >= p.top && c.bottom <= p.bottom; }""")
    assert page.evaluate("location.hash") == "#g3"

    page.locator('.chip[data-kind="number"]').click()
    assert page.locator('#findings .card[data-f="d1"]').is_hidden()
    assert page.locator('#findings .card[data-f="d2"]').is_visible()
    page.locator('.chip[data-type="dispute"]').click()
    assert page.locator('#findings .card[data-f="d2"]').is_hidden()
    page.locator('.chip[data-type="dispute"]').click()
    page.locator('.chip[data-kind="number"]').click()
    assert page.locator('#findings .card[data-f="d1"]').is_visible()

    page.locator("#pick-all").click()
    assert page.locator("section.article:not([hidden])").count() == report_fixture.N_OUTLETS
    scroll = page.evaluate("""() => { const a = document.getElementById('articles');
        return [a.scrollWidth, a.clientWidth, document.documentElement.scrollWidth]; }""")
    assert scroll[0] > scroll[1] and scroll[2] <= 1400  # the columns scroll, not the page
    url = page.locator('section[data-col="c0"] a.url').bounding_box()
    head = page.locator('section[data-col="c0"]').bounding_box()
    assert url["width"] <= head["width"] and url["height"] > 20  # the long URL wraps

    shot = tmp_path / "report-1400.png"
    page.locator("#pick-default").click()
    page.locator("#findings .card.dispute").first.click()
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert problems == []  # no script error, no dialog from the hostile outlet, no fetch
    page.close()


def test_a_link_with_a_finding_opens_it_marked(browser, tmp_path):
    page, problems = _open(browser, report_fixture.comparison(), 1400, tmp_path)
    page.goto(page.url + "#d2")
    page.reload()
    assert page.locator('#findings .card[data-f="d2"]').get_attribute("aria-pressed") == "true"
    cols = _by_col(page)
    assert [c for c, v in cols.items() if v["spans"]] == [f"c{n}" for n in range(6)]
    assert cols["c4"]["letters"] == ["B"]
    page.locator('#findings .card[data-f="w1"]').focus()
    page.keyboard.press("Enter")  # cards work from the keyboard too
    assert [c for c, v in _by_col(page).items() if v["spans"]] == ["c0", "c1"]
    page.locator('#findings .card[data-f="d2"]').click()
    page.locator('#findings .card[data-f="d2"]').click()  # a second click clears the marks
    assert not any(v["spans"] for v in _by_col(page).values())
    assert page.evaluate("location.hash") == ""
    assert problems == []
    page.close()


def test_twelve_outlets_at_390(browser, tmp_path):
    page, problems = _open(browser, report_fixture.comparison(), 390, tmp_path)
    page.locator("#findings .card.dispute").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    width = page.locator('section[data-col="c0"]').bounding_box()["width"]
    assert MIN_COLUMN_PX <= width <= 390
    shot = tmp_path / "report-390.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert problems == []
    page.close()


@pytest.mark.slow
def test_demo_comparison_highlights_every_side(browser, tmp_path, compare_files):
    from storyline.interfaces.cli import demo_event_files

    data = compare_files(demo_event_files())
    assert data["disputes"], "the demo has planted disputes"
    page, problems = _open(browser, data, 1400, tmp_path)
    page.locator("#findings .card.dispute").first.click()
    cols = _by_col(page)
    key = {a["id"]: f"c{n}" for n, a in enumerate(data["articles"])}
    for n, side in enumerate(data["disputes"][0]["sides"]):
        for ev in side["evidence"]:
            assert ev["text"] in cols[key[ev["article_id"]]]["spans"].get(str(n % 6), ""), ev
    assert page.locator("#matrix tbody tr").count() == _multi_outlet_groups(data)
    assert problems == []
    page.close()

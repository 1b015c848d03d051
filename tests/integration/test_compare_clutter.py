"""Page clutter takes no part in a comparison: no claim, no alignment, no "only in"."""

from __future__ import annotations

import pytest
from tests.conftest import DATA, check_evidence

pytestmark = pytest.mark.slow

CLUTTER = {
    "By Ana Vale",
    "Updated 10:32 GMT, 8 January 2026",
    "LERRIN (Harbour Wire) -",
    "Share this article",
    "Click to share on Facebook (Opens in new window)",
    "Related articles",
    "Storm closes coastal road for second time this month",
    "Council approves new harbour wall",
    "Leave a comment",
    "What is 3 + 4?",
    "Please enter the answer to the sum above.",
    "Please enable JavaScript to watch this video",
    "Sign up for our daily newsletter",
    "Photo: Coast Courier",
    "© 2026 Coast Courier Media",
}


@pytest.fixture(scope="module")
def ferry(compare_files):
    return compare_files([DATA / "compare" / "clutter_a.txt", DATA / "compare" / "clutter_b.txt"])


def test_clutter_is_marked_and_spans_still_index_it(ferry):
    check_evidence(ferry)
    marked = set()
    for article in ferry["articles"]:
        for span in article["boilerplate"]:
            marked.add(article["text"][span["start"] : span["end"]])
    assert marked >= CLUTTER, CLUTTER - marked


def test_no_claim_rests_on_clutter(ferry):
    claimed = [c["evidence"]["text"] for g in ferry["claims"] for c in g["claims"]]
    assert claimed
    assert not [t for t in claimed if any(piece in t for piece in CLUTTER)], claimed


def test_the_reports_still_compare(ferry):
    only = [c["evidence"]["text"] for g in ferry["claims"] if g["status"] == "only_in"
            for c in g["claims"]]
    assert any("three weeks" in t for t in only), only
    assert any("refunded" in t for t in only), only
    shared = [g for g in ferry["claims"] if g["status"] != "only_in"]
    assert any(any("cracks" in c["evidence"]["text"] for c in g["claims"]) for g in shared)


def test_video_titles_need_a_line_without_a_finite_verb(settings):
    from storyline.model import Article
    from storyline.nlp import build_pipeline
    from storyline.service.options import analysis_options

    text = (
        "Two people were hurt when the pier gave way on Monday, the port said.\n"
        "Lerrin Pier Collapse: Aerial Footage\n"
        "Pier Collapse Leaves Two Hurt in Lerrin\n"
        "Ilse Moran of the Port Authority said\n"
        "Repairs will take three weeks."
    )
    analysis = build_pipeline(analysis_options(settings), embed=False)(Article(id="v", text=text))
    lines = {}
    for s in analysis.sentences:
        line = text[: s.end].count("\n")
        lines[line] = lines.get(line, True) and s.boilerplate
    # a title without a finite verb is a video or link title; with one ("Leaves", "said") the
    # line is kept
    assert lines == {0: False, 1: True, 2: False, 3: False, 4: False}

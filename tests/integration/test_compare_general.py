"""The comparison on articles it was never tuned on: our fixtures and NewsWCL50's nine events."""

from __future__ import annotations

from collections import defaultdict

import pytest
from tests.conftest import DATA, check_evidence, shared_path

pytestmark = pytest.mark.slow

PAIRS = {
    # pair: (unit of the number conflict, the two amounts, upstream sources, speakers or None)
    "transfer": ("euro", {"38 million euros", "45 million euros"}),
    # "at least 23 people" and "31 people" are compatible: a lower bound, not a dispute.
    "quake": ("people", None),
    "ruling": ("crown", {"12 million crowns", "21 million crowns"}),
}


@pytest.fixture(scope="module", params=sorted(PAIRS))
def pair(request, compare_files):
    name = request.param
    files = [DATA / "compare" / f"{name}_a.txt", DATA / "compare" / f"{name}_b.txt"]
    return name, compare_files(files)


def test_pair_spans_and_sides(pair):
    name, data = pair
    assert check_evidence(data) > 10
    statuses = {g["status"] for g in data["claims"]}
    assert "shared" in statuses or "conflicting" in statuses
    only = {tuple(g["outlets"]) for g in data["claims"] if g["status"] == "only_in"}
    assert len(only) == 2, only  # each article has something the other lacks


def test_pair_number_conflict(pair):
    name, data = pair
    _, amounts = PAIRS[name]
    numbers = [d for d in data["disputes"] if d["kind"] == "number"]
    values = [{s["value"].replace("at least ", "") for s in d["sides"]} for d in numbers]
    if amounts is None:
        assert not [d for d in numbers if d["question"].startswith("how many people")], values
        return
    assert any(amounts <= {v for v in vs} or
               all(any(a.split()[0] in v for v in vs) for a in amounts) for vs in values), values


def test_pair_upstream_sources_differ(pair):
    name, data = pair
    ups = [{s["name"] for s in p["upstream"]} for p in data["provenance"]]
    assert all(ups), ups
    assert ups[0] != ups[1]


@pytest.fixture(scope="module")
def newswcl50_events(settings):
    from storyline.ingest import read_path
    from storyline.model import Article
    from storyline.service.options import read_options

    path = shared_path("data", "newswcl50", "articles.jsonl")
    events = defaultdict(list)
    for item in read_path(path, read_options(settings)):
        if isinstance(item, Article):
            events[item.get("story")].append(item)
    return events


def test_newswcl50_every_event_every_span(newswcl50_events, settings):
    from storyline import service
    from storyline.model import to_dict

    assert len(newswcl50_events) == 9
    for story, articles in sorted(newswcl50_events.items()):
        data = to_dict(service.compare(articles, settings))
        assert len(data["articles"]) == 5
        assert check_evidence(data) > 50, story
        assert any(g["status"] != "only_in" for g in data["claims"]), story
        assert data["entities"] and any(p["speakers"] for p in data["provenance"]), story

"""The founding example: two outlets' reports of one 10 Feb 2020 event (../shared/seeds)."""

from __future__ import annotations

import pytest
from tests.conftest import check_evidence, shared_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds(compare_files):
    folder = shared_path("seeds")
    return compare_files(sorted(folder.glob("*.txt")))


def _outlets(data):
    return [a["outlet"] for a in data["articles"]]


def _groups(data, *statuses):
    return [g for g in data["claims"] if g["status"] in statuses]


def _texts(group):
    return " ".join(c["evidence"]["text"] for c in group["claims"])


def _shared_with(data, *needles):
    """Multi-outlet claim groups whose every outlet's claims mention all needles."""
    hits = []
    for g in _groups(data, "shared", "conflicting"):
        by_outlet = {}
        for c in g["claims"]:
            by_outlet.setdefault(c["evidence"]["outlet"], "")
            by_outlet[c["evidence"]["outlet"]] += " " + c["evidence"]["text"]
        if len(by_outlet) >= 2 and all(
            all(n.lower() in t.lower() for n in needles) for t in by_outlet.values()
        ):
            hits.append(g)
    return hits


def _only_in(data, outlet, needle):
    return [
        g for g in _groups(data, "only_in")
        if g["outlets"] == [outlet] and needle.lower() in _texts(g).lower()
    ]


def test_same_event_and_every_span_checks(seeds):
    assert seeds["same_event"] >= 0.5
    assert check_evidence(seeds) > 30


def test_shared_facts(seeds):
    assert _shared_with(seeds, "15", "bases")
    assert _shared_with(seeds, "Erbil")
    assert _shared_with(seeds, "Parliament")  # the vote on the foreign troops


def test_vote_follows_the_killing_in_both(seeds):
    vote = _shared_with(seeds, "Parliament")
    text = " ".join(_texts(g) for g in vote)
    assert "airstrike that killed" in text and "targeted assassination" in text


def test_base_spellings_are_one_place(seeds):
    spellings = [{v["spelling"] for v in e["variants"]} for e in seeds["entities"]]
    assert any({"Ayn al-Asad", "Ein al-Assad"} <= s for s in spellings), spellings
    assert any(
        {"Security and Defence Commission", "Security and Defense Commission"} <= s
        for s in spellings
    )


def test_the_mp_is_the_source_in_both(seeds):
    for p in seeds["provenance"]:
        names = [s["name"] for s in p["speakers"]]
        assert any("Qameni" in n for n in names), (p["outlet"], names)


def test_upstream_sources_differ(seeds):
    first, second = _outlets(seeds)
    up = {p["outlet"]: [s["name"] for s in p["upstream"]] for p in seeds["provenance"]}
    assert any("Baghdad Today" in n for n in up[first]), up
    assert any("al-Ahd" in n for n in up[second]), up
    kinds = {(d["kind"], frozenset(s["value"] for s in d["sides"])) for d in seeds["disputes"]}
    assert any(k == "source" and any("Baghdad Today" in v for v in vals) for k, vals in kinds)


def test_motion_vs_resolution(seeds):
    found = [
        d for d in seeds["disputes"]
        if d["kind"] == "characterisation"
        and {s["normalized"] for s in d["sides"]} == {"non-binding motion", "resolution"}
    ]
    assert found


def test_airstrike_vs_assassination(seeds):
    pairs = [
        {(t["term"], t["loaded"]) for t in w["terms"]} for w in seeds["wording"]
    ]
    assert any(
        ("airstrike that killed", False) in p and ("targeted assassination", True) in p
        for p in pairs
    ), pairs


def test_facts_only_in_the_first(seeds):
    first = _outlets(seeds)[0]
    for needle in ("Pompeo", "Esper", "Saudi Arabia", "retaliatory"):
        assert _only_in(seeds, first, needle), needle


def test_facts_only_in_the_second(seeds):
    second = _outlets(seeds)[1]
    for needle in ("Abdul Mahdi", "cancel a request", "the resolution read", "foreign instructors"):
        assert _only_in(seeds, second, needle), needle


def test_the_general_is_described_and_linked(seeds):
    soleimani = [e for e in seeds["entities"]
                 if any("Soleimani" in v["spelling"] for v in e["variants"])]
    assert soleimani
    descriptions = {d["spelling"] for e in soleimani for d in e["descriptions"]}
    assert "a top Iranian general" in descriptions, descriptions

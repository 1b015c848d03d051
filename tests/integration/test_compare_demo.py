"""The bundled demo event: every feature its README lists is found, with checkable evidence."""

from __future__ import annotations

import pytest
from tests.conftest import check_evidence

from storyline.interfaces.cli import demo_event_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(compare_files):
    files = demo_event_files()
    assert len(files) == 4
    return compare_files(files)


def _conflicts(data, kind):
    return [{s["value"] for s in d["sides"]} for d in data["disputes"] if d["kind"] == kind]


def test_spans_and_statuses(demo):
    assert check_evidence(demo) > 100
    assert demo["same_event"] >= 0.6
    statuses = {g["status"] for g in demo["claims"]}
    assert statuses == {"shared", "only_in", "conflicting"}
    every = [g for g in demo["claims"] if len(g["outlets"]) == 4]
    assert len(every) >= 3  # the evacuation, the rain, the rescues, the gates, the protest


def test_number_and_date_conflicts(demo):
    numbers = _conflicts(demo, "number")
    assert any({"11 people", "16 people"} <= {v.replace("at least ", "") for v in n}
               for n in numbers), numbers
    # The evidence span carries the qualifier: "About 4,200 families".
    assert any({"about 4,200 families", "some 2,700 families"} <= {v.lower() for v in n}
               for n in numbers), numbers
    assert any({"9 March", "11 March"} <= d for d in _conflicts(demo, "date"))


def test_denial_and_characterisation(demo):
    denials = [d for d in demo["disputes"] if d["kind"] == "denial"]
    assert any("denied" in {s["value"] for s in d["sides"]} for d in denials)
    assert any({"ban", "temporary suspension"} <= c for c in _conflicts(demo, "characterisation"))


def test_same_quote_different_speakers(demo):
    speakers = _conflicts(demo, "speaker")
    assert any({"Samira Nassif", "Ibrahim al-Rashidi"} <= s for s in speakers), speakers


def test_spelling_variants(demo):
    spellings = [{v["spelling"] for v in e["variants"]} for e in demo["entities"]]
    for variants in (
        {"Ibrahim al-Rashidi", "Ebrahim al-Rasheedi", "Ibrahim el-Rashidi"},
        {"Tariq Mansour", "Tarek Mansur", "Tareq Mansour"},
        {"Deir al-Saqr", "Deir el-Sakr", "Dayr al-Saqr"},
        {"Civil Defence Directorate", "Civil Defense Directorate"},
    ):
        assert any(variants <= s for s in spellings), variants


def test_each_outlet_cites_its_own_source(demo):
    upstream = {p["outlet"]: {s["name"] for s in p["upstream"]} for p in demo["provenance"]}
    expected = {"Meridian Wire", "Sirran Courier", "Radio Peregrine", "HANA"}
    found = set().union(*upstream.values())
    assert expected <= found, upstream
    assert all(len(names & expected) == 1 for names in upstream.values()), upstream


def test_loaded_wording(demo):
    terms = [{(t["term"], t["loaded"]) for t in w["terms"]} for w in demo["wording"]]
    assert any(("mob", True) in t and ("protesters", False) in t for t in terms), terms
    assert any(("regime", True) in t and ("government", False) in t for t in terms), terms
    assert any(("crackdown", True) in t and ("security operation", False) in t for t in terms)


def test_facts_only_one_outlet_reports(demo):
    only = {}
    for g in demo["claims"]:
        if g["status"] == "only_in":
            only.setdefault(g["outlets"][0], []).append(g["claims"][0]["evidence"]["text"])
    assert any("1979" in t for t in only.get("harbourtimes.example", [])), only
    assert any("30,000 homes" in t for t in only.get("continentaldispatch.example", []))
    assert any("November" in t for t in only.get("freevalleyvoice.example", []))
    assert any("50 tonnes" in t for t in only.get("nationalobserver.example", []))

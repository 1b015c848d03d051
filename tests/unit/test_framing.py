"""Wording findings on hand-built analyses with invented sentences (no models)."""

from __future__ import annotations

from tests.unit.test_only_in import _article

from storyline.compare import compare_analyses
from storyline.model import AnalyzedArticle


def _wording(a: AnalyzedArticle, b: AnalyzedArticle) -> list[dict]:
    c = compare_analyses([a, b])
    return [
        {(t.outlet, t.term, t.loaded, t.evidence.text) for t in w.terms} for w in c.wording
    ]


def test_aligned_loaded_and_neutral_terms_cite_both_spans():
    a = _article(["Police dispersed the mob outside the town hall."], [0], "one.example")
    b = _article(["Police dispersed the protesters outside the town hall."], [0], "two.example")
    (terms,) = _wording(a, b)
    assert terms == {
        ("one.example", "mob", True, "mob"),
        ("two.example", "protesters", False, "protesters"),
    }


def test_a_loaded_term_both_outlets_use_is_no_difference():
    a = _article(["Police dispersed the mob outside the town hall."], [0], "one.example")
    b = _article(
        ["Police dispersed the protesters outside the town hall.", "Later the mob came back."],
        [0, 1],
        "two.example",
    )
    assert _wording(a, b) == []


def test_adjectival_alleged_is_not_loaded_speech():
    a = _article(["The alleged gunman was arrested on Friday."], [0], "one.example")
    b = _article(["The gunman was arrested on Friday, police said."], [0], "two.example")
    assert _wording(a, b) == []


def test_riot_helmets_describe_gear_not_a_crowd():
    a = _article(["Police officers in riot helmets lined the square."], [0], "one.example")
    b = _article(["Police officers lined the square as a crowd gathered."], [0], "two.example")
    assert _wording(a, b) == []


def test_babe_learned_word_with_its_counterpart():
    a = _article(["The senator slammed the new harbour tax on Tuesday."], [0], "one.example")
    b = _article(["The senator criticized the new harbour tax on Tuesday."], [0], "two.example")
    (terms,) = _wording(a, b)
    assert ("one.example", "slammed", True, "slammed") in terms
    assert ("two.example", "criticized", False, "criticized") in terms


def test_story_wide_finding_needs_a_neutral_span_elsewhere():
    a = _article(["The regime closed the border.", "Trade fell."], [0, 1], "one.example")
    b = _article(["Shops shut early.", "Ferries stopped."], [2, 3], "two.example")
    assert _wording(a, b) == []  # nothing in b names a government: no counterpart to cite
    c = _article(["Shops shut early.", "The government met."], [2, 3], "three.example")
    (terms,) = _wording(a, c)
    assert {t[1] for t in terms} == {"regime", "government"}


def test_two_named_governments_are_two_referents():
    a = _article(["The Iranian regime denied it.", "Talks went on."], [0, 1], "one.example")
    b = _article(["Shops shut early.", "The Trump administration met."], [2, 3], "two.example")
    assert _wording(a, b) == []
    c = _article(["Shops shut early.", "Iran's government met."], [2, 3], "three.example")
    (terms,) = _wording(a, c)
    assert {t[1] for t in terms} == {"regime", "government"}


def test_claimed_the_attack_is_an_act_not_a_statement():
    a = _article(["The group claimed the attack on the base."], [0], "one.example")
    b = _article(["The group said it carried out the attack on the base."], [0], "two.example")
    assert _wording(a, b) == []
    c = _article(["The group claimed the base was empty."], [0], "three.example")
    d = _article(["The group said the base was empty."], [0], "four.example")
    (terms,) = _wording(c, d)
    assert {(t[1], t[2]) for t in terms} == {("claimed", True), ("said", False)}

"""The comparison's rules on hand-built analyses (no models): names, lexicon, conflicts."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.compare import compare_analyses, lexicon
from storyline.errors import CompareError
from storyline.model import AnalyzedArticle, Article, Mention, Quantity, Sentence
from storyline.nlp.names import is_part_of, match_rule, translit_key


@pytest.mark.parametrize(
    ("a", "b", "rule"),
    [
        ("Ayn al-Asad", "Ein al-Assad", "transliteration"),
        ("Ain al-Asad", "Ein al-Assad", "transliteration"),
        ("Qasem Soleimani", "Qassem Soleimani", "transliteration"),
        ("Security and Defence Commission", "Security and Defense Commission", "spelling"),
        ("World Health Organisation", "World Health Organization", "spelling"),
        ("the Pentagon", "Pentagon", "exact"),
        ("Iran", "Iraq", None),
        ("Ali", "Ela", None),
        ("Mike Pompeo", "Mark Esper", None),
    ],
)
def test_name_rules(a, b, rule):
    assert match_rule(a, b) == rule


def test_short_forms_and_keys():
    assert is_part_of("Soleimani", "Qasem Soleimani")
    assert not is_part_of("Qasem", "Qasem Soleimani")
    assert translit_key("Kasr el-Noor") == translit_key("Qasr al-Nur")


def test_lexicon_prefers_the_longest_term():
    classes = lexicon.load("characterisations")
    hits = lexicon.find_terms("MPs backed a non-binding motion, not a law.", classes)
    assert [h.term for h in hits if h.cls == "legislative_act"] == ["non-binding motion", "law"]
    loaded = lexicon.load("wording")
    terms = {h.term for h in lexicon.find_terms("a US targeted assassination", loaded)}
    assert terms == {"targeted assassination"}


def _article(text: str, sentences: list[str], vectors: np.ndarray, outlet: str,
             mentions=(), quantities=()) -> AnalyzedArticle:
    spans, pos = [], 0
    for i, s in enumerate(sentences):
        start = text.index(s, pos)
        spans.append(Sentence(i, start, start + len(s)))
        pos = start + len(s)
    return AnalyzedArticle(
        article=Article(id=f"a{outlet}", text=text, outlet=outlet),
        sentences=tuple(spans),
        mentions=tuple(mentions),
        quantities=tuple(quantities),
        vectors=vectors.astype(np.float32),
    )


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_number_conflict_and_only_in_from_alignment():
    s1 = ["Floods killed 12 people in Harlow.", "The mayor resigned."]
    s2 = ["Floods killed 17 people in Harlow.", "Schools will reopen on Monday."]
    a = _article(" ".join(s1), s1, np.stack([_unit(1, 0, 0), _unit(0, 1, 0)]), "one.example",
                 quantities=[Quantity(14, 23, "12 people", 12, "people", 0)])
    b = _article(" ".join(s2), s2, np.stack([_unit(1, 0.1, 0), _unit(0, 0, 1)]), "two.example",
                 quantities=[Quantity(14, 23, "17 people", 17, "people", 0)])
    c = compare_analyses([a, b])
    statuses = sorted(g.status.value for g in c.claims)
    assert statuses == ["conflicting", "only_in", "only_in"]
    (dispute,) = c.disputes
    assert dispute.kind.value == "number"
    assert {s.value for s in dispute.sides} == {"12 people", "17 people"}
    assert [g.disputes for g in c.claims if g.status.value == "conflicting"] == [(dispute.id,)]
    assert dispute.group == next(g.id for g in c.claims if g.status.value == "conflicting")
    for side in dispute.sides:
        (evidence,) = side.evidence
        assert evidence.text == side.value  # the span is the value itself
        assert evidence.start >= evidence.sentence_start
        assert side.independent == 1


def test_unrelated_sentences_do_not_align():
    s1, s2 = ["A bridge closed."], ["A singer toured."]
    a = _article(s1[0], s1, np.stack([_unit(1, 0)]), "x.example")
    b = _article(s2[0], s2, np.stack([_unit(0, 1)]), "y.example")
    c = compare_analyses([a, b])
    assert [g.status.value for g in c.claims] == ["only_in", "only_in"]
    assert c.same_event < 0.3


def test_merged_entities_say_their_rule():
    s1, s2 = ["Troops stay at Ayn al-Asad."], ["Troops stay at Ein al-Assad."]
    a = _article(s1[0], s1, np.stack([_unit(1, 0)]), "x.example",
                 mentions=[Mention(15, 26, "Ayn al-Asad", "FAC", 0, translit_key("Ayn al-Asad"))])
    b = _article(s2[0], s2, np.stack([_unit(1, 0)]), "y.example",
                 mentions=[Mention(15, 27, "Ein al-Assad", "PERSON", 0,
                                   translit_key("Ein al-Assad"))])
    c = compare_analyses([a, b])
    (entity,) = c.entities
    assert entity.rule == "transliteration"
    assert set(entity.spellings) == {"Ayn al-Asad", "Ein al-Assad"}


def test_one_article_is_not_a_comparison():
    s = ["Only one."]
    with pytest.raises(CompareError):
        compare_analyses([_article(s[0], s, np.stack([_unit(1)]), "x.example")])


def _two_reports(first: str, second: str) -> list:
    """Two outlets whose one sentence each aligns (the same vector): what they dispute."""
    a = _article(first, [first], np.stack([_unit(1, 0, 0)]), "one.example")
    b = _article(second, [second], np.stack([_unit(1, 0.05, 0)]), "two.example")
    return [(d.question, sorted(s.value.lower() for s in d.sides))
            for d in compare_analyses([a, b]).disputes]


def test_how_it_happened_is_a_characterisation():
    shot = "The airliner was shot down minutes after take-off, officials said."
    fire = "The airliner crashed minutes after take-off because of an engine fire, officials said."
    assert _two_reports(shot, fire) == [
        ("what brought the aircraft down", ["engine fire", "shot down"])
    ]
    # a plural names no other way of setting bombs off than a singular
    belts = "Two suicide bombers set off their explosives among the mourners, the ministry said."
    remote = "A remote-controlled bomb went off among the mourners, the ministry said."
    assert _two_reports(belts, remote) == [
        ("how the bombs were set off", ["remote-controlled", "suicide bombers"])
    ]


def test_an_outlet_that_names_both_ways_disputes_neither():
    both = ("Officials first blamed an engine fire; the airliner was shot down, officials "
            "later said.")
    fire = "The airliner crashed minutes after take-off because of an engine fire, officials said."
    assert _two_reports(both, fire) == []


def test_a_term_said_not_to_apply_answers_nothing():
    deliberate = "Investigators said the derailment was deliberate, the railway board said."
    accidental = "Investigators said the derailment was accidental, the railway board said."
    denied = "Investigators said the derailment was not accidental, the railway board said."
    assert _two_reports(deliberate, accidental) == [
        ("whether it was an accident or deliberate", ["accidental", "deliberate"])
    ]
    assert _two_reports(deliberate, denied) == []


def test_a_kind_of_strike_and_the_wider_kind_it_belongs_to_agree():
    drone = "A drone strike hit the fuel depot outside the port overnight, the governor said."
    air = "An airstrike hit the fuel depot outside the port overnight, the governor said."
    blast = "A blast hit the fuel depot outside the port overnight, the governor said."
    shells = "Shelling hit the fuel depot outside the port overnight, the governor said."
    assert _two_reports(drone, air) == []
    assert _two_reports(blast, shells) == []
    assert _two_reports(air, shells) == [("what kind of strike", ["airstrike", "shelling"])]


def test_stages_one_person_passes_through_are_no_dispute_alternatives_are():
    arrested = "The driver was arrested at the scene on Friday, the police chief said."
    charged = "The driver was charged at the scene on Friday, the police chief said."
    questioned = "The driver was questioned at the scene on Friday, the police chief said."
    assert _two_reports(arrested, charged) == []
    assert _two_reports(arrested, questioned) == [
        ("what happened to the person", ["arrested", "questioned"])
    ]


def test_every_compatible_pair_names_two_senses_of_its_class():
    from storyline.compare import lexicon

    for cls in lexicon.load("characterisations"):
        senses = set(cls.sense.values())
        for pair in cls.compatible:
            assert len(pair) == 2 and pair <= senses, (cls.name, sorted(pair))



@pytest.mark.parametrize(
    ("credit", "describes"),
    [("Officials in Marlow", True), ("Health authorities in Marlow", True),
     ("Officials", True), ("Arno Vells", False), ("Marlow Police Chief Arno Vells", False)],
)
def test_a_group_named_by_its_common_noun_describes_even_first_in_a_sentence(credit, describes):
    from storyline.compare.credits import described

    assert described(credit) is describes


def test_a_term_naming_the_kit_kept_for_such_events_names_no_event():
    gear = "Police in riot gear came and the crowd was pushed back from the square, officials said."
    clash = "A clash broke out and the crowd was pushed back from the square, officials said."
    riot = "A riot broke out and the crowd was pushed back from the square, officials said."
    assert _two_reports(gear, clash) == []
    assert _two_reports(riot, clash) == [("what kind of unrest", ["clash", "riot"])]

"""What a story's several scenes, moments and voices are not: counts at one venue, hours of a
sequence, days of a find or a death, figures told in passing, a person beside a body, ages
written after a name, a medium's descriptor. Invented reports; each test has a control that
makes the finding."""

from __future__ import annotations

import pytest
from tests.integration.test_compare_tolls import _article, _times, _tolls

from storyline import service
from storyline.model import DisputeKind

pytestmark = pytest.mark.slow


def _kind(articles, settings, kind) -> list:
    return [d for d in service.compare(articles, settings).disputes if d.kind == kind]


def _beside(kind, told, quiet, control, settings) -> None:
    """``quiet`` beside ``told`` makes no dispute of ``kind``; ``control`` beside it one."""
    assert _kind([told, quiet], settings, kind) == []
    assert len(_kind([told, control], settings, kind)) == 1


def _parts_of(total: str, parts: tuple[str, ...], control: str, settings) -> None:
    """Each part beside the total makes no toll dispute; the control beside it makes one."""
    told = _article("a.example", total)
    for part in parts:
        assert _tolls([told, _article("b.example", part)], settings) == [], part
    assert len(_tolls([told, _article("b.example", control)], settings)) == 1


def test_a_count_at_one_venue_and_those_who_died_on_the_way_are_parts(settings):
    _parts_of("Fifteen people were killed, the coast guard said.",
              ("Seven people were killed at Lucky Pins, including one woman, police said.",
               "Two people died while being transported to hospitals."),
              "Seven people were killed, including one woman, police said.", settings)


def test_two_hours_in_one_sentence_are_a_sequence_not_the_hour(settings):
    told = _article("b.example", "The shooting began at 6:56 p.m., officials said.")
    sequence = _article("a.example", "Police said the shooting began shortly before 7 p.m. at "
                        "the pier, followed by more shooting at a bar around 8 p.m.")
    assert _times([sequence, told], settings) == []
    control = _article("a.example", "Police said the shooting began around 8 p.m. at a bar.")
    assert len(_times([control, told], settings)) == 1


@pytest.mark.parametrize("later", [
    "Divers located the wreck of the ferry on Saturday after the storm.",
    "Earlier Saturday, local authorities confirmed the ferry sank in the storm.",
    "The port said the captain of the ferry died on Saturday in the storm.",
])
def test_the_day_of_a_find_a_confirmation_or_a_death_is_not_the_day_of_the_event(settings,
                                                                                 later):
    sank = _article("a.example", "The ferry sank on Friday in the storm.")
    control = _article("b.example", "The ferry sank on Saturday in the storm.")
    _beside(DisputeKind.DATE, sank, _article("b.example", later), control, settings)


def test_a_person_and_a_body_saying_one_thing_are_no_speaker_dispute(settings):
    said = "said the gunman should be considered armed and dangerous."
    person = _article("a.example", f"Col. Mara Quint of the Orvane State Police {said}")
    body = _article("b.example", f"Orvane Police {said}")
    control = _article("b.example", f"Ivo Marsh {said}")
    _beside(DisputeKind.SPEAKER, person, body, control, settings)


def test_a_figure_told_in_passing_is_not_credited_to_the_speaker(settings):
    coroner = _article("b.example", "Coroner Dana Pell announced 15 deaths.")
    passing = _article("a.example", "Governor Ilan Varo said the storm that killed 15 people "
                       "was the worst in decades.")
    assert _kind([passing, coroner], settings, DisputeKind.SPEAKER) == []
    control = _article("a.example", "Governor Ilan Varo said 15 people were killed.")
    (credit,) = _kind([control, coroner], settings, DisputeKind.SPEAKER)
    assert credit.question == "who gave the figure of 15 dead"


def test_ages_written_after_a_name_are_read_at_their_own_span(settings):
    articles = [
        _article("a.example", "Among the dead was Nicole Varga, 28: she ran the harbour cafe. "
                 "Tomas Verran, 52, was the ferry's cook."),
        _article("b.example", "The harbour cafe was run by Nicole Varga. Nicole Varga was 27. "
                 "The cook, Tomas Verran, 53, was also killed."),
    ]
    ages = [d for d in service.compare(articles, settings).disputes
            if d.question.startswith("how old")]
    values = {d.question: {s.normalized: set(s.outlets) for s in d.sides} for d in ages}
    assert values == {
        "how old Nicole Varga is": {"28 years": {"a.example"}, "27 years": {"b.example"}},
        "how old Tomas Verran is": {"52 years": {"a.example"}, "53 years": {"b.example"}}}
    texts = {a.id: a.text for a in articles}
    for d in ages:
        for side in d.sides:
            for ev in side.evidence:
                assert ev.text == side.normalized.split()[0]
                assert texts[ev.article_id][ev.start : ev.end] == ev.text


def test_a_media_descriptor_alone_is_no_upstream_source(settings):
    articles = [
        _article("a.example", "State TV then announced that the captain had died."),
        _article("b.example", "Al Arabiya TV then announced that the captain had died."),
    ]
    upstream = {u.name for p in service.compare(articles, settings).provenance
                for u in p.upstream}
    assert upstream == {"Al Arabiya"}


def test_a_partial_toll_and_one_morgue_s_count_are_not_the_total(settings):
    _parts_of("At least 130 people died in the heat, the ministry said.",
              ("A senior official gave a partial toll of 57 deaths for the two hottest days.",
               "The Harbour morgue, the largest in the city, recorded a total of 55 deaths."),
              "The ministry said 57 people died in the heat.", settings)


def test_a_nation_s_people_told_as_the_subject_of_a_count_of_deaths_are_its_count(settings):
    articles = [
        _article("a.example", "Officials said that Varskians accounted for 58 deaths."),
        _article("b.example", "Among the dead were more than 60 Varskians, officials said."),
    ]
    numbers = [d for d in service.compare(articles, settings).disputes
               if d.kind == DisputeKind.NUMBER]
    assert [{s.value for s in d.sides} for d in numbers] == [
        {"58 deaths", "more than 60 Varskians"}]

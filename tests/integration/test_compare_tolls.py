"""Casualty tolls read from every outlet at once (compare/tolls.py), on invented reports."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline import service
from storyline.model import Article, DisputeKind

pytestmark = pytest.mark.slow

# Each outlet words its lead its own way: shared wording would make them copies of one text.
LEADS = {
    "a.example": "A ferry capsized on Lake Orvane on Friday evening during a storm.",
    "b.example": "Storm winds overturned a passenger boat crossing Lake Orvane late on Friday.",
    "c.example": "The Orvane ferry went down in heavy weather at the end of last week.",
    "d.example": "Heavy seas sank a crowded vessel on the lake, local authorities reported.",
}


def _article(outlet: str, *sentences: str) -> Article:
    text = " ".join([LEADS[outlet], *sentences])
    return Article(id=outlet, text=text, outlet=outlet, language="en")


def _tolls(articles, settings) -> list:
    c = service.compare(articles, settings)
    return [d for d in c.disputes if d.kind == DisputeKind.NUMBER and "killed" in d.question]


def test_tolls_in_sentences_that_never_align_make_one_dispute(settings):
    articles = [
        _article("a.example", "The death toll stood at 48 on Saturday, the coast guard said."),
        _article("b.example", "Rescuers pulled survivors from the water. The coast guard said "
                 "the number of deaths stood at 48."),
        _article("c.example", "Police later said 41 were killed and dozens more are missing."),
        _article("d.example", "Officials gave a toll on Sunday. The toll is 41."),
    ]
    (toll,) = _tolls(articles, settings)
    values = {s.normalized.split()[0]: set(s.outlets) for s in toll.sides}
    assert values == {"48": {"a.example", "b.example"}, "41": {"c.example", "d.example"}}
    for side in toll.sides:
        for ev in side.evidence:
            assert ev.text == next(a for a in articles if a.id == ev.article_id).text[
                ev.start : ev.end]


def test_parts_other_occasions_and_quotes_are_not_the_toll(settings):
    articles = [
        _article("a.example", "At least 48 people were killed, including 12 children."),
        _article("b.example", "The ferry sank with 48 people dead. In 2019 a similar accident "
                 "on the lake killed 17 people."),
        _article("c.example", "The toll rose to 48. Of those, 30 people died at the scene."),
        _article("d.example", "Forty-eight people died, officials said. \"I saw two people "
                 "drown next to me,\" a survivor said. Nine people were also killed on a "
                 "second boat. The list of the dead includes one teacher."),
    ]
    assert _tolls(articles, settings) == []


def test_a_toll_counted_at_one_place_is_not_the_total(settings):
    articles = [
        _article("a.example", "The storm killed 48 people across the region."),
        _article("b.example", "The storm killed 48 people in all."),
        _article("c.example", "In Varsk district, 9 people were killed."),
        _article("d.example", "The storm killed 11 people in Varsk district, police said."),
    ]
    disputes = _tolls(articles, settings)
    assert len(disputes) == 1  # Varsk: 9 against 11; the region's 48 is undisputed
    assert {s.normalized.split()[0] for s in disputes[0].sides} == {"9", "11"}


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # the small English model tags a bare "288" here as a facility name
        ("The death toll climbed up to 288 on Saturday.", ("288", 288.0, None, None)),
        # "climbed up to" is where the toll went, not a ceiling
        ("The toll went up to 31 overnight, police said.", ("31", 31.0, None, None)),
        ("Up to 31 people may have died.", ("Up to 31 people", 31.0, None, 31.0)),
        # a hyphenated number the tokenizer splits in three
        ("Forty-eight people died.", ("Forty-eight people", 48.0, None, None)),
    ],
)
def test_counts_a_toll_is_written_with(settings, text, read):
    (q,) = service.analyse(Article(id="x", text=text, language="en"), settings).quantities
    assert (q.text, q.value, q.low, q.high) == read


def test_a_group_of_the_dead_is_its_own_question(settings):
    articles = [
        _article("a.example", "The ferry sank and 48 people were killed, including 12 children."),
        _article("b.example", "At least 48 people died, officials said, including 15 children."),
        _article("c.example", "In all 48 were killed. Among the dead were 15 children."),
    ]
    (children,) = [d for d in service.compare(articles, settings).disputes
                   if "children" in d.question]
    assert {s.normalized.split()[0]: set(s.outlets) for s in children.sides} == {
        "12": {"a.example"}, "15": {"b.example", "c.example"}}


def test_a_toll_given_for_a_moment_is_not_disputed_by_a_later_one(settings):
    articles = [
        _article("a.example", "As of Saturday noon, officials said 30 people were killed."),
        _article("b.example", "The coast guard said 48 people were killed."),
        _article("c.example", "As of writing, 48 people are known to have died."),
    ]
    assert _tolls(articles, settings) == []  # "as of writing" is the current figure: it agrees


def test_a_place_written_with_its_kind_or_country_is_one_place_and_named(settings):
    articles = [
        _article("a.example", "The storm killed 48 people across the region."),
        _article("b.example", "In Varsk district, 9 people were killed."),
        _article("c.example", "Police said 11 people were killed in Norland's Varsk."),
        _article("d.example", "Varsk suffered the worst of it with 11 fatalities. Norland is "
                 "a small country."),
    ]
    (varsk,) = _tolls(articles, settings)
    assert varsk.question.endswith("in Varsk") or "Varsk" in varsk.question
    assert {s.normalized.split()[0] for s in varsk.sides} == {"9", "11"}


def test_a_capital_named_for_its_country_is_not_the_country(settings):
    articles = [
        _article("a.example", "In Mexico, 230 people were killed, officials said."),
        _article("b.example", "In Mexico City, 49 people were killed when buildings fell."),
        _article("c.example", "Officials said 94 people were killed in Mexico City. The "
                 "quake came less than two weeks after another one left 90 dead in the south."),
    ]
    tolls = _tolls(articles, settings)
    assert [d.question for d in tolls] == ["how many people were killed in Mexico City"]
    assert {s.normalized.split()[0] for s in tolls[0].sides} == {"49", "94"}


def test_who_live_in_a_place_or_were_taken_to_hospital_are_no_toll_and_no_crowd(settings):
    articles = [
        _article("a.example", "About 16,000 people were in the flooding zone, the mayor said."),
        _article("b.example", "Dunmere, a city of some 300,000 people, lies downstream. Some "
                 "98 people have been taken to hospitals, the mayor said."),
        _article("c.example", "In the flooding zone, 16 000 people waited for boats."),
    ]
    numbers = [d for d in service.compare(articles, settings).disputes
               if d.kind == DisputeKind.NUMBER]
    assert numbers == []


def test_a_place_that_names_the_event_scopes_nothing(settings):
    articles = [
        _article("a.example", "At least 48 people died in the Orvane ferry disaster."),
        _article("b.example", "The coast guard said 41 people were killed."),
    ]
    (toll,) = _tolls(articles, settings)
    assert toll.question == "how many people were killed"
    assert {s.normalized.split()[0] for s in toll.sides} == {">=", "41"}


def _times(articles, settings) -> list:
    return [d for d in service.compare(articles, settings).disputes
            if d.kind == DisputeKind.TIME]


def test_the_hour_of_the_event_is_read_from_every_outlet(settings):
    articles = [
        _article("a.example", "The ferry capsized at 6:30 pm, the coast guard said."),
        _article("b.example", "Passengers boarded in the afternoon. The accident happened at "
                 "about 6:30 pm near the pier."),
        _article("c.example", "Survivors were taken to hospital. Witnesses said the boat "
                 "sank shortly after 7:45 pm."),
        _article("d.example", "Rescuers arrived at 9 pm and the search went on until midnight."),
    ]
    (hour,) = _times(articles, settings)
    assert hour.question.startswith("at what time")
    assert {s.normalized: set(s.outlets) for s in hour.sides} == {
        "18:30": {"a.example", "b.example"}, "19:45": {"c.example"}}


def test_the_hour_of_one_of_several_incidents_is_asked_by_its_ordinal(settings):
    articles = [
        _article("a.example", "The first explosion occurred at 6:10 pm. The second one "
                 "followed ten minutes later."),
        _article("b.example", "The first blast hit the boat at 6:25 pm."),
        _article("c.example", "The second explosion came at 6:40 pm."),
        _article("d.example", "One of the blasts went off at 7 pm."),
    ]
    (hour,) = _times(articles, settings)
    assert hour.question == "at what time the first blast happened"
    assert {s.normalized: set(s.outlets) for s in hour.sides} == {
        "18:10": {"a.example"}, "18:25": {"b.example"}}


def test_the_depth_of_the_event_is_one_question_and_a_tolls_hour_is_no_event_hour(settings):
    articles = [
        _article("a.example", "The ferry capsized at 6:30 pm. The sonar put the wreck at a "
                 "depth of 18.5 km, an official said."),
        _article("b.example", "The wreck lies about 18 kilometres (11 miles) below the surface."),
        _article("c.example", "Divers found it at a depth of approximately 8 kilometers. The "
                 "ministry's updated toll was issued on Saturday at 10 pm."),
    ]
    disputes = service.compare(articles, settings).disputes
    (deep,) = [d for d in disputes if d.question == "how deep it was"]
    assert {frozenset(s.outlets) for s in deep.sides} == {
        frozenset({"a.example", "b.example"}), frozenset({"c.example"})}
    assert _times(articles, settings) == []


def test_hours_of_what_happened_around_the_event_are_not_its_hour(settings):
    articles = [
        _article("a.example", "The ferry capsized at 6:30 pm, the coast guard said."),
        _article("b.example", "The family visited the pier around 3 p.m. and left at 4 p.m."),
        _article("c.example", "Rescuers arrived at 9 pm. Officials said a second boat sank "
                 "at 8 pm."),
        _article("d.example", "The first responders reached the scene of the accident at "
                 "7:10 pm. At 7:25 pm, at the site of the accident, divers found the hull."),
    ]
    assert _times(articles, settings) == []


def test_distances_from_one_place_are_one_question_in_any_unit(settings):
    articles = [
        _article("a.example", "The pier lies about 400 kilometres north of Dunmere."),
        _article("b.example", "The lake is approximately 250 miles from Dunmere, the capital."),
        _article("c.example", "Rescuers drove to the shore, 520 km from Dunmere, overnight."),
        _article("d.example", "Officials said the lake is five kilometres from the border with "
                 "Varsk, and boats from Varskan ports joined the search 9 km from Varsk."),
    ]
    (far,) = [d for d in service.compare(articles, settings).disputes if "how far" in d.question]
    assert far.question == "how far from Dunmere it is"
    # 250 miles is about 400 km; one outlet's two distances from Varsk are no dispute
    assert {frozenset(s.outlets) for s in far.sides} == {
        frozenset({"a.example", "b.example"}), frozenset({"c.example"})}


def test_the_one_place_most_outlets_name_is_the_site_not_a_part(settings):
    articles = [
        _article("a.example", "The pier at Harrow Quay was crowded. The toll stood at 48."),
        _article("b.example", "Families gathered at Harrow Quay overnight. Officials said at "
                 "least 52 people died at Harrow Quay."),
        _article("c.example", "Harrow Quay was closed on Saturday. The coast guard said 48 "
                 "people were killed."),
    ]
    (toll,) = _tolls(articles, settings)  # 52 at the quay everyone names is the total
    assert toll.question == "how many people were killed"
    assert {frozenset(s.outlets) for s in toll.sides} == {
        frozenset({"a.example", "c.example"}), frozenset({"b.example"})}


def test_identified_bodies_and_one_countrys_share_are_not_counts_to_dispute(settings):
    articles = [
        _article("a.example", "The bodies of 17 foreigners killed in the sinking were "
                 "identified on Sunday."),
        _article("b.example", "The coast guard said 9 foreigners were killed in the sinking."),
        _article("c.example", "The ferry was carrying 10 people from Varsk when it sank."),
        _article("d.example", "The ferry was carrying 48 people when it sank."),
    ]
    disputes = service.compare(articles, settings).disputes
    assert not [d for d in disputes if d.kind == DisputeKind.NUMBER and (
        "foreigner" in d.question or d.question == "how many people")]



def test_a_sides_evidence_is_the_body_sentence_where_the_headline_says_it_too(settings):
    title = "Ferry sinks on Lake Orvane, killing 41 people"
    body = (f"World\n\n{title}\n\nDUNMERE — The Orvane ferry went down in heavy weather on "
            "Friday, killing 41 people, the coast guard said.")
    articles = [
        Article(id="c.example", text=body, outlet="c.example", language="en", title=title),
        # (told as a plain figure: "climbed to 48" would make the 41 an earlier count)
        _article("a.example", "The death toll was 48 on Saturday, the coast guard said."),
        _article("b.example", "The coast guard said the number of deaths stood at 48."),
    ]
    (toll,) = _tolls(articles, settings)
    (ev,) = [e for s in toll.sides for e in s.evidence if e.article_id == "c.example"]
    assert body[ev.start : ev.end] == "41 people" and ev.start > body.index("DUNMERE")


def test_a_breakdown_by_place_gives_each_place_its_count(settings):
    articles = [
        _article("a.example", "Police said 12 people were killed in Varsk and 30 in Dunmere."),
        _article("b.example", "The storm killed 9 people in Varsk district, police said."),
        _article("c.example", "In Dunmere, 30 people were killed."),
        _article("d.example", "The storm killed 42 people in all, police said."),
    ]
    disputes = _tolls(articles, settings)
    assert len(disputes) == 1  # Varsk: 12 against 9; Dunmere's 30 and the total agree
    assert {s.normalized.split()[0] for s in disputes[0].sides} == {"12", "9"}
    assert "Varsk" in disputes[0].question


def test_a_capacity_the_survivors_and_those_aboard_with_the_crew_are_no_dispute(settings):
    """What the ferry could carry, the one left out of "all but one", and the passengers
    counted with the crew each count something else than the passengers aboard or killed."""
    articles = [
        _article("a.example", "The ferry, which can normally carry a total of 120 passengers, "
                 "went down with all aboard."),
        _article("b.example", "The ferry was carrying 52 passengers and crew when it sank."),
        _article("c.example", "There were 52 people on board, including 44 passengers and 8 "
                 "crew members. All but one passenger were killed."),
        _article("d.example", "The coast guard said 44 passengers were aboard, and 51 "
                 "passengers were killed."),
    ]
    assert [d.question for d in service.compare(articles, settings).disputes
            if d.kind == DisputeKind.NUMBER] == []


def test_a_nation_s_people_are_counted_apart_from_all_aboard(settings):
    articles = [
        _article("a.example", "The ferry carried 31 Varskian nationals, 9 Dunmeran citizens and "
                 "one Orvish passenger along with 4 crew members."),
        _article("b.example", "The ferry, carrying 41 passengers including Orvish and Varskian "
                 "tourists, sank."),
        _article("c.example", "Among the dead were 33 Varskians, the coast guard said."),
    ]
    assert [d.question for d in service.compare(articles, settings).disputes
            if d.kind == DisputeKind.NUMBER] == []


def test_a_war_s_toll_beside_one_incident_s_is_another_question(settings):
    articles = [
        _article("a.example", "Police said 48 people were injured in the sinking."),
        _article("b.example", "The coast guard said 30 people were injured in the sinking."),
        _article("c.example", "It came as the war's toll surpassed 3,000. More than 9,100 have "
                 "been injured."),
        _article("d.example", "The ministry said the toll of the war has climbed to 3,012, with "
                 "9,350 wounded."),
    ]
    disputes = [d for d in service.compare(articles, settings).disputes
                if d.kind == DisputeKind.NUMBER]
    assert [sorted(s.normalized.split()[0] for s in d.sides) for d in disputes] == [
        ["30", "48"]]


def test_the_day_of_something_planned_is_not_the_day_of_the_event(settings):
    articles = [
        _article("a.example", "Two suicide bombers struck a crowd outside the harbour gate on "
                 "Thursday, killing 12 people, officials said."),
        _article("b.example", "Two suicide bombers struck a crowd outside the harbour gate, "
                 "where people waited before the final withdrawal of the garrison, set for "
                 "Tuesday."),
        _article("c.example", "The harbour gate was bombed by two suicide bombers on Thursday."),
    ]
    assert [d.question for d in service.compare(articles, settings).disputes
            if d.kind == DisputeKind.DATE] == []


def test_two_descriptions_of_one_body_are_no_speaker_dispute(settings):
    """"Varskian health officials" and "Health authorities in Varsk" describe, not name: either
    may be the other, so giving one figure under both credits disputes nobody."""
    articles = [
        _article("a.example", "At least 48 people were killed and more than 30 injured in the "
                 "sinking, Varskian health officials said."),
        _article("b.example", "Health authorities in Varsk said the sinking had killed 41 people "
                 "and injured 30."),
        _article("c.example", "The coast guard said 41 people were killed."),
    ]
    disputes = service.compare(articles, settings).disputes
    assert [d.kind for d in disputes] == [DisputeKind.NUMBER]



def _dated(outlet: str, sentence: str, day: int) -> Article:
    """An outlet's report (its own lead) published on ``day`` May 2024."""
    return Article(id=outlet, text=f"{LEADS[outlet]} {sentence}", outlet=outlet,
                   language="en", published=datetime(2024, 5, day))


def test_a_toll_told_as_superseded_or_summed_over_a_year_is_no_answer(settings):
    now = _dated("a.example", "Seventy-nine people were killed when the ferry sank.", 4)
    for told in ("Earlier, the radio station reported about 59 dead.",
                 "An initial toll of 32 dead was given by the port authority.",
                 "More than 120 people have died on the lake's ferries this year."):
        assert _tolls([now, _dated("b.example", told, 4)], settings) == [], told
    control = "About 59 people were killed when the ferry sank, the radio station said."
    assert len(_tolls([now, _dated("b.example", control, 4)], settings)) == 1


def test_a_toll_told_as_risen_is_a_count_in_motion(settings):
    risen = _dated("a.example", "The death toll has risen to 61, the coast guard said.", 4)
    plain = _dated("b.example", "Fifty-two people were killed, the coast guard said.", 4)
    assert _tolls([risen, plain], settings) == []
    # both told as risen: two moments of one count, whichever is the latest
    later = _dated("b.example", "The toll climbed to 52 by the evening, the coast guard said.", 4)
    assert _tolls([risen, later], settings) == []
    # controls: a figure told as a correction; two figures told plainly
    revised = _dated("b.example", "The toll was revised down to 52, the coast guard said.", 4)
    assert len(_tolls([risen, revised], settings)) == 1
    control = _dated("a.example", "Sixty-one people were killed, the coast guard said.", 4)
    assert len(_tolls([control, plain], settings)) == 1


def test_a_toll_given_as_three_figures_is_a_count_in_motion(settings):
    three = [_dated("a.example", "Forty-one people were killed, the coast guard said.", 4),
             _dated("b.example", "The coast guard said 48 people were killed.", 4),
             _dated("c.example", "Police said 55 people were killed in the sinking.", 5)]
    # three figures: moments of one count as the bodies were found, not a dispute
    assert _tolls(three, settings) == []
    # controls: two figures, even a day apart (nothing tells a rise from an error); a figure
    # told as revised
    assert len(_tolls(three[:2], settings)) == 1
    assert len(_tolls([three[0], three[2]], settings)) == 1
    revised = _dated("d.example", "The coast guard later revised the toll down to 41.", 5)
    assert len(_tolls([*three, revised], settings)) == 1


def test_the_rest_of_a_count_is_a_part_of_it(settings):
    articles = [
        _dated("a.example", "Divers found two bodies. The other four passengers are presumed "
               "dead.", 4),
        _dated("b.example", "Six passengers were killed, the coast guard said.", 4),
    ]
    assert _tolls(articles, settings) == []

"""A story told as moments and measures: the hours of a flight's last moments, a toll beside
those still missing or caught while rising, a count another outlet gives as one town's part,
a depth or a length in other units, a plane's model, a speaker with and without his rank, and
a claim of a deed that names no source. Invented reports; each test has
a control that makes the finding."""

from __future__ import annotations

import pytest
from tests.integration.test_compare_scenes import _beside, _kind
from tests.integration.test_compare_tolls import _article, _times, _tolls

from storyline import service
from storyline.model import Article, DisputeKind

pytestmark = pytest.mark.slow

# A flight's crash told by each outlet in its own words (shared wording makes copies).
FLIGHT = {
    "a.example": "A passenger jet of Orvane Air crashed on landing at Tessel airport on Sunday.",
    "b.example": "Fire engulfed an airliner that skidded off the runway at Tessel this weekend.",
    "c.example": "Dozens died when a flight from Marlbeck came down at the coastal airport.",
}


def _flight(outlet: str, *sentences: str) -> Article:
    return Article(id=outlet, text=" ".join([FLIGHT[outlet], *sentences]), outlet=outlet,
                   language="en")


def _toll_beside(told: Article, quiet: Article, control: Article, settings) -> None:
    """``quiet`` beside ``told`` makes no toll dispute; ``control`` beside it makes one."""
    assert _tolls([told, quiet], settings) == []
    assert len(_tolls([told, control], settings)) == 1


def _values(dispute) -> list[str]:
    return sorted(s.value for s in dispute.sides)


def test_a_number_word_framed_by_what_befell_them_is_a_count(settings):
    told = _article("a.example", "The storm killed three and injured eight others, police said.")
    other = _article("b.example", "Three people died and five were injured, police said.")
    injured = [d for d in _kind([told, other], settings, DisputeKind.NUMBER)
               if "injured" in d.question]
    assert len(injured) == 1
    same = _article("b.example", "Three people died and eight were injured, police said.")
    assert not [d for d in _kind([told, same], settings, DisputeKind.NUMBER)
                if "injured" in d.question]


def test_a_toll_beside_the_missing_is_no_other_toll(settings):
    final = _article("a.example", "Officials said 179 people were killed in the sinking.")
    early = _article("b.example", "In all, 176 people were killed, three remain missing, and two "
                     "crew members were rescued.")
    control = _article("b.example", "In all, 176 people were killed and two crew members were "
                       "rescued.")
    _toll_beside(final, early, control, settings)


def test_two_missing_counts_that_add_up_to_one_toll_agree(settings):
    a = _article("a.example", "The coast guard said 176 people were killed and three are "
                 "missing.")
    b = _article("b.example", "The ministry confirmed the deaths of 177 people, with two people "
                 "remaining missing.")
    missing = [d for d in _kind([a, b], settings, DisputeKind.NUMBER)
               if "missing" in d.question]
    assert missing == []
    c = _article("b.example", "The ministry confirmed the deaths of 177 people, with twelve "
                 "people remaining missing.")
    assert len([d for d in _kind([a, c], settings, DisputeKind.NUMBER)
                if "missing" in d.question]) == 1


def test_a_count_with_more_told_after_it_is_a_part(settings):
    told = _article("a.example", "Police said five women and one man were killed.")
    part = _article("b.example", "Four women and a man died on the pier and another woman "
                    "later died in hospital, police said.")
    control = _article("b.example", "Four women and a man died, police said.")
    _toll_beside(told, part, control, settings)


def test_a_toll_caught_while_rising_is_an_earlier_count_of_a_higher_one(settings):
    later = _article("a.example", "At least 95 people have died, the coast guard said.")
    rising = _article("b.example", "According to officials, the death toll has risen to 72.")
    control = _article("b.example", "According to officials, 72 people have died.")
    _toll_beside(later, rising, control, settings)


def test_a_toll_told_at_an_hour_of_a_day_is_that_hours_count(settings):
    later = _article("a.example", "At least 95 people have died, the coast guard said.")
    then = _article("b.example", "By Wednesday afternoon, 73 people were confirmed dead.")
    control = _article("b.example", "On the island, 73 people were confirmed dead.")
    _toll_beside(later, then, control, settings)


def test_a_figure_another_outlet_gives_as_one_towns_part_is_that_part(settings):
    total = _article("a.example", "At least 95 people have died, the coast guard said. Most of "
                     "these deaths - 92 - have come in the port of Riverton.")
    part = _article("b.example", "Officials have reported an increase in the death toll to 92.")
    assert _tolls([total, part], settings) == []
    alone = _article("a.example", "At least 95 people have died, the coast guard said.")
    assert len(_tolls([alone, part], settings)) == 1


def test_one_hour_in_two_zones_is_no_sequence(settings):
    a = _flight("a.example", "The accident happened at 9.07am local time (8.07am Singapore "
                "time), the agency said.")
    b = _flight("b.example", "The jet crashed at 9:03 a.m. local time while landing.")
    assert _values(_times([a, b], settings)[0]) == ["9.07am local time", "9:03 a.m. local time"]
    same = _flight("b.example", "The jet crashed at 9:07 a.m. local time while landing.")
    assert _times([a, same], settings) == []


def test_a_flights_departure_mayday_and_due_arrival_are_questions_of_their_own(settings):
    a = _flight("a.example", "The aircraft departed from Marlbeck at 1.30 am and was scheduled "
                "to land in Tessel at 8.30 am.",
                "The pilot declared a mayday at 8:58 a.m. and attempted to land at 9:00 a.m.")
    b = _flight("b.example", "The plane had taken off from Marlbeck and was scheduled to touch "
                "down around 8:20 a.m.",
                "The pilot declared a mayday at 8:59 a.m., the ministry said.")
    c = _flight("c.example", "The plane took off from Marlbeck shortly after 2 a.m. local time "
                "with 181 people on board.")
    questions = sorted(d.question for d in _times([a, b, c], settings))
    assert questions == ["at what time it departed", "at what time it was due to arrive",
                         "at what time the mayday was declared"]
    b2 = _flight("b.example", "The plane had taken off from Marlbeck and was scheduled to touch "
                 "down around 8:30 a.m.",
                 "The pilot declared a mayday at 8:58 a.m., the ministry said.")
    c2 = _flight("c.example", "The plane took off from Marlbeck at 1.30 am local time with 181 "
                 "people on board.")
    assert _times([a, b2, c2], settings) == []


def test_the_hour_a_flights_signal_was_lost_is_not_its_departure(settings):
    a = _flight("a.example", "The flight departed from Marlbeck at 11:50 a.m. local time.")
    b = _flight("b.example", "The plane departed from Marlbeck and was on its way to Tessel "
                "when its signal dropped around 1:30 p.m.")
    assert [d.question for d in _times([a, b], settings)] == []
    c = _flight("c.example", "Radar lost contact with the plane at 1:20 p.m., the agency said.")
    (lost,) = _times([a, b, c], settings)
    assert lost.question == "at what time contact with it was lost"
    # control: a second departure hour is a dispute
    d = _flight("b.example", "The plane departed from Marlbeck at 12:40 p.m. local time.")
    assert [x.question for x in _times([a, d], settings)] == ["at what time it departed"]


def test_a_plane_that_went_down_at_an_hour_crashed_then_and_a_calls_hour_is_not_the_events(
        settings):
    a = _flight("a.example", "The plane crashed at around 1:30 p.m. local time near Tessel.")
    b = _flight("b.example", "A passenger airplane went down near Tessel at 2 p.m. local time "
                "on Sunday.")
    (hour,) = _times([a, b], settings)
    assert hour.question == "at what time the crash happened"
    assert _values(hour) == ["1:30 p.m. local time", "2 p.m. local time"]
    # the hour of a call whose words are quoted is the call's: "people are collapsing"
    call = _flight("b.example", "At 2pm: \u201cThe crowd is pushing and people are "
                   "collapsing,\u201d "
                   "a caller told the police.")
    assert _times([a, call], settings) == []


def test_a_depth_in_metres_and_a_length_in_feet_are_compared_as_written(settings):
    shallow = _article("a.example", "The wreck lies three km below the surface of the lake.")
    deep = _article("b.example", "Divers reached the wreck, situated 3,800 meters beneath the "
                    "surface.")
    depth = _kind([shallow, deep], settings, DisputeKind.NUMBER)
    assert [d.question for d in depth] == ["how deep it was"]
    rounded = _article("a.example", "The wreck lies four km below the surface of the lake.")
    assert _kind([rounded, deep], settings, DisputeKind.NUMBER) == []
    long = _article("a.example", "Army engineers completed a 190-ft-long Bailey bridge to the "
                    "island on Thursday.")
    short = _article("b.example", "Soldiers raised a 120-foot bridge across the channel in "
                     "just over a day.")
    length = _kind([long, short], settings, DisputeKind.NUMBER)
    assert [d.question for d in length] == ["how long the bridge is"]
    same = _article("b.example", "Soldiers raised a 190-foot bridge across the channel in just "
                    "over a day.")
    assert _kind([long, same], settings, DisputeKind.NUMBER) == []
    knife = _article("a.example", "The attacker roamed the pier with a 30cm kitchen knife.")
    small = _article("b.example", "Police said the man was armed with a 15cm hunting knife.")
    assert [d.question for d in _kind([knife, small], settings, DisputeKind.NUMBER)] == [
        "how long the knife is"]
    away = _article("b.example", "Police said the man was 15km away when he was caught.")
    assert _kind([knife, away], settings, DisputeKind.NUMBER) == []


def test_a_distance_rounded_to_tens_of_miles_agrees_with_its_kilometres(settings):
    km = _article("a.example", "The port is 288 kilometers southwest of Marlbeck.")
    miles = _article("b.example", "The port is located 180 miles south of Marlbeck.")
    assert _kind([km, miles], settings, DisputeKind.NUMBER) == []
    far = _article("b.example", "The port is located 250 miles south of Marlbeck.")
    assert len(_kind([km, far], settings, DisputeKind.NUMBER)) == 1


def test_a_distance_with_its_miles_in_brackets_from_a_place_and_its_kind_is_read(settings):
    a = _article("a.example", "The epicentre was 18 kilometres (11 miles) south of Marlbeck "
                 "City, the survey said.")
    b = _article("b.example", "The quake struck about 25km south-southeast of Marlbeck County "
                 "Hall.")
    c = _article("c.example", "Its epicentre was 18km south-southwest of the eastern "
                 "county of Marlbeck.")
    (far,) = _kind([a, b, c], settings, DisputeKind.NUMBER)
    assert far.question == "how far from Marlbeck City it is"
    assert [s.outlets for s in far.sides] == [("a.example", "c.example"), ("b.example",)]
    # south-southwest and south-southeast are 45 degrees apart: one rough direction
    assert _kind([a, b, c], settings, DisputeKind.CHARACTERISATION) == []


def test_who_was_aboard_is_one_question_per_group_however_it_is_told(settings):
    a = _flight("a.example", "The plane was carrying 58 passengers and four crew.")
    b = _flight("b.example", "The jet crashed with 57 passengers and four crew members on board.")
    c = _flight("c.example", "The crash killed all 62 people on board, the airline said.")
    d = _article("d.example", "Initial reports said 61 people were on board.")
    numbers = _kind([a, b, c, d], settings, DisputeKind.NUMBER)
    assert sorted(n.question for n in numbers) == [
        "how many passengers were on board", "how many people were on board"]
    (passengers,) = [n for n in numbers if "passengers" in n.question]
    assert [s.outlets for s in passengers.sides] == [("a.example",), ("b.example",)]
    # an outlet giving two figures answers nothing; a capacity is no count aboard
    twice = _flight("b.example", "Early reports said 58 passengers, later corrected to 57.")
    room = _flight("b.example", "The aircraft has a capacity of 68 passengers.")
    for other in (twice, room):
        assert not [n for n in _kind([a, other], settings, DisputeKind.NUMBER)
                    if "passengers" in n.question], other.text


def test_two_models_of_one_plane_are_a_dispute(settings):
    a = _flight("a.example", "The aircraft was a Boeing 737-800, the airline said.")
    b = _flight("b.example", "Flight 2216, a Boeing 737, skidded off the runway while landing.")
    c = _flight("c.example", "The Boeing 787-800 burst into flames after crashing.")
    models = _kind([a, b, c], settings, DisputeKind.CHARACTERISATION)
    assert [d.question for d in models] == ["which Boeing model the aircraft was"]
    assert [s.outlets for s in models[0].sides] == [("a.example", "b.example"), ("c.example",)]
    assert _kind([a, b], settings, DisputeKind.CHARACTERISATION) == []


def test_a_speaker_with_and_without_his_rank_is_one_speaker(settings):
    said = "said the debris was consistent with a catastrophic implosion of the vessel."
    full = _article("a.example", f"Rear Admiral John Mauger of the coast guard {said}")
    short = _article("b.example", f"Rear Adm Mauger further {said}")
    other = _article("b.example", f"Captain Ivo Marsh further {said}")
    _beside(DisputeKind.SPEAKER, full, short, other, settings)


def test_the_day_a_company_spoke_is_not_the_day_of_the_loss(settings):
    lost = _article("a.example", "The submersible went missing on Sunday with five people on "
                    "board.")
    spoke = _article("b.example", "The operator of the submersible, which went missing with "
                     "five people, on Thursday said that all five were believed to be dead.")
    control = _article("b.example", "The submersible went missing on Thursday with five people "
                       "on board, the operator said.")
    _beside(DisputeKind.DATE, lost, spoke, control, settings)


def test_a_claim_of_the_deed_and_a_description_name_no_source_or_speaker(settings):
    a = _article("a.example", "The attack has been claimed by the Islamic State group, which "
                 "published a video.", "The minister said the festival would not go on.",
                 "Initial reports said the attacker fled into the crowd.",
                 "Mayor Ilse Brandt said the town was in shock.")
    b = _article("b.example", "The group claimed responsibility, according to its Amaq news "
                 "agency.")
    c = service.compare([a, b], settings)
    provenance = {p.outlet: p for p in c.provenance}
    assert [s.name for s in provenance["a.example"].upstream] == []
    assert [s.name for s in provenance["a.example"].speakers] == ["Ilse Brandt"]
    assert [s.name for s in provenance["b.example"].upstream] == ["Amaq"]


def test_a_page_in_another_language_is_left_out_not_fatal(settings):
    a = _article("a.example", "Officials said 12 people were killed.")
    b = _article("b.example", "Police said 12 people died.")
    other = Article(id="it", outlet="it.example", language="it",
                    text="È di almeno 12 morti il numero delle vittime del naufragio nel lago, "
                    "secondo i dati ufficiali diffusi ieri sera dalla protezione civile.")
    c = service.compare([a, b, other], settings)
    assert [x.outlet for x in c.articles] == ["a.example", "b.example"]


def test_a_hotline_misprinted_by_one_digit_is_a_dispute_and_two_lines_are_not(settings):
    a = _article("a.example", "The regional government has made a hotline available at "
                 "900365112 for inquiries about missing persons.")
    b = _article("b.example", "Police asked people to phone 9006 5112 to report relatives who "
                 "are missing.")
    (line,) = _kind([a, b], settings, DisputeKind.CHARACTERISATION)
    assert line.question == "which number to call about the missing"
    assert _values(line) == ["900365112", "9006 5112"]
    other = _article("b.example", "Police asked people to phone 112 400 7788 to report "
                     "relatives who are missing.")
    assert _kind([a, other], settings, DisputeKind.CHARACTERISATION) == []


def test_a_quakes_magnitude_is_each_outlets_largest(settings):
    a = _article("a.example", "The magnitude-7.6 earthquake toppled houses along the coast.",
                 "A 4.9 magnitude aftershock followed on Tuesday.")
    b = _article("b.example", "The quake, with a preliminary magnitude of 7.4, later upgraded to "
                 "7.6, set off tsunami warnings.")
    c = _article("c.example", "A major 7.5 magnitude earthquake struck the region on New "
                 "Year's Day.")
    (magnitude,) = [d for d in _kind([a, b, c], settings, DisputeKind.NUMBER)
                    if "magnitude" in d.question]
    assert [s.outlets for s in magnitude.sides] == [("a.example", "b.example"), ("c.example",)]
    assert not [d for d in _kind([a, b], settings, DisputeKind.NUMBER)
                if "magnitude" in d.question]


def test_an_earlier_quakes_magnitude_makes_no_second_magnitude_row(settings):
    a = _article("a.example", "A 7.4 magnitude earthquake struck the coast on Wednesday.")
    b = _article("b.example", "It was the strongest quake since a 7.2-magnitude temblor killed "
                 "2,400 people in 1999. A 7.4 magnitude earthquake hit the island.")
    c = _article("c.example", "The magnitude 7.4 earthquake set off tsunami warnings.")
    assert not [d for d in _kind([a, b, c], settings, DisputeKind.NUMBER)
                if "magnitude" in d.question]
    # control: an outlet whose largest is another figure still disputes the story's magnitude
    d = _article("d.example", "A 7.2 magnitude earthquake struck the coast on Wednesday.")
    (magnitude,) = [x for x in _kind([a, c, d], settings, DisputeKind.NUMBER)
                    if "magnitude" in x.question]
    assert magnitude.question == "what magnitude the quake had"


def test_the_hour_and_day_of_a_count_or_of_what_was_seen_after_are_no_questions(settings):
    a = _article("a.example", "More than 30,000 homes were without power as of 2pm on "
                 "Thursday, the utility said.",
                 "An aerial view of the harbour is seen on Wednesday morning after the storm.")
    b = _article("b.example", "Some 33,300 homes were out of power as of 3:35 p.m. Wednesday, "
                 "according to the utility.",
                 "As Tuesday dawned, helicopters flew over the harbour after the storm.")
    found = service.compare([a, b], settings).disputes
    assert [d for d in found if d.kind in (DisputeKind.DATE, DisputeKind.TIME)] == []
    c = _article("b.example", "The harbour was seen by divers on Tuesday, after the storm.",
                 "The ferry sank on Thursday in the storm.")
    d = _article("a.example", "The ferry sank on Friday in the storm.")
    assert len(_kind([d, c], settings, DisputeKind.DATE)) == 1


def test_a_babys_age_in_months_is_its_own_question_beside_a_count_in_its_sentence(settings):
    a = _article("a.example", "Eight others remain in hospital, including a nine-month-old "
                 "baby, police said.")
    b = _article("b.example", "Nine people were taken to hospital, including an 11-month-old "
                 "baby whose mother died.")
    questions = sorted(d.question for d in _kind([a, b], settings, DisputeKind.NUMBER))
    assert questions == ["how many people are being treated", "how old the baby was"]
    age = next(d for d in _kind([a, b], settings, DisputeKind.NUMBER) if "old" in d.question)
    assert sorted(s.normalized for s in age.sides) == ["11 months", "9 months"]
    same = _article("b.example", "Nine people were taken to hospital, including a nine-month-old "
                    "baby whose mother died.")
    assert [d.question for d in _kind([a, same], settings, DisputeKind.NUMBER)] == [
        "how many people are being treated"]


@pytest.mark.parametrize(("told", "other", "control"), [
    # a dateline is the day the report was filed
    ("Marlbeck, 2nd August 2024: After 31 hours of work, soldiers finished the bridge over the "
     "river.", "Soldiers finished the bridge over the river on August 1, 2024.",
     "After 31 hours of work, soldiers finished the bridge over the river on August 2, 2024."),
    # the day of the disaster named before it is the disaster's, not the bridge's
    ("Soldiers finished the bridge to the villages, which were hit by landslides on Tuesday.",
     "Soldiers finished the bridge to the villages on Thursday.",
     "Soldiers finished the bridge to the villages on Tuesday."),
    # a return is a journey's end, not the day a decision was made
    ("The prime minister cut short his visit and returned to the capital on Wednesday.",
     "The prime minister on Tuesday decided to cut short his visit.",
     "The prime minister on Wednesday decided to cut short his visit."),
])
def test_a_dateline_a_disaster_and_a_return_date_no_other_event(settings, told, other,
                                                                  control):
    a, b = _article("a.example", told), _article("b.example", other)
    assert _kind([a, b], settings, DisputeKind.DATE) == []
    assert len(_kind([_article("a.example", control), b], settings, DisputeKind.DATE)) == 1


def test_two_days_of_one_return_dispute(settings):
    a = _article("a.example", "The prime minister cut short his visit and returned to the "
                 "capital on Wednesday.")
    b = _article("b.example", "The prime minister cut short his visit and returned to the "
                 "capital on Monday.")
    assert len(_kind([a, b], settings, DisputeKind.DATE)) == 1

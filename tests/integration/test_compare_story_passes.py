"""Story passes beside the tolls (compare/states.py, distances.py, ages.py) and the bounds of a
date, on invented reports."""

from __future__ import annotations

import pytest
from tests.integration.test_compare_tolls import LEADS, _article, _dated

from storyline import service
from storyline.compare.titles import same_title_text, title_of
from storyline.model import Article, DisputeKind

pytestmark = pytest.mark.slow

WEDNESDAY = 15  # May 2024, the day ``_dated`` reports are published on



def _states(articles, settings) -> list:
    return [d for d in service.compare(articles, settings).disputes
            if d.question.startswith("whether") and d.kind == DisputeKind.CHARACTERISATION]


def test_whether_anyone_claimed_it_is_read_from_every_outlet(settings):
    articles = [
        _article("a.example", "Responsibility for the sinking was claimed by the Orvane Front "
                 "in a statement."),
        _article("b.example", "Divers searched the wreck. No group has claimed responsibility "
                 "for the sinking, but ferries have been attacked on the lake since 1989."),
        _article("c.example", "Police suspect sabotage; nobody has yet claimed responsibility."),
        _article("d.example", "The Orvane Front, which often claims responsibility for attacks "
                 "on ferries, was silent."),
    ]
    (claimed,) = _states(articles, settings)
    assert claimed.question == "whether anyone claimed responsibility for it"
    assert {s.normalized: frozenset(s.outlets) for s in claimed.sides} == {
        "claimed": frozenset({"a.example"}),
        "not claimed": frozenset({"b.example", "c.example"})}
    for side in claimed.sides:
        for ev in side.evidence:
            text = next(a for a in articles if a.id == ev.article_id).text
            assert "responsibility" in text[ev.start : ev.end].lower()


def test_a_first_hours_no_claim_or_one_before_a_later_claim_is_no_side(settings):
    claim = _article("a.example", "The Orvane Front claimed responsibility on Sunday for the "
                     "sinking on Friday, in a statement.")
    early = _article("b.example", "There was no immediate claim of responsibility.")
    plain = _article("c.example", "No group has claimed responsibility for the sinking.")
    assert _states([claim, early], settings) == []
    assert _states([claim, plain], settings) == []  # the claim came two days after
    same_day = _article("a.example", "The Orvane Front claimed responsibility in a statement.")
    assert len(_states([same_day, plain], settings)) == 1


def test_a_rescue_over_and_a_rescue_under_way_are_a_dispute_of_outlets_only(settings):
    articles = [
        _article("a.example", "The rescue operation has been called off, police said."),
        _article("b.example", "The rescue operation is still under way, police said."),
        _article("c.example", "Rescue work is going on at the pier. The rescue operation has "
                 "been completed, the mayor said."),
    ]
    (rescue,) = _states(articles, settings)
    assert {s.normalized: frozenset(s.outlets) for s in rescue.sides} == {
        "over": frozenset({"a.example", "c.example"}),
        "under way": frozenset({"b.example", "c.example"})}
    # an end told on a day or at an hour came after the reports of the rescue under way
    ended = _article("a.example", "The rescue operation was wrapped up on Sunday afternoon.")
    assert _states([ended, articles[1]], settings) == []
    one_outlet = [articles[2]]
    assert _states([*one_outlet, Article(
        id="e.example", text=LEADS["d.example"], outlet="e.example", language="en")],
        settings) == []


def test_directions_from_one_place_that_cannot_be_one_bearing_are_a_dispute(settings):
    articles = [
        _article("a.example", "The lake lies about 400 kilometres northeast of Dunmere."),
        _article("b.example", "The lake is some 250 miles north of Dunmere, the capital."),
        _article("c.example", "Rescuers drove to the shore, 500 km west of Dunmere."),
    ]
    (where,) = [d for d in service.compare(articles, settings).disputes
                if "direction" in d.question]
    assert where.question == "in which direction from Dunmere it is"
    assert {s.normalized: frozenset(s.outlets) for s in where.sides} == {
        "northeast": frozenset({"a.example", "b.example"}), "west": frozenset({"c.example"})}


def test_the_age_of_one_named_person_or_the_one_attacker_is_one_question(settings):
    articles = [
        _article("a.example", "The 34-year-old gunman fled the pier. Police named the "
                 "captain as Tomas Verran, 52, of Dunmere."),
        _article("b.example", "Witnesses said the gunman, a 35-year-old former sailor, had "
                 "argued with the crew. Captain Tomas Verran, 52, survived."),
        _article("c.example", "The attacker, a 34-year-old local man, was arrested. A "
                 "7-year-old boy and a 9-year-old boy were hurt."),
    ]
    disputes = [d for d in service.compare(articles, settings).disputes
                if d.question.startswith("how old")]
    assert [d.question for d in disputes] == ["how old the gunman was"]
    assert {s.normalized: frozenset(s.outlets) for s in disputes[0].sides} == {
        "34 years": frozenset({"a.example"}), "35 years": frozenset({"b.example"})}


def test_a_deadline_is_no_day_of_the_event_and_an_inquiry_asserts_nothing(settings):
    articles = [
        _article("a.example", "The exemptions were set to expire at 12:01 a.m. on Tuesday."),
        _article("b.example", "The ministry had until the end of Monday to decide on the "
                 "exemptions."),
        _article("c.example", "The harbour master denied there was any sabotage of the ferry."),
        _article("d.example", "Investigators want to inquire about possible sabotage of the "
                 "ferry by its owners."),
    ]
    kinds = {d.kind for d in service.compare(articles, settings).disputes}
    assert not kinds & {DisputeKind.DATE, DisputeKind.DENIAL}


def test_two_offices_for_one_person_are_a_dispute_but_a_part_or_a_past_one_is_not(settings):
    articles = [
        _article("a.example", "Chief Minister Arno Vells visited the pier on Saturday."),
        _article("b.example", "Arno Vells, the chief minister of Orvane, met the families."),
        _article("c.example", "Prime Minister Arno Vells said the search would go on."),
        _article("d.example", "The inquiry was ordered by chief minister Arno Vells. Former "
                 "Governor Ida Mott and Governor Ida Mott's deputy attended; Minister Ida Mott "
                 "spoke."),
    ]
    disputes = [d for d in service.compare(articles, settings).disputes
                if d.question.startswith("which office")]
    assert [d.question for d in disputes] == ["which office Arno Vells holds"]
    assert {s.normalized: frozenset(s.outlets) for s in disputes[0].sides} == {
        "chief minister": frozenset({"a.example", "b.example", "d.example"}),
        "prime minister": frozenset({"c.example"})}


@pytest.mark.parametrize(("written", "title"), [
    ("CM ", "chief minister"), ("Lt. Col. ", "lieutenant colonel"),
    ("former police Sgt. ", "former sergeant"), ("Premier ", "prime minister"),
    ("the farmer ", None)])
def test_titles_are_read_with_their_abbreviations(written, title):
    assert title_of(written + "Arno Vells", len(written)) == title


def test_a_part_of_a_title_or_a_past_one_agrees_two_offices_do_not():
    assert same_title_text("minister", "foreign minister")
    assert same_title_text("former governor", "minister")
    assert not same_title_text("chief minister", "prime minister")
    assert not same_title_text("sergeant", "lieutenant colonel")


def test_one_toll_figure_credited_to_two_officials_is_a_speaker_dispute(settings):
    articles = [
        _article("a.example", "The toll rose to 48, coast guard commander Ilse Marrow said."),
        _article("b.example", "Governor Petra Lind said 48 people were killed in the sinking."),
        _article("c.example", "The coast guard's commander, Ilse Marrow, said on Sunday that "
                 "48 were killed."),
        _article("d.example", "Officials said at least 48 people died, he said."),
    ]
    disputes = [d for d in service.compare(articles, settings).disputes
                if d.kind == DisputeKind.SPEAKER]
    assert [d.question for d in disputes] == ["who gave the figure of 48 dead"]
    assert {frozenset(s.outlets) for s in disputes[0].sides} == {
        frozenset({"a.example", "c.example"}), frozenset({"b.example"})}


def _assert_exact(dispute, articles) -> None:
    """Every evidence span of the dispute is its article's exact text."""
    for side in dispute.sides:
        for ev in side.evidence:
            text = next(a for a in articles if a.id == ev.article_id).text
            assert text[ev.start : ev.end] == ev.text


def _involvement(articles, settings) -> list:
    return [d for d in service.compare(articles, settings).disputes
            if d.kind == DisputeKind.DENIAL and d.question.endswith("was behind it")]


def test_an_accusation_and_the_accused_partys_denial_are_one_dispute(settings):
    articles = [
        _article("a.example", "Officials in Lisbon blamed Spain for the sinking of the ferry."),
        _article("b.example", "Spain has denied any involvement in the sinking."),
        _article("c.example", "The Spanish government said it had nothing to do with it. "
                 "Divers said the ferry may have been hit by a Spanish-based smuggling boat."),
        _article("d.example", "There is no evidence that Spain was involved, divers said."),
    ]
    (accused,) = _involvement(articles, settings)
    assert accused.question == "whether Spain was behind it"
    assert {s.normalized: frozenset(s.outlets) for s in accused.sides} == {
        "involved": frozenset({"a.example", "c.example"}),
        "denies": frozenset({"b.example", "c.example"})}
    _assert_exact(accused, articles)


def test_blame_cast_on_two_parties_accuses_each(settings):
    articles = [
        _article("a.example", "An official in Lisbon blamed Morocco and the United States "
                 "for the sinking."),
        _article("b.example", "Blame was cast on the United States and Morocco by the port "
                 "authority."),
        _article("c.example", "Washington has rejected suggestions of its involvement."),
    ]
    (accused,) = _involvement(articles, settings)
    assert accused.question == "whether the United States was behind it"
    assert {s.normalized: frozenset(s.outlets) for s in accused.sides} == {
        "involved": frozenset({"a.example", "b.example"}), "denies": frozenset({"c.example"})}


def _culprits(articles, settings) -> list:
    return [d for d in service.compare(articles, settings).disputes
            if d.question.startswith("who was behind it")]


def test_a_denier_blaming_the_other_party_asks_which_of_them_was_behind_it(settings):
    articles = [
        _article("a.example", "Portugal accused Spain of blowing up the harbour dam."),
        _article("b.example", "Spain denied any involvement and blamed Portugal for the "
                 "destruction of the dam."),
        _article("c.example", "The dam was destroyed in an act of sabotage by the Spanish side, "
                 "officials in Lisbon said."),
        _article("d.example", "Madrid rejected the accusations. The Spanish defence ministry "
                 "accused Portugal of staging the blast."),
    ]
    (culprit,) = _culprits(articles, settings)
    assert culprit.question == "who was behind it: Portugal or Spain"
    assert culprit.kind == DisputeKind.CHARACTERISATION
    assert {s.normalized: frozenset(s.outlets) for s in culprit.sides} == {
        "Spain": frozenset({"a.example", "c.example"}),
        "Portugal": frozenset({"b.example", "d.example"})}
    _assert_exact(culprit, articles)


def test_two_parties_blamed_by_one_accuser_are_no_culprit_dispute(settings):
    """Blame laid on two parties by the same accuser (the attackers' sponsor and their haven)
    is one answer, not two: only a denier who blames the other back opens the question."""
    articles = [
        _article("a.example", "Portugal blamed Spain and Morocco for the raid on the harbour."),
        _article("b.example", "Spain denied any involvement in the raid."),
        _article("c.example", "Morocco rejected the accusations of a role in the raid."),
        _article("d.example", "Officials in Lisbon said handlers in Morocco had planned it."),
    ]
    assert _culprits(articles, settings) == []


def test_a_denial_of_no_party_or_of_no_accusation_asks_nothing(settings):
    articles = [
        _article("a.example", "The ministry denied reports of a second blast on the lake."),
        _article("b.example", "Spain denied any involvement in the sinking."),
        _article("c.example", "Kadyrov, the Madrid-backed governor of the region, wept."),
    ]
    assert _involvement(articles, settings) == []


def test_a_long_running_accusation_and_its_standing_denial_dispute_nothing(settings):
    articles = [
        _article("a.example", "Tensions have remained high in recent months, with Varsk "
                 "repeatedly accusing Orvane of sheltering smugglers. Orvane has denied the "
                 "accusations."),
        _article("b.example", "Varsk has long accused Orvane of letting smugglers use its "
                 "ports, an allegation Orvane denies."),
    ]
    c = service.compare(articles, settings)
    assert [d for d in c.disputes if d.kind == DisputeKind.DENIAL] == []


def test_a_term_said_of_another_occasion_characterises_nothing(settings):
    articles = [
        _article("a.example", "A bomb blast hit the memorial service for the ferry's captain "
                 "on 5 May 2023."),
        _article("b.example", "The memorial service for the ferry's captain on 5 May 2023 "
                 "marked the 2019 drone strike that killed him."),
        _article("c.example", "Mourners met on 5 May 2023 by the lake."),
        _article("d.example", "The service on 5 May 2023 was cut short."),
    ]
    kinds = [d for d in service.compare(articles, settings).disputes
             if d.kind == DisputeKind.CHARACTERISATION]
    assert kinds == []


def test_an_outlets_own_name_as_the_one_told_is_its_own_reporting(settings):
    lead = "A cargo plane came down near the Orvane border post on Friday."
    said = ("a U.S. official who was not authorised to speak publicly told {} that the plane had "
            "crossed the border briefly.")

    def told(name: str, outlet: str) -> Article:
        return Article(id=f"{outlet}-{name}", text=f"{lead} Separately, {said.format(name)}",
                       outlet=outlet, language="en")

    agency = told("Xinhua", "lakeherald.example")
    upstream = service.compare([told("Reuters", "harbourgazette.example"), agency], settings)
    assert [sorted(s.value for s in d.sides) for d in upstream.disputes
            if d.kind == DisputeKind.SOURCE] == [["Reuters", "Xinhua"]]
    own = service.compare([told("USA TODAY", "usatoday.example"), agency], settings)
    assert [d for d in own.disputes if d.kind == DisputeKind.SOURCE] == []


def test_two_tolls_credited_to_two_officials_are_two_statements(settings):
    articles = [
        _article("a.example", "\u201cDeath toll rises to 233 in the Lake Orvane ferry "
                 "disaster,\u201d district collector Arno Vells tweeted."),
        _article("b.example", "The death toll in the Lake Orvane ferry disaster has risen to "
                 "261,\u201d said harbour spokesman Tomas Redd on Saturday."),
    ]
    c = service.compare(articles, settings)
    assert [d for d in c.disputes if d.kind == DisputeKind.SPEAKER] == []


def _numbers(first: str, second: str, settings) -> list:
    """The number disputes of two outlets that each add one sentence to the ferry's lead."""
    c = service.compare([_article("a.example", first), _article("b.example", second)],
                        settings)
    return [(d.question, sorted(s.value for s in d.sides)) for d in c.disputes
            if d.kind == DisputeKind.NUMBER]


def test_several_gives_no_size_to_dispute(settings):
    ten = "The coast guard said the ferry ignored 10 warnings before it sailed."
    several = "The coast guard said the ferry ignored several warnings before it sailed."
    four = "The coast guard said the ferry ignored four warnings before it sailed."
    assert _numbers(ten, several, settings) == []
    assert _numbers(ten, four, settings) == [("how many warnings",
                                              ["10 warnings", "four warnings"])]


def test_what_responders_sent_and_what_the_event_disrupted_are_growing_counts(settings):
    sent = "Officials said 200 ambulances and 1,200 personnel were working at the pier."
    fewer = "Officials said 60 ambulances and 298 personnel were working at the pier."
    assert _numbers(sent, fewer, settings) == []
    cancelled = "Officials said 48 ferries were cancelled after the sinking on the lake."
    more = "Officials said over 150 ferries were cancelled after the sinking on the lake."
    assert _numbers(cancelled, more, settings) == []
    two = "Officials said two rescuers were killed when a crane collapsed at the pier."
    three = "Officials said three rescuers were killed when a crane collapsed at the pier."
    assert _numbers(two, three, settings) == [
        ("how many rescuers were killed", ["three rescuers", "two rescuers"])]


def test_where_the_event_ranks_is_one_question_of_one_superlative_and_span(settings):
    def ranks(*sentences):
        articles = [_article(o, s) for o, s in zip(LEADS, sentences, strict=False)]
        return [sorted(s.value for s in d.sides) for d in service.compare(
            articles, settings).disputes if d.question.startswith("where it ranks")]

    third = "It was the third deadliest ferry disaster in the lake's history, officials said."
    fourth = "The sinking was the fourth deadliest ferry disaster on the lake, officials said."
    assert ranks(third, fourth) == [["fourth deadliest", "third deadliest"]]
    worst = "The sinking was the fourth worst ferry disaster on the lake, officials said."
    assert ranks(third, worst) == []  # deadliest and worst measure different things
    since = "It was the fourth deadliest ferry disaster since 1990, officials said."
    assert ranks(third, since) == []  # ranked among fewer events
    bare = "It was the deadliest ferry disaster on the lake in decades, officials said."
    assert ranks(third, bare) == []
    city = "The ferry sailed from Port Mell, the lake's second-largest town, officials said."
    other = "The ferry sailed from Dunmere, the lake's fourth largest town, officials said."
    assert ranks(city, other) == []  # towns ranked, not the sinking


def test_one_regions_head_translated_two_ways_holds_one_office(settings):
    articles = [
        _article("a.example", "Orvane's Prime Minister Arno Vells visited the pier on Saturday."),
        _article("b.example", "Arno Vells, the governor of Orvane, met the families."),
        _article("c.example", "Prime Minister Arno Vells said the search would go on."),
    ]
    questions = [d for d in service.compare(articles[:2], settings).disputes
                 if d.question.startswith("which office")]
    assert questions == []
    # a head said of no government beside one said of a region: two offices
    questions = [d for d in service.compare(articles[1:], settings).disputes
                 if d.question.startswith("which office")]
    assert len(questions) == 1


def test_the_day_a_journey_began_is_not_the_day_of_the_event(settings):
    articles = [
        _dated("a.example", "On board the fishing boat, which probably left four days "
                   "ago from Port Mell, there were at least 400 people.", WEDNESDAY),
        _dated("b.example", "The fishing boat with at least 400 people on board sank early "
                   "on Wednesday off Port Mell.", WEDNESDAY),
    ]
    kinds = [d.kind for d in service.compare(articles, settings).disputes]
    assert DisputeKind.DATE not in kinds


def test_the_one_childs_age_is_one_question_however_the_child_is_named(settings):
    articles = [
        _article("a.example", "Among the dead was a 9-year-old girl, the coast guard said."),
        _article("b.example", "The dead included one toddler, the coast guard said."),
        _article("c.example", "A nine-year-old child was among the dead, the mayor said."),
    ]
    (age,) = [d for d in service.compare(articles, settings).disputes
              if d.question.startswith("how old")]
    assert age.question == "how old the child was"
    assert {s.normalized: frozenset(s.outlets) for s in age.sides} == {
        "9 years": frozenset({"a.example", "c.example"}), "1-3 years": frozenset({"b.example"})}
    several = _article("d.example", "Two children were among the dead.")
    assert [d for d in service.compare([*articles, several], settings).disputes
            if d.question.startswith("how old")] == []


def test_the_first_of_two_is_no_count_of_one_and_a_reopening_day_is_not_the_events(settings):
    articles = [
        _article("a.example", "One pier gave way, then a second, the coast guard said."),
        _article("b.example", "Two piers gave way, the coast guard said."),
    ]
    assert [d for d in service.compare(articles, settings).disputes
            if d.kind == DisputeKind.NUMBER] == []

    articles = [
        _dated("a.example", "The pier, which reopened last Wednesday after repairs, was "
                   "crowded with 400 people.", WEDNESDAY),
        _dated("b.example", "The pier was crowded with 400 people on Friday evening.", WEDNESDAY),
    ]
    assert DisputeKind.DATE not in [d.kind for d in service.compare(articles, settings).disputes]

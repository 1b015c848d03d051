"""Disputes on hand-built analyses (no models): one per question, sides with every outlet."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.unit.test_compare_rules import _article, _unit

from storyline.compare import compare_analyses
from storyline.compare.denial_cues import DENIAL, NEGATION
from storyline.model import Quantity, Sentence
from storyline.nlp.times import clock_times


def _count(text: str, sentence: str, value: float, unit: str, low=None, high=None, q=""):
    start = text.index(sentence)
    return Quantity(start, start + len(sentence), sentence, value, unit, 0, low, high, q)


def _killed(outlet: str, amount: str, value: float, low=None, high=None, q="", body=""):
    s = [f"Floods killed {amount} in Harlow.", body or "The mayor spoke."]
    text = " ".join(s)
    vec = np.stack([_unit(1, 0, 0), _unit(0, 1, 0) if not body else _unit(0, 0, 1)])
    return _article(text, s, vec, outlet,
                    quantities=[_count(text, amount, value, "people", low, high, q)])


def test_twelve_outlets_split_in_two_make_one_dispute_with_two_sides():
    arts = [_killed(f"o{k}.example", "12 people", 12) for k in range(9)]
    arts += [_killed(f"p{k}.example", "17 people", 17) for k in range(3)]
    c = compare_analyses(arts)
    (d,) = c.disputes  # not 27 pairwise rows
    assert d.kind.value == "number" and d.question == "how many people were killed"
    big, small = d.sides
    assert (len(big.outlets), len(small.outlets)) == (9, 3)
    assert big.normalized.startswith("12") and small.normalized.startswith("17")
    assert [len(s.evidence) for s in d.sides] == [9, 3]
    assert all(e.text == s.value for s in d.sides for e in s.evidence)


def test_compatible_amounts_are_no_dispute():
    arts = [_killed("a.example", "more than 20 people", 20, 21, None, "more than"),
            _killed("b.example", "22 people", 22)]
    assert compare_analyses(arts).disputes == ()


def test_an_interval_compatible_with_both_sides_takes_none():
    arts = [_killed("a.example", "22 people", 22), _killed("b.example", "30 people", 30),
            _killed("c.example", "more than 20 people", 20, 21, None, "more than")]
    (d,) = compare_analyses(arts).disputes
    assert sorted(o for s in d.sides for o in s.outlets) == ["a.example", "b.example"]


def test_syndicated_copies_count_once():
    body = "The river rose four metres overnight and the old bridge was closed to traffic."
    arts = [_killed("a.example", "12 people", 12, body=body),
            _killed("b.example", "12 people", 12, body=body),
            _killed("c.example", "17 people", 17)]
    (d,) = compare_analyses(arts).disputes
    twelve = next(s for s in d.sides if s.normalized.startswith("12"))
    assert len(twelve.outlets) == 2 and twelve.independent == 1


@pytest.mark.parametrize(
    ("text", "denial"),
    [
        ("The ministry dismissed reports that troops had left as baseless.", True),
        ("Officials categorically denied the claim.", True),
        ("He said the report was false.", True),
        ("The spokesman said this never happened.", True),
        ("The army will not back down.", False),
        ("Troops would not leave the base.", False),
        ("He was denied bail on Monday.", False),
        ("Ostravia rejected an earlier draft of the treaty.", False),
        ("They disputed the final for the title.", False),
        ("The ministry rejects allegations it was behind the blast.", True),
        ('He said its alleged role in the crash was an "absolute lie."', True),
        ("He called the reports about the army's withdrawal from the three northern border "
         'towns near the river and the old airfield a "lie."', True),
        ("A second reported blast at the ferry terminal did not occur, the colonel said.", True),
        ("The ministry said the rescued boy never existed.", True),
        ("The minister ruled out a gas leak as the cause of the fire.", True),
        ("Police have not ruled out any motive.", False),
        ("Engineers dismissed the theory as implausible.", True),
        ("The army disputed the casualty numbers but gave none of its own.", True),
        ("He dismissed the death toll given by the rebels.", True),
        ("The toll did not include the missing.", False),
    ],
)
def test_denials_are_explicit_rejections(text, denial):
    assert bool(DENIAL.search(text)) is denial


def test_two_negations_agree_and_negation_is_no_denial():
    s1 = ["No one was hurt in the blast at the depot."]
    s2 = ["The blast at the depot did not hurt anyone."]
    a = _article(s1[0], s1, np.stack([_unit(1, 0)]), "a.example")
    b = _article(s2[0], s2, np.stack([_unit(1, 0)]), "b.example")
    assert NEGATION.search(s1[0]) and NEGATION.search(s2[0])
    assert not [d for d in compare_analyses([a, b]).disputes if d.kind.value == "denial"]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("The attack began at 1:20 am local time.", (80, 80)),
        ("Sirens sounded between 2:30 and 3:15 a.m.", (150, 195)),
        ("It hit at 22:30 GMT.", (1350, 1350)),
        ("The first rockets hit at 1.20am.", (80, 80)),
        ("Inflation was 15.45 percent.", None),
        ("In 2019 about 1,200 people came.", None),
    ],
)
def test_clock_times(text, minutes):
    got = [(first, last) for _, _, first, last, _ in clock_times(text)]
    assert got == ([minutes] if minutes else [])


def test_sentences_marked_boilerplate_take_no_part():
    s1 = ["Floods killed 12 people in Harlow.", "Share this article on Facebook."]
    s2 = ["Floods killed 17 people in Harlow.", "Share this article on Facebook."]
    vec = np.stack([_unit(1, 0), _unit(0, 1)])
    a = _article(" ".join(s1), s1, vec, "a.example",
                 quantities=[_count(" ".join(s1), "12 people", 12, "people")])
    b = _article(" ".join(s2), s2, vec, "b.example",
                 quantities=[_count(" ".join(s2), "17 people", 17, "people")])
    clutter = tuple(Sentence(s.index, s.start, s.end, boilerplate=s.index == 1)
                    for s in a.sentences)
    a = type(a)(**{**a.__dict__, "sentences": clutter})
    b = type(b)(**{**b.__dict__, "sentences": tuple(Sentence(s.index, s.start, s.end, s.index == 1)
                                                    for s in b.sentences)})
    c = compare_analyses([a, b])
    texts = [cl.evidence.text for g in c.claims for cl in g.claims]
    assert not any("Share this" in t for t in texts)
    assert c.articles[0].boilerplate and c.disputes


@pytest.mark.parametrize(
    "text",
    [
        "He has disputed that account of the meeting.",
        "The minister dismissed the dossier's claims as nonsense.",
        "Tehran described the documents as fabricated.",
        "The ministry branded claims by local media and officials of missiles landing in the "
        "valley as provocations.",
    ],
)
def test_more_denial_forms(text):
    assert DENIAL.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "Claims that the ministry was involved are absolute lies, the spokesman said.",
        'The spokesman called the allegations about the ministry\'s role in the fire a "lie".',
    ],
)
def test_a_lie_is_a_denial(text):
    assert DENIAL.search(text)


def test_a_toll_given_on_a_day_dates_the_count_not_the_event():
    from storyline.compare.checks import _TOLL_BEFORE

    assert _TOLL_BEFORE.search("The death toll in the collapse rose to 130 ")
    assert not _TOLL_BEFORE.search("The bridge collapsed ")


def test_distances_from_different_places_are_different_questions():
    s1 = ["The crash site is 170 km from Bhubaneswar."]
    s2 = ["The crash site is 250 km from Kolkata."]
    vec = np.stack([_unit(1, 0)])
    a = _article(s1[0], s1, vec, "a.example",
                 quantities=[_count(s1[0], "170 km", 170, "km")])
    b = _article(s2[0], s2, vec, "b.example",
                 quantities=[_count(s2[0], "250 km", 250, "km")])
    assert compare_analyses([a, b]).disputes == ()
    s3 = ["The crash site is 190 km from Bhubaneswar."]
    c = _article(s3[0], s3, vec, "c.example", quantities=[_count(s3[0], "190 km", 190, "km")])
    (d,) = compare_analyses([a, c]).disputes
    assert {s.value for s in d.sides} == {"170 km", "190 km"}


def test_the_deniers_framing_and_own_words_are_not_the_claim():
    from storyline.compare.checks import denial_values, rejects
    from storyline.compare.context import Context

    s1 = ["The ministry denied that its troops had left the northern bases."]
    s2 = ["There is a lot of speculation that troops left the northern bases.",
          '"Troops left the northern bases," the ministry said.',
          "Troops left the northern bases on Monday, residents said."]
    vec = np.stack([_unit(1, 0)])
    a = _article(s1[0], s1, vec, "a.example")
    b = _article(" ".join(s2), s2, np.stack([_unit(1, 0)] * 3), "b.example")
    ctx = Context([a, b])
    (denial,) = denial_values(ctx, 0, 0)
    assert denial_values(ctx, 1, 0) == []  # speculation: the denier's framing
    claims = [v for si in (1, 2) for v in denial_values(ctx, 1, si)]
    # quoted words of nobody named (here no quote was found) are left out; residents' report stays
    assert [c.sentence for c in claims] == [2] and rejects(denial, claims[0])


@pytest.mark.parametrize(
    ("sentence", "proposition"),
    [
        ("The Kremlin rejected allegations that it was behind the crash.",
         "it was behind the crash"),
        ("Claims that the Kremlin was involved in the crash are absolute lies, Peskov said.",
         "the Kremlin was involved in the crash"),
        ("The Kremlin dismissed rumours on Friday that it ordered the killing of the chief, who "
         "reportedly died in the crash.", "it ordered the killing of the chief"),
        ('"All this is an absolute lie," he stressed.', ""),
    ],
)
def test_what_a_denial_rejects_is_the_clause_its_frame_noun_opens(sentence, proposition):
    from storyline.compare.checks import _denied_text

    said, framed = _denied_text(sentence, DENIAL.search(sentence))
    assert (said if framed else "") == proposition


def test_a_denial_links_to_the_claim_that_carries_its_own_words_not_the_storys():
    from storyline.compare.checks import denial_values, rejects
    from storyline.compare.context import Context

    story = "The jet crashed near the village, killing the militia chief and nine others."
    s1 = [story, "The Kremlin rejected allegations that it was behind the jet crash."]
    s2 = [story + " Officials spoke.", "Analysts suggested the Kremlin was behind the crash."]
    s3 = [story + " Rescuers came.", "Investigators said the jet crash killed ten people."]
    vec = np.stack([_unit(1, 0), _unit(0, 1)])
    arts = [_article(" ".join(s), s, vec, f"{n}.example")
            for n, s in zip("abc", (s1, s2, s3), strict=True)]
    ctx = Context(arts)
    (denial,) = denial_values(ctx, 0, 1)
    assert denial.words == {"behind"}  # "jet", "crash", "kremlin" are every report's words
    assert rejects(denial, denial_values(ctx, 1, 1)[0])
    assert not rejects(denial, denial_values(ctx, 2, 1)[0])
    (d,) = [d for d in compare_analyses(arts).disputes if d.kind.value == "denial"]
    assert d.question == "whether it was behind the jet crash"


@pytest.mark.parametrize(
    ("after", "zone"),
    [(" (0530 GMT).", "local"), (" (Manila time).", "manila time"), (" on Monday.", "")],
)
def test_a_zone_said_after_a_clock_time(after, zone):
    from storyline.compare.clock_times import zone_after

    assert zone_after(after) == zone


@pytest.mark.parametrize(
    ("sentence", "source", "medium"),
    [
        ("Ten people died, Russia's Federal Security Service reported.",
         "Russia's Federal Security Service", False),
        ("The revised report by the United Nations Office for the Coordination of Humanitarian "
         "Affairs also states it.", "United Nations Office", False),
        ("Ten people died, the Interfax news agency reported.", "Interfax", True),
        ("Ten people died, Anadolu Agency reported.", "Anadolu Agency", True),
    ],
)
def test_government_bodies_are_not_upstream_media(sentence, source, medium):
    from storyline.compare.context import Context
    from storyline.model import Attribution

    vec = np.stack([_unit(1, 0)])
    start = sentence.index(source)
    a = _article(sentence, [sentence], vec, "a.example")
    cue = "report by" if "report by" in sentence else "reported"
    a = dataclasses.replace(a, attributions=(Attribution(
        0, len(sentence), source, start, start + len(source), cue, 0),))
    assert Context([a, a]).is_medium(0, source) is medium


def test_one_night_told_from_either_side_of_midnight_is_one_date():
    from storyline.compare.checks import dates_agree
    from storyline.compare.values import Value

    def day(iso: str, edge: str = "") -> Value:
        return Value(0, 0, 0, 1, "x", iso + edge, "date|", key=iso)

    assert dates_agree(day("2023-09-10", " (late)"), day("2023-09-11", " (early)"))
    assert dates_agree(day("2023-09-11"), day("2023-09-10", " (late)"))
    assert not dates_agree(day("2023-09-10"), day("2023-09-11"))
    assert not dates_agree(day("2023-09-09", " (late)"), day("2023-09-11", " (early)"))


def test_a_sides_differently_written_answers_are_all_named():
    arts = [_killed("a.example", "at least 5,100 people", 5100, 5100, None, "at least"),
            _killed("b.example", "at least 11,300 people", 11300, 11300, None, "at least"),
            _killed("c.example", "3,958 people", 3958)]
    (d,) = compare_analyses(arts).disputes
    assert {s.value for s in d.sides} == {"3,958 people",
                                          "at least 5,100 people / at least 11,300 people"}


def test_a_noun_and_its_verb_share_a_stem_so_a_denial_finds_its_claim():
    from storyline.compare.context import content_words

    assert content_words("Ukraine denied any involvement") & content_words(
        "Ukraine may have been involved in the attack") == {"involv", "ukrain"}


def test_an_answer_that_fits_every_side_takes_none_whatever_its_order():
    from storyline.compare.disputes import _sides
    from storyline.compare.links import check_of as _check
    from storyline.compare.values import Value
    from storyline.model import DisputeKind

    def hour(article: int, text: str, minutes: int, zone: str = "") -> Value:
        return Value(article, 0, 0, len(text), text, text, "time|", minutes, minutes, zone)

    # "0700 GMT" has a zone the others lack, so it agrees with both; read first, it used to
    # join the first side and stand beside "2:30 pm" against "4 pm". (A time with no zone is
    # local time: "3 pm local time" would be a third answer.)
    zoned, early, late = hour(0, "0700 GMT", 420, "gmt"), hour(1, "2:30 pm", 870), \
        hour(2, "4 pm", 960)
    sides = _sides(_check(DisputeKind.TIME), [zoned, early, late])
    assert [[v.text for v in s] for s in sides] == [["2:30 pm"], ["4 pm"]]
    local = hour(0, "3 pm local time", 900, "local")
    sides = _sides(_check(DisputeKind.TIME), [local, early, late])
    assert [[v.text for v in s] for s in sides] == [["3 pm local time"], ["2:30 pm"], ["4 pm"]]


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [("9:03", "9:07", False),  # both to the minute: four minutes apart is another time
     ("9:00", "9:07", True),  # "9:00" may stand for any time near it
     ("9:05", "9:08", True),  # five-minute rounding
     ("9:10", "9:30", False),
     ("8:58", "8:59", False),  # to the minute: a minute apart is another time
     ("8:20", "8:30", False),  # a scheduled time: "8:30" is no rounded "8:20"
     ("10:22", "22:22", True),  # no a.m. or p.m.: either half of the day
     ("2:22", "14:22", True),
     ("19:04", "7:30", False)],
)
def test_clock_times_agree_within_the_rounding_they_are_written_with(first, second, agree):
    from storyline.compare.clock_times import times_agree
    from storyline.compare.values import Value

    def at(text: str) -> Value:
        h, m = map(int, text.split(":"))
        return Value(0, 0, 0, len(text), text, text, "time|", h * 60 + m, h * 60 + m)

    assert times_agree(at(first), at(second)) is agree


@pytest.mark.parametrize(
    ("sentence", "amount", "scope"),
    [("Officials confirmed the deaths of 179 people on board the plane.", "179 people", "kill"),
     ("The jet had 181 people on board.", "181 people", "board"),
     ("Only two people survived the landing.", "two people", "survive"),
     ("The blast took the lives of 38 people in the town.", "38 people", "kill"),
     ("Permission was granted for 80,000 people.", "80,000 people", "permit"),
     ("About 250,000 people gathered for the sermon.", "250,000 people", "attend")],
)
def test_a_count_of_people_is_scoped_by_what_befell_them(sentence, amount, scope):
    from storyline.compare.amounts import _scope

    start = sentence.index(amount)
    assert _scope(sentence, start, start + len(amount), 0, len(sentence)) == scope


def test_a_denial_of_the_toll_rejects_every_sentence_that_gives_one():
    from storyline.compare.checks import denial_values, rejects
    from storyline.compare.context import Context
    from storyline.compare.denial_cues import TOLL

    toll = "At least 104 people were killed near the aid trucks, the health ministry said."
    other = "The aid trucks had crossed the checkpoint before dawn, the ministry said."
    denial = "The army disputed the casualty numbers but gave none of its own."
    a_text = f"{toll} {other}"
    a = _article(a_text, [toll, other], np.stack([_unit(1, 0, 0), _unit(0, 0, 1)]), "a.example",
                 quantities=[_count(a_text, "104 people", 104, "people", 104, None,
                                    "at least")])
    # as far apart as such a pair was on a held-out event (cosine 0.52)
    b = _article(denial, [denial], np.stack([_unit(0.52, 0.854, 0)]), "b.example")
    ctx = Context([a, b])
    (rejection,) = denial_values(ctx, 1, 0)
    assert rejection.words == {TOLL}  # it shares no word with the toll it rejects
    assert rejects(rejection, denial_values(ctx, 0, 0)[0])
    assert not rejects(rejection, denial_values(ctx, 0, 1)[0])
    (d,) = [d for d in compare_analyses([a, b]).disputes if d.kind.value == "denial"]
    assert sorted(s.outlets for s in d.sides) == [("a.example",), ("b.example",)]
    assert d.question == "whether the toll is right"


def test_injuries_count_the_injured_whatever_verb_stands_nearer():
    from storyline.compare.amounts import number_values
    from storyline.compare.context import Context

    s = "The attack resulted in two fatalities and 32 injuries, including eight children."
    quantities = [_count(s, "two fatalities", 2, "fatality"),
                  _count(s, "32 injuries", 32, "injury"), _count(s, "eight children", 8, "child")]
    a = _article(s, [s], np.stack([_unit(1, 0)]), "a.example", quantities=quantities)
    slots = [v.slot for v in number_values(Context([a]), 0, 0)]
    assert slots == ["people|kill|", "people|injure|", "child|injure|"]


def test_the_counted_nouns_own_words_say_what_befell_them():
    from storyline.compare.amounts import number_values
    from storyline.compare.context import Context

    s = ("There were two killed hospital workers and 16 more wounded victims, including three "
         "children.")
    quantities = [_count(s, "two killed hospital workers", 2, "worker"),
                  _count(s, "16 more wounded victims", 16, "victim"),
                  _count(s, "three children", 3, "child")]
    a = _article(s, [s], np.stack([_unit(1, 0)]), "a.example", quantities=quantities)
    assert [v.slot.split("|")[:2] for v in number_values(Context([a]), 0, 0)] == [
        ["worker", "kill"], ["people", "injure"], ["child", "injure"]]
    # a part "including ..." is of the count before it, even one skipped as an addition
    s = "The flood killed 12 people and injured several more people, including three children."
    quantities = [_count(s, "12 people", 12, "people"),
                  _count(s, "several more people", 3, "people", 3, 9),
                  _count(s, "three children", 3, "child")]
    a = _article(s, [s], np.stack([_unit(1, 0)]), "a.example", quantities=quantities)
    assert [v.slot.split("|")[:2] for v in number_values(Context([a]), 0, 0)] == [
        ["people", "kill"], ["child", "injure"]]


def test_amounts_of_another_occasion_or_of_a_whole_are_not_the_days_count():
    from storyline.compare.amounts import _scope

    s = "Officials said 25 missiles of 38 fired were shot down by the air force."
    start = s.index("25 missiles")
    assert _scope(s, start, start + len("25 missiles"), 0, len(s)) == "intercept"
    day = "Russia fired five missiles at the city on Saturday, January 14."
    other = "The same unit launched two missiles at Kremenchuk on June 27."
    arts = [_article(t, [t], np.stack([_unit(1, 0)]), f"{k}.example",
                     quantities=[_count(t, n, v, "missile")])
            for k, t, n, v in (("a", day, "five missiles", 5), ("b", other, "two missiles", 2))]
    later = [f"Rescuers searched the rubble on January {d}." for d in (15, 16)]
    arts += [_article(t, [t], np.stack([_unit(0, 1)]), f"c{k}.example")
             for k, t in enumerate(later)]
    assert compare_analyses(arts).disputes == ()

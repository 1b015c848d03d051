"""'Only in' means a fact nobody else reports, not a sentence without an aligned counterpart."""

from __future__ import annotations

import numpy as np

from storyline.compare import compare_analyses
from storyline.model import AnalyzedArticle, Article, Mention, Sentence


def _article(sentences, directions, outlet, mentions=()) -> AnalyzedArticle:
    text = " ".join(sentences)
    spans, pos = [], 0
    for k, s in enumerate(sentences):
        start = text.index(s, pos)
        spans.append(Sentence(k, start, start + len(s)))
        pos = start + len(s)
    vectors = np.zeros((len(sentences), 8), dtype=np.float32)
    for k, d in enumerate(directions):
        vectors[k, d] = 1.0  # orthogonal directions never align
    return AnalyzedArticle(
        article=Article(id=f"a-{outlet}", text=text, outlet=outlet),
        sentences=tuple(spans),
        mentions=tuple(mentions),
        vectors=vectors,
    )


def _only_in(a, b) -> list[str]:
    c = compare_analyses([a, b])
    return [g.claims[0].evidence.text for g in c.claims if g.status.value == "only_in"]


SHARED = "Floods closed the main road through Harlow on Monday."


def test_unaligned_sentence_whose_content_others_carry_is_not_only_in():
    one = "The river burst its banks after heavy rain."
    two = "Heavy rain made the river burst its banks."
    a = _article([SHARED, one], [0, 1], "a.x")
    b = _article([SHARED, two], [0, 2], "b.x")
    assert _only_in(a, b) == []


def test_new_words_number_or_name_make_a_fact_of_its_own():
    a = _article([SHARED, "The mayor resigned after councillors criticised the warnings."],
                 [0, 1], "a.x")
    b = _article([SHARED, "Rescuers evacuated 40 residents from the flooded estate."], [0, 2],
                 "b.x")
    assert sorted(_only_in(a, b)) == [
        "Rescuers evacuated 40 residents from the flooded estate.",
        "The mayor resigned after councillors criticised the warnings.",
    ]
    text = "Water also reached the Tarna valley on Monday."
    c = _article([SHARED, text], [0, 3], "c.x",
                 mentions=[Mention(len(SHARED) + 23, len(SHARED) + 28, "Tarna", "LOC", 1, "tarna")])
    d = _article([SHARED, "Water also reached the valley on Monday, floods."], [0, 4], "d.x")
    assert _only_in(c, d) == [text]  # only the new place name is new


def test_a_month_nobody_else_gives_is_a_fact():
    a = _article([SHARED, "Residents said the cracks were first reported in November."], [0, 1],
                 "a.x")
    b = _article([SHARED, "Residents first reported the cracks to the authorities, they said."],
                 [0, 2], "b.x")
    assert _only_in(a, b) == ["Residents said the cracks were first reported in November."]


def test_a_line_that_only_introduces_a_quote_is_no_fact():
    lead_in = "As the Varsk Courier reported:"
    fact = "Engineers from Brennmoor inspected the cracked pylons overnight."
    a = _article([SHARED, lead_in, fact], [0, 1, 2], "a.x")
    b = _article([SHARED], [0], "b.x")
    assert _only_in(a, b) == [fact]

"""The learned model's wording findings: a loaded word against the word an aligned sentence of
another outlet puts in the same place (invented sentences)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.unit.test_only_in import _article

from storyline.compare import compare_analyses
from storyline.compare.loaded import WORD
from storyline.compare.loaded_contrast import (
    MODEL_MIN_PROBABILITY,
    article_stems,
    contrasts,
)

NEUTRAL_BELOW = 0.25


def _scored(text: str, loaded: dict[str, float]):
    """The words of ``text`` with the probabilities given (0.01 for the others)."""
    words = [(m.group(0).lower(), m.start(), m.end(), loaded.get(m.group(0).lower(), 0.01))
             for m in WORD.finditer(text)]
    return words, np.zeros((len(words), 4), np.float32)


def _found(a: str, b: str, loaded: dict[str, float], b_article: str | None = None):
    return contrasts(a, _scored(a, loaded), b, _scored(b, loaded),
                     article_stems(b_article or b), NEUTRAL_BELOW)


def test_a_loaded_word_meets_the_word_in_the_same_slot():
    a = "The senator slammed the new harbour tax on Tuesday."
    b = "The senator criticized the new harbour tax on Tuesday."
    (c,) = _found(a, b, {"slammed": 0.9})
    assert (c.loaded[0], c.neutral[0]) == ("slammed", "criticized")
    assert a[c.loaded[1] : c.loaded[2]] == "slammed"
    assert b[c.neutral[1] : c.neutral[2]] == "criticized"
    assert c.context == "The senator … the new harbour tax on Tuesday"


def test_below_the_strict_threshold_is_no_finding():
    a = "The senator slammed the new harbour tax on Tuesday."
    b = "The senator criticized the new harbour tax on Tuesday."
    assert _found(a, b, {"slammed": MODEL_MIN_PROBABILITY - 0.01}) == []


def test_a_word_the_other_outlet_also_uses_is_no_difference():
    a = "The senator slammed the new harbour tax on Tuesday."
    b = "The senator criticized the new harbour tax on Tuesday."
    elsewhere = b + " Her rival slammed it too."
    assert _found(a, b, {"slammed": 0.9}, elsewhere) == []


def test_a_counterpart_the_model_finds_loaded_is_no_neutral_term():
    a = "The senator slammed the new harbour tax on Tuesday."
    b = "The senator blasted the new harbour tax on Tuesday."
    assert _found(a, b, {"slammed": 0.9, "blasted": 0.8}) == []


def test_no_shared_slot_no_finding():
    a = "Critics slammed the plan."
    b = "The harbour tax passed on Tuesday after a long debate."
    assert _found(a, b, {"slammed": 0.9}) == []


def test_adjectival_alleged_is_not_loaded_speech():
    a = "The alleged gunman was arrested on Friday."
    b = "The armed gunman was arrested on Friday."
    assert _found(a, b, {"alleged": 0.95}) == []


def test_riot_helmets_are_descriptive():
    a = "Police officers in riot helmets lined the square."
    b = "Police officers in blue helmets lined the square."
    assert _found(a, b, {"riot": 0.95}) == []


@pytest.fixture(scope="module")
def scorer():
    from storyline.compare.loaded_contrast import model_scorer

    return model_scorer()


@pytest.mark.slow
def test_the_comparison_reports_the_model_finding_with_both_spans(scorer):
    a = _article(["The senator's shameful vote on the harbour tax came on Tuesday."], [0],
                 "one.example")
    b = _article(["The senator's vote on the harbour tax came on Tuesday."], [0], "two.example")
    c = compare_analyses([a, b], word_scorer=scorer)
    (found,) = [w for w in c.wording if w.source == "model"]
    terms = {(t.outlet, t.term, t.loaded, t.evidence.text) for t in found.terms}
    assert terms == {("one.example", "shameful vote", True, "shameful vote"),
                     ("two.example", "vote", False, "vote")}
    assert "vote on the harbour tax" in found.referent
    # Without the scorer the comparison makes no model finding.
    assert not [w for w in compare_analyses([a, b]).wording if w.source == "model"]


@pytest.mark.slow
def test_a_word_the_lexicon_already_reports_is_not_repeated(scorer):
    a = _article(["Illegal aliens crossed the border on Monday."], [0], "one.example")
    b = _article(["Undocumented immigrants crossed the border on Monday."], [0], "two.example")
    wording = compare_analyses([a, b], word_scorer=scorer).wording
    assert {w.source for w in wording} == {"alignment"}

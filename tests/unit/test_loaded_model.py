"""The learned loaded-word model: its lexical features, fitting, the shipped file, and MiniLM
word vectors on invented sentences."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.compare.loaded_model import (
    DIM,
    LEXICAL,
    Priors,
    count_priors,
    feature_rows,
    fit_sentences,
    from_data,
    lexical,
    load_model,
    to_data,
)

WORDS = [("critics", 0, 7), ("slammed", 8, 15), ("the", 16, 19), ("plan", 20, 24)]


def test_lexical_features_leave_the_sentence_itself_out():
    priors = Priors({"slamm": 3}, {"slamm": 4, "plan": 9})
    assert lexical("slammed", priors)[:2] == [0.75, 1.0]
    # Counted from this very sentence, where "slammed" was marked: 2 of the 3 others.
    assert lexical("slammed", priors, frozenset({"slamm"}))[0] == pytest.approx(2 / 3)
    assert lexical("unseen", priors)[:2] == [0.0, 0.0]
    assert lexical("the", priors)[3] == 1.0 and lexical("42", priors)[4] == 1.0


def test_count_priors_counts_sentences_by_stem():
    priors = count_priors([(WORDS, frozenset({"slammed"})),
                           ([("slams", 0, 5), ("plan", 6, 10)], frozenset())])
    assert priors.seen["slamm"] == 1 and priors.seen["plan"] == 2
    assert priors.marked == {"slamm": 1}


def _examples(n: int = 40):
    """Invented sentences whose marked word has a vector apart from the others."""
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        words = [("critics", 0, 7), ("slammed" if i % 2 else "said", 8, 15), ("plan", 16, 20)]
        vecs = rng.normal(size=(3, DIM)).astype(np.float32)
        if i % 2:
            vecs[1, :8] += 6.0
        out.append((words, vecs, frozenset({"slammed"}) if i % 2 else frozenset()))
    return out


def test_the_fitted_model_marks_the_loaded_word_and_round_trips():
    examples = _examples()
    model = fit_sentences(examples[:30], threshold=0.5)
    for words, vecs, gold in examples[30:]:
        text = " ".join(w for w, _, _ in words)
        assert model.loaded(text, vecs, words) == set(gold)
    again = from_data(to_data(model))
    words, vecs, _ = examples[31]
    assert np.allclose(again.probabilities(vecs, words), model.probabilities(vecs, words),
                       atol=1e-4)
    assert feature_rows(vecs, words, model.priors).shape == (3, DIM + LEXICAL)


def test_a_file_with_nothing_marked_fits_a_model_that_marks_nothing():
    examples = [(w, v, frozenset()) for w, v, _ in _examples(6)]
    model = fit_sentences(examples, threshold=0.5)
    words, vecs, _ = examples[0]
    assert model.loaded("critics said plan", vecs, words) == set()
    assert fit_sentences([], threshold=0.5).weights.shape == (DIM + LEXICAL,)


def test_the_shipped_model_is_documented_and_met_its_targets_under_nested_cv():
    import json
    from importlib import resources

    data = json.loads(resources.files("storyline.compare").joinpath(
        "lexicon/loaded_model.json").read_text("utf-8"))
    assert "AGPL-3.0" in data["_about"] and "no sentence" in data["_about"]
    cv = data["_fit"]["nested_cv"]
    assert cv["word_f1"] >= 0.5 and cv["sentence_f1"] >= 0.75
    model = load_model()
    assert model.weights.shape == (DIM + LEXICAL,) and 0.0 < model.threshold < 1.0


@pytest.mark.slow
def test_eval_wording_scores_the_model_in_sample_and_cross_validated(tmp_path):
    from storyline.service import evaluate_wording

    rows = ["text;outlet;label_bias;biased_words"] + [
        f'"{t}";x;{label};"{w}"' for t, label, w in (
            ("The senator slammed the bill as a disaster.", "Biased", "['slammed']"),
            ("The senator criticised the bill on Monday.", "Non-biased", "[]"),
            ("Critics slammed the plan in a bizarre speech.", "Biased", "['bizarre']"),
            ("The plan was published on Monday.", "Non-biased", "[]"),
            ("Officials slams the disaster relief effort.", "Biased", "['slams']"),
            ("Relief arrived in the town.", "Non-biased", "[]"))]
    path = tmp_path / "babe.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = evaluate_wording(path)
    names = [s.detector for s in report.scores]
    assert any(n.startswith("shipped word model") for n in names)
    assert any(n.startswith("word model fitted on this file") for n in names)


@pytest.mark.slow
def test_word_vectors_and_the_shipped_model_on_invented_sentences():
    from storyline.compare.loaded_model import word_vectors

    texts = ["The radical mob stormed the building.", "The committee met on Tuesday.", ""]
    encoded = word_vectors().encode(texts)
    words, vecs = encoded[0]
    assert [w for w, _, _ in words][:3] == ["the", "radical", "mob"]
    assert vecs.shape == (len(words), DIM) and encoded[2][1].shape == (0, DIM)
    model = load_model()
    found = model.loaded(texts[0], vecs, words)
    assert found and found <= {"radical", "mob", "stormed"}
    assert not model.loaded(texts[1], encoded[1][1], encoded[1][0])

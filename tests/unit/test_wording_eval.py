"""Loaded-wording scoring on invented BABE-style rows, and the loaded-use rules."""

from __future__ import annotations

import ast

import pytest

from storyline.compare.loaded import (
    detector,
    find_loaded,
    fit_loaded,
    is_loaded_use,
    load_entries,
    stem,
)
from storyline.errors import FormatError, InputError
from storyline.evaluation.wording import LabelledSentence, cross_validated, read_babe, score
from storyline.service import evaluate_wording

ROWS = [
    ("The senator slammed the bill as a disaster.", "Biased", "['slammed', 'disaster']"),
    ("The senator criticised the bill on Monday.", "Non-biased", "[]"),
    ("Critics slammed the plan in a bizarre speech.", "Biased", "['slammed', 'bizarre']"),
    ("The plan was published on Monday.", "Non-biased", "[]"),
    ("Officials slams the disaster relief effort.", "Biased", "['slams']"),
    ("Relief arrived in the town.", "No agreement", "[]"),
]


def _csv(tmp_path, rows=ROWS, sep=";"):
    path = tmp_path / "babe.csv"
    lines = [sep.join(["text", "outlet", "label_bias", "biased_words"])]
    lines += [sep.join([f'"{t}"', "x", label, f'"{w}"']) for t, label, w in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_babe_skips_rows_without_agreement(tmp_path):
    sentences, left_out = read_babe(_csv(tmp_path))
    assert left_out == 1 and len(sentences) == 5
    assert sentences[0].biased and sentences[0].words == {"slammed", "disaster"}
    assert read_babe(_csv(tmp_path, sep=","))[0] == sentences


def test_bad_files_get_coded_errors(tmp_path):
    with pytest.raises(InputError):
        read_babe(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("text;label\nx;y\n", encoding="utf-8")
    with pytest.raises(FormatError):
        read_babe(bad)
    with pytest.raises(FormatError):
        read_babe(_csv(tmp_path, [("A b c.", "Biased", "not a list")]))


def test_fit_counts_marked_and_seen_sentences_by_stem():
    sentences = [(s.text, s.words) for s in _sentences()]
    fitted = fit_loaded(sentences, min_marked=1, min_share=0.6)
    assert fitted["slamm"] == (2, 2)  # "slammed", marked in both sentences holding it
    assert fitted["slam"] == (1, 1)
    assert "disaster" not in fitted  # marked in 1 of the 2 sentences holding it
    assert fit_loaded(sentences, 1, 0.5)["disaster"] == (1, 2)
    assert "disaster" not in fit_loaded(sentences, 2, 0.5)
    assert "the" not in fit_loaded(sentences, 1, 0.0)


def _sentences():
    return [
        LabelledSentence(t, label == "Biased", frozenset(ast.literal_eval(w)))
        for t, label, w in ROWS
        if label != "No agreement"
    ]


def test_scores_count_words_and_sentences():
    sentences = _sentences()
    predicted = [{"slammed"}, set(), {"slammed", "plan"}, set(), set()]
    s = score("x", sentences, predicted)
    assert (s.sentence.tp, s.sentence.fp, s.sentence.fn) == (2, 0, 1)
    assert (s.word.tp, s.word.fp, s.word.fn) == (2, 1, 3)
    assert s.word.precision == pytest.approx(2 / 3, abs=1e-4)


def test_cross_validation_never_sees_the_scored_sentence():
    # Each word occurs in one sentence only: a lexicon fitted on the other folds cannot know it.
    sentences = [LabelledSentence(f"word{i}x is here.", True, frozenset({f"word{i}x"}))
                 for i in range(10)]
    fit = lambda train: detector(fit_loaded((s.text, s.words) for s in train))  # noqa: E731
    assert all(not p for p in cross_validated(sentences, fit))
    assert all(p for p in cross_validated(sentences, lambda train: detector(
        fit_loaded((s.text, s.words) for s in sentences))))  # fitted on everything: it does


def test_report_has_a_baseline_and_a_cross_validated_row(tmp_path):
    report = evaluate_wording(_csv(tmp_path), with_model=False)
    assert report.left_out == 1 and report.sentences == 5
    assert [r.detector.split()[0] for r in report.scores] == ["hand", "shipped", "lexicon"]
    assert report.as_dict()["scores"][2]["word"]["f1"] >= 0.0


@pytest.mark.parametrize(
    ("text", "word", "loaded"),
    [
        ("The alleged attacker was held.", "alleged", False),
        ("Police arrested the man's alleged accomplice.", "alleged", False),
        ("Smith alleged that the vote was rigged.", "alleged", True),
        ("The group claimed responsibility for the blast.", "claimed", False),
        ("He claimed the count was wrong.", "claimed", True),
        ("Trump's claims were repeated.", "claims", True),
        ("The inquiry into alleged collusion went on.", "alleged", False),
        ("The group claimed the attack on Monday.", "claimed", False),
        ("He claimed Iran had lied.", "claimed", True),
        ("The inspection regime is strict.", "regime", False),
        ("The regime jailed its critics.", "regime", True),
        ("They filed an invasion of privacy lawsuit.", "invasion", False),
        ("Police officers in riot helmets stood by.", "riot", False),
        ("A riot broke out downtown.", "riot", True),
    ],
)
def test_adjectival_and_descriptive_uses_are_not_loaded(text, word, loaded):
    start = text.lower().index(word)
    assert is_loaded_use(text, start, start + len(word)) is loaded


def test_shipped_resource_is_documented_and_matches_by_stem():
    entries = load_entries()
    assert len(entries) > 100
    assert all(e.marked <= e.seen and e.cls and e.forms for e in entries)
    assert stem("slamming") == stem("slammed") == "slamm"
    hits = find_loaded("Critics slammed it.", {stem("slammed")}, offset=10)
    assert [(h.term, h.start, h.end) for h in hits] == [("slammed", 18, 25)]


def test_cli_reports_a_bad_file_with_a_code(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.csv"
    bad.write_text("text;label\nx;y\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "storyline.interfaces.cli", "eval", "wording", str(bad)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "E106" in done.stdout + done.stderr and "Traceback" not in done.stderr
    good = subprocess.run(
        [sys.executable, "-m", "storyline.interfaces.cli", "eval", "wording",
         str(_csv(tmp_path)), "--json", "--no-model"],
        capture_output=True, text=True, timeout=120,
    )
    assert good.returncode == 0 and '"folds": 5' in good.stdout

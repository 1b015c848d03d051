"""The attribution scorer: brat standoff read in both layouts, spans matched exactly and by
overlap, relations matched on source and content, predictions read from plain analyses."""

from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.evaluation.attribution import (
    Relation,
    add_scores,
    parse_ann,
    read_gold_dir,
    relations_from_analysis,
    score_document,
)

TEXT = "Headline\n\n“We will win,” Ann Lee, a senator, said. Polls show a tie, a poll says.\n"
# Offsets into TEXT: the quote 10-24, "Ann Lee, a senator," 25-44, "said" 45-49, "show"
# 57-61, "a tie" 62-67, "a poll" 69-75, "says" 76-80.
ANN = (
    "T1\tSource 25 44\tAnn Lee, a senator,\n"
    "T2\tCue 45 49\tsaid\n"
    "T3\tContent 10 24\t“We will win,”\n"
    "T4\tAttribution 45 49\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tCue 57 61\tshow\n"
    "T6\tContent 62 63;64 67\ta tie\n"
    "T7\tAttribution 57 61\tshow\n"
    "E2\tAttribution-no-source:T7 Cue:T5 Content:T6\n"
    "#1\tAnnotatorNotes T1\ta note\n"
)


def test_parse_ann_reads_relations_discontinuous_spans_and_missing_sources():
    rels = parse_ann(ANN)
    assert rels[0] == Relation(((25, 44),), ((45, 49),), ((10, 24),))
    assert rels[1].source == () and rels[1].content == ((62, 63), (64, 67))


def test_read_gold_dir_polnear_and_plain_layouts(tmp_path: Path):
    polnear = tmp_path / "polnear"
    (polnear / "text").mkdir(parents=True)
    (polnear / "attributions").mkdir()
    (polnear / "text" / "doc.txt").write_text(TEXT, encoding="utf-8")
    (polnear / "attributions" / "doc_ab12.ann").write_text(ANN, encoding="utf-8")
    (polnear / "attributions" / "doc_zz99.ann").write_text("", encoding="utf-8")
    docs = read_gold_dir(polnear)
    assert [d.name for d in docs] == ["doc"] and len(docs[0].relations) == 2  # first annotator
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "doc.txt").write_text(TEXT, encoding="utf-8")
    (plain / "doc.ann").write_text(ANN, encoding="utf-8")
    assert read_gold_dir(plain)[0].relations == docs[0].relations


def test_read_gold_dir_refuses_a_folder_without_pairs(tmp_path: Path):
    with pytest.raises(InputError):
        read_gold_dir(tmp_path)
    with pytest.raises(InputError):
        read_gold_dir(tmp_path / "missing")


def test_exact_and_overlap_differ_and_relations_need_source_and_content():
    gold = parse_ann(ANN)
    predicted = [
        Relation(((25, 32),), ((45, 49),), ((11, 23),)),  # "Ann Lee": overlap, not exact
        Relation(((69, 75),), ((76, 80),), ((62, 67),)),  # content right, a source too many
    ]
    s = score_document(TEXT, gold, predicted)
    assert (s["source_overlap"].predicted_matched, s["source_overlap"].gold_matched) == (1, 1)
    assert s["source_exact"].predicted_matched == 0
    assert s["cue_exact"].gold_matched == 1 and s["cue_exact"].predicted == 2
    assert s["content_overlap"].gold_matched == 2
    # the second predicted relation has a source where the gold has none: no relation match
    assert (s["relation"].predicted_matched, s["relation"].gold_matched) == (1, 1)
    assert s["relation"].precision == 0.5 and s["relation"].recall == 0.5
    total = add_scores(s, s)
    assert total["relation"].gold == 4 and total["relation"].f1 == pytest.approx(0.5)


def test_relations_from_analysis_reads_statements_else_quotes():
    article = {"text": TEXT}
    statement = {"source_start": 25, "source_end": 32, "cue_start": 45, "cue_end": 49,
                 "content_start": 10, "content_end": 24}
    data = {"article": article, "layers": ["statements"], "statements": [statement]}
    assert relations_from_analysis(data) == [Relation(((25, 32),), ((45, 49),), ((10, 24),))]
    # An older analysis: quotes carry only the cue's words, found beside the content.
    quote = {"start": 10, "end": 49, "content_start": 11, "content_end": 23, "speaker": "Ann Lee",
             "speaker_start": 25, "speaker_end": 32, "cue": "said"}
    old = {"article": article, "layers": ["quotes"], "quotes": [quote]}
    assert relations_from_analysis(old) == [Relation(((25, 32),), ((45, 49),), ((11, 23),))]

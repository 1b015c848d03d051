"""The indexed attribute-ruler matcher finds exactly the matches spaCy's Matcher finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from storyline.nlp.attribute_rules import compile_ruler, index_attribute_ruler

ROOT = Path(__file__).resolve().parents[2]
NEWSWCL50 = ROOT / ".." / "shared" / "data" / "newswcl50" / "articles.jsonl"

# Every spec form the index reads: equal, IN, NOT_IN (with the unset value ""), REGEX, bool,
# two-token runs, alternatives under one key, and a later rule overriding an earlier one.
PATTERNS = [
    ([[{"TAG": "NN"}]], {"POS": "NOUN"}),
    ([[{"LOWER": "run", "TAG": {"IN": ["VB", "VBP"]}}]], {"POS": "VERB"}),
    ([[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux"]}}]], {"POS": "AUX"}),
    ([[{"LOWER": {"REGEX": "^n'?t$"}}]], {"LEMMA": "not"}),
    ([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"}),
    ([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, 1),
    ([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], {"POS": "VERB"}, 1),
    ([[{"IS_SPACE": True}]], {"TAG": "_SP", "POS": "SPACE"}),
    ([[{"LOWER": "a", "TAG": "DT"}], [{"LOWER": "an", "TAG": "DT"}]], {"POS": "DET"}),
    ([[{"TAG": "NN", "LOWER": "run"}]], {"POS": "PROPN"}),
]
WORDS = ["There", "is", "a", "run", "gon", "na", "n't", "an", "end", "  ", "to", "run", "it"]
TAGS = ["EX", "VBZ", "DT", "NN", "VBG", "TO", "RB", "DT", "NN", "_SP", "TO", "VB", "PRP"]
DEPS = ["expl", "ROOT", "det", "attr", "aux", "aux", "neg", "det", "pobj", "", "aux", "xcomp", ""]


def _ruler(patterns=PATTERNS):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    for entry in patterns:
        ruler.add(*entry)
    return nlp, ruler


def _doc(nlp) -> Doc:
    return Doc(nlp.vocab, words=WORDS, spaces=[True] * len(WORDS), tags=TAGS, deps=DEPS)


def test_indexed_matches_equal_the_matcher_on_every_spec_form():
    nlp, ruler = _ruler()
    doc = _doc(nlp)
    want = ruler.match(doc)
    assert len(want) >= 10
    assert compile_ruler(ruler)(doc) == want


def test_the_installed_matcher_sets_the_same_attributes():
    nlp, ruler = _ruler()
    before = ruler(_doc(nlp))
    assert index_attribute_ruler(nlp)
    after = ruler(_doc(nlp))
    assert [(t.pos_, t.tag_, t.lemma_) for t in after] == [
        (t.pos_, t.tag_, t.lemma_) for t in before
    ]
    assert [t.pos_ for t in after][:4] == ["", "VERB", "DET", "PROPN"]


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "run", "OP": "?"}],  # operators: the index reads fixed runs only
        [{"ORTH": "Run"}],  # an attribute it has no column for
        [{"LOWER": {"FUZZY": "run"}}],  # a predicate it cannot read
    ],
)
def test_a_pattern_outside_the_subset_keeps_the_matcher(pattern):
    nlp, ruler = _ruler(PATTERNS + [([pattern], {"POS": "X"})])
    assert compile_ruler(ruler) is None
    assert not index_attribute_ruler(nlp)
    assert "match" not in vars(ruler)


@pytest.mark.slow
def test_indexed_matches_equal_the_matcher_on_real_articles():
    from storyline.nlp.models import MODEL_NAME

    if not NEWSWCL50.exists():
        pytest.skip("shared newswcl50 corpus not found")
    nlp = spacy.load(MODEL_NAME, disable=["lemmatizer"])
    ruler = nlp.get_pipe("attribute_ruler")
    indexed = compile_ruler(ruler)
    assert indexed is not None, "the shipped model's patterns left the supported subset"
    texts = [json.loads(line)["text"] for line in NEWSWCL50.read_text().splitlines()[:15]]
    texts.append("Y'all ain't gonna believe it: there's nothin' left.\n\n  Let's go, I said.")
    with nlp.select_pipes(disable=["attribute_ruler", "ner"]):
        docs = list(nlp.pipe(texts))
    assert sum(len(d) for d in docs) > 10_000
    for doc in docs:
        assert indexed(doc) == ruler.match(doc)

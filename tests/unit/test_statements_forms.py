"""Statement forms added for issue 13's source misses, on sentences we wrote: a cue set into its
clause, a quotation before a short speaker sentence, signed quotations, one-word speaker labels,
and where a source with an apposition ends (the learned boundary model)."""

import pytest

from storyline import service
from storyline.model import Article
from storyline.nlp.source_bounds import BoundModel, cut_tokens
from storyline.nlp.statements import load_resource

pytestmark = pytest.mark.slow

TEXT = (
    "Council Votes On Budget\n\n"
    "Too often, Mayor Ann Fry said, the city has waited for the state to act.\n\n"
    "“Why should the river towns pay twice for the same bridge?” Fry asked.\n\n"
    "“We will not let the bridge close again.”\n\n- Tom Baker.\n\n"
    "\"PRICE: The council has never voted on this plan.\n\n"
    "Ben Ortiz, the treasurer of the county, said the budget was balanced.\n"
)


@pytest.fixture(scope="module")
def statements(settings):
    return service.analyse(Article("forms", TEXT), settings).statements


def _one(statements, cue):
    found = [s for s in statements if s.cue == cue]
    assert found, [s.cue for s in statements]
    return found[0]


def _part(s, part):
    return TEXT[getattr(s, f"{part}_start") : getattr(s, f"{part}_end")]


def test_a_cue_set_into_its_clause_reports_the_clause(statements):
    s = _one(statements, "said")
    assert s.source == "Mayor Ann Fry"
    assert "the city has waited for the state to act" in _part(s, "content")
    assert "said" not in _part(s, "content").split()


def test_the_quotation_before_a_short_speaker_sentence_is_its_content(statements):
    s = _one(statements, "asked")
    assert s.source == "Fry" and s.kind == "direct"
    assert _part(s, "content").startswith("“Why should the river towns")


def test_a_quotation_signed_with_a_dash_credits_the_name(statements):
    s = _one(statements, "-")
    assert s.source == "Tom Baker" and _part(s, "source") == "Tom Baker"
    assert _part(s, "content") == "“We will not let the bridge close again.”"


def test_a_transcript_speaker_label_is_a_source_without_its_quotation_mark(statements):
    s = next(s for s in statements if s.cue == ":" and s.kind == "colon")
    assert s.source == "PRICE" and _part(s, "source") == "PRICE"
    assert _part(s, "content").startswith("The council has never voted")


def test_an_apposition_stays_in_the_source(statements):
    s = next(s for s in statements if s.source.startswith("Ben Ortiz"))
    assert s.source in {"Ben Ortiz, the treasurer of the county",
                        "Ben Ortiz, the treasurer of the county,"}


def test_the_shipped_boundary_model_is_fitted():
    model = load_resource().bounds
    assert model.weights and any(k.startswith("dep=appos") for k in model.weights)


def test_cut_tokens_stops_below_a_dropped_child():
    class Tok:
        def __init__(self, i, children=()):
            self.i, self.children = i, list(children)

        @property
        def subtree(self):
            yield self
            for c in self.children:
                yield from c.subtree

    leaf, kept = Tok(3), Tok(2)
    dropped = Tok(1, [leaf])
    head = Tok(0, [dropped, kept])
    assert cut_tokens(head, lambda child, depth: child is dropped) == {1, 3}
    assert cut_tokens(head, lambda child, depth: False) == set()
    assert BoundModel().weights == {}


NESTED = (
    "Mr. Kamin, who stressed that the levy would fall on small firms, said the council had "
    "not asked them.\n"
)


@pytest.fixture(scope="module")
def nested(settings):
    return service.analyse(Article("nested", NESTED), settings).statements


def test_the_shipped_boundary_model_reads_whether_a_child_heads_a_cue():
    assert any(k.startswith("dep+cue=relcl") for k in load_resource().bounds.weights)


def test_a_relative_clause_with_its_own_cue_is_another_statement(nested):
    said = next(s for s in nested if s.cue == "said" and s.source.startswith("Mr. Kamin"))
    assert said.source == "Mr. Kamin"


def test_a_word_inside_the_quotation_is_no_source(settings):
    from tests.conftest import shared_path

    # PolNeAR dev: the parser makes the quotation's "We" the subject of "said".
    path = shared_path("data", "polnear", "dev", "text",
                       "huff-post_2016-09-20_hillary-clinton-speaks-directly-.txt")
    text = path.read_text(encoding="utf-8")
    start = text.index("“I will just make this promise")
    end = text.index("said Monday", start)
    found = service.analyse(Article("quoted", text), settings).statements
    assert not [s for s in found if start <= s.cue_start <= end and s.source == "We"]

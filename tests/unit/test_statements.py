"""The statements layer on sentences we wrote: sources as written, pronouns kept and resolved,
direct / indirect / according-to / colon / headline forms, media as speaker or as channel."""

import pytest

from storyline import service
from storyline.model import Article
from storyline.nlp.statements import build_resource, load_resource

pytestmark = pytest.mark.slow

TEXT = (
    "Fox Poll: Voters Sour On Both Parties\n\n"
    "The city closed the old bridge on Monday for repairs.\n\n"
    "Attorney General Loretta Lynch said Tuesday that the inquiry would continue. "
    "She said the files had been sent to prosecutors.\n\n"
    "“We are not going to back down,” Senator Tom Cotton told CNN.\n\n"
    "Reuters reported that the talks had stalled. The deficit grew by 4 percent last year, "
    "according to the Congressional Budget Office.\n\n"
    "Mayor Ann Fry continued:\n\n"
    "“This bridge has waited long enough for its repairs.”\n"
)


@pytest.fixture(scope="module")
def statements(settings):
    analysis = service.analyse(Article("t1", TEXT), settings)
    return analysis.statements


def _by_cue(statements, cue):
    return next(s for s in statements if s.cue == cue)


def _content(s):
    return TEXT[s.content_start : s.content_end]


def test_source_keeps_its_title_and_the_content_its_that_clause(statements):
    s = _by_cue(statements, "said")
    assert s.source == "Attorney General Loretta Lynch"
    assert TEXT[s.source_start : s.source_end] == s.source
    assert _content(s) == "that the inquiry would continue" and s.kind == "indirect"
    assert TEXT[s.cue_start : s.cue_end] == "said"


def test_a_pronoun_source_is_kept_and_resolved_separately(statements):
    s = next(x for x in statements if x.source == "She")
    assert TEXT[s.source_start : s.source_end] == "She"
    assert s.entity == "Loretta Lynch"
    assert TEXT[s.entity_start : s.entity_end] == "Loretta Lynch"


def test_a_direct_quote_told_to_a_medium_credits_the_medium_as_channel(statements):
    s = _by_cue(statements, "told")
    assert s.source == "Senator Tom Cotton" and s.entity == "Tom Cotton"
    assert _content(s) == "“We are not going to back down,”" and s.kind == "direct"
    assert s.channel == "CNN" and TEXT[s.channel_start : s.channel_end] == "CNN"
    assert s.source_role == "person"


def test_a_medium_can_be_the_speaker(statements):
    s = _by_cue(statements, "reported")
    assert s.source == "Reuters" and s.source_role == "medium" and s.channel == ""


def test_according_to_colon_and_headline_forms(statements):
    s = _by_cue(statements, "according to")
    assert s.kind == "according-to" and s.source == "the Congressional Budget Office"
    assert _content(s).startswith("The deficit grew")
    s = _by_cue(statements, "continued")
    assert s.kind == "colon" and _content(s).startswith("“This bridge")
    s = _by_cue(statements, ":")
    assert s.kind == "headline" and s.source == "Fox Poll"
    assert _content(s) == "Voters Sour On Both Parties"


def test_an_action_is_no_statement(statements):
    assert not any(s.source.startswith("The city") for s in statements)


def test_every_span_indexes_the_text(statements):
    for s in statements:
        assert 0 <= s.start <= s.content_start < s.content_end <= s.end <= len(TEXT)
        assert 0.0 <= s.confidence <= 1.0 and s.sentence >= 0


def test_the_fitted_resource_is_the_shipped_file():
    res = load_resource()
    assert res.cues["say"] > 0.1 and "according to" in res.cues
    assert res.weights and 0.0 < res.min_probability < 1.0
    assert not build_resource({"cues": {}, "source_paths": {}, "content_deps": {},
                               "content_lemma": {}, "source_drop": {}, "cue_parts": {}}).cues


def test_a_dateline_before_a_colon_is_no_source(settings):
    text = "WASHINGTON: The Senate passed the budget bill on Friday night.\n"
    analysis = service.analyse(Article("t2", text), settings)
    assert not [s for s in analysis.statements if s.cue == ":"]

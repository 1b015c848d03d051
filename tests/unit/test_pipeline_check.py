"""The pipeline refuses components whose requires or assigns do not hold at build time."""

from __future__ import annotations

import pytest

from storyline.errors import PipelineError
from storyline.nlp.pipeline import Pipeline


class _Comp:
    def __init__(self, name, requires, assigns):
        self.name, self.requires, self.assigns = name, requires, assigns

    def process(self, batch):
        pass


def test_assigns_must_be_fields_of_an_analysis():
    with pytest.raises(PipelineError, match="no field of an analysis"):
        Pipeline([_Comp("x", (), ("names",))])


def test_requires_must_be_assigned_before():
    with pytest.raises(PipelineError, match="requires mentions"):
        Pipeline([_Comp("quotes", ("mentions",), ("quotes",))])


def test_a_component_may_refine_a_field_assigned_before():
    p = Pipeline([_Comp("entities", (), ("mentions",)), _Comp("names", ("mentions",),
                                                             ("mentions",))])
    assert p.names == ["entities", "names"]


def test_the_default_pipeline_builds():
    from storyline.nlp import build_pipeline
    from storyline.nlp.options import AnalysisOptions

    p = build_pipeline(AnalysisOptions(embedder="hashing"), embed=False)
    assert "names" in p.names

"""Quality gate for attribution: the statements layer scored on the PolNeAR dev split.

PolNeAR (Newell et al., LREC 2018) is read from ../shared/data and the test is skipped when it
is missing. Everything the layer learned was fitted on the train split only
(benchmarks/fit_attribution_cues.py); dev was only measured. Floors sit a little under the
figures measured when the layer was last refitted (README "Attribution quality"): 84 texts,
2,192 gold relations; source exact F1 0.751, source overlap 0.782, cue overlap 0.762, content
overlap 0.825, relations 0.741 (the round before: 0.744, 0.781, 0.764, 0.827, 0.741; the first
statements layer: 0.703, 0.749, 0.734, 0.819, 0.707;
the code before any: 0.361, 0.538, 0.545, 0.613, 0.444).
"""

import pytest
from tests.conftest import shared_path

from storyline.service import evaluate_attribution

pytestmark = [pytest.mark.eval, pytest.mark.slow]

FLOORS = {
    "source_exact": 0.74,
    "source_overlap": 0.77,
    "cue_overlap": 0.75,
    "content_overlap": 0.81,
    "relation": 0.73,
}


def test_polnear_dev_floors(settings):
    report = evaluate_attribution(shared_path("data", "polnear", "dev"), settings)
    assert report.documents == 84
    assert report.scores["relation"].gold == 2192
    low = {k: round(report.scores[k].f1, 3) for k, floor in FLOORS.items()
           if report.scores[k].f1 < floor}
    assert not low, (low, report.as_dict())

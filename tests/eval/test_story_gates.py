"""Quality gates for story clustering and story similarity, floors pinned below measured values.

Floors are the figure reached when the constants were last tuned, minus 0.02 (see the lead's
report table). Skipped when ../shared/data is not checked out next to the repository.
"""

from pathlib import Path

import pytest

from storyline.service import evaluate_clustering, evaluate_similarity
from storyline.settings import load_settings

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

pytestmark = [
    pytest.mark.eval,
    pytest.mark.slow,
    pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not available"),
]

# (file, refined BCubed F1 floor, online-pass floor); measured refined: ecbplus 0.912,
# uci 0.830, newswcl50 1.000; online assignments as made: 0.854, 0.783, 0.923 (files read by
# ingest; uci's last 2,366 online assignments follow the refinement at 4,000 articles).
CLUSTERING_FLOORS = [
    ("ecbplus/dev.jsonl", 0.89, 0.83),
    ("uci_headlines/headlines.jsonl", 0.81, 0.75),
    ("newswcl50/articles.jsonl", 0.98, 0.90),
]
# Measured with the deep similarity: Pearson en-en 0.817, all pairs 0.555; with the online
# pass's similarity: 0.686, 0.483.
PEARSON_FLOORS = {"deep": (0.79, 0.53), "online": (0.66, 0.46)}


@pytest.mark.parametrize(("name", "floor", "online_floor"), CLUSTERING_FLOORS)
def test_clustering_gate(name: str, floor: float, online_floor: float):
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{name} missing")
    report = evaluate_clustering(path)
    assert report.stage == "refined"
    assert report.bcubed_f1 >= floor, report.as_dict()
    assert report.online_bcubed_f1 >= online_floor, report.as_dict()


@pytest.mark.parametrize("refine", [True, False], ids=["deep", "online"])
def test_similarity_gate(refine: bool):
    path = DATA / "semeval2022_task8" / "train.csv"
    if not path.exists():
        pytest.skip("semeval train missing")
    report = evaluate_similarity(path, load_settings({"story_refine": refine}))
    en_floor, all_floor = PEARSON_FLOORS[report.similarity]
    assert report.similarity == ("deep" if refine else "online")
    assert report.pearson_en >= en_floor, report.as_dict()
    assert report.pearson_all >= all_floor, report.as_dict()

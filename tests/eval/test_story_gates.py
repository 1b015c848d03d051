"""Quality gates for story clustering and story similarity, floors pinned below measured values.

Floors are the figure reached when the constants were last tuned, minus 0.02 (see the lead's
report table). Skipped when ../shared/data is not checked out next to the repository.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.service import evaluate_clustering, evaluate_similarity, read_labelled
from storyline.settings import load_settings
from storyline.stories.baseline import cluster_baseline
from storyline.stories.metrics import bcubed

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

pytestmark = [
    pytest.mark.eval,
    pytest.mark.slow,
    pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not available"),
]

# (file, refined BCubed F1 floor, online-pass floor); measured refined: ecbplus 0.912,
# uci 0.830, newswcl50 1.000; online assignments as made: 0.854, 0.783, 0.923 (files read by
# ingest; uci's last 2,366 online assignments follow the refinement at 4,000 articles).
# GVA dev through ingest's code path (batches of 1,000 in file order), pages of thin text told
# apart by their titles (branch stories6): refined 0.883, online 0.882 (0.875 / 0.873 before,
# same run); two headline pages beyond an open story's lifetime not joined and two full reports
# close in time a little closer (branch stories7): refined 0.893, online 0.882; follow-ups of
# closed stories joined (branch stories10): refined 0.897, online 0.881.
CLUSTERING_FLOORS = [
    ("gva/dev.jsonl", 0.88, 0.86),
    ("ecbplus/dev.jsonl", 0.89, 0.83),
    ("uci_headlines/headlines.jsonl", 0.81, 0.75),
    ("newswcl50/articles.jsonl", 0.98, 0.90),
]
# Measured with the deep similarity: Pearson en-en 0.817, all pairs 0.555; with the online
# pass's similarity: 0.686, 0.483.
PEARSON_FLOORS = {"deep": (0.79, 0.71), "online": (0.66, 0.46)}
# Cross-language pairs of the deep similarity (multilingual route, 5-fold CV: 0.726; MiniLM on
# every pair scored 0.537 in the same run).
CROSS_LANGUAGE_FLOOR = 0.71


@pytest.fixture(scope="session")
def clustering() -> Callable:
    """``evaluate_clustering`` of a set, run once per session: the gates of a set read one run
    (an ingest of a set is deterministic). The clustering gates took 240 s wall, 139 CPU s,
    against 692 s, 403 CPU s when each gate ran its own (shared machine, one after the other)."""
    reports: dict = {}

    def report_of(name: str):
        path = DATA / name
        if not path.exists():
            pytest.skip(f"{name} missing")
        if name not in reports:
            reports[name] = evaluate_clustering(path)
        return reports[name]

    return report_of


@pytest.fixture(scope="session")
def baseline() -> Callable:
    """BCubed F1 of issue 10's TF-IDF + time baseline on a set, computed once per session."""
    scores: dict = {}

    def score_of(name: str) -> float:
        if name not in scores:
            articles, _ = read_labelled(DATA / name)
            gold = [a.get("story") for a in articles]
            scores[name] = bcubed(cluster_baseline(articles), gold).f1
        return scores[name]

    return score_of


@pytest.mark.parametrize(("name", "floor", "online_floor"), CLUSTERING_FLOORS)
def test_clustering_gate(name: str, floor: float, online_floor: float, clustering: Callable):
    report = clustering(name)
    assert report.stage == "refined"
    assert report.bcubed_f1 >= floor, report.as_dict()
    assert report.online_bcubed_f1 >= online_floor, report.as_dict()


# Issue 10's target: refinement keeps or raises the online pass on every set. Through ingest's
# code path GVA dev's refinement lowered it (0.867 vs 0.873) until shared names waived part of
# its time penalty (0.875 vs 0.873, same run).
@pytest.mark.parametrize("name", [f for f, _, _ in CLUSTERING_FLOORS])
def test_refinement_never_hurts(name: str, clustering: Callable):
    report = clustering(name)
    assert report.bcubed_f1 >= report.online_bcubed_f1, report.as_dict()


# Issue 10's target: refined BCubed F1 ahead of the TF-IDF + time baseline by 0.03 on every
# set. Measured (same run, branch stories7): GVA dev 0.8929 vs 0.8830 (+0.0099: the target
# missed by 0.020, a strict xfail until it is met), ECB+ dev 0.908 vs 0.872, uci 0.826 vs
# 0.614, NewsWCL50 1.000 vs 0.875; branch stories10 (follow-ups of closed stories): GVA dev
# +0.014, still missed.
MISSED_BASELINE = {"gva/dev.jsonl"}
# Where the target is missed, how far below the baseline the set may fall: GVA dev was 0.008
# below it before pages of thin text were told apart by their titles, +0.0002 after, +0.0099
# with branch stories7 (far headline pages apart, close full reports closer), +0.014 with
# branch stories10.
LEVEL_WITH_BASELINE = {"gva/dev.jsonl": 0.01}


@pytest.mark.parametrize("name", [f for f, _, _ in CLUSTERING_FLOORS])
def test_clustering_beats_the_baseline(
    name: str, request, clustering: Callable, baseline: Callable
):
    if name in MISSED_BASELINE:
        request.applymarker(pytest.mark.xfail(strict=True, reason="issue 10 target missed"))
    report = clustering(name)
    assert report.bcubed_f1 >= baseline(name) + 0.03, (report.bcubed_f1, baseline(name))


@pytest.mark.parametrize(("name", "margin"), sorted(LEVEL_WITH_BASELINE.items()))
def test_clustering_keeps_level_with_the_baseline(
    name: str, margin: float, clustering: Callable, baseline: Callable
):
    report = clustering(name)
    assert report.bcubed_f1 >= baseline(name) + margin, (report.bcubed_f1, baseline(name))


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
    if refine:
        assert report.folds > 0  # the multilingual calibration is scored out of fold
        assert report.pearson_cross >= CROSS_LANGUAGE_FLOOR, report.as_dict()
        assert report.pearson_all > report.pearson_all_minilm, report.as_dict()

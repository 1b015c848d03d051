"""Every CLI command end to end on the bundled demo stream (subprocesses, JSON output)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "src" / "storyline" / "data" / "demo"
CORPUS = DEMO / "corpus.jsonl"

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "storyline.interfaces.cli", *args],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("cli") / "news.db")
    report = json.loads(run("ingest", str(CORPUS), "--store", db, "--json").stdout)
    assert report["added"] + report["revisions"] == len(CORPUS.read_text().splitlines())
    return db


def test_stories_json_and_csv(store):
    rows = json.loads(run("stories", "--store", store, "--json").stdout)
    assert rows and all(r["id"] and r["label"] and r["articles"] >= 1 for r in rows)
    csv_lines = run("stories", "--store", store, "--csv").stdout.splitlines()
    assert csv_lines[0].startswith("id,") and len(csv_lines) == len(rows) + 1
    since = json.loads(run("stories", "--store", store, "--json", "--since", "2026-03-15").stdout)
    assert 0 < len(since) < len(rows)


def test_story_timeline_and_comparison(store, tmp_path):
    rows = json.loads(run("stories", "--store", store, "--json").stdout)
    biggest = max(rows, key=lambda r: len(r["outlets"]) * 100 + r["articles"])
    page = tmp_path / "story.html"
    data = json.loads(run("story", biggest["id"], "--store", store, "--json", "--compare",
                          "--html", str(page)).stdout)
    assert [t["id"] for t in data["timeline"]]
    assert data["comparison"]["claims"] and page.read_text().startswith("<!doctype html>")
    text = run("story", biggest["id"], "--store", store).stdout
    assert "●" in text  # the drawn timeline


def test_eval_clustering_and_settings():
    report = json.loads(run("eval", "clustering", str(CORPUS), "--json").stdout)
    assert 0 < report["bcubed_f1"] <= 1 and report["gold_clusters"] == 5
    settings = json.loads(run("settings", "--json").stdout)
    assert settings["store"]["default"] == "storyline.db"


def test_unknown_story_is_a_clear_error(store):
    result = subprocess.run(
        [sys.executable, "-m", "storyline.interfaces.cli", "story", "s999999", "--store", store],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "[E404]" in result.stderr
    assert "Traceback" not in result.stderr

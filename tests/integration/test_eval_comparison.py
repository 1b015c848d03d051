"""`storyline eval comparison` end to end on a small gold file over the demo event (models load)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EVENT = Path(__file__).resolve().parents[2] / "src" / "storyline" / "data" / "demo" / "event"

pytestmark = pytest.mark.slow


def test_eval_comparison_reads_files_and_inline_articles(tmp_path):
    # Both sides of the planted death toll (demo README), one article by path, one inline.
    inline = (EVENT / "continental-dispatch.txt").read_text(encoding="utf-8")
    gold = {
        "event": "demo",
        "articles": [
            {"path": str(EVENT / "harbour-times.txt")},
            {"id": "cd", "outlet": "continentaldispatch.example", "text": inline},
        ],
        "disputes": [
            {
                "kind": "number",
                "question": "how many died in Umm Rayhan",
                "sides": [
                    {"value": r"killing 11\b", "outlets": ["harbourtimes.example"]},
                    {"value": "at least 16", "outlets": ["continentaldispatch.example"]},
                ],
            }
        ],
        "shared": [
            {
                "pattern": r"\b212\b",
                "outlets": ["harbourtimes.example", "continentaldispatch.example"],
            }
        ],
        "only_in": [],
        "complete": False,
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "storyline.interfaces.cli", "eval", "comparison", str(path)]
    done = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["events"] == 1 and report["complete_events"] == 0
    assert report["disputes"]["number"]["gold"] == 1
    assert report["disputes"]["all"]["reported"] == 0  # precision only on complete events
    assert report["shared"]["gold"] == 1
    table = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert table.returncode == 0 and "rows/real" in table.stdout, table.stderr

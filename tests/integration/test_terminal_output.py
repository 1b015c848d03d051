"""Rich markup and terminal escapes in article fields reach the terminal as plain text.

A ``[/]`` in a title used to end `analyse`, `compare`, `story ID` and `stories` in a MarkupError
traceback, and an ESC sequence in a JSONL outlet reached the screen raw (issue #9).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from storyline.interfaces.report_text import render_timeline
from storyline.interfaces.terminal import clean, safe

ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m\u202e"  # clear screen, set title, C1 CSI, bidi override
MARKUP = "[/] [bold]loud[/bold] [link=https://evil.example]x[/link]"
TITLE = f"Dam breach {MARKUP}"
OUTLET = f"Evil{ESCAPES} Times [/]"
BODY = (
    "Engineers in the river town of Callowmere opened the spillway of the old dam on Tuesday "
    "after water rose above the warning mark, the regional water office said. About 1,200 "
    f"residents were moved to higher ground {MARKUP}, and the office said the level would be "
    "checked every hour. \"We will not take risks with the dam,\" director Mirela Okonjo said."
)


def test_clean_removes_controls_and_keeps_text():
    assert clean("a\x1b[31mb\tc\nd\x7f\x85\u2028e\u2066f") == "a[31mb\tc\nd\nef"
    assert clean(None) == "" and clean(3) == "3"
    text = safe(MARKUP, "bold")
    assert text.plain == MARKUP and text.style == "bold"  # brackets stay literal


def test_timeline_prints_markup_and_escapes_literally():
    buffer = StringIO()
    console = Console(file=buffer, width=200, force_terminal=False, color_system=None)
    data = {
        "id": "s000001", "label": TITLE, "articles": 1, "outlets": [OUTLET],
        "timeline": [
            {"id": "a1", "outlet": OUTLET, "title": TITLE, "url": "", "copy_of": None,
             "published": "2026-03-01T10:00:00+00:00"},
            {"id": "a2", "outlet": OUTLET, "title": TITLE, "url": "", "copy_of": None,
             "published": None},
        ],
    }
    render_timeline(data, console)
    printed = buffer.getvalue()
    assert "[/] [bold]loud[/bold]" in printed
    assert not any(c in printed for c in "\x1b\x07\x9b\u202e")


def run(*args: str) -> subprocess.CompletedProcess:
    """Run the CLI; exit 0, no traceback, and (but for --json, which is data) no control
    character printed."""
    result = subprocess.run(
        [sys.executable, "-m", "storyline.interfaces.cli", *args],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr) if "--json" not in args else ():
        assert not any(c in stream for c in "\x1b\x07\x9b\u202e"), stream
    return result


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hostile")
    records = [
        {"id": f"h{i}", "title": TITLE, "text": BODY + f" Report {i} of the day.",
         "url": f"https://evil{i}.example/2026/03/01/dam", "outlet": OUTLET,
         "published": f"2026-03-01T1{i}:00:00Z", "language": "en"}
        for i in range(3)
    ]
    (d / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    for name, extra in (("a.txt", ""), ("b.txt", " Police closed the bridge [/].")):
        (d / name).write_text(f"{TITLE}\n\n{BODY}{extra}\n", encoding="utf-8")
    return {"dir": d, "feed": d / "feed.jsonl", "db": d / "news.db"}


@pytest.mark.slow
def test_stories_and_story_print_hostile_fields_as_text(hostile):
    db = str(hostile["db"])
    run("ingest", str(hostile["feed"]), "--store", db, "--no-refine")
    listed = run("stories", "--store", db).stdout
    assert "[/] [bold]loud" in listed
    rows = json.loads(run("stories", "--store", db, "--json").stdout)
    shown = run("story", rows[0]["id"], "--store", db).stdout
    assert "Evil[2J]0;owned31m" in shown and "[bold]loud[/bold] [link=https://evil" in shown
    csv_text = run("stories", "--store", db, "--csv").stdout
    assert "[/]" in csv_text


@pytest.mark.slow
def test_analyse_and_compare_print_hostile_fields_as_text(hostile):
    a, b = str(hostile["dir"] / "a.txt"), str(hostile["dir"] / "b.txt")
    assert "[/] [bold]loud" in run("analyse", a).stdout
    assert "[/]" in run("compare", a, b).stdout

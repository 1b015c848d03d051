"""Bad input through the CLI: one clear coded line naming the file, non-zero exit, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"

GERMAN = (
    "Der Stadtrat von Kleinfeld hat am Montag beschlossen, die alte Brücke über den Fluss zu "
    "sperren. Nach Angaben der Verwaltung wurden bei einer Prüfung Risse in den Pfeilern "
    "gefunden. Die Bürgermeisterin sagte, man werde so schnell wie möglich eine Lösung finden, "
    "damit Pendler und Schüler nicht lange Umwege fahren müssen."
)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "storyline.interfaces.cli", *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    files = {
        "empty": d / "empty.txt",
        "binary": d / "image.txt",
        "latin1": d / "latin1.txt",
        "huge": d / "huge.txt",
        "nomain": d / "nav.html",
        "german": d / "german.txt",
        "good": d / "good.txt",
    }
    files["empty"].write_text("")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    latin1 = "Le d\xe9put\xe9 a d\xe9clar\xe9 que".encode("latin-1")
    files["latin1"].write_bytes(latin1 + b"\xff\xfe")
    files["huge"].write_text("Word " * 5000)
    files["nomain"].write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    files["german"].write_text(GERMAN)
    files["good"].write_text("Headline\n\nThe council voted on Monday to close the old bridge.")
    return files


@pytest.mark.parametrize(
    ("case", "args", "code"),
    [
        ("empty", ("analyse",), "E101"),
        ("binary", ("analyse",), "E102"),
        ("latin1", ("analyse",), "E103"),
        ("huge", ("analyse", "--max-bytes", "1000"), "E104"),
        ("nomain", ("analyse",), "E105"),
        ("german", ("analyse",), "E110"),
        ("good", ("compare",), "E200"),
    ],
)
def test_bad_input_is_one_clear_line(bad, case, args, code):
    path = bad[case]
    result = run(*args, str(path))
    assert result.returncode != 0
    assert f"[{code}]" in result.stderr, result.stderr
    assert path.name in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_file(tmp_path):
    result = run("analyse", str(tmp_path / "nope.txt"))
    assert result.returncode != 0
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr


def test_compare_with_one_bad_file_names_it(bad):
    result = run("compare", str(bad["good"]), str(bad["binary"]))
    assert result.returncode != 0
    assert "image.txt" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("compare", "--format", "json", "a.txt", "b.txt"), "No such option: --format"),
        (("nosuchcommand",), "No such command"),
        (("ingest", "--store"), "requires an argument"),
    ],
)
def test_usage_errors_are_a_message_not_a_traceback(args, says):
    result = run(*args)
    assert result.returncode == 2
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout

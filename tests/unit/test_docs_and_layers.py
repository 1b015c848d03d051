"""The README, --help and the code's layering stay true."""

from __future__ import annotations

import ast
from pathlib import Path

from storyline.interfaces.cli import app, eval_app
from storyline.settings import SETTINGS

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "storyline"
README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(typer_app) -> list[str]:
    return [c.name or c.callback.__name__ for c in typer_app.registered_commands]


def test_every_command_is_documented():
    for name in _commands(app):
        assert f"`storyline {name}" in README, name
    for name in _commands(eval_app):
        assert f"`storyline eval {name}" in README, name
    for group in app.registered_groups:
        assert f"`storyline {group.name}" in README, group.name
        for command in group.typer_instance.registered_commands:
            if not command.hidden:
                assert f"`storyline {group.name} {command.name}" in README, command.name


def test_every_setting_is_documented_with_its_default():
    table = README.split("<!-- settings-table -->")[1].split("<!-- /settings-table -->")[0]
    for s in SETTINGS:
        assert f"| `{s.name}` | `{s.default}` | {s.help} |" in table, s.name


def test_readme_shows_the_story_page():
    """Issue #11: the README's serving section shows a picture of a story page that is there."""
    import re
    import struct

    serving = README.split("### Serving (`storyline serve`)")[1].split("\n### ")[0]
    pictures = re.findall(r"!\[[^\]]*\]\(([^)\s]+\.png)\)", serving)
    assert pictures, "no picture in the Serving section"
    head = (REPO / pictures[0]).read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24])[0] >= 1000  # a desktop window, not a thumbnail


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in README and "make test" in ci


def _imports(package: str) -> set[str]:
    """Top-level storyline subpackages/modules imported anywhere under ``package``."""
    found = set()
    root = SRC / package
    files = [root.with_suffix(".py")] if root.with_suffix(".py").exists() else root.rglob("*.py")
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif (  # importlib.import_module("storyline.x"): an import the statements hide
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names = [node.args[0].value]
            for name in names:
                parts = name.split(".")
                if parts[0] == "storyline" and len(parts) > 1:
                    found.add(parts[1])
    return found - {package}


def test_dependencies_point_one_way():
    assert _imports("model") == set()
    for layer in ("ingest", "nlp", "store", "stories", "compare"):
        assert not _imports(layer) & {"service", "interfaces"}, layer
    assert "store" not in _imports("nlp")
    assert "nlp" not in _imports("store")
    assert "interfaces" not in _imports("service")


def test_modules_stay_small():
    for path in SRC.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 650, f"{path.relative_to(REPO)} has {lines} lines"

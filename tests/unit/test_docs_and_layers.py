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


LOWER_LAYERS = ("ingest", "nlp", "stories", "compare", "store")


def _settings_uses(path: Path) -> list[str]:
    """Where a module reads the settings table: imports of ``storyline.settings`` (statements
    or ``import_module`` strings) and parameters named ``settings``, as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if a.name == "storyline.settings"]
        elif isinstance(node, ast.ImportFrom) and (
            node.module == "storyline.settings"
            or (node.module == "storyline" and any(a.name == "settings" for a in node.names))
        ):
            found.append(f"{node.lineno}: from {node.module} import ...")
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "storyline.settings"
        ):
            found.append(f"{node.lineno}: import_module('storyline.settings')")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            a = node.args
            params = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
            if any(p is not None and p.arg == "settings" for p in params):
                found.append(f"{node.lineno}: {getattr(node, 'name', 'lambda')}(settings)")
    return found


def test_lower_layers_take_typed_options_not_the_settings():
    """Issue #11: the layers below service take the typed options service builds from the
    settings table, never the table or a settings dict."""
    uses = {
        str(path.relative_to(SRC)): found
        for layer in LOWER_LAYERS
        for path in sorted((SRC / layer).rglob("*.py"))
        if (found := _settings_uses(path))
    }
    assert uses == {}


def test_the_options_defaults_are_the_settings_defaults():
    """The typed options' own defaults (for callers outside a configured run) are what
    service builds from the table's defaults."""
    from storyline.ingest.options import FetchOptions, ReadOptions
    from storyline.nlp.options import AnalysisOptions
    from storyline.service import options
    from storyline.stories import refine
    from storyline.stories.options import StoryOptions, TrackOptions

    defaults = {s.name: s.default for s in SETTINGS}
    assert options.read_options(defaults) == ReadOptions()
    assert options.fetch_options(defaults) == FetchOptions()
    assert options.analysis_options(defaults) == AnalysisOptions()
    assert options.story_options(defaults) == StoryOptions()
    assert options.track_options(defaults) == TrackOptions()
    assert StoryOptions().refine_threshold == refine.THRESHOLD


def test_modules_stay_small():
    for path in SRC.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 650, f"{path.relative_to(REPO)} has {lines} lines"

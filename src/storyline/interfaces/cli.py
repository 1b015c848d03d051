"""The `storyline` command line: thin commands over storyline.service.

Each command parses its options, calls one service function and renders the result. Errors the
user can fix (StorylineError) print as ``[E###] file: message. Hint: ...`` with a non-zero exit
and no traceback.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from storyline.errors import StorylineError
from storyline.model import to_dict
from storyline.settings import SETTINGS, load_settings

app = typer.Typer(
    name="storyline",
    help="Compare how news outlets report the same event, claim by claim, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

JsonOpt = typer.Option(False, "--json", help="Print the full result as JSON.")
StoreOpt = typer.Option(None, "--store", help="Store path or URL (setting: store).")
MaxBytesOpt = typer.Option(None, "--max-bytes", help="Largest input read, in bytes.")


def _settings(**overrides) -> dict:
    return load_settings({k: v for k, v in overrides.items() if v is not None})


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def analyse(
    file: Path = typer.Argument(..., help="An article file (text or HTML)."),
    as_json: bool = JsonOpt,
    max_bytes: int = MaxBytesOpt,
) -> None:
    """Analyse one article: sentences, entities, amounts, dates, quotes, sources."""
    from storyline import service
    from storyline.interfaces.report_text import render_analysis

    data = to_dict(service.analyse(file, _settings(max_bytes=max_bytes)))
    if as_json:
        _print_json(data)
    else:
        render_analysis(data, out)


@app.command()
def compare(
    files: list[Path] = typer.Argument(..., help="Two or more article files on one event."),
    as_json: bool = JsonOpt,
    html: Path = typer.Option(None, "--html", help="Also write a self-contained HTML report."),
    max_bytes: int = MaxBytesOpt,
) -> None:
    """Compare articles claim by claim: shared, only-in, conflicts, sources, wording, names."""
    from storyline import service
    from storyline.interfaces.report_text import render_comparison

    data = to_dict(service.compare(files, _settings(max_bytes=max_bytes)))
    if html:
        from storyline.interfaces.report_html import render_html

        html.write_text(render_html(data), encoding="utf-8")
        err.print(f"HTML report written to {html}")
    if as_json:
        _print_json(data)
    else:
        render_comparison(data, out)


def demo_event_files() -> list[Path]:
    """The bundled demo event: one fictional event as four fictional outlets reported it."""
    root = resources.files("storyline").joinpath("data/demo/event")
    return sorted(Path(str(root)).glob("*.txt"))


@app.command()
def demo(
    html: Path = typer.Option(Path("storyline-demo.html"), "--html", help="Where to write "
                              "the HTML report."),
) -> None:
    """Run the bundled demo: compare four outlets' reports of one fictional event."""
    from storyline import service
    from storyline.interfaces.report_html import render_html
    from storyline.interfaces.report_text import render_comparison

    files = demo_event_files()
    err.print(f"Comparing the bundled demo event ({len(files)} articles)…")
    data = to_dict(service.compare(files, _settings()))
    render_comparison(data, out)
    html.write_text(render_html(data), encoding="utf-8")
    err.print(f"HTML report written to {html}")


@app.command("settings")
def show_settings(as_json: bool = JsonOpt) -> None:
    """List every setting with its current value, default and meaning."""
    from rich.table import Table

    values = load_settings()
    if as_json:
        _print_json({s.name: {"value": values[s.name], "default": s.default, "help": s.help}
                     for s in SETTINGS})
        return
    t = Table(title="Settings (file storyline.toml -> env STORYLINE_<NAME> -> CLI option)")
    for col in ("name", "value", "default", "help"):
        t.add_column(col)
    for s in SETTINGS:
        t.add_row(s.name, str(values[s.name]), str(s.default), s.help)
    out.print(t)


def main() -> None:
    """Entry point: run the CLI, turning user errors into one clear line and an exit code."""
    try:
        app(standalone_mode=False)
    except StorylineError as exc:
        err.print(Text.assemble(("error ", "bold red"), exc.render()), highlight=False)
        sys.exit(2 if exc.code.startswith("E6") else 1)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()

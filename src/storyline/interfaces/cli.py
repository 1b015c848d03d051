"""The `storyline` command line: thin commands over storyline.service.

Each command parses its options, calls one service function and renders the result. Errors the
user can fix (StorylineError) print as ``[E###] file: message. Hint: ...`` with a non-zero exit
and no traceback.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import typer
from rich.text import Text
from typer.core import TyperGroup

from storyline.errors import CorrectionError, NothingReadError, SettingError, StorylineError
from storyline.interfaces.cli_common import JsonOpt, MaxBytesOpt, StoreOpt, err, out
from storyline.interfaces.cli_common import print_json as _print_json
from storyline.interfaces.cli_common import settings as _settings
from storyline.interfaces.cli_eval import eval_app
from storyline.interfaces.terminal import clean, safe
from storyline.model import to_dict
from storyline.settings import SETTINGS, load_settings

app = typer.Typer(
    name="storyline",
    help="Compare how news outlets report the same event, claim by claim, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    files: list[Path] = typer.Argument(
        None, help="Articles on one event: files, JSONL/CSV dumps or folders (two or more)."
    ),
    story: str = typer.Option(None, "--story", help="Compare a stored story instead."),
    store: str = typer.Option(None, "--store", help="The store holding --story."),
    as_json: bool = JsonOpt,
    html: Path = typer.Option(None, "--html", help="Also write a self-contained HTML report."),
    max_bytes: int = MaxBytesOpt,
) -> None:
    """Compare articles claim by claim: disputes, shared, only-in, sources, wording, names."""
    from storyline import service
    from storyline.interfaces.report_text import render_comparison

    settings = _settings(max_bytes=max_bytes, store=store)
    if story:
        comparison = service.compare_story(story, settings)
    else:
        comparison = service.compare(files or [], settings)
    data = to_dict(comparison)
    if html:
        from storyline.interfaces.report_html import render_html

        html.write_text(render_html(data), encoding="utf-8")
        err.print(safe(f"HTML report written to {html}"))
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
    html: Path = typer.Option(
        Path("storyline-demo.html"), "--html", help="Where to write the HTML report."
    ),
    store: str = typer.Option("storyline-demo.db", "--store", help="The demo's SQLite store."),
) -> None:
    """Run the bundled demo: stories from a small fictional news stream, then a comparison."""
    from storyline import service
    from storyline.interfaces.report_html import render_html
    from storyline.interfaces.report_text import render_comparison

    settings = _settings(store=store)
    corpus = Path(str(resources.files("storyline").joinpath("data/demo/corpus.jsonl")))
    err.print(safe(f"1/2 Ingesting the demo news stream into {store} …"))
    _print_ingest(service.ingest([str(corpus)], settings), as_json=False)
    stories(since=None, store=store, as_json=False, as_csv=False)
    files = demo_event_files()
    err.print(f"2/2 Comparing four outlets' reports of the dam crisis ({len(files)} articles) …")
    data = to_dict(service.compare(files, settings))
    render_comparison(data, out)
    html.write_text(render_html(data), encoding="utf-8")
    err.print(safe(f"HTML report written to {html}"))
    err.print(safe(f"Browse the demo store in the web app: storyline serve --store {store}"))


def _progress_columns():
    from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn

    return (
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.fields[counts]}", markup=False),
        TimeElapsedColumn(),
    )


def _counts(report) -> str:
    return (
        f"added {report.added} · duplicate {report.duplicates} · revision {report.revisions}"
        f" · copies {report.copies} · skipped {report.skipped}"
    )


def _refined(report) -> str:
    return (
        f"refined {report.refined} articles of open stories · moved {report.moved}"
        f" · stories merged away {report.stories_removed} · {report.refine_seconds:.1f} s"
    )


def _waiting(message: str) -> None:
    """Say that another process holds the store's writer lease."""
    err.print(safe(message, "yellow"))


RefineOpt = typer.Option(
    None,
    "--refine/--no-refine",
    help="Re-cluster open stories with document embeddings after ingest (default: setting).",
)


def _print_ingest(report, as_json: bool) -> None:
    if as_json:
        _print_json(report.as_dict())
        return
    out.print(f"{_counts(report)} · new stories {report.stories_opened} · {report.seconds:.1f} s")
    if report.refined:
        out.print(_refined(report))
    for source, reason in report.skips[:20]:
        err.print(safe(f"skipped {source}: {reason}", "yellow"))
    if len(report.skips) > 20:
        err.print(f"… and {len(report.skips) - 20} more skips (see the store's skip log)")
    if report.skip_kinds:
        kinds = " · ".join(f"{kind} {n}" for kind, n in sorted(report.skip_kinds.items()))
        err.print(safe(f"skipped by kind: {kinds}", "yellow"))


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., help="Files, directories, feed URLs, OPML lists."),
    store: str = StoreOpt,
    as_json: bool = JsonOpt,
    allow_private_urls: bool = typer.Option(
        None, "--allow-private-urls", help="Let fetch reach loopback/private addresses."
    ),
    refine: bool = RefineOpt,
) -> None:
    """Store articles, link syndicated copies and group them into stories as they arrive."""
    from rich.progress import Progress

    from storyline import service

    settings = _settings(store=store, allow_private_urls=allow_private_urls, story_refine=refine)
    with Progress(*_progress_columns(), console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=None, counts="")

        def advance(report, source: str) -> None:
            progress.update(
                task,
                description=clean(Path(source).name[:40] or source[:40]),
                counts=_counts(report),
                advance=1,
            )

        report = service.ingest(
            sources,
            settings,
            on_progress=advance,
            on_wait=lambda message: progress.console.print(safe(message, "yellow")),
        )
    _print_ingest(report, as_json)
    if report.nothing_read:
        raise NothingReadError(
            f"nothing could be read: {report.sources} source(s), {report.skipped} skip(s)"
        )


@app.command()
def backfill(
    sources: list[str] = typer.Argument(..., help="Files, directories, dumps, feed URLs."),
    engine: str = typer.Option("local", "--engine", help="Where analysis runs: local or ray."),
    address: str = typer.Option(None, "--address", help="A running Ray cluster's address."),
    workers: int = typer.Option(2, "--workers", help="Ray workers (one model copy each)."),
    store: str = StoreOpt,
    as_json: bool = JsonOpt,
    refine: bool = RefineOpt,
) -> None:
    """Store and analyse a large dump on a worker pool, then assign stories in time order."""
    from rich.progress import Progress

    from storyline import service

    settings = _settings(store=store, story_refine=refine)
    with Progress(*_progress_columns(), console=err, transient=True) as progress:
        task = progress.add_task("backfill", total=None, counts="")

        def advance(report, phase: str) -> None:
            counts = (
                f"read {report.read} · stored {report.stored} · analysed {report.analysed}"
                f" · kept {report.resumed} · skipped {report.skipped}"
            )
            if report.to_track:  # the story phase knows its total: a real bar
                counts = f"{report.tracked}/{report.to_track} in stories"
                progress.update(task, total=report.to_track, completed=report.tracked,
                                description=phase, counts=counts)
            else:
                progress.update(task, description=phase, counts=counts, advance=1)

        report = service.backfill(
            sources, settings, engine=engine, address=address, workers=workers,
            on_progress=advance, on_wait=lambda m: progress.console.print(safe(m, "yellow")),
        )
    if as_json:
        _print_json(report.as_dict())
    else:
        out.print(
            f"{report.engine} x{report.workers}: read {report.read} · stored {report.stored}"
            f" · duplicate {report.duplicates} · analysed {report.analysed} (kept from an"
            f" earlier run {report.resumed}, refused {report.not_analysed})"
            f" · {report.analyse_seconds:.1f} s"
        )
        out.print(
            f"stories: assigned {report.tracked} · new stories {report.stories.stories_opened}"
            f" · copies {report.stories.copies} · {report.story_seconds:.1f} s"
            f" · total {report.seconds:.1f} s"
        )
        if report.stories.refined:
            out.print(_refined(report.stories))
        for source, reason in report.skips[:20]:
            err.print(safe(f"skipped {source}: {reason}", "yellow"))
    if report.nothing_read:
        raise NothingReadError(f"nothing could be read: {report.skipped} skip(s)")


@app.command()
def watch(
    store: str = StoreOpt,
    interval: float = typer.Option(None, "--interval", help="Seconds between polls."),
    polls: int = typer.Option(None, "--polls", help="Stop after this many rounds."),
    as_json: bool = JsonOpt,
    allow_private_urls: bool = typer.Option(
        None, "--allow-private-urls", help="Let fetch reach loopback/private addresses."
    ),
    refine: bool = RefineOpt,
) -> None:
    """Poll the stored feeds (conditional GET, per-host politeness) and ingest what is new."""
    from storyline import service

    settings = _settings(
        store=store,
        watch_interval=interval,
        allow_private_urls=allow_private_urls,
        story_refine=refine,
    )

    def polled(report, url: str) -> None:
        err.print(safe(f"polled {url}: {_counts(report)}"))

    report = service.watch(
        settings, polls=polls, on_poll=None if as_json else polled, on_wait=_waiting
    )
    _print_ingest(report, as_json)


@app.command("refine")
def refine_command(store: str = StoreOpt, as_json: bool = JsonOpt) -> None:
    """Re-cluster the open stories with document embeddings (after ingest --no-refine)."""
    from storyline import service

    with err.status("refining open stories"):
        report = service.refine(_settings(store=store), on_wait=_waiting)
    if as_json:
        _print_json(report.as_dict())
    else:
        out.print(_refined(report) if report.refined else "no open stories to refine")


def _story_row(story) -> dict:
    return {
        "id": story.id,
        "label": story.label,
        "articles": story.size,
        "outlets": list(story.outlets),
        "languages": list(story.languages),
        "first_seen": story.first_seen.isoformat() if story.first_seen else None,
        "last_seen": story.last_seen.isoformat() if story.last_seen else None,
    }


@app.command()
def stories(
    since: str = typer.Option(None, "--since", help="Only stories active since this date."),
    store: str = StoreOpt,
    as_json: bool = JsonOpt,
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
) -> None:
    """List stories: label, size, outlets, first and last report."""
    from rich.table import Table

    from storyline import service
    from storyline.ingest.normalize import parse_date

    when = parse_date(since) if since else None
    if since and when is None:
        raise SettingError(f"--since: cannot read {since!r} as a date")
    rows = [_story_row(st) for st in service.list_stories(when, _settings(store=store))]
    if as_json:
        _print_json(rows)
    elif as_csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        for row in rows:
            row = {**row, "outlets": "; ".join(row["outlets"]),
                   "languages": "; ".join(row["languages"])}
            writer.writerow({k: clean(v) if isinstance(v, str) else v for k, v in row.items()})
    else:
        t = Table(title=f"{len(rows)} stories, most recent first")
        t.add_column("id", no_wrap=True, min_width=7)
        t.add_column("articles", justify="right", min_width=3)
        t.add_column("outlets", justify="right", min_width=3)
        t.add_column("first → last report", no_wrap=True, min_width=25)
        t.add_column("languages")
        t.add_column("label")
        for r in rows:
            first = (r["first_seen"] or "—")[:16].replace("T", " ")
            last = (r["last_seen"] or "—")[5:16].replace("T", " ")
            label = r["label"] if len(r["label"]) <= 60 else r["label"][:59] + "…"
            t.add_row(safe(r["id"]), str(r["articles"]), str(len(r["outlets"])),
                      safe(f"{first} → {last}"), safe(" ".join(r["languages"])), safe(label))
        out.print(t)


class _StoryGroup(TyperGroup):
    """`storyline story ID` shows a story (the hidden `show` command); merge, split and move
    correct the stories."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["show", *args]
        return super().parse_args(ctx, args)


app.add_typer(eval_app, name="eval")
story_app = typer.Typer(
    cls=_StoryGroup,
    no_args_is_help=True,
    help="`storyline story ID` shows one story; merge, split and move correct the stories.",
)
app.add_typer(story_app, name="story")


@story_app.command("show", hidden=True)
def story(
    story_id: str = typer.Argument(..., help="A story id from `storyline stories`."),
    store: str = StoreOpt,
    as_json: bool = JsonOpt,
    do_compare: bool = typer.Option(False, "--compare", help="Also compare its articles."),
    html: Path = typer.Option(None, "--html", help="Write the comparison as an HTML report."),
) -> None:
    """One story: its articles, outlets and timeline; --compare for the full comparison."""
    from storyline import service
    from storyline.interfaces.report_text import (
        describe_correction,
        render_comparison,
        render_timeline,
    )

    settings = _settings(store=store)
    view = service.get_story(story_id, settings)
    data = {
        **_story_row(view.story),
        "timeline": [
            {
                "id": a.id,
                "outlet": a.label,
                "title": a.title,
                "url": a.url,
                "published": a.published.isoformat() if a.published else None,
                "copy_of": view.copies.get(a.id),
            }
            for a in view.articles
        ],
        "corrections": [to_dict(c) for c in view.corrections],
    }
    if do_compare or html:
        comparison = to_dict(service.compare_story(story_id, settings))
        data["comparison"] = comparison
        if html:
            from storyline.interfaces.report_html import render_html

            html.write_text(render_html(comparison), encoding="utf-8")
            err.print(safe(f"HTML report written to {html}"))
    if as_json:
        _print_json(data)
        return
    render_timeline(data, out)
    if data["corrections"]:
        out.print("corrections by the user:")
        for c in data["corrections"]:
            out.print(safe(f"  {describe_correction(c)}"), highlight=False)
    if "comparison" in data:
        render_comparison(data["comparison"], out)


def _print_correction(correction, settings: dict, as_json: bool) -> None:
    from storyline import service
    from storyline.interfaces.report_text import describe_correction

    touched = dict.fromkeys((correction.story_id, *correction.from_ids))
    rows = [
        _story_row(service.get_story(story_id, settings).story)
        for story_id in touched
        if story_id not in correction.removed
    ]
    if as_json:
        _print_json({"correction": to_dict(correction), "stories": rows})
        return
    out.print(safe(describe_correction(to_dict(correction))), highlight=False)
    for r in rows:
        size = f"{r['articles']} article{'s' if r['articles'] != 1 else ''}"
        out.print(safe(f"  {r['id']}: {size} · {r['label'][:70]}"))


@story_app.command("merge")
def story_merge(
    story_id: str = typer.Argument(..., help="The story to keep (it keeps its id)."),
    others: list[str] = typer.Argument(..., help="Stories whose articles join it."),
    store: str = StoreOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Merge stories: every article of the others joins the first; refinement keeps them so."""
    from storyline import service

    settings = _settings(store=store)
    correction = service.merge_stories(story_id, others, settings, on_wait=_waiting)
    _print_correction(correction, settings, as_json)


@story_app.command("split")
def story_split(
    story_id: str = typer.Argument(..., help="The story to split."),
    article_ids: list[str] = typer.Argument(..., help="Its articles that form a new story."),
    store: str = StoreOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Split a story: the named articles leave it for a new story; refinement keeps them so."""
    from storyline import service

    settings = _settings(store=store)
    correction = service.split_story(story_id, article_ids, settings, on_wait=_waiting)
    _print_correction(correction, settings, as_json)


@story_app.command("move")
def story_move(
    article_id: str = typer.Argument(..., help="The article to move (an id from `story ID`)."),
    to: str = typer.Option(None, "--to", help="The story it belongs to."),
    new: bool = typer.Option(False, "--new", help="Move it out to a story of its own."),
    store: str = StoreOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Move an article to another story or out to a new one; refinement leaves it there."""
    from storyline import service

    if (to is None) != new:
        raise CorrectionError(
            "pass one of --to ID and --new", hint="--to names its story, --new opens one"
        )
    settings = _settings(store=store)
    correction = service.move_article(article_id, to, settings, on_wait=_waiting)
    _print_correction(correction, settings, as_json)


@app.command()
def serve(
    store: str = StoreOpt,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback)."),
    port: int = typer.Option(8000, "--port", help="TCP port to listen on."),
    watch: bool = typer.Option(
        None, "--watch/--no-watch", help="Poll the stored feeds meanwhile (setting: serve_watch)."
    ),
) -> None:
    """Serve the web app and the JSON API (/api/v1) over a store; loopback unless a token."""
    import uvicorn

    from storyline.interfaces.api import create_app

    settings = _settings(store=store, serve_watch=watch)
    asgi = create_app(settings, host=host, start_writer=True)
    shown = f"[{host}]" if ":" in host else host
    err.print(safe(f"Storyline on http://{shown}:{port}/ (API /api/v1, docs /api/v1/docs)"))
    uvicorn.run(asgi, host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=False)


@app.command("settings")
def show_settings(as_json: bool = JsonOpt) -> None:
    """List every setting with its current value, default and meaning."""
    from rich.table import Table

    values = load_settings()
    if as_json:
        _print_json(
            {
                s.name: {"value": values[s.name], "default": s.default, "help": s.help}
                for s in SETTINGS
            }
        )
        return
    t = Table(title="Settings (file storyline.toml -> env STORYLINE_<NAME> -> CLI option)")
    for col in ("name", "value", "default", "help"):
        t.add_column(col)
    for s in SETTINGS:
        t.add_row(safe(s.name), safe(values[s.name]), safe(s.default), safe(s.help))
    out.print(t)


def _quiet_models() -> None:
    """Models load offline and without progress bars or tracer chatter on the terminal."""
    import os
    import warnings

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("OPENVINO_TELEMETRY_OPT_OUT", "1")
    warnings.filterwarnings("ignore", module="transformers")
    warnings.filterwarnings("ignore", module="torch")


def main() -> None:
    """Entry point: run the CLI, turning user errors into one clear line and an exit code."""
    _quiet_models()
    try:
        app(standalone_mode=False)
    except StorylineError as exc:
        err.print(Text.assemble(("error ", "bold red"), safe(exc.render())), highlight=False)
        sys.exit(2 if exc.code.startswith("E6") else 1)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # usage errors (an unknown option, a missing argument) and the like
        import click

        # typer vendors its own click: its usage errors are TyperExceptions, not click's
        if isinstance(exc, (click.ClickException, typer.TyperException)) and hasattr(exc, "show"):
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2))
        raise


if __name__ == "__main__":
    main()

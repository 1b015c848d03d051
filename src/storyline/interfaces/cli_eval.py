"""`storyline eval ...`: measure the engine on labelled data (thin commands over service)."""

from __future__ import annotations

from pathlib import Path

import typer

from storyline.interfaces.cli_common import JsonOpt, out, print_json, settings
from storyline.interfaces.terminal import safe

eval_app = typer.Typer(help="Measure the engine on labelled data.", no_args_is_help=True)


def _print_report(report, as_json: bool, title: str) -> None:
    from rich.table import Table

    data = report.as_dict()
    if as_json:
        print_json(data)
        return
    t = Table(title=safe(title))
    t.add_column("measure")
    t.add_column("value", justify="right")
    for key, value in data.items():
        t.add_row(safe(key), safe(f"{value:.4f}" if isinstance(value, float) else value))
    out.print(t)


@eval_app.command("clustering")
def eval_clustering(
    file: Path = typer.Argument(..., help="JSONL articles with a gold `story` field."),
    as_json: bool = JsonOpt,
) -> None:
    """Replay articles in time order through the engine; BCubed and pairwise P/R/F1."""
    from storyline.service import evaluate_clustering

    _print_report(evaluate_clustering(file, settings()), as_json, f"Clustering: {file.name}")


@eval_app.command("similarity")
def eval_similarity(
    file: Path = typer.Argument(..., help="SemEval-2022 Task 8 CSV (pairs with `Overall`)."),
    as_json: bool = JsonOpt,
) -> None:
    """Pearson of the engine's story similarity vs the human `Overall` score."""
    from storyline.service import evaluate_similarity

    _print_report(evaluate_similarity(file, settings()), as_json, f"Similarity: {file.name}")


@eval_app.command("comparison")
def eval_comparison(
    file: Path = typer.Argument(
        ..., help="Gold JSONL, one event a line (docs/comparison-gold.md)."
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Compare each gold event's articles; dispute precision/recall per kind, rows per real
    dispute, recall of shared and only-in facts."""
    from storyline.service import evaluate_comparison

    report = evaluate_comparison(file, settings())
    if as_json:
        print_json(report.as_dict())
        return
    _print_comparison_report(report.as_dict(), f"Comparison: {file.name}")


@eval_app.command("wording")
def eval_wording(
    file: Path = typer.Argument(..., help="BABE-style CSV: text, label_bias, biased_words."),
    as_json: bool = JsonOpt,
    no_model: bool = typer.Option(False, "--no-model",
                                  help="Lexicons only: skip the MiniLM word model."),
) -> None:
    """Loaded wording vs BABE labels: sentence and word P/R/F1, cross-validated when fitted."""
    from rich.table import Table

    from storyline.service import evaluate_wording

    data = evaluate_wording(file, with_model=not no_model).as_dict()
    if as_json:
        print_json(data)
        return
    t = Table(title=safe(f"Wording: {file.name} ({data['sentences']} sentences, "
                         f"{data['biased']} biased, {data['gold_words']} marked words)"))
    for column in ("detector", "sentence P", "R", "F1", "word P", "R", "F1"):
        t.add_column(column, justify="left" if column == "detector" else "right")
    for row in data["scores"]:
        s, w = row["sentence"], row["word"]
        t.add_row(safe(row["detector"]), *(f"{x:.3f}" for x in (
            s["precision"], s["recall"], s["f1"], w["precision"], w["recall"], w["f1"])))
    out.print(t)


@eval_app.command("attribution")
def eval_attribution(
    folder: Path = typer.Argument(
        ..., help="Folder of brat standoff files (PolNeAR layout: text/, attributions/)."
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Source (exact, overlap), cue, content and whole-relation P/R/F1 against brat gold."""
    from rich.table import Table

    from storyline.service import evaluate_attribution

    report = evaluate_attribution(folder, settings())
    if as_json:
        print_json(report.as_dict())
        return
    rate = report.documents / report.seconds if report.seconds else 0.0
    t = Table(title=safe(f"Attribution: {folder.name} ({report.documents} texts, "
                         f"{rate:.2f} articles/s)"))
    for col in ("measure", "P", "R", "F1", "predicted", "gold"):
        t.add_column(col, justify="left" if col == "measure" else "right")
    for name, sc in report.scores.items():
        t.add_row(safe(name), f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}",
                  f"{sc.predicted_matched}/{sc.predicted}", f"{sc.gold_matched}/{sc.gold}")
    out.print(t)


def _ratio_cell(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _print_comparison_report(data: dict, title: str) -> None:
    from rich.table import Table

    t = Table(
        title=safe(
            f"{title}: disputes ({data['complete_events']} of {data['events']} events "
            "complete; precision counted on those)"
        )
    )
    for col in ("kind", "reported", "matched", "precision", "gold", "found", "recall", "rows/real"):
        t.add_column(col, justify="left" if col == "kind" else "right")
    for kind, k in data["disputes"].items():
        t.add_row(
            safe(kind),
            str(k["reported"]),
            str(k["matched"]),
            _ratio_cell(k["precision"]),
            str(k["gold"]),
            str(k["found"]),
            _ratio_cell(k["recall"]),
            _ratio_cell(k["rows_per_dispute"]),
        )
    out.print(t)
    o, sh = data["only_in"], data["shared"]
    out.print(
        f"only in: recall {_ratio_cell(o['recall'])} ({o['found']} of {o['gold']}), "
        f"precision (estimate, upper bound) {_ratio_cell(o['precision_estimate'])} "
        f"({o['suspect']} of {o['reported']} reported look shared)"
    )
    out.print(
        f"shared: recall {_ratio_cell(sh['recall'])} ({sh['found']} of {sh['gold']}); "
        f"{data['seconds']:.1f} s"
    )
    for e in data["per_event"]:
        for miss in e["missed_disputes"]:
            out.print(safe(f"  {e['event']}: missed {miss}"), highlight=False)

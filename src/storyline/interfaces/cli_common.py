"""What the CLI's command modules share: consoles, option bundles, settings, JSON output."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console

from storyline.settings import load_settings

out = Console()
err = Console(stderr=True)

JsonOpt = typer.Option(False, "--json", help="Print the full result as JSON.")
StoreOpt = typer.Option(None, "--store", help="Store path or URL (setting: store).")
MaxBytesOpt = typer.Option(None, "--max-bytes", help="Largest input read, in bytes.")


def settings(**overrides) -> dict:
    """The settings with the command line's given options on top."""
    return load_settings({k: v for k, v in overrides.items() if v is not None})


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

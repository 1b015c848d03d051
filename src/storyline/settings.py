"""One table of settings: (name, default, help). Resolved file -> environment -> CLI overrides.

The CLI's ``storyline settings`` command, ``--help`` texts and the README all read this table.
A settings file is TOML (``storyline.toml`` in the working directory, or the path in
``STORYLINE_CONFIG``); an environment variable is the name upper-cased with a ``STORYLINE_``
prefix (``max_bytes`` -> ``STORYLINE_MAX_BYTES``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import SettingError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "storyline.db", "Path of the SQLite store (or a postgresql:// URL)."),
    Setting(
        "writer_timeout",
        300.0,
        "Seconds to wait while another process writes to the store (0: refuse at once).",
    ),
    Setting("max_bytes", 5_000_000, "Largest input file or HTTP body read, in bytes."),
    Setting("max_chars", 200_000, "Article text beyond this many characters is cut (and said)."),
    Setting(
        "embedder",
        "minilm-fast",
        "Sentence embedder: minilm-fast, minilm-fast-bf16 (opt-in), minilm-fp32, hashing.",
    ),
    Setting("batch_size", 32, "Sentences per embedding batch."),
    Setting(
        "wording_model",
        True,
        "Comparisons add the BABE-learned model's loaded-wording findings (loads MiniLM).",
    ),
    Setting("languages", "en", "Comma-separated languages the analysis accepts."),
    Setting("allow_private_urls", False, "Let fetch reach loopback/private addresses (tests)."),
    Setting(
        "fetch_timeout",
        10.0,
        "Seconds for a whole HTTP fetch (DNS, connect, headers, body, redirects).",
    ),
    Setting("user_agent", "Storyline/0.1 (+self-hosted news comparison)", "HTTP User-Agent."),
    Setting("host_delay", 1.0, "Seconds between two requests to the same host (politeness)."),
    Setting("watch_interval", 300.0, "Seconds between two polls of the feeds by `watch`."),
    Setting(
        "backfill_chunk_timeout",
        600.0,
        "Seconds a Ray worker may take over one chunk of articles before it is replaced.",
    ),
    Setting("story_threshold", 0.65, "Similarity at which an article joins an open story."),
    Setting("story_window_hours", 72.0, "Time-decay scale of story similarity, in hours."),
    Setting("story_refine", True, "Re-cluster open stories with document embeddings after ingest."),
    Setting("story_refine_threshold", 0.36, "Deep similarity at which refinement joins articles."),
    Setting(
        "serve_token",
        "",
        "Bearer token `serve` requires for writes; needed to listen beyond loopback.",
    ),
    Setting(
        "serve_max_request_bytes", 2_000_000, "Largest request body `serve` accepts, in bytes."
    ),
    Setting("serve_watch", False, "Let `serve` poll the stored feeds every `watch_interval` s."),
    Setting(
        "serve_writer_process",
        True,
        "Let `serve` store posted articles in a process of its own (else in its threads).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any) -> Any:
    kind = type(setting.default)
    if isinstance(value, kind):
        return value
    text = str(value).strip()
    try:
        if kind is bool:
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(text)
        return kind(text)
    except ValueError:
        raise SettingError(
            f"setting {setting.name!r} expects a {kind.__name__}, got {text!r}"
        ) from None


def _file_values(path: Path | None) -> dict[str, Any]:
    if path is None:
        env_path = os.environ.get("STORYLINE_CONFIG")
        path = Path(env_path) if env_path else Path("storyline.toml")
        if not path.exists():
            return {}
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingError(f"cannot read settings file {path}: {exc}") from None
    return data.get("storyline", data)


def load_settings(overrides: dict[str, Any] | None = None, path: Path | None = None) -> dict:
    """Every setting's value: the default, then the file, the environment, and overrides."""
    values = {s.name: s.default for s in SETTINGS}
    layers = [_file_values(path)]
    layers.append(
        {
            s.name: os.environ[f"STORYLINE_{s.name.upper()}"]
            for s in SETTINGS
            if f"STORYLINE_{s.name.upper()}" in os.environ
        }
    )
    layers.append({k: v for k, v in (overrides or {}).items() if v is not None})
    for layer in layers:
        for name, value in layer.items():
            if name not in _BY_NAME:
                raise SettingError(f"unknown setting {name!r}")
            values[name] = _coerce(_BY_NAME[name], value)
    return values


def describe(name: str) -> str:
    """The help text of a setting."""
    return _BY_NAME[name].help

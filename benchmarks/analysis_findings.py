"""Whether a change to the analysis changes any finding: every comparison, recorded and diffed.

Run (record on the reference code, e.g. main's, then check after each speed change):
  PYTHONPATH=/work/main/src .venv/bin/python benchmarks/analysis_findings.py record OUT
  PYTHONPATH=$PWD/src       .venv/bin/python benchmarks/analysis_findings.py check OUT

The comparisons are those of ``embedder_findings.py``: each event of every gold file in
``tests/data/gold/``, the seed pair, the demo corpus and each pair and folder of
``tests/data/compare``, under the default settings. ``record`` writes each comparison's
``to_dict`` JSON (disputes, claims, sources, wording, names, every evidence span) to OUT, a
directory outside the repository; ``check`` prints per comparison whether it is identical, else
whether its findings are (numbers within ``embedder_findings.FLOAT_TOLERANCE``) with the largest
shift, else the first differing path, and exits 1 if any finding changed.

The script runs itself under ``PYTHONHASHSEED=0``: main's code (5c3928c) recorded and checked
in processes with random hash seeds once gave the NewsWCL50 event #1 comparison a dispute on one
claim that two later runs did not (something of compare/ depends on the order of a set of
strings or on another per-process state); with the seed fixed to 0, 1 or 2 main's code gives
the same 19 comparisons each time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embedder_findings import events, first_difference, verdict  # noqa: E402

HASH_SEED = "0"


def comparisons() -> dict[str, dict]:
    """Every comparison's ``to_dict`` JSON by its label, under the default settings."""
    from storyline.model import to_dict
    from storyline.service.comparing import compare
    from storyline.settings import load_settings

    s = load_settings()
    return {label: json.loads(json.dumps(to_dict(compare(articles, s))))
            for label, articles in events()}


def main() -> int:
    if os.environ.get("PYTHONHASHSEED") != HASH_SEED:
        os.execve(sys.executable, [sys.executable, *sys.argv],
                  dict(os.environ, PYTHONHASHSEED=HASH_SEED))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("record", "check"))
    parser.add_argument("out", type=Path, help="record directory, outside the repository")
    args = parser.parse_args()
    now = comparisons()
    path = args.out / "comparisons.json"
    if args.mode == "record":
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(now), encoding="utf-8")
        print(f"recorded {len(now)} comparisons")
        return 0
    before = json.loads(path.read_text(encoding="utf-8"))
    identical = changed = 0
    worst = 0.0
    for label in sorted(set(before) | set(now)):
        a, b = before.get(label), now.get(label)
        kind, shift = verdict(a, b)
        if kind == "identical":
            identical += 1
            said = "identical"
        elif kind == "same findings":
            worst = max(worst, shift)
            said = f"same findings, numbers moved by <= {shift:.4f}"
        else:
            changed += 1
            said = f"FINDINGS CHANGED: {first_difference(a, b)}"
        print(f"{label}: {said}", flush=True)
    print(f"{changed} of {len(now)} comparisons changed findings, {identical} identical, "
          f"largest number shift {worst:.4f}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())

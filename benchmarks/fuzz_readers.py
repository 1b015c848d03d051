"""Long fuzz run over every reader and service ingest (issue #9): 100,000 generated inputs by
default, printing crashes (any exception that is not a coded error), hangs, the slowest
input, peak RSS and inputs/s per target. The short bounded run is tests/unit/test_fuzz_readers.py;
both draw from tests/fuzzing.py.

    .venv/bin/python benchmarks/fuzz_readers.py [--inputs 100000] [--seed 0] [--only feed,csv]
        [--save DIR]   # write each crashing input to DIR for a regression test
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.fuzzing

from hypothesis import HealthCheck, Phase, given, seed  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from tests.fuzzing import TARGETS, Outcome, fuzz_settings, run  # noqa: E402

# A share of the inputs per target, by how much of the parsers it reaches and what it costs:
# ingest writes eight files and opens a store per input, so it gets fewer.
WEIGHTS = {"ingest": 0.5}
# Hypothesis remembers every input of one run to steer towards new ones (~30 kB each): runs of
# this many, each with its own seed, keep that bookkeeping from passing for the readers'
# memory (replaying 3,000 inputs per target leaves the readers' RSS flat within 1 MB).
CHUNK_INPUTS = 2_000
# Inputs slower than this are listed (not counted as hangs, which the alarm catches).
SLOW_SECONDS = 1.0


@dataclass
class Stats:
    name: str
    inputs: int = 0
    articles: int = 0
    skips: int = 0
    codes: Counter = field(default_factory=Counter)
    crashes: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # signature -> example
    crash_count: int = 0
    hangs: int = 0
    slow: int = 0
    slowest: float = 0.0
    seconds: float = 0.0

    def add(self, outcome: Outcome, data: bytes) -> None:
        self.inputs += 1
        self.articles += outcome.articles
        self.skips += outcome.skips
        self.seconds += outcome.seconds
        self.slowest = max(self.slowest, outcome.seconds)
        self.slow += outcome.seconds > SLOW_SECONDS
        if outcome.code:
            self.codes[outcome.code] += 1
        if outcome.crashed:
            self.crash_count += 1
            self.hangs += outcome.hang
            self.crashes.setdefault(_signature(outcome.crash), (data, outcome.crash))


def _signature(trace: str) -> str:
    """The exception line and the innermost frame: one entry per distinct failure."""
    lines = [line.strip() for line in trace.strip().splitlines()]
    frames = [line for line in lines if line.startswith("File ")]
    return f"{lines[-1][:160]} @ {frames[-1] if frames else '?'}"


def _rss_mb() -> float:
    """The resident set now (peak RSS alone cannot tell growth from one large input)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def fuzz(name: str, inputs: int, run_seed: int, settings: dict) -> Stats:
    target, strategy = TARGETS[name]
    stats = Stats(name)
    for chunk, start in enumerate(range(0, inputs, CHUNK_INPUTS)):

        @hypothesis_settings(
            max_examples=min(CHUNK_INPUTS, inputs - start),
            database=None,
            deadline=None,
            phases=[Phase.generate],  # record every failure; shrinking is the short test's job
            suppress_health_check=list(HealthCheck),
        )
        @seed(run_seed * 1_000 + chunk)
        @given(strategy)
        def body(data: bytes) -> None:
            stats.add(run(target, data, settings), data)

        body()
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs over all targets")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated target names")
    parser.add_argument("--save", type=Path, default=None, help="folder for crashing inputs")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # feedparser's deprecation notes, once per entry
    names = [n for n in args.only.split(",") if n] or sorted(TARGETS)
    weights = {n: WEIGHTS.get(n, 1.0) for n in names}
    total_weight = sum(weights.values())
    settings = fuzz_settings()
    started = time.perf_counter()
    all_stats = []
    print(f"{'target':10} {'inputs':>7} {'articles':>8} {'skips':>6} {'coded':>6} "
          f"{'crashes':>7} {'hangs':>5} {'slow':>4} {'slowest':>8} {'inputs/s':>8} {'RSS MB':>6}")
    for name in names:
        share = max(1, round(args.inputs * weights[name] / total_weight))
        stats = fuzz(name, share, args.seed, settings)
        all_stats.append(stats)
        rate = stats.inputs / stats.seconds if stats.seconds else 0.0
        print(f"{name:10} {stats.inputs:7} {stats.articles:8} {stats.skips:6} "
              f"{sum(stats.codes.values()):6} {stats.crash_count:7} {stats.hangs:5} "
              f"{stats.slow:4} {stats.slowest:7.2f}s {rate:8.0f} {_rss_mb():6.0f}", flush=True)
    elapsed = time.perf_counter() - started
    inputs = sum(s.inputs for s in all_stats)
    crashes = sum(s.crash_count for s in all_stats)
    hangs = sum(s.hangs for s in all_stats)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    codes = sum((s.codes for s in all_stats), Counter())
    print(f"\n{inputs:,} inputs in {elapsed:.0f} s ({inputs / elapsed:.0f} inputs/s): "
          f"{crashes} crashes ({sum(len(s.crashes) for s in all_stats)} distinct), "
          f"{hangs} hangs, peak RSS {peak_mb:.0f} MB (caps: max_bytes "
          f"{settings['max_bytes']:,}, max_chars {settings['max_chars']:,})")
    print("coded errors:", ", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "none")
    for stats in all_stats:
        for number, (signature, (data, trace)) in enumerate(stats.crashes.items()):
            print(f"\n--- {stats.name} crash: {signature}\ninput: {data[:400]!r}\n{trace}")
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{stats.name}-{number}.bin").write_bytes(data)
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()

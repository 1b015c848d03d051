"""Merged entities of the seed pair, the demo event and the nine NewsWCL50 events.

Run: .venv/bin/python benchmarks/entity_merges.py [--list]
Prints, per event, how many entities the comparison reports, how many merge two or more
spellings, and which rules merged them; with --list, every merged entity with its type and its
spellings (to read for wrong merges and wrong types by eye).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline import service  # noqa: E402
from storyline.model import Article  # noqa: E402

SHARED = ROOT / ".." / "shared"


def events() -> dict[str, list]:
    """Event name -> its articles (paths or Articles)."""
    out: dict[str, list] = {
        "seeds": sorted((SHARED / "seeds").glob("*.txt")),
        "demo": sorted((ROOT / "src" / "storyline" / "data" / "demo" / "event").glob("*.txt")),
    }
    by_story: dict[str, list] = defaultdict(list)
    path = SHARED / "data" / "newswcl50" / "articles.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_story[f"newswcl50-{row['story']}"].append(
            Article(
                id=row["id"],
                text=row["text"],
                title=row.get("title") or "",
                outlet=row.get("outlet") or row["id"],
            )
        )
    out.update(sorted(by_story.items()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true", help="print every merged entity")
    args = parser.parse_args()
    total, merged_total, rules_total = 0, 0, Counter()
    for name, items in events().items():
        comparison = service.compare(items)
        merged = [e for e in comparison.entities if len(set(e.spellings)) > 1]
        rules = Counter(r for e in merged for r in e.rule.split("+"))
        total += len(comparison.entities)
        merged_total += len(merged)
        rules_total += rules
        count = len(comparison.entities)
        print(f"{name:14s} entities {count:4d}  merged {len(merged):3d}  {dict(rules)}")
        if args.list:
            for e in merged:
                print(f"    {e.label:7s} {e.rule:32s} {' / '.join(sorted(set(e.spellings)))}")
    print(f"all            entities {total:4d}  merged {merged_total:3d}  {dict(rules_total)}")


if __name__ == "__main__":
    main()

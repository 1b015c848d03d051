"""Where a source phrase ends: which children of its head stay in the source, learned.

PolNeAR keeps a title and an apposition in the source ("Scott Pruitt, the Republican attorney
general of Oklahoma,") but not a second apposition nested in it ("..., one of the states suing
the EPA,"), keeps "that appeared in the British Medical Journal" after "A 2014 study" but not
", who watched the ceremony" after a person, and drops "Even" / "Both" / "But" before a name.
A per-relation table (drop "relcl" or not) is right about half the time for these, so a
logistic regression over each child's relation, side, words and its head's kind decides;
``benchmarks/fit_attribution_cues.py`` fits it on the PolNeAR train sources (children of the
gold source head, and their children inside it) and stores it as ``source_bounds`` in
``storyline/data/attribution_cues.json``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Levels below the source head the model judges; deeper tokens follow their parent. Train
# sources: 91 % of the children outside a gold source hang at depth 1 or 2.
MAX_DEPTH = 2


def child_features(child: Any, head: Any, cue: Any, depth: int,
                   is_cue: Callable[[Any], bool] | None = None) -> list[str]:
    """The features of one child inside a source phrase headed by ``head``; ``is_cue`` tells
    a word that heads a cue in train ("Mr. Kamin, who emphasized that ..., said")."""
    doc = child.doc
    k = child.left_edge.i - 1
    comma = k >= 0 and doc[k].text == ","
    side = ">" if child.i > child.head.i else "<"
    size = min(4, (child.right_edge.i - child.left_edge.i + 1 + 2) // 3)
    dep = child.dep_ + ("," if comma else "") + side
    head_kind = head.ent_type_ or head.pos_
    after = child.right_edge.i + 1
    ends_comma = after < len(doc) and doc[after].text == ","
    return [
        f"dep={dep}", f"dep+depth={dep}+{depth}", f"dep+head={dep}+{head_kind}",
        f"dep+word={dep}+{child.lower_}", f"dep+size={dep}+{size}",
        f"dep+parent={dep}+{child.head.dep_ if depth > 1 else 'head'}",
        f"dep+cue_side={dep}+{'after' if child.i > cue.i else 'before'}",
        f"dep+pos={dep}+{child.pos_}",
        f"dep+ends_comma={dep}+{ends_comma}",
    ] + _third_round(child, dep, is_cue)


def _third_round(child: Any, dep: str, is_cue: Callable[[Any], bool] | None) -> list[str]:
    """Features added in the third round: whether a child heads a cue of its own (its
    clause is then another statement), and the entity a preposition's object names. Train in
    two halves, each fitted on the other: exact source spans 0.926 / 0.913 -> 0.930 / 0.916
    (each alone: cue 0.930 / 0.915, entity 0.926 / 0.913; a DATE-in-subtree and a
    cue-right-after feature lowered both halves, not kept)."""
    obj = next((g for g in child.children if g.dep_ == "pobj"), None)
    return [
        f"dep+cue={dep}+{is_cue(child) if is_cue is not None else '-'}",
        f"dep+obj_ent={dep}+{obj.ent_type_ if obj is not None else '-'}",
    ]


@dataclass(frozen=True)
class BoundModel:
    """A fitted logistic regression: the probability that a child lies outside the source."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0

    def drops(self, child: Any, head: Any, cue: Any, depth: int,
              is_cue: Callable[[Any], bool] | None = None) -> bool:
        """Whether ``child`` (and so its subtree) is left out of the source."""
        z = self.bias + sum(self.weights.get(f, 0.0)
                            for f in child_features(child, head, cue, depth, is_cue))
        return 1.0 / (1.0 + math.exp(-z)) >= 0.5


def cut_tokens(head: Any, drops: Any) -> set[int]:
    """Token indices of the subtrees ``drops(child, depth)`` leaves out, down to MAX_DEPTH."""
    cut: set[int] = set()
    level = [(c, 1) for c in head.children]
    while level:
        child, depth = level.pop()
        if drops(child, depth):
            cut.update(t.i for t in child.subtree)
        elif depth < MAX_DEPTH:
            level += [(g, depth + 1) for g in child.children]
    return cut

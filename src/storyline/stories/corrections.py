"""Corrections by the user: merge stories, split one, move an article; and the pins they leave.

A correction is planned here from the stories' current members (checked, with a coded error for
every request that names something absent or would change nothing), then applied to the story
engine and the store together by ``Tracker.correct``. Every article of every story a correction
leaves is *pinned* to that story: the user has seen those stories as they now stand. The engine
never moves a pinned article again (``hold_pins`` constrains refinement; online assignment
places each article once), while new articles may still join a corrected story. Only another
correction moves a pinned article.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from storyline.errors import CorrectionError, NotFoundError
from storyline.model import Correction, CorrectionKind

Members = Callable[[str], tuple[str, ...]]  # story id -> its article ids; NotFoundError if none
StoryOf = Callable[[str], str]  # article id -> its story id; NotFoundError if none
NewId = Callable[[], str]  # a story id never handed out before


@dataclass(frozen=True)
class Change:
    """A planned correction: the stories it leaves (id -> members in order), the ones it
    empties, and the record of it."""

    correction: Correction
    members: dict[str, tuple[str, ...]]
    removed: tuple[str, ...]

    def pins(self) -> dict[str, str]:
        """Article id -> the story it is pinned to after this correction."""
        return {a: story_id for story_id, ids in self.members.items() for a in ids}


def merge(members: Members, story_id: str, others: Sequence[str]) -> Change:
    """Every article of ``others`` joins ``story_id``; the others are emptied."""
    others = tuple(dict.fromkeys(others))
    if not others or story_id in others:
        raise CorrectionError(
            f"merge needs two different stories, got {story_id!r} and {', '.join(others)!r}",
            hint="pass the story to keep, then the stories to merge into it",
        )
    kept = members(story_id)
    moved = tuple(a for other in others for a in members(other))
    return Change(
        _record(CorrectionKind.MERGE, story_id, others, moved, others, False),
        {story_id: kept + moved},
        others,
    )


def split(members: Members, story_id: str, article_ids: Sequence[str], new_id: NewId) -> Change:
    """The chosen articles of a story leave it for a new story."""
    current = members(story_id)
    chosen = tuple(dict.fromkeys(article_ids))
    outside = [a for a in chosen if a not in current]
    if outside:
        raise CorrectionError(f"article {outside[0]!r} is not in story {story_id!r}")
    if not chosen or len(chosen) == len(current):
        raise CorrectionError(
            f"a split of {story_id!r} needs some but not all of its {len(current)} articles",
            hint="name the articles that leave it; the others stay",
        )
    new = new_id()
    return Change(
        _record(CorrectionKind.SPLIT, new, (story_id,), chosen, (), True),
        {story_id: tuple(a for a in current if a not in chosen), new: chosen},
        (),
    )


def move(
    members: Members, story_of: StoryOf, article_id: str, to: str | None, new_id: NewId
) -> Change:
    """One article leaves its story for ``to``, or for a new story when ``to`` is None."""
    source = story_of(article_id)
    current = members(source)
    if to == source:
        raise CorrectionError(
            f"article {article_id!r} is already in story {to!r}",
            hint="pass another story with --to, or --new for a story of its own",
        )
    if to is None and len(current) == 1:
        raise CorrectionError(
            f"article {article_id!r} is already alone in story {source!r}",
            hint="pass a story to move it into with --to",
        )
    target = members(to) if to is not None else ()
    rest = tuple(a for a in current if a != article_id)
    story_id = to if to is not None else new_id()
    emptied = () if rest else (source,)
    result = {story_id: (*target, article_id)}
    if rest:
        result[source] = rest
    return Change(
        _record(CorrectionKind.MOVE, story_id, (source,), (article_id,), emptied, to is None),
        result,
        emptied,
    )


def _record(
    kind: CorrectionKind,
    story_id: str,
    from_ids: tuple[str, ...],
    article_ids: tuple[str, ...],
    removed: tuple[str, ...],
    new_story: bool,
) -> Correction:
    return Correction(
        kind, story_id, from_ids, article_ids, removed, new_story, datetime.now(UTC)
    )


def unknown(what: str, key: str) -> NotFoundError:
    """The error for a story or article id that names nothing, with where to find real ones."""
    hint = (
        "list the stories with `storyline stories`"
        if what == "story"
        else "`storyline story ID --json` lists a story's article ids"
    )
    return NotFoundError(f"no {what} {key!r} in the store", hint=hint)


def hold_pins(
    groups: list[list[int]], pinned: Sequence[str | None], normalised: np.ndarray
) -> tuple[list[list[int]], dict[int, str]]:
    """Refinement's groups with the user's pins held, and the story id each pinned group keeps.

    ``pinned[i]`` is the story article ``i`` is pinned to (None when free). Every article
    pinned to a story ends in one group with that story's id, whatever groups refinement put
    them in; no group holds articles pinned to two stories. A free article that refinement
    grouped with pinned ones goes with the pinned story of its group it is most similar to
    (mean normalised similarity to that story's pinned articles there). Groups without pins
    are left as they are."""
    if not any(pinned):
        return groups, {}
    free: list[list[int]] = []
    held: dict[str, list[int]] = {}
    for members in groups:
        here: dict[str, list[int]] = {}
        for i in members:
            if pinned[i]:
                here.setdefault(pinned[i], []).append(i)
        if not here:
            free.append(members)
            continue
        for story_id, ids in here.items():
            held.setdefault(story_id, []).extend(ids)
        for i in members:
            if not pinned[i]:
                best = max(sorted(here), key=lambda s: float(normalised[i, here[s]].mean()))
                held[best].append(i)
    named = {len(free) + n: story_id for n, story_id in enumerate(held)}
    return free + [sorted(ids) for ids in held.values()], named

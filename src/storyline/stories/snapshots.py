"""The story engine's whole state as one snapshot (an .npz holding JSON and the vectors).

``StoryEngine.snapshot`` and ``StoryEngine.restore`` read and write it; ``engine_state.py``
stores the same state as parts and gathers them back into this format.
"""

from __future__ import annotations

import heapq
import io
import json
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from storyline.stories.open_story import OpenStory as _Story
from storyline.stories.open_story import story_record
from storyline.stories.options import StoryOptions
from storyline.stories.represent import Representer, Vocabulary

if TYPE_CHECKING:
    from storyline.stories.cluster import StoryEngine


def snapshot(engine: StoryEngine) -> bytes:
    """An engine's whole state as bytes (an .npz holding JSON and the vectors)."""
    stories = [story_record(s) for s in engine._stories.values()]
    state = {
        "version": 1,
        "dense": engine.representer.static is not None,
        "stories": stories,
        "df": dict(engine.representer.vocabulary.df),
        "docs": engine.representer.vocabulary.docs,
        "background": (
            engine.representer.vocabulary.background.tolist()
            if engine.representer.vocabulary.background is not None
            else None
        ),
        "assigned": [
            [a.article_id, a.story_id, a.score, a.opened] for a in engine._assigned.values()
        ],
        "next_id": engine._next_id,
        "story_seq": engine._story_seq,
        "docs_embedder": engine.embedder,
        "unrefined": engine.unrefined,
        "now": engine._now.isoformat() if engine._now else None,
        "pins": engine.pins,
    }
    open_ids = (
        [i for s in engine._open.values() for i in s.members]
        if engine.representer.static is not None
        else []
    )
    vectors = (
        np.stack([engine._index.reconstruct(i) for i in open_ids])
        if open_ids and engine.representer.static is not None
        else np.zeros((0, engine.dim), dtype=np.float32)
    )
    dense = {s.id: s.dense for s in engine._open.values() if s.dense is not None}
    buf = io.BytesIO()
    np.savez(  # uncompressed: zlib took 20% of ingest time for ~2x smaller snapshots
        buf,
        state=np.frombuffer(json.dumps(state).encode("utf-8"), dtype=np.uint8),
        ids=np.array(open_ids, dtype="int64"),
        vectors=vectors.astype(np.float32),
        dense_ids=np.array(list(dense), dtype=str),
        dense=np.stack(list(dense.values())) if dense else np.zeros((0, engine.dim)),
        # float16 halves the snapshot; cosines move by < 1e-3, far below any cut
        doc_ids=np.array(list(engine._docs), dtype=str),
        docs=(
            np.stack(list(engine._docs.values())).astype(np.float16)
            if engine._docs
            else np.zeros((0, 0), dtype=np.float16)
        ),
        multi_ids=np.array(list(engine._multi), dtype=str),
        multi=(
            np.stack(list(engine._multi.values())).astype(np.float32)
            if engine._multi
            else np.zeros((0, 0), dtype=np.float32)
        ),
    )
    return buf.getvalue()


def restore(
    cls: type[StoryEngine], data: bytes, options: StoryOptions | None = None
) -> StoryEngine:
    """An engine rebuilt from ``snapshot()`` bytes."""
    from storyline.stories.cluster import Assignment  # cluster imports this module

    arrays = np.load(io.BytesIO(data), allow_pickle=False)
    state = json.loads(arrays["state"].tobytes().decode("utf-8"))
    vocabulary = Vocabulary()
    vocabulary.df.update(state["df"])
    vocabulary.docs = state["docs"]
    if state.get("background") is not None:
        vocabulary.background = np.array(state["background"], dtype=np.float32)
    engine = cls(options, Representer(vocabulary, dense=state.get("dense", True)))
    dense = dict(zip(arrays["dense_ids"].tolist(), arrays["dense"], strict=True))
    for raw in state["stories"]:
        s = _Story(
            id=raw["id"],
            article_ids=raw["article_ids"],
            titles=raw["titles"],
            outlets=raw["outlets"],
            first_seen=datetime.fromisoformat(raw["first_seen"]) if raw["first_seen"] else None,
            last_seen=datetime.fromisoformat(raw["last_seen"]) if raw["last_seen"] else None,
            terms=raw["terms"],
            terms_sq=sum(v * v for v in raw["terms"].values()),
            names=raw["names"],
            names_sq=sum(v * v for v in raw["names"].values()),
            dense=dense.get(raw["id"]),
            dense_norm=(
                float(np.linalg.norm(dense[raw["id"]])) if raw["id"] in dense else 0.0
            ),
            members=raw["members"],
            label=raw["label"],
            open=raw["open"],
        )
        engine._stories[s.id] = s
        if s.open:
            engine._open[s.id] = s
            for i in s.members:
                engine._member_story[i] = s.id
    if len(arrays["ids"]):
        engine._index.add_with_ids(arrays["vectors"], arrays["ids"])
    engine._assigned = {a[0]: Assignment(*a) for a in state["assigned"]}
    engine._next_id = state["next_id"]
    engine._story_seq = state.get("story_seq", len(engine._stories))
    engine.unrefined = state.get("unrefined", 0)
    # Document vectors are kept only for the embedder that made them.
    if "doc_ids" in arrays.files and state.get("docs_embedder") == engine.embedder:
        engine._docs = {
            i: v.astype(np.float32)
            for i, v in zip(arrays["doc_ids"].tolist(), arrays["docs"], strict=True)
        }
    if "multi_ids" in arrays.files:
        engine._multi = dict(zip(arrays["multi_ids"].tolist(), arrays["multi"], strict=True))
    engine._idle = [
        (engine._epoch(s.last_seen), s.id) for s in engine._open.values() if s.last_seen
    ]
    heapq.heapify(engine._idle)
    engine._now = datetime.fromisoformat(state["now"]) if state["now"] else None
    engine._refined_now = engine._now
    engine.pins = state.get("pins", {})
    return engine

"""The story engine's state in the store as parts, so each batch writes only what changed: one
part per open story, per indexed member vector, per document vector and per assignment of the
open window, document-frequency deltas, and a small part of counters. Closed stories are not
parts: the engine retires them and the store's story tables keep them.

A part is a row of the store's ``state`` table under ``PREFIX`` (a value of None deletes it),
written in the same transaction as the stories it belongs with. Loading gathers the parts into
the engine's own snapshot format and restores from that, so both forms give one engine (a test
checks that the parts restore the very snapshot the engine would write).
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from storyline.stories.open_story import story_record

PREFIX = "engine/"
_GLOBALS = PREFIX + "globals"
_DF_BASE = PREFIX + "df/base"
LEGACY_KEY = "story_engine"  # the whole snapshot stores kept before the parts

# Document-frequency deltas kept before they are folded into the base: each batch writes the
# counts of the terms it touched (a few thousand), and the base (the whole vocabulary) is
# rewritten only every DF_DELTAS batches, so the vocabulary costs O(batch) per batch.
DF_DELTAS = 100


class TrackedCounter(Counter):
    """A Counter that remembers which keys ``update`` touched since the last ``take``."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.touched: set[str] = set()
        super().__init__(*args, **kwargs)
        self.touched = set()

    def update(self, other: Any = None, /, **kwargs: Any) -> None:
        super().update(other, **kwargs)
        if other is not None:
            self.touched.update(other)
        self.touched.update(kwargs)

    def take(self) -> set[str]:
        touched, self.touched = self.touched, set()
        return touched


def _story_fingerprint(story: Any) -> tuple:
    return (tuple(story.article_ids), tuple(story.members), story.label, story.open)


class EngineState:
    """Which parts the store holds for one engine, to write the next batch's difference."""

    def __init__(self) -> None:
        self.stories: dict[str, tuple[int, tuple]] = {}  # id -> (order, fingerprint)
        self.members: set[int] = set()
        self.docs: set[str] = set()
        self.multi: set[str] = set()  # multilingual document vectors (mixed-language scopes)
        self.assigned: dict[str, tuple[int, tuple]] = {}  # article -> (order, assignment)
        self.order = 0
        self.df_deltas = 0
        self.legacy = False  # loaded from a whole snapshot: delete it with the first parts

    def _next(self) -> int:
        self.order += 1
        return self.order

    def delta(self, engine: Any) -> dict[str, bytes | None]:
        """The parts that changed since the last delta (None: delete), this state moved on."""
        parts: dict[str, bytes | None] = {}
        stories = {sid: s for sid, s in engine._stories.items() if s.open}
        for sid, story in stories.items():
            fingerprint = _story_fingerprint(story)
            known = self.stories.get(sid)
            if known is None or known[1] != fingerprint:
                order = known[0] if known else self._next()
                self.stories[sid] = (order, fingerprint)
                parts[f"{PREFIX}story/{sid}"] = _story_part(story, order)
        for sid in set(self.stories) - set(stories):
            del self.stories[sid]
            parts[f"{PREFIX}story/{sid}"] = None
        self.members = _vector_parts(parts, "member", self.members, set(engine._member_story),
                                     lambda i: engine._index.reconstruct(int(i)), "<f4")
        self.docs = _vector_parts(parts, "doc", self.docs, set(engine._docs),
                                  engine._docs.__getitem__, "<f2")
        self.multi = _vector_parts(parts, "multi", self.multi, set(engine._multi),
                                   engine._multi.__getitem__, "<f4")
        for aid, a in engine._assigned.items():
            value = (a.story_id, a.score, a.opened)
            known = self.assigned.get(aid)
            if known is None or known[1] != value:
                order = known[0] if known else self._next()
                self.assigned[aid] = (order, value)
                parts[f"{PREFIX}assigned/{aid}"] = json.dumps([order, *value]).encode()
        for aid in set(self.assigned) - set(engine._assigned):
            del self.assigned[aid]
            parts[f"{PREFIX}assigned/{aid}"] = None
        parts.update(self._df(engine.representer.vocabulary))
        parts[_GLOBALS] = json.dumps(_globals(engine, self.order, self.df_deltas)).encode()
        if self.legacy:
            parts[LEGACY_KEY] = None
            self.legacy = False
        return parts

    def _df(self, vocabulary: Any) -> dict[str, bytes | None]:
        df = vocabulary.df
        if not isinstance(df, TrackedCounter):  # first save: the whole vocabulary as the base
            vocabulary.df = df = TrackedCounter(df)
            self.df_deltas = DF_DELTAS
        touched = df.take()
        if self.df_deltas >= DF_DELTAS:
            parts: dict[str, bytes | None] = {
                f"{PREFIX}df/{n:06d}": None for n in range(1, self.df_deltas + 1)
            }
            parts[_DF_BASE] = json.dumps(dict(df)).encode()
            self.df_deltas = 0
            return parts
        if not touched:
            return {}
        self.df_deltas += 1
        delta = {t: df[t] for t in touched}
        return {f"{PREFIX}df/{self.df_deltas:06d}": json.dumps(delta).encode()}


def _story_part(story: Any, order: int) -> bytes:
    record = {"order": order, **story_record(story)}
    dense = b"" if story.dense is None else np.asarray(story.dense, dtype="<f4").tobytes()
    return json.dumps(record).encode() + b"\0" + dense


def _globals(engine: Any, order: int, df_deltas: int) -> dict:
    vocabulary = engine.representer.vocabulary
    return {
        "order": order,
        "df_deltas": df_deltas,
        "dense": engine.representer.static is not None,
        "docs": vocabulary.docs,
        "background": (
            vocabulary.background.tolist() if vocabulary.background is not None else None
        ),
        "next_id": engine._next_id,
        "story_seq": engine._story_seq,
        "docs_embedder": engine.embedder,
        "unrefined": engine.unrefined,
        "now": engine._now.isoformat() if engine._now else None,
        "pins": engine.pins,
    }


def snapshot_from_parts(parts: Mapping[str, bytes], dim: int) -> tuple[bytes, EngineState]:
    """The engine snapshot (``StoryEngine.snapshot`` format) the parts make, and the state that
    knows them; ``dim`` is the static vectors' width."""
    known = EngineState()
    g = json.loads(parts[_GLOBALS])
    known.order, known.df_deltas = g["order"], g["df_deltas"]
    stories, dense_ids, dense = [], [], []
    for key, value in parts.items():
        if key.startswith(PREFIX + "story/"):
            head, _, vector = bytes(value).partition(b"\0")
            record = json.loads(head)
            stories.append(record)
            known.stories[record["id"]] = (record["order"], _story_fingerprint(_Record(record)))
            if vector:
                dense_ids.append(record["id"])
                dense.append(np.frombuffer(vector, dtype="<f4"))
    stories.sort(key=lambda r: r.pop("order"))
    members = sorted(
        (int(k[len(PREFIX) + 7 :]), v) for k, v in parts.items() if k.startswith(PREFIX + "member/")
    )
    known.members = {i for i, _ in members}
    docs = [(k[len(PREFIX) + 4 :], v) for k, v in parts.items() if k.startswith(PREFIX + "doc/")]
    known.docs = {aid for aid, _ in docs}
    multi = [(k[len(PREFIX) + 6 :], v) for k, v in parts.items() if k.startswith(PREFIX + "multi/")]
    known.multi = {aid for aid, _ in multi}
    assigned = []
    for key, value in parts.items():
        if key.startswith(PREFIX + "assigned/"):
            order, *rest = json.loads(value)
            aid = key[len(PREFIX) + 9 :]
            assigned.append((order, [aid, *rest]))
            known.assigned[aid] = (order, tuple(rest))
    assigned.sort(key=lambda pair: pair[0])
    df = json.loads(parts.get(_DF_BASE, b"{}"))
    for n in range(1, known.df_deltas + 1):
        df.update(json.loads(parts.get(f"{PREFIX}df/{n:06d}", b"{}")))
    state = {
        "version": 1,
        "dense": g["dense"],
        "stories": stories,
        "df": df,
        "docs": g["docs"],
        "background": g["background"],
        "assigned": [row for _, row in assigned],
        "next_id": g["next_id"],
        "story_seq": g["story_seq"],
        "docs_embedder": g["docs_embedder"],
        "unrefined": g["unrefined"],
        "now": g["now"],
        "pins": g["pins"],
    }
    width = len(docs[0][1]) // 2 if docs else 0
    buf = io.BytesIO()
    np.savez(
        buf,
        state=np.frombuffer(json.dumps(state).encode("utf-8"), dtype=np.uint8),
        ids=np.array([i for i, _ in members], dtype="int64"),
        vectors=_rows([v for _, v in members], "<f4", dim).astype(np.float32),
        dense_ids=np.array(dense_ids, dtype=str),
        dense=np.stack(dense) if dense else np.zeros((0, dim)),
        doc_ids=np.array([aid for aid, _ in docs], dtype=str),
        docs=_rows([v for _, v in docs], "<f2", width).astype(np.float16),
        multi_ids=np.array([aid for aid, _ in multi], dtype=str),
        multi=_rows([v for _, v in multi], "<f4", 0).astype(np.float32),
    )
    return buf.getvalue(), known


def _rows(values: Iterable[bytes], dtype: str, width: int) -> np.ndarray:
    rows = [np.frombuffer(bytes(v), dtype=dtype) for v in values]
    return np.stack(rows) if rows else np.zeros((0, width), dtype=dtype)


class _Record:
    """A story record read back, with the attributes a fingerprint reads."""

    def __init__(self, record: dict):
        self.article_ids = record["article_ids"]
        self.members = record["members"]
        self.label = record["label"]
        self.open = record["open"]


def start_tracking(engine: Any) -> None:
    """Make the engine's vocabulary report the terms each batch touches."""
    vocabulary = engine.representer.vocabulary
    if not isinstance(vocabulary.df, TrackedCounter):
        vocabulary.df = TrackedCounter(vocabulary.df)


def _vector_parts(
    parts: dict[str, bytes | None], kind: str, known: set, now: set, vector: Any, dtype: str
) -> set:
    """The parts of one kind of stored vector that appeared (its bytes) or went (None) since
    the last delta; the keys now held."""
    for key in now - known:
        parts[f"{PREFIX}{kind}/{key}"] = vector(key).astype(dtype).tobytes()
    for key in known - now:
        parts[f"{PREFIX}{kind}/{key}"] = None
    return now

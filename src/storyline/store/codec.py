"""(De)serialise model objects for the store: article rows, analysis JSON, vector blobs."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from storyline.errors import StoreError
from storyline.model import AnalyzedArticle, Article, Story, to_dict

# Bumped when the analysis JSON layout changes in a way old readers cannot follow.
ANALYSIS_FORMAT = 1

# Little-endian float32, whatever the machine: a store file copied between hosts must read back.
VECTOR_DTYPE = np.dtype("<f4")


# --------------------------------------------------------------------------- dates


def dt_to_text(value: datetime | None) -> str | None:
    """ISO text of a datetime (its timezone kept as given), None for None."""
    return value.isoformat() if value is not None else None


def dt_from_text(value: str | None) -> datetime | None:
    """The datetime of an ISO text, None for None/""."""
    return datetime.fromisoformat(value) if value else None


def dt_to_ts(value: datetime | None) -> float | None:
    """Epoch seconds for ordering and filtering; a naive datetime is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def utc_now() -> str:
    """The current UTC time as ISO text (ingest and bookkeeping times)."""
    return datetime.now(UTC).isoformat()


# --------------------------------------------------------------------------- articles

ARTICLE_COLUMNS = (
    "id",
    "text",
    "title",
    "url",
    "outlet",
    "published",
    "language",
    "author",
    "source",
    "extra",
)


def text_hash(text: str) -> str:
    """sha256 of an article's identity (its text, see ``Article.identity``): "same URL, same
    text" must not depend on how ingest built the id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_to_row(article: Article) -> dict[str, Any]:
    """The stored columns of an article (extra as a JSON list of pairs)."""
    return {
        "id": article.id,
        "text": article.text,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "published": dt_to_text(article.published),
        "published_ts": dt_to_ts(article.published),
        "language": article.language,
        "author": article.author,
        "source": article.source,
        "extra": json.dumps([list(pair) for pair in article.extra], ensure_ascii=False),
        "text_hash": text_hash(article.identity),
    }


def article_from_row(row: typing.Mapping[str, Any]) -> Article:
    """An Article from a row holding ARTICLE_COLUMNS."""
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        outlet=row["outlet"],
        published=dt_from_text(row["published"]),
        language=row["language"],
        author=row["author"],
        source=row["source"],
        extra=tuple((str(k), str(v)) for k, v in json.loads(row["extra"] or "[]")),
    )


# --------------------------------------------------------------------------- stories


def story_from_parts(row: typing.Mapping[str, Any], article_ids: list[str]) -> Story:
    """A Story from its row and its members in order."""
    return Story(
        id=row["id"],
        label=row["label"],
        article_ids=tuple(article_ids),
        outlets=tuple(json.loads(row["outlets"] or "[]")),
        first_seen=dt_from_text(row["first_seen"]),
        last_seen=dt_from_text(row["last_seen"]),
    )


# --------------------------------------------------------------------------- analyses


def analysis_to_json(analysis: AnalyzedArticle) -> str:
    """Every annotation layer as JSON; the article and the vectors are stored elsewhere."""
    data = to_dict(analysis)
    data.pop("article", None)
    data["format"] = ANALYSIS_FORMAT
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _unwrap_optional(hint: Any) -> Any:
    """``X | None`` -> X, anything else unchanged."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _build(cls: type, data: dict[str, Any]) -> Any:
    """A layer item dataclass from its to_dict form, parsing dates back and ignoring unknown keys
    (a field dropped from the model must not make old stores unreadable)."""
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        kind = _unwrap_optional(hints[f.name])
        if value is not None and kind is datetime:
            value = datetime.fromisoformat(value)
        elif value is not None and kind is date:
            value = date.fromisoformat(value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def _layer_types() -> dict[str, type]:
    """Layer field name -> item dataclass, read from AnalyzedArticle's annotations."""
    out = {}
    for name, hint in typing.get_type_hints(AnalyzedArticle).items():
        if typing.get_origin(hint) is tuple:
            args = typing.get_args(hint)
            if args and dataclasses.is_dataclass(args[0]):
                out[name] = args[0]
    return out


LAYER_TYPES = _layer_types()


def analysis_from_json(text: str, article: Article, vectors: Any = None) -> AnalyzedArticle:
    """Rebuild an AnalyzedArticle (every layer's dataclasses) from analysis_to_json output."""
    try:
        data = json.loads(text)
        fmt = data.get("format", 1)
        if fmt > ANALYSIS_FORMAT:
            raise StoreError(
                f"analysis of {article.id} was stored in format {fmt}, newer than this "
                f"Storyline reads ({ANALYSIS_FORMAT})",
                hint="upgrade Storyline, or re-run the analysis",
            )
        layers = {
            name: tuple(_build(cls, item) for item in data.get(name, ()))
            for name, cls in LAYER_TYPES.items()
        }
        return AnalyzedArticle(
            article=article,
            vectors=vectors,
            layers=tuple(data.get("layers", ())),
            **layers,
        )
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StoreError(
            f"stored analysis of {article.id} cannot be read: {exc}",
            hint="re-run the analysis of this article",
        ) from None


# --------------------------------------------------------------------------- vectors


def vectors_to_blob(vectors: Any) -> tuple[bytes, str] | tuple[None, None]:
    """(float32 little-endian bytes, shape text "n,d") of an array; (None, None) for None."""
    if vectors is None:
        return None, None
    array = np.ascontiguousarray(np.asarray(vectors), dtype=VECTOR_DTYPE)
    return array.tobytes(), ",".join(str(n) for n in array.shape)


def vectors_from_blob(blob: bytes | None, shape: str | None) -> np.ndarray | None:
    """The float32 array of vectors_to_blob output (native byte order), None for None."""
    if blob is None:
        return None
    dims = tuple(int(n) for n in shape.split(",")) if shape else (-1,)
    array = np.frombuffer(blob, dtype=VECTOR_DTYPE).reshape(dims)
    return array.astype(np.float32)  # a writable, native-order copy

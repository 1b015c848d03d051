"""Telling files from URLs, expanding directories and OPML lists, and sniffing input kinds."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.errors import FormatError, InputError, StorylineError
from storyline.ingest.decode import read_bytes
from storyline.ingest.opml import parse_opml
from storyline.ingest.options import ReadOptions
from storyline.ingest.skips import Skip

# Kinds of input, by file extension; anything else is sniffed from its first bytes.
EXTENSION_KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".opml": "opml",
}
# Markup announces itself in the first bytes; a few hundred skip a BOM, comments, whitespace.
SNIFF_CHARS = 1_024


@dataclass(frozen=True)
class Source:
    """One input to read: a file path or a URL, and what it was expanded from."""

    kind: str  # "file" or "url"
    location: str
    origin: str = ""  # the directory or OPML file it came from; "" when given directly


def is_url(item: str) -> bool:
    """True for anything with a URL scheme (http, https, but also file: or ftp: to refuse)."""
    head = item.strip().split("://", 1)
    return len(head) == 2 and head[0].isalpha() and len(head[0]) > 1


def sniff_kind(data: bytes, default: str) -> str:
    """The input kind its first bytes show (html, feed, opml, jsonl), else ``default``."""
    head = data[:SNIFF_CHARS]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<opml" in head:
        return "opml"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head:
        return "html"
    if head.startswith(b"{") and default == "text":
        return "jsonl"
    return default


def kind_of_path(path: Path, data: bytes) -> str:
    """The input kind of a file: by extension, sniffed for text, XML and unknown extensions."""
    kind = EXTENSION_KINDS.get(path.suffix.lower())
    if kind is None or kind in ("text", "feed"):
        sniffed = sniff_kind(data, kind or "text")
        # JSON is only guessed for files without a telling extension: a .txt is text.
        return "text" if sniffed == "jsonl" and kind is not None else sniffed
    return kind


def _unlistable(error: OSError, fallback: Path | str) -> Skip:
    where = str(error.filename or fallback)
    message = f"cannot list folder ({error.strerror})"
    return Skip(where, 0, InputError(message, path=where).render())


def _walk(directory: Path) -> Iterator[Path | Skip]:
    """The folder's files in name order; a subfolder that cannot be listed is a Skip."""
    unreadable: list[OSError] = []
    # os.walk does not follow directory symlinks, so a link loop cannot recurse forever.
    for root, dirs, files in os.walk(directory, onerror=unreadable.append):
        while unreadable:
            yield _unlistable(unreadable.pop(0), root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name
    for error in unreadable:  # the last subfolder, or the top folder itself
        yield _unlistable(error, directory)


def _is_opml(path: Path) -> bool:
    """True for an OPML list; a file that cannot be sniffed is read (and refused) later."""
    suffix = path.suffix.lower()
    if suffix == ".opml":
        return True
    if suffix != ".xml":
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_CHARS)
    except OSError:
        return False
    return sniff_kind(head, "feed") == "opml"


def expand_sources(items: list[str], options: ReadOptions) -> Iterator[Source | Skip]:
    """Files and URLs to read: directories walked (hidden entries skipped), OPML -> feed URLs.

    What cannot be expanded (a missing path, a broken OPML list, an empty directory) is a
    ``Skip`` naming it, so one bad item never stops the others.
    """
    for item in items:
        if is_url(item):
            yield Source("url", item.strip())
            continue
        path = Path(item)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                if isinstance(file, Skip):
                    yield file
                else:
                    yield from _expand_file(file, options, origin=str(path))
            if not found:
                yield Skip(item, 0, InputError("directory holds no files", path=item).render())
        elif path.is_file():
            yield from _expand_file(path, options, origin="")
        else:
            error = InputError("no such file or directory", hint="check the path", path=item)
            yield Skip(item, 0, error.render())


def _expand_file(path: Path, options: ReadOptions, *, origin: str) -> Iterator[Source | Skip]:
    if not path.is_file():  # opening a named pipe would wait forever for a writer
        error = InputError(
            "not a regular file (a pipe, socket, device or broken link)", path=str(path)
        )
        yield Skip(str(path), 0, error.render())
        return
    if not _is_opml(path):
        yield Source("file", str(path), origin=origin)
        return
    try:
        urls = parse_opml(read_bytes(path, options), source=str(path))
    except StorylineError as exc:
        yield Skip(str(path), 0, exc.render())
        return
    if not urls:
        yield Skip(str(path), 0, FormatError("OPML list names no feeds", path=str(path)).render())
    for url in urls:
        yield Source("url", url, origin=str(path))

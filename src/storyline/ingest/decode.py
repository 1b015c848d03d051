"""Reading input bytes safely: size cap, empty and binary detection, and text decoding.

Plain text must be UTF-8 (with or without a BOM), or UTF-16/UTF-32 with a BOM. Other
encodings raise EncodingError rather than being guessed: a wrong guess would silently garble
the stored text that every span points into. HTML has its own charset detection (html.py).
"""

from __future__ import annotations

import codecs
from pathlib import Path

from storyline.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    TooLargeError,
)
from storyline.ingest.options import ReadOptions

# Binary sniffing looks at the start only: enough to see a file's nature, cheap on big files.
SNIFF_BYTES = 8_192
# Text has almost no control bytes besides \t \n \r \f; above this share it is binary data.
MAX_CONTROL_RATIO = 0.10

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"7z\xbc\xaf")
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\b\x1b")


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def read_bytes(path: Path, options: ReadOptions) -> bytes:
    """The file's bytes; coded errors for a missing, unreadable, empty or too large file."""
    cap = options.max_bytes
    try:
        if path.is_dir():
            raise InputError("is a directory, not a file", path=str(path))
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)  # not stat(): the file may grow while we read it
    except FileNotFoundError:
        raise InputError("file not found", hint="check the path", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=str(path)) from None
    if len(data) > cap:
        raise TooLargeError(f"file is larger than the cap of {cap:,} bytes", path=str(path))
    if not data.strip():
        raise EmptyInputError("file is empty", path=str(path))
    return data


def check_not_binary(data: bytes, where: str) -> None:
    """Raise BinaryInputError for data that is not text (magic numbers, NULs, control bytes)."""
    if bom_encoding(data):
        return  # UTF-16/32 text has NUL bytes by design
    head = data[:SNIFF_BYTES]
    if head.startswith(_MAGIC):
        raise BinaryInputError("looks like a binary file (image, PDF or archive)", path=where)
    if b"\x00" in head:
        raise BinaryInputError("holds NUL bytes, so it is not text", path=where)
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    if head and controls / len(head) > MAX_CONTROL_RATIO:
        raise BinaryInputError("holds too many control bytes to be text", path=where)


def decode_text(data: bytes, where: str) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16/32; EncodingError otherwise."""
    check_not_binary(data, where)
    encoding = bom_encoding(data) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"not valid {encoding} (byte {exc.start}: {data[exc.start : exc.start + 1]!r})",
            path=where,
        ) from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise EmptyInputError("file holds only whitespace", path=where)
    return text

"""Near-duplicate detection: syndicated wire copy via MinHash LSH over shingles.

Texts are cut into word 5-grams (``SHINGLE_WORDS``) of their lower-cased ``\\w+`` tokens; texts
shorter than ``SHORT_TEXT_WORDS`` words use character 5-grams of the same normalised tokens
instead, because a short text has too few word 5-grams for one edit to leave any signal.

MinHash signatures use datasketch's "affine32" scheme, computed here with numpy: shingles are
hashed by combining stable per-word CRC32 values (no per-shingle Python hashing), then each
signature is exactly what ``datasketch.MinHash(num_perm, seed=SEED).update_batch`` would give for
those hash values with an identity hashfunc (a unit test checks this). Candidates come from LSH
tables (LSH_BANDS x LSH_ROWS) keyed by ``band_keys``, the keys the store keeps too: two
signatures are candidates when all ROWS values of one band match, as in ``datasketch.MinHashLSH``
(a test checks both find the same candidates), and are kept when their estimated Jaccard reaches
``COPY_JACCARD``.

Memory stays bounded however many articles are stored: the index keeps in RAM only the
signatures of a time window (``WINDOW_HOURS``, at most ``WINDOW_SIGNATURES``); the tracker stores
every kept signature with its LSH band keys (``band_keys``), and ``groups`` also asks that stored
lookup, so an original older than the window is still found.

Which of a group of copies is the original: ``pick_original`` (earliest published, then first
ingested). The index knows each indexed article's group (the original it was linked to) and
keeps a bounded number of signatures per group (``GROUP_SIGNATURES``, ``COVERED_JACCARD``), so
the cost of finding a copy does not grow with the number of copies already stored.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import numpy as np
from datasketch import LeanMinHash, MinHash

SHINGLE_WORDS = 5  # word n-gram size: long enough that shared stock phrases rarely match
SHINGLE_CHARS = 5  # character n-gram size for short texts

# Below this many words a text is shingled by characters: a 20-word text has only 16 word
# 5-grams, and a single changed word removes 5 of them (Jaccard drops to ~0.5).
SHORT_TEXT_WORDS = 25

# 128 permutations: measured (benchmarks/store.py, 400-word texts) at the same signature speed
# as 64 (0.85 vs 0.88 ms/doc: tokenising and hashing words dominate), while the Jaccard
# estimate's error near the threshold falls (mean 0.047 -> 0.034, max 0.172 -> 0.114).
NUM_PERM = 128
SEED = 1  # datasketch's default: signatures stay comparable with plain datasketch MinHash

# A "copy" shares at least half its word 5-grams with the other text. Measured on the test
# texts: a wire story re-run under another byline and first line has J = 0.94, one cut to its
# first three quarters J = 0.67; a different report of the same event (same names, one shared
# quote) J = 0.03. Half is far from both, and still catches a copy cut to half its length.
COPY_JACCARD = 0.5

# LSH bands x rows: an article becomes a candidate when all ROWS values of any one band match,
# P = 1 - (1 - J**ROWS)**BANDS: 0.93 at J=0.5, 0.99 at J=0.6, 1.0 at J>=0.7 (wire copies), and
# 0.15 at J=0.2, whose false candidates the Jaccard estimate then drops. datasketch's own
# optimum for threshold 0.5 (25 x 5) misses 45% of pairs at J=0.5, and every band costs about
# 280 bytes per article in the LSH tables, so fewer, shorter bands are both safer and smaller.
LSH_BANDS = 20
LSH_ROWS = 3

# A copy adds its signature to the index only when it widens what its group can match: its
# estimated Jaccard to every signature its group already holds is below COVERED_JACCARD, and
# the group holds fewer than GROUP_SIGNATURES. Without this, N copies of one wire story put N
# signatures in the same LSH buckets and every new copy is compared with all of them (ingest
# went quadratic: 2,000 copies 27 s vs 1.6 s distinct, benchmarks/near_duplicates.py). 0.9 lies
# below a re-run under another byline (J = 0.94 on the test texts), so such re-runs all share
# their original's signature; a text that matches the skipped copy at J >= 0.5 still matches a
# kept one at J >= 0.4 (Jaccard distance is a metric), and usually far more. Eight signatures
# leave room for edited versions (cut, rewritten lead) to reach further.
COVERED_JACCARD = 0.9
GROUP_SIGNATURES = 8

# The in-RAM window: signatures of articles published in the last WINDOW_HOURS (as the latest
# indexed article's date goes), at most WINDOW_SIGNATURES of them. A syndicated copy runs within
# hours of its wire original, so three days (the story window) holds nearly every match in RAM;
# older originals are found through the stored lookup at one indexed query per article. 50,000
# signatures at the ~3.6 KB each the band tables, signature and group take (tracemalloc, 20,000
# random signatures; datasketch's MinHashLSH alone took 6.1 KB each) is ~180 MB whatever the
# store's size.
WINDOW_HOURS = 72.0
WINDOW_SIGNATURES = 50_000

StoredLookup = Callable[[list[int]], list[tuple[str, str, np.ndarray]]]

_WORD = re.compile(r"\w+", re.UNICODE)
_MASK32 = np.uint64(0xFFFFFFFF)
_COMBINE = np.uint64(0x100000001B3)  # FNV-64 prime: odd, so the polynomial mixes every word
_CHAR_SALT = np.uint64(0x9E3779B97F4A7C15)  # keeps char shingles apart from word shingles

_FORMAT_MAGIC = b"STORYLINE-DUPINDEX "
_FORMAT_VERSION = 2  # 2 added "groups" (1: every id its own group)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD.findall(text.lower())


def _combine(values: np.ndarray, k: int, salt: np.uint64) -> np.ndarray:
    """32-bit hashes of every k-window of ``values`` (uint64), by a polynomial with wraparound."""
    n = len(values) - k + 1
    h = np.full(n, salt, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _COMBINE + values[j : j + n]
        h ^= h >> np.uint64(29)
    return ((h ^ (h >> np.uint64(32))) & _MASK32).astype(np.uint32)


def shingle_hashes(text: str) -> np.ndarray:
    """Unique 32-bit hashes of the text's shingles (word 5-grams, char 5-grams if short)."""
    words = tokens(text)
    if not words:
        return np.empty(0, dtype=np.uint32)
    if len(words) >= SHORT_TEXT_WORDS:
        values = np.fromiter(
            (zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words)
        )
        return np.unique(_combine(values, SHINGLE_WORDS, np.uint64(0)))
    joined = " ".join(words)
    values = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    k = min(SHINGLE_CHARS, len(values))
    return np.unique(_combine(values, k, _CHAR_SALT))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch's affine32 scheme pre-mixes its input."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


class Signer:
    """MinHash signatures of texts for one (num_perm, seed)."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = SEED):
        self.num_perm = num_perm
        self.seed = seed
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
        self._a = np.asarray(a, dtype=np.uint32)
        self._b = np.asarray(b, dtype=np.uint32)

    def signature_of_hashes(self, hashes: np.ndarray) -> np.ndarray | None:
        """The uint32 MinHash signature of 32-bit shingle hashes; None for no shingles."""
        if len(hashes) == 0:
            return None
        with np.errstate(over="ignore"):
            mixed = _fmix32(hashes.astype(np.uint32))
            return (mixed[:, None] * self._a + self._b).min(axis=0)

    def signature(self, text: str) -> np.ndarray | None:
        """The uint32 MinHash signature of a text; None when it has no words."""
        return self.signature_of_hashes(shingle_hashes(text))

    def lean(self, signature: np.ndarray) -> LeanMinHash:
        """The signature as a datasketch LeanMinHash."""
        return LeanMinHash(seed=self.seed, hashvalues=signature, scheme="affine32")


def band_keys(signature: np.ndarray, bands: int = LSH_BANDS, rows: int = LSH_ROWS) -> list[int]:
    """One signed 64-bit key per LSH band (its number and its rows' values hashed): two
    signatures share a key exactly when they share that band, as in the in-RAM LSH."""
    # The bands' bytes are sliced from one tobytes() (the same bytes as each band's own
    # tobytes(), a fifth less time a signature: 35 -> 27 us on 128 values).
    raw, width = np.asarray(signature, dtype="<u4").tobytes(), 4 * rows
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return [
        from_bytes(
            blake2b(
                band.to_bytes(2, "little") + raw[band * width : (band + 1) * width],
                digest_size=8,
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(bands)
    ]


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """MinHash estimate of the Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


class DuplicateIndex:
    """An incremental index of article signatures that finds near-duplicates (syndicated copy).

    Keeps uint32 signatures plus the LSH band tables; texts are not kept. Indexed articles form
    groups: an original and the copies linked to it (``insert(..., original=...)``). A group
    keeps at most GROUP_SIGNATURES signatures, so finding the group of a new copy costs the same
    however many copies of it are stored.
    """

    def __init__(
        self,
        num_perm: int = NUM_PERM,
        threshold: float = COPY_JACCARD,
        bands: int = LSH_BANDS,
        rows: int = LSH_ROWS,
        seed: int = SEED,
    ):
        self.threshold = threshold
        self.bands, self.rows = bands, rows
        self.signer = Signer(num_perm, seed)
        # One table per band: band key -> the indexed ids with that band. Keyed by the 64-bit
        # band_keys the tracker computes anyway (to store them), so a signature's bands are
        # hashed once, not again by datasketch's LSH (its query and insert were ~5 % of the
        # writer's samples on uci headlines).
        self._tables: list[dict[int, list[str]]] = [{} for _ in range(bands)]
        self._keys: dict[str, list[int]] = {}  # indexed id -> its band keys
        self._signatures: dict[str, np.ndarray] = {}
        self._group: dict[str, str] = {}  # indexed id -> its group (the original's id)
        self._members: dict[str, list[str]] = {}  # group -> its indexed ids
        self._formed: dict[str, int] = {}  # group -> rank in the order groups were formed
        self._ranks = 0
        self._when: dict[str, float | None] = {}  # indexed id -> published epoch, oldest first
        self.latest: float | None = None  # the latest published epoch indexed
        self.grouped = True  # False for a version 1 snapshot: copies not in their groups yet

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._signatures

    def _band_keys(self, signature: np.ndarray, keys: list[int] | None) -> list[int]:
        return band_keys(signature, self.bands, self.rows) if keys is None else keys

    def _candidates(self, keys: list[int]) -> set[str]:
        found: set[str] = set()
        for table, key in zip(self._tables, keys, strict=True):
            ids = table.get(key)
            if ids:
                found.update(ids)
        return found

    def _matches(
        self, signature: np.ndarray, keys: list[int] | None = None
    ) -> list[tuple[str, float]]:
        found = []
        for key in self._candidates(self._band_keys(signature, keys)):
            similarity = estimated_jaccard(signature, self._signatures[key])
            if similarity >= self.threshold:
                found.append((key, similarity))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found

    def query(self, text: str) -> list[tuple[str, float]]:
        """Indexed near-duplicates: (article id, estimated Jaccard), most similar first."""
        signature = self.signer.signature(text)
        return [] if signature is None else self._matches(signature)

    def groups(
        self,
        signature: np.ndarray | None,
        exclude: Iterable[str | None] = (),
        stored: StoredLookup | None = None,
        keys: list[int] | None = None,
    ) -> list[tuple[str, float]]:
        """The groups a signature is a near-duplicate of: (the group's original, best estimated
        Jaccard with its indexed signatures), in the order the groups were formed. Matches with
        the ``exclude`` ids do not count. ``stored`` looks signatures up by band key beyond the
        window (groups only on disk come first: they were formed earlier); ``keys``: the
        signature's ``band_keys`` (for this index's bands) when the caller has them."""
        if signature is None:
            return []
        skip = set(exclude)
        best: dict[str, float] = {}
        older: dict[str, int] = {}  # groups only on disk -> the order they were found in
        if stored is not None:
            keys = self._band_keys(signature, keys)
            for key, group, other in stored(keys):
                if key in skip or key in self._signatures:
                    continue
                similarity = estimated_jaccard(signature, other)
                if similarity >= self.threshold:
                    group = self._group.get(group, group)
                    best[group] = max(similarity, best.get(group, 0.0))
                    if group not in self._formed:
                        older.setdefault(group, len(older))
        for key, similarity in self._matches(signature, keys):
            if key not in skip:
                group = self._group[key]
                best[group] = max(similarity, best.get(group, 0.0))

        def formed(pair: tuple[str, float]) -> tuple[int, int]:
            if pair[0] in older:
                return (0, older[pair[0]])
            return (1, self._formed[pair[0]])

        return sorted(best.items(), key=formed)

    def note_time(self, article_id: str, published: float | None) -> None:
        """Record an indexed article's published epoch (None: undated) for the window."""
        if article_id in self._signatures:
            self._when[article_id] = published
            if published is not None and (self.latest is None or published > self.latest):
                self.latest = published

    def evict(
        self, hours: float = WINDOW_HOURS, keep: int = WINDOW_SIGNATURES
    ) -> list[str]:
        """Drop from RAM the oldest indexed signatures: those published more than ``hours``
        before the latest, and any beyond ``keep``; the ids dropped. Undated ones leave by
        count only. Callers store the signatures first (they stay found through ``stored``)."""
        limit = self.latest - hours * 3600.0 if self.latest is not None else None
        dropped = []
        for article_id, when in list(self._when.items()):
            over = len(self._signatures) > keep
            old = limit is not None and when is not None and when < limit
            if not (over or old):
                break
            self.remove(article_id)
            dropped.append(article_id)
        return dropped

    def signature_of(self, article_id: str) -> np.ndarray | None:
        """An indexed article's signature (None when it is not in the window)."""
        return self._signatures.get(article_id)

    def group_of(self, article_id: str) -> str | None:
        """The original of an indexed article's group (itself for an original)."""
        return self._group.get(article_id)

    def insert(
        self,
        article_id: str,
        signature: np.ndarray | None,
        original: str | None = None,
        keys: list[int] | None = None,
    ) -> bool:
        """Index a signature (replacing an earlier entry of the same id): in its own group, or,
        for a copy, in the group of ``original``, where it is kept only if it widens the group
        (see COVERED_JACCARD); ``keys``: its ``band_keys`` when the caller has them. Returns
        whether the signature was kept."""
        if article_id in self._signatures:
            self.remove(article_id)
        if signature is None:
            return False
        group = self._group.get(original, original) if original else article_id
        members = self._members.get(group, [])
        if group != article_id and (
            len(members) >= GROUP_SIGNATURES
            or any(
                estimated_jaccard(signature, self._signatures[m]) >= COVERED_JACCARD
                for m in members
            )
        ):
            return False
        self._keep(article_id, signature, group, self._band_keys(signature, keys))
        return True

    def _keep(self, article_id: str, signature: np.ndarray, group: str, keys: list[int]) -> None:
        for table, key in zip(self._tables, keys, strict=True):
            table.setdefault(key, []).append(article_id)
        self._keys[article_id] = keys
        self._signatures[article_id] = signature
        self._when[article_id] = None
        self._group[article_id] = group
        self._members.setdefault(group, []).append(article_id)
        if group not in self._formed:
            self._formed[group] = self._ranks
            self._ranks += 1

    def add(self, article_id: str, text: str) -> list[tuple[str, float]]:
        """Index an article as an original (replacing an earlier entry of the same id) and return
        the near-duplicates already indexed, most similar first. A text without words is not
        indexed."""
        return self.add_signature(article_id, self.signer.signature(text))

    def add_signature(
        self, article_id: str, signature: np.ndarray | None
    ) -> list[tuple[str, float]]:
        """add() for a precomputed signature (Signer.signature)."""
        if article_id in self._signatures:
            self.remove(article_id)
        if signature is None:
            return []
        keys = band_keys(signature, self.bands, self.rows)
        matches = self._matches(signature, keys)
        self.insert(article_id, signature, keys=keys)
        return matches

    def remove(self, article_id: str) -> None:
        """Drop an article from the index (no-op when absent)."""
        if self._signatures.pop(article_id, None) is None:
            return
        self._when.pop(article_id, None)
        for table, key in zip(self._tables, self._keys.pop(article_id), strict=True):
            ids = table[key]
            ids.remove(article_id)
            if not ids:
                del table[key]
        group = self._group.pop(article_id)
        members = self._members[group]
        members.remove(article_id)
        if not members:
            del self._members[group], self._formed[group]

    def ids(self) -> list[str]:
        """Indexed article ids, in insertion order."""
        return list(self._signatures)

    def regroup(self, original_of: Callable[[str], str | None]) -> DuplicateIndex:
        """The same signatures re-indexed with each copy in its original's group, under the
        group caps (``original_of``: the original an id was linked to, None for an original).
        For a version 1 snapshot, which indexed every copy as an original of its own."""
        fresh = DuplicateIndex(
            self.signer.num_perm, self.threshold, self.bands, self.rows, self.signer.seed
        )
        for article_id, signature in self._signatures.items():
            fresh.insert(article_id, signature, original_of(article_id))
        return fresh

    def to_bytes(self) -> bytes:
        """A snapshot: a magic line with the format version, a JSON header line (num_perm, seed,
        scheme, threshold, bands, rows, ids, the group of each id), then the signatures as one
        little-endian uint32 matrix [len(ids), num_perm]. No pickle: a snapshot read back from a
        store can never run code. The LSH tables are not saved but rebuilt on load (they are
        90% of the memory and derive from the signatures)."""
        header = {
            "num_perm": self.signer.num_perm,
            "seed": self.signer.seed,
            "scheme": "affine32",
            "threshold": self.threshold,
            "bands": self.bands,
            "rows": self.rows,
            "ids": list(self._signatures),
            "groups": [self._group[i] for i in self._signatures],
        }
        matrix = np.array(list(self._signatures.values()), dtype="<u4").reshape(
            len(self._signatures), self.signer.num_perm
        )
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        magic = _FORMAT_MAGIC + str(_FORMAT_VERSION).encode("ascii") + b"\n"
        return magic + head + b"\n" + matrix.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> DuplicateIndex:
        """The index saved by to_bytes (any format version); ValueError for anything else."""
        version, _, rest = data.partition(b"\n")
        if not version.startswith(_FORMAT_MAGIC) or version[len(_FORMAT_MAGIC) :] not in {
            str(v).encode("ascii") for v in range(1, _FORMAT_VERSION + 1)
        }:
            raise ValueError("not a DuplicateIndex snapshot (bad magic line)")
        end = rest.index(b"\n")
        header = json.loads(rest[:end].decode("utf-8"))
        if header.get("scheme") != "affine32":
            raise ValueError(f"unknown signature scheme {header.get('scheme')!r}")
        index = cls(
            num_perm=header["num_perm"],
            threshold=header["threshold"],
            bands=header["bands"],
            rows=header["rows"],
            seed=header["seed"],
        )
        ids = header["ids"]
        groups = header.get("groups", ids)  # version 1 knew no groups: each id its own
        index.grouped = "groups" in header
        matrix = np.frombuffer(rest[end + 1 :], dtype="<u4").astype(np.uint32)
        matrix = matrix.reshape(len(ids), header["num_perm"])
        for article_id, group, signature in zip(ids, groups, matrix, strict=True):
            index._keep(article_id, signature, group, band_keys(signature, index.bands, index.rows))
        return index


class BatchLookup:
    """The stored lookup for a batch of articles, answered from one query of all their band keys.

    The store's signatures stay as they are while a batch is tracked (the signatures it keeps
    are saved with its stories, at its end), so what one query of every key returns, filtered
    to the rows sharing a key with the asked keys, is what the store would answer each article
    alone: the same rows, in the order they were stored. One query a batch instead of one an
    article: that query was 13 % of the writer's samples under `benchmarks/serve_load.py`."""

    def __init__(self, lookup: StoredLookup, key_lists: Iterable[list[int]]):
        wanted = list(dict.fromkeys(k for keys in key_lists for k in keys))
        self._rows = lookup(wanted) if wanted else []
        asked = set(wanted)
        self._by_key: dict[int, list[int]] = {}  # band key -> the rows holding it, in order
        for n, (_, _, signature) in enumerate(self._rows):
            for key in band_keys(signature):
                if key in asked:
                    self._by_key.setdefault(key, []).append(n)

    def __call__(self, keys: list[int]) -> list[tuple[str, str, np.ndarray]]:
        rows = {n for key in keys for n in self._by_key.get(key, ())}
        return [self._rows[n] for n in sorted(rows)]


def _sort_key(published: datetime | None, order: int) -> tuple[int, float, int]:
    if published is None:
        return (1, 0.0, order)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)  # naive dates are taken as UTC, as the store does
    return (0, published.timestamp(), order)


def pick_original(candidates: Iterable[tuple[str, datetime | None]]) -> str:
    """The original among near-duplicates given as (id, published) in ingest order: the earliest
    published; a dated article wins over an undated one; ties go to the first ingested."""
    ranked = [
        (_sort_key(published, i), article_id)
        for i, (article_id, published) in enumerate(candidates)
    ]
    if not ranked:
        raise ValueError("pick_original needs at least one candidate")
    return min(ranked)[1]

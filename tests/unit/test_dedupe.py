"""Near-duplicate detection: wire copies found, same-event reports kept apart."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from datasketch import MinHash

from storyline.stories import dedupe
from storyline.stories.dedupe import COPY_JACCARD, DuplicateIndex, pick_original

# An invented event, written for these tests.
WIRE_BODY = (
    "Engineers in the river town of Callowmere closed three road bridges on Tuesday after "
    "inspectors found cracks in the supporting piers, leaving thousands of commuters to take "
    "long detours through the hills. The regional transport office said the bridges would "
    "stay shut for at least six weeks while divers examine the foundations. "
    '"Safety has to come first, even when the cost to daily life is high," transport director '
    "Mirela Okonjo told reporters outside the town hall. Local businesses warned that the "
    "closures could cut trade in the market district by a third during the busiest season of "
    "the year. The town council plans to run free shuttle buses between the two banks and has "
    "asked the national rail company to add extra trains on the coastal line. Residents "
    "queued at a temporary ferry landing on Wednesday morning, where two small boats carried "
    "passengers across the water every twenty minutes. Inspectors first raised concerns about "
    "the piers last spring, according to minutes of a council meeting published in April, "
    "but repairs were postponed because of a dispute over funding between the town and the "
    "regional government."
)
WIRE = "CALLOWMERE (Northwire) - " + WIRE_BODY
COPY = "By Staff Reporter | The Valley Courier | Updated 10:42\n\nCALLOWMERE - " + WIRE_BODY
SAME_EVENT = (
    "Commuters in Callowmere faced hours of delays this week after the town's three main "
    "bridges were shut over fears that their piers were no longer sound. Inspectors had "
    "spotted cracks during a routine survey, and the regional transport office ordered the "
    "crossings closed with immediate effect. "
    '"Safety has to come first, even when the cost to daily life is high," said Mirela '
    "Okonjo, who leads the transport office. Shopkeepers near the old market said they had "
    "already seen fewer customers, and a trade association called on the national government "
    "to step in with emergency money. A ferry service started on Wednesday, and the council "
    "promised shuttle buses within days. Critics on the council argued that the problem had "
    "been known for a year and that the closure was the price of delay. The repairs are "
    "expected to take six weeks, although engineers cautioned that the timetable depends on "
    "what divers find beneath the waterline."
)


def random_text(rng: random.Random, words: int = 300, vocabulary: int = 3000) -> str:
    return " ".join(f"w{rng.randrange(vocabulary)}" for _ in range(words))


def test_signature_matches_datasketch():
    hashes = dedupe.shingle_hashes(WIRE)
    expected = MinHash(num_perm=dedupe.NUM_PERM, seed=dedupe.SEED, hashfunc=lambda x: x)
    expected.update_batch([int(h) for h in hashes])
    ours = dedupe.Signer().signature(WIRE)
    np.testing.assert_array_equal(ours, expected.hashvalues)


def test_shingles_words_and_short_texts():
    assert len(dedupe.shingle_hashes(WIRE)) > 150  # word 5-grams of ~230 words
    short = dedupe.shingle_hashes("Bridges closed in Callowmere")
    assert len(short) == len("bridges closed in callowmere") - dedupe.SHINGLE_CHARS + 1
    assert len(dedupe.shingle_hashes("")) == 0 and len(dedupe.shingle_hashes("-- ;")) == 0
    assert len(dedupe.shingle_hashes("ab")) == 1


def test_wire_copy_with_other_first_line_is_detected():
    index = DuplicateIndex()
    assert index.add("wire", WIRE) == []
    matches = index.add("copy", COPY)
    assert [m[0] for m in matches] == ["wire"]
    assert matches[0][1] >= 0.8


def test_same_event_different_report_is_not_a_copy():
    index = DuplicateIndex()
    index.add("wire", WIRE)
    assert index.add("other", SAME_EVENT) == []
    signer = dedupe.Signer()
    similarity = dedupe.estimated_jaccard(signer.signature(WIRE), signer.signature(SAME_EVENT))
    assert similarity < 0.1


def test_truncated_copy_is_detected_and_threshold_is_meaningful():
    sentences = WIRE_BODY.split(". ")
    trimmed = ". ".join(sentences[: len(sentences) * 3 // 4])
    index = DuplicateIndex()
    index.add("wire", WIRE)
    assert [m[0] for m in index.query(trimmed)] == ["wire"]
    assert [m[0] for m in index.query(". ".join(sentences[:2]))] == []  # a fifth is no copy


def test_short_texts_use_character_shingles():
    index = DuplicateIndex()
    index.add("brief", "Three bridges closed in Callowmere after cracks were found in the piers")
    found = index.query("Three bridges closed in Callowmere after cracks were found in piers")
    assert [m[0] for m in found] == ["brief"]
    assert index.query("Callowmere council approves budget for new school buildings") == []


def test_query_remove_len_and_readd():
    index = DuplicateIndex()
    index.add("wire", WIRE)
    index.add("empty", "")  # no words: not indexed
    assert len(index) == 1 and "empty" not in index
    assert [m[0] for m in index.query(COPY)] == ["wire"]
    assert index.add("wire", WIRE) == []  # re-adding an id replaces it, never matches itself
    assert len(index) == 1
    index.remove("wire")
    index.remove("never-there")
    assert len(index) == 0 and index.query(COPY) == []


def test_many_unrelated_texts_and_planted_copies():
    rng = random.Random(7)
    index = DuplicateIndex()
    texts = {f"a{i}": random_text(rng) for i in range(300)}
    for key, text in texts.items():
        assert index.add(key, text) == []
    for i in range(0, 300, 30):
        copy = "Reprinted with permission. " + texts[f"a{i}"]
        assert [m[0] for m in index.query(copy)] == [f"a{i}"]


def test_snapshot_round_trip():
    rng = random.Random(3)
    index = DuplicateIndex()
    for i in range(50):
        index.add(f"r{i}", random_text(rng, 80))
    index.add("wire", WIRE)
    data = index.to_bytes()
    back = DuplicateIndex.from_bytes(data)
    assert len(back) == len(index) and back.ids() == index.ids()
    assert back.query(COPY) == index.query(COPY)
    assert back.threshold == COPY_JACCARD
    back.remove("wire")
    assert back.query(COPY) == []
    assert DuplicateIndex.from_bytes(DuplicateIndex().to_bytes()).ids() == []


def _edited(rng: random.Random, text: str, share: float) -> str:
    """The text with a share of its words replaced: an edited copy."""
    words = text.split()
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = f"x{rng.randrange(10**6)}"
    return " ".join(words)


def test_copies_join_their_original_group_and_the_group_stays_small():
    rng = random.Random(11)
    index = DuplicateIndex()
    index.insert("wire", index.signer.signature(WIRE))
    for i in range(5):
        index.insert(f"r{i}", index.signer.signature(random_text(rng)))
    kept = 0
    for i in range(300):
        # re-runs under another byline and edited versions (J with the wire ~0.6 to 0.95)
        text = f"By reporter {i} for outlet {i}. " + (WIRE if i % 2 else _edited(rng, WIRE, 0.04))
        signature = index.signer.signature(text)
        groups = index.groups(signature)
        assert [g for g, _ in groups] == ["wire"], i
        kept += index.insert(f"c{i}", signature, original="wire")
    assert 1 <= kept <= dedupe.GROUP_SIGNATURES - 1  # what a query compares grows no further
    assert len(index) == 6 + kept
    # a copy linked to a kept copy joins the root's group, and snapshots keep the groups
    member = next(i for i in index.ids() if i.startswith("c"))
    index.insert("late", index.signer.signature(_edited(rng, WIRE, 0.3)), original=member)
    back = DuplicateIndex.from_bytes(index.to_bytes())
    assert back.group_of("late") in (None, "wire") and back.group_of(member) == "wire"
    assert back.groups(back.signer.signature(COPY)) == index.groups(index.signer.signature(COPY))


def test_groups_exclude_ids_and_keep_formation_order():
    index = DuplicateIndex()
    index.insert("second", index.signer.signature(COPY))
    index.insert("first", index.signer.signature(WIRE))  # another group, formed later
    signature = index.signer.signature(WIRE)
    assert [g for g, _ in index.groups(signature)] == ["second", "first"]
    assert [g for g, _ in index.groups(signature, exclude=["second"])] == ["first"]
    assert index.groups(None) == []


def test_version_1_snapshot_still_loads():
    index = DuplicateIndex()
    index.add("wire", WIRE)
    data = index.to_bytes()
    head, _, rest = data.partition(b"\n")
    header, _, matrix = rest.partition(b"\n")
    old = json.loads(header)
    del old["groups"]
    v1 = b"STORYLINE-DUPINDEX 1\n" + json.dumps(old).encode() + b"\n" + matrix
    back = DuplicateIndex.from_bytes(v1)
    assert back.ids() == ["wire"] and back.group_of("wire") == "wire" and not back.grouped
    assert [m[0] for m in back.query(COPY)] == ["wire"]


def test_regroup_puts_old_copies_under_their_original_within_the_cap():
    index = DuplicateIndex()
    index.add("wire", WIRE)
    for i in range(40):  # as version 1 indexed them: every copy an original of its own
        index.add(f"c{i}", f"By reporter {i}. " + WIRE)
    assert len(index) == 41
    regrouped = index.regroup(lambda i: None if i == "wire" else "wire")
    assert regrouped.grouped and len(regrouped) < dedupe.GROUP_SIGNATURES
    assert [g for g, _ in regrouped.groups(regrouped.signer.signature(COPY))] == ["wire"]


def test_snapshot_rejects_other_bytes():
    with pytest.raises(ValueError):
        DuplicateIndex.from_bytes(b"\x80\x04not ours")


def test_pick_original():
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    assert pick_original([("late", t0 + timedelta(hours=1)), ("early", t0)]) == "early"
    assert pick_original([("first", t0), ("second", t0)]) == "first"  # tie: first ingested
    assert pick_original([("undated", None), ("dated", t0 + timedelta(days=9))]) == "dated"
    assert pick_original([("u1", None), ("u2", None)]) == "u1"
    naive = datetime(2024, 5, 1, 0, 30)  # naive = UTC, so later than t0
    assert pick_original([("naive", naive), ("aware", t0)]) == "aware"
    with pytest.raises(ValueError):
        pick_original([])

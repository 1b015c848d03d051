"""Corrections by the user through the service and the CLI, with the real refinement: they are
stored, shown in the story's history, and survive refinement and re-ingest."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from tests.integration.test_refine_stories import FINAL, QUAKE, T0
from typer.testing import CliRunner

from storyline import service
from storyline.errors import CorrectionError, NotFoundError, StoreBusyError
from storyline.interfaces.cli import app
from storyline.service.options import story_options, track_options
from storyline.settings import load_settings
from storyline.store import open_store
from storyline.stories.cluster import StoryEngine
from storyline.stories.tracker import IngestReport, Tracker, load_engine

pytestmark = pytest.mark.slow  # refinement loads the packaged MiniLM

# The two stories of the refinement tests: a quake (three reports) and a football final (two).
LATE_QUAKE = (
    "Aftershocks rattle Lombok as earthquake toll stays at 14",
    "Aftershocks shook the Indonesian island of Lombok on Monday, a day after the magnitude 6.1 "
    "earthquake that killed 14 people; the disaster agency said homes were still being checked.",
)


def _record(n: int, title: str, text: str) -> dict:
    return {
        "id": f"a{n}",
        "title": title,
        "text": text,
        "outlet": f"outlet{n}",
        "published": (T0 + timedelta(hours=n)).isoformat(),
        "url": f"https://n.example/{n}",
    }


def _write(path: Path, records: list[dict]) -> str:
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture()
def settings(backend):
    # the online pass splits everything; refinement finds the two events
    return load_settings({"store": backend.target("news"), "story_threshold": 10.0})


@pytest.fixture()
def feed(tmp_path) -> str:
    return _write(
        tmp_path / "items.jsonl", [_record(n, t, x) for n, (t, x) in enumerate(QUAKE + FINAL)]
    )


@pytest.fixture()
def two(settings, feed) -> tuple[str, str]:
    """The feed ingested and refined: (quake story id, final story id)."""
    service.ingest([feed], settings)
    quake, final = (_story_of(a, settings) for a in ("a0", "a3"))
    assert quake != final
    assert _members(settings, quake) == {"a0", "a1", "a2"}
    assert _members(settings, final) == {"a3", "a4"}
    return quake, final


def _id(settings: dict, name: str) -> str:
    """The stored id (a content hash) of the record named ``a<n>``."""
    with open_store(settings["store"]) as store:
        return store.find_by_url(f"https://n.example/{name[1:]}").id


def _name(settings: dict, article_id: str) -> str:
    with open_store(settings["store"]) as store:
        return "a" + store.get_article(article_id).url.rsplit("/", 1)[1]


def _story_of(name: str, settings: dict) -> str:
    with open_store(settings["store"]) as store:
        return store.story_of(_id(settings, name)).id


def _members(settings: dict, story_id: str) -> set[str]:
    return {_name(settings, a.id) for a in service.get_story(story_id, settings).articles}


def _unpinned_refinement(settings: dict) -> StoryEngine:
    """The control: the stored engine refined again with the user's pins dropped."""
    with open_store(settings["store"]) as store:
        engine, _ = load_engine(store, story_options(settings))
        engine.pins.clear()
        engine.refine({i: store.get_article(i) for i in engine.refine_scope()})
    return engine


def _unpinned_story_of(settings: dict, *names: str) -> list[str]:
    engine = _unpinned_refinement(settings)
    return [engine.assignment(_id(settings, n)).story_id for n in names]


def test_refine_after_a_move_keeps_the_article_where_the_user_put_it(settings, two, tmp_path):
    quake, final = two
    correction = service.move_article(_id(settings, "a2"), final, settings)
    assert (correction.kind, correction.story_id, correction.from_ids) == ("move", final, (quake,))
    assert _members(settings, final) == {"a2", "a3", "a4"}
    # a new report arrives and the open stories are refined with it
    late = _write(tmp_path / "late.jsonl", [_record(9, *LATE_QUAKE)])
    report = service.ingest([late], settings)
    assert report.refined == 6
    assert _story_of("a2", settings) == final
    assert _story_of("a9", settings) == quake  # new articles still join freely
    assert service.refine(settings).moved == 0
    assert _story_of("a2", settings) == final
    # without the pins the same refinement would pull it back
    assert _unpinned_story_of(settings, "a2") == [quake]
    # an edited version of the moved article (same URL, new text) follows it, online (the
    # online pass here would open a story of its own) and through refinement
    edited = _record(2, QUAKE[2][0], QUAKE[2][1] + " Two more villages were reached on Monday.")
    edits = _write(tmp_path / "edit.jsonl", [edited])
    report = service.ingest([edits], {**settings, "story_refine": False})
    assert report.revisions == 1 and report.stories_opened == 0
    revision = _id(settings, "a2")
    assert revision != correction.article_ids[0] and _story_of("a2", settings) == final
    assert service.refine(settings).refined == 7 and _story_of("a2", settings) == final
    # shown in both stories' history, from the store
    for story_id in (quake, final):
        assert [c.id for c in service.get_story(story_id, settings).corrections] == [1]


def test_re_ingesting_the_same_files_does_not_undo_a_merge(settings, two, feed, tmp_path):
    quake, final = two
    service.merge_stories(quake, [final], settings)
    assert _members(settings, quake) == {"a0", "a1", "a2", "a3", "a4"}
    again = service.ingest([feed], settings)
    assert again.duplicates == 5 and again.added == 0
    late = _write(tmp_path / "late.jsonl", [_record(9, *LATE_QUAKE)])
    assert service.ingest([feed, late], settings).refined == 6
    assert _members(settings, quake) == {"a0", "a1", "a2", "a3", "a4", "a9"}
    assert [s.id for s in service.list_stories(settings=settings)] == [quake]
    # the control: without the pins the same refinement splits them again
    assert len(set(_unpinned_story_of(settings, "a0", "a1", "a2", "a3", "a4"))) == 2
    # an edited version of a merged article (same URL, new text) follows it into the story
    edited = _record(3, FINAL[0][0], FINAL[0][1] + " Liverpool's keeper apologised.")
    report = service.ingest([_write(tmp_path / "edit.jsonl", [edited])], settings)
    assert report.revisions == 1
    with open_store(settings["store"]) as store:
        revision = store.find_by_url("https://n.example/3")
        assert store.story_of(revision.id).id == quake


def test_a_split_stays_split_and_the_history_names_both_stories(settings, two):
    quake, final = two
    correction = service.split_story(quake, [_id(settings, "a1"), _id(settings, "a2")], settings)
    new = correction.story_id
    assert correction.new_story and new not in (quake, final)
    service.refine(settings)
    assert _members(settings, quake) == {"a0"} and _members(settings, new) == {"a1", "a2"}
    first, second = _unpinned_story_of(settings, "a0", "a1")
    assert first == second  # the control joins them again
    assert service.get_story(new, settings).corrections == [correction]
    assert service.list_corrections(settings=settings) == [correction]


def test_bad_ids_and_gone_stories_are_coded_errors(settings, two):
    quake, final = two
    with pytest.raises(NotFoundError, match="s999999"):
        service.merge_stories(quake, ["s999999"], settings)
    with pytest.raises(NotFoundError) as info:
        service.move_article("nope", final, settings)
    assert "--json" in info.value.hint
    with pytest.raises(CorrectionError):
        service.split_story(final, [_id(settings, "a0")], settings)
    assert service.list_corrections(settings=settings) == []  # nothing half-made
    service.merge_stories(quake, [final], settings)
    with pytest.raises(NotFoundError, match=f"put its articles in '{quake}'"):
        service.get_story(final, settings)


def test_a_correction_waits_for_the_writer_lease(settings, two):
    quake, final = two
    with open_store(settings["store"]) as other, other.writer(5.0):
        with pytest.raises(StoreBusyError):
            service.merge_stories(quake, [final], {**settings, "writer_timeout": 0.3})
    assert service.list_corrections(settings=settings) == []


def test_a_tracker_open_in_another_process_takes_up_the_correction(settings, two, tmp_path):
    quake, final = two
    late, _ = service.read_labelled(_write(tmp_path / "late.jsonl", [_record(9, *LATE_QUAKE)]))
    # a `watch` that polls while the user corrects
    with Tracker(track_options(settings)) as watching:
        service.merge_stories(quake, [final], settings)
        report = IngestReport()
        watching.add_batch(late, report)
        watching.refine(report)
        assert report.refined == 6 and report.moved == 1  # only the new article moved
    assert [s.id for s in service.list_stories(settings=settings)] == [quake]
    assert _members(settings, quake) == {"a0", "a1", "a2", "a3", "a4", "a9"}


# --------------------------------------------------------------------------- the CLI


def test_cli_merge_split_move_and_the_story_history(settings, two):
    quake, final = two
    runner = CliRunner()
    store = ["--store", settings["store"]]

    def run(*args: str) -> str:
        result = runner.invoke(app, [*args, *store])
        assert result.exit_code == 0, (result.output, result.exception)
        return result.output

    moved = json.loads(run("story", "move", _id(settings, "a2"), "--new", "--json"))
    new = moved["correction"]["story_id"]
    assert moved["correction"]["new_story"] and {s["id"] for s in moved["stories"]} == {
        new,
        quake,
    }
    merged = json.loads(run("story", "merge", final, new, "--json"))
    assert merged["correction"]["removed"] == [new]
    assert [s["articles"] for s in merged["stories"]] == [3]
    split = json.loads(run("story", "split", final, _id(settings, "a2"), "--json"))
    shown = json.loads(run("story", final, "--json"))
    assert [c["kind"] for c in shown["corrections"]] == ["merge", "split"]
    assert {t["id"] for t in shown["timeline"]} == {_id(settings, n) for n in ("a3", "a4")}
    assert split["correction"]["id"] == 3
    text = run("story", final)
    assert "corrections by the user:" in text and f"merged {new} into {final}" in text
    assert _id(settings, "a3") in text  # article ids are shown, so they can be moved
    help_text = runner.invoke(app, ["story", "--help"]).output
    assert all(name in help_text for name in ("merge", "split", "move", "storyline story ID"))


def test_cli_errors_are_one_coded_line(settings, two):
    quake, _ = two

    def fails(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "storyline.interfaces.cli", "story", *args,
             "--store", settings["store"]],
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        return result.stderr

    assert "[E404]" in fails("move", "nope", "--to", quake) and "Hint" in fails("merge", quake,
                                                                                  "s999999")
    assert "[E700]" in fails("move", _id(settings, "a0"))
    assert "[E700]" in fails("split", quake, _id(settings, "a3"))
    assert "[E404]" in fails("s999999")

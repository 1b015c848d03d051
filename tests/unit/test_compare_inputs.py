"""`compare` reads what `ingest` reads: a dump is its articles, a folder its files."""

from __future__ import annotations

import json

import pytest

from storyline import service
from storyline.errors import CompareError
from storyline.model import Article
from storyline.service.options import analysis_options
from storyline.settings import load_settings

SETTINGS = {"max_bytes": 5_000_000, "max_chars": 200_000, "languages": "en"}


def _record(n: int) -> dict:
    return {"id": f"r{n}", "title": f"Report {n}", "outlet": f"outlet{n}.example",
            "text": f"The river rose {n} metres overnight and the bridge was closed. " * 3}


def test_a_jsonl_dump_compares_as_its_articles(tmp_path):
    dump = tmp_path / "story.jsonl"
    dump.write_text("\n".join(json.dumps(_record(n)) for n in range(5)) + "\n{broken\n")
    articles = service.read_for_comparison([dump], load_settings(SETTINGS))
    assert [a.outlet for a in articles] == [f"outlet{n}.example" for n in range(5)]
    assert all(isinstance(a, Article) for a in articles)  # the broken line is skipped


def test_a_folder_compares_as_its_files(tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"Headline {n}\n\nThe dam held on day {n}. " * 3)
    articles = service.read_for_comparison([tmp_path], load_settings(SETTINGS))
    assert len(articles) == 3


def test_one_article_is_refused_with_a_hint(tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("Headline\n\nOnly one report of the flood exists so far, the mayor said.")
    with pytest.raises(CompareError, match="at least two articles, got 1"):
        service.compare([one], load_settings(SETTINGS))


def test_an_evaluation_leaves_out_pages_the_analysis_cannot_read():
    from storyline.nlp import accepted_languages

    english = Article(id="e", text="The river rose overnight. " * 20, language="en")
    french = Article(id="f", text="La rivière a monté pendant la nuit. " * 20, language="fr")
    kept = accepted_languages([english, french], analysis_options(load_settings(SETTINGS)))
    assert kept == [english]

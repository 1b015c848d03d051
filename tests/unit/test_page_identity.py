"""A page of thin text (less than a paragraph besides its page clutter: a sign-in prompt, a share
box) is identified by its title with its text: two such pages of different events are two
articles, never a repeat or a copy of each other, while a true re-post stays a duplicate (ingest
stays idempotent, also for a page stored before its id took the title in)."""

from __future__ import annotations

import json
from dataclasses import replace

from storyline import service
from storyline.ingest.normalize import article_id, make_article, thin_text
from storyline.model import THIN_TEXT
from storyline.service.options import read_options
from storyline.settings import load_settings
from storyline.store import open_store

PROMPT = (
    "We have sent you a verification email. Please check your email and click on the link to "
    "activate your profile.\n\nClose"
)
OWNER = "You are the owner of this article."
PROSE = (
    "Rocky Mount police said a 24-year-old man was shot on Edwards Street late on Monday. "
    "Officers found shell casings near the corner and asked witnesses to call. The man was "
    "taken to a hospital in Greenville, where he was in stable condition, and no arrest had "
    "been made by Tuesday morning, a police spokesperson said."
)


def test_a_thin_page_is_told_apart_by_its_title():
    options = read_options(load_settings({}))
    a = make_article(OWNER, options, title="Teen shot on Edwards Street")
    b = make_article(OWNER, options, title="Two men wounded outside a Durham bar")
    again = make_article(OWNER, options, title="Teen shot on Edwards Street")
    assert a.get(THIN_TEXT) == "true" and a.identity == f"{a.title}\n{a.text}"
    assert a.id != b.id and a.id == again.id


def test_an_article_keeps_the_id_of_its_text():
    options = read_options(load_settings({}))
    # the id of a page with article text is its text's hash, as before: stores stay idempotent
    a = make_article(PROSE, options, title="Man shot in Rocky Mount")
    b = make_article(PROSE, options, title="Another headline for the same text")
    assert a.id == b.id == article_id(PROSE) and not a.get(THIN_TEXT)
    # a clutter line above the article text does not make the page thin
    mixed = make_article(f"{OWNER}\n\n{PROSE}", options, title="Man shot in Rocky Mount")
    assert not mixed.get(THIN_TEXT) and mixed.id == article_id(mixed.text)


def test_a_headline_only_record_and_an_input_field_are_not_thin():
    options = read_options(load_settings({}))
    # text = title (aggregator headlines; the title's spaces collapsed): the headline is no clutter
    headline = "Video: Snowden Says Encryption Is Key"
    assert not thin_text(headline.replace(" Says", "  Says"), headline)
    assert not thin_text(OWNER, "")  # no title to tell the page by
    forged = make_article(PROSE, options, title="T", extra=((THIN_TEXT, "true"),))
    assert not forged.get(THIN_TEXT)  # the mark is ingest's finding, not a record's field


def test_two_thin_pages_are_stored_apart_and_a_repost_stays_a_duplicate(tmp_path):
    records = [
        {"id": "p1", "title": "Teen shot on Edwards Street", "text": PROMPT,
         "url": "https://a.example/teen-shot-edwards-street", "published": "2015-03-02"},
        {"id": "p2", "title": "Two men wounded outside a Durham bar", "text": PROMPT,
         "url": "https://a.example/two-men-wounded-durham-bar", "published": "2015-06-20"},
        {"id": "p3", "title": "Man shot in Rocky Mount", "text": PROSE, "published": "2015-03-02"},
    ]
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    settings = load_settings({"embedder": "hashing", "store": str(tmp_path / "s.db")})
    first = service.ingest([str(path)], settings)
    assert (first.added, first.duplicates, first.copies) == (3, 0, 0)
    again = service.ingest([str(path)], settings)
    assert (again.added, again.duplicates, again.revisions) == (0, 3, 0)
    store = open_store(str(tmp_path / "s.db"))
    stories = {a: s.id for s in store.stories() for a in s.article_ids}
    ids = [a.id for a in store.articles()]
    store.close()
    assert len(ids) == 3 and all(i in stories for i in ids)


def test_a_thin_page_stored_under_its_old_id_stays_a_duplicate(backend):
    options = read_options(load_settings({}))
    page = make_article(OWNER, options, title="Teen shot", url="https://a.example/teen-shot")
    # as ingest stored it before: id and text hash of the text alone, no mark
    old = replace(page, id=article_id(page.text), extra=())
    with backend.open() as store:
        assert store.add_article(old).status == "added"
        again = store.add_article(page)
        other = make_article(OWNER, options, title="Two hurt", url="https://a.example/two-hurt")
        assert (again.status, again.article_id) == ("duplicate", old.id)
        assert store.add_article(other).status == "added"  # another page, not a revision


def test_a_short_text_is_thin_and_a_paragraph_is_not():
    brief = "Police are investigating a shooting on Edwards Street. More details to come."
    assert thin_text(brief, "Shooting on Edwards Street")
    assert not thin_text(PROSE, "Man shot in Rocky Mount")

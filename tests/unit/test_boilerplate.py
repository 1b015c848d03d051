"""Page clutter: which lines are marked, which real sentences never are, and where it shows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from storyline.model import AnalyzedArticle, Article, Sentence
from storyline.nlp.boilerplate import clutter_lines, is_clutter_sentence, line_clutter
from storyline.nlp.pipeline import Work
from storyline.nlp.sentences import SentencesComponent, boilerplate_flags, split_sentences
from storyline.store import codec
from storyline.stories.represent import Representer, body

# Lines written for these tests, one per family of page furniture.
CLUTTER = [
    # comment and captcha forms
    "Leave a comment",
    "Your email address will not be published. Required fields are marked *",
    "What is 3 + 4?",
    "Please enter the answer to the sum above.",
    "12 Comments",
    # ad-block, cookie and player notices
    "It looks like you are using an ad blocker. Please whitelist us to support our journalism.",
    "We use cookies to improve your experience. By continuing to use this site you agree.",
    "Please enable JavaScript to watch this video",
    "Advertisement",
    # share and follow prompts
    "Share this article",
    "A friend wanted you to see this item from Harbour Post: http://example.org/1",
    "Click to share on Facebook (Opens in new window)",
    "Follow us on Twitter for the latest updates",
    "Share this: Facebook",
    "Stay Up To Date, Follow Harbour Post On Twitter",
    "Follow HARBOURPOST.EXAMPLE: Facebook | Twitter",
    "ON A MOBILE DEVICE? WATCH THE VIDEO HERE.",
    "Read or Share this story: http://example.org/x1",
    # newsletter and apps
    "Sign up for our daily newsletter",
    "Download the Harbour Post app: iPhone | Android",
    # related lists and read-more lines
    "Read more: Ferry strike enters its third day",
    "[RELATED: Council approves new harbour wall]",
    # copyright and footers
    "Copyright 2024 Harbour Post Media. All rights reserved.",
    "© 2023 Lerrin Broadcasting",
    "Home | About | Contact | Privacy",
    # bylines, credits, contacts and datelines on lines of their own
    "By Jane Doe",
    "By Jane Doe and Tom Roe, Staff Writers",
    "(Reporting by Ana Vale; Editing by Ben Ort)",
    "Harbour Post reporter Ana Vale contributed to this report.",
    "Freelance photographer Ben Ort contributed.",
    "jdoe@harbourpost.example",
    "Updated 10:32 GMT, 8 January 2020",
    "Posted: Friday, July 3, 2015 10:10 AM EDT",
    "WASHINGTON (Reuters) -",
    "BRINDLEFORD, Lerrin —",
    "Brindleford, Monday 19 October 2026",
    "BRINDLEFORD - Tuesday, October 20, 2026",
    # captions and credits
    "Photo: Ana Vale",
    "Flood water on the quay. (AFP/Getty Images)",
    "The mayor at the quay on Monday. (Photo: Ana Vale)",
    "Ana Vale/Harbour Post The mayor walked the flooded quay on Monday.",
    # labels, credits and stamps of one word or in capitals
    "World",
    "LERRIN",
    "(HARBOURWIRE)",
    "Brindleford:",
    "4.",
    "WARNING: GRAPHIC CONTENT",
    "READ FULL REPORT",
    "12/21/20242 min read",
    "| Updated: Jun 15, 2023, 07:37 PM IST",
    "(Photograph: Lerrin Wire )",
    "The quay under water on Monday. Photo: Ana Vale",
    # separators and bare links
    "---",
    "http://example.org/2024/05/01/harbour-floods",
]

# Real article lines that look a little like clutter and must never be marked.
ARTICLE = [
    "No arrests have been made.",
    "WASHINGTON (Reuters) - The Senate voted 52-48 on Tuesday to confirm the nominee.",
    "By Tuesday evening, 14 people had been rescued from the roofs.",
    "Brindleford, on Monday, said the dam would hold.",
    "Residents were told to share rides and to subscribe to the text alerts, the mayor said.",
    "The council said it would publish the names on Friday.",
    "Police said White died Thursday morning.",
    '"It was scary," said neighbour Ana Vale, who saw the water rise.',
    "Kevin Hale, 30, of Brindleford",
    "- Jennifer Lane",
    "Anyone with information is asked to call police at 555-0100.",
    "The company's privacy policy was criticised by regulators last year.",
    "Peter Lynch/Timmons' Attorney: \"I'm not going to comment on the testimony.\"",
    "20 - 13.",
    "A SCHOOL DISTRICT RESPONDS",
    "The Ministry of Defence said the base was not hit.",
    "Every member of the crew contributed.",
    "Supporters follow the club on Twitter and in the stands, the mayor said.",
    "Yes.",
    "THE INVESTIGATION CONTINUES",
    "The photo: it showed the quay under water.",
]


@pytest.mark.parametrize("line", CLUTTER)
def test_clutter_families_are_marked(line):
    assert clutter_lines(line) == [(0, len(line))]


@pytest.mark.parametrize("line", ARTICLE)
def test_article_lines_are_never_marked(line):
    assert clutter_lines(line) == []
    assert not is_clutter_sentence(line)


def test_stored_text_keeps_clutter_and_spans_index_it():
    text = "Floods close the port.\nShare this article\nThe ferry will not sail today."
    spans = clutter_lines(text)
    assert [text[a:b] for a, b in spans] == ["Share this article"]


def test_a_list_of_dashed_names_is_article_text():
    text = "Five states voted against:\n– Belarus\n– North Korea\n– Syria\n\n— Jane Doe"
    assert [text[a:b] for a, b in clutter_lines(text)] == ["— Jane Doe"]


def test_headline_is_never_clutter():
    title = "By The Quay"
    assert clutter_lines(f"{title}\nThe quay flooded.", title) == []
    assert clutter_lines("The quay flooded.\nBy The Quay") == [(18, 29)]


def test_related_list_marks_the_titles_under_its_header():
    text = (
        "The port reopened on Monday.\n"
        "Related articles\n"
        "Ferry strike enters its third day\n"
        "Council approves new harbour wall\n"
        "The harbour master said the channel had been dredged overnight."
    )
    marked = [text[a:b] for a, b in clutter_lines(text)]
    assert marked == [
        "Related articles",
        "Ferry strike enters its third day",
        "Council approves new harbour wall",
    ]


def test_title_case_line_needs_the_parse_to_say_it_has_no_verb():
    text = "The quay flooded on Monday.\n2 Killed, Several Hurt in Quay Flood\nMore rain is due."
    line = (28, 64)
    assert text[line[0] : line[1]] == "2 Killed, Several Hurt in Quay Flood"
    assert clutter_lines(text) == []  # without the parse the shape rule stays silent
    assert clutter_lines(text, finite_verb=lambda a, b: False) == [line]
    assert clutter_lines(text, finite_verb=lambda a, b: True) == []


def test_phrase_sentence_inside_an_article_line():
    text = "The quay flooded. Click here to share on Facebook."
    spans = split_sentences(text, [0, 18])
    assert boilerplate_flags(text, spans) == [False, True]


def test_line_rules_ignore_long_prose():
    prose = "Share " + "the water rose over the quay and the road. " * 8
    assert not line_clutter(prose)


class _Doc:
    """A parse stand-in: sentence starts only, no tokens (no finite verbs to read)."""

    def __init__(self, starts):
        self.sents = [SimpleNamespace(start_char=s) for s in starts]

    def __iter__(self):
        return iter(())


def test_sentences_component_sets_the_flag():
    text = "The quay flooded on Monday.\nLeave a comment\nWhat is 3 + 4?\nThe ferry waited."
    work = Work(analysis=AnalyzedArticle(article=Article(id="t", text=text)), doc=_Doc([0]))
    SentencesComponent().process([work])
    flags = [(text[s.start : s.end], s.boilerplate) for s in work.analysis.sentences]
    assert flags == [
        ("The quay flooded on Monday.", False),
        ("Leave a comment", True),
        ("What is 3 + 4?", True),
        ("The ferry waited.", False),
    ]


def test_codec_round_trip_keeps_the_flag():
    text = "The quay flooded.\nShare this article"
    article = Article(id="t", text=text)
    analysis = AnalyzedArticle(
        article=article, sentences=(Sentence(0, 0, 17), Sentence(1, 18, len(text), True))
    )
    back = codec.analysis_from_json(codec.analysis_to_json(analysis), article)
    assert [s.boilerplate for s in back.sentences] == [False, True]


def test_story_body_skips_clutter_lines():
    text = (
        "Please enable JavaScript to watch this video\n"
        "The quay flooded on Monday and the ferry did not sail.\n"
        "Copyright 2024 Harbour Post. All rights reserved."
    )
    article = Article(id="t", text=text, title="Quay floods")
    assert body(article) == "The quay flooded on Monday and the ferry did not sail.\n"
    assert body(Article(id="h", text="Quay floods", title="Quay floods")) == ""


def test_story_body_with_a_limit_reads_only_a_lead():
    lines = ["Share this article"] + [f"The water rose by {n} centimetres." for n in range(400)]
    article = Article(id="t", text="\n".join(lines), title="Quay floods")
    lead = body(article, 100)
    assert lead.startswith("The water rose by 0 centimetres.")
    assert 100 <= len(lead) < len(article.text)


def test_representation_ignores_clutter_words():
    clean = Article(id="a", text="The quay flooded on Monday.", title="Quay floods")
    cluttered = Article(
        id="b",
        text="Subscribe to our newsletter\nThe quay flooded on Monday.\nWhat is 3 + 4?",
        title="Quay floods",
    )
    rep = Representer(dense=False)
    assert rep.represent(clean, learn=False).terms == rep.represent(cluttered, learn=False).terms


@pytest.mark.parametrize("sentence", ["BRODNA, Nov 4 (Meridian Wire) -", "KATHMANDU (Reuters) —"])
def test_a_dateline_cut_from_its_lead_is_clutter(sentence):
    assert is_clutter_sentence(sentence)
    assert not is_clutter_sentence("BRODNA - The presidents signed the deal on Wednesday.")


def test_dotted_dates_in_a_row_are_stamps_not_a_numbered_list():
    text = "The quay flooded on Monday.\n21.12.2024, 17:13\n21.12.2024, 17:43\nIt rained."
    marked = [text[a:b] for a, b in clutter_lines(text)]
    assert marked == ["21.12.2024, 17:13", "21.12.2024, 17:43"]
    listed = "The dead were:\n1. Ana Vale\n2. Ben Ort"
    assert clutter_lines(listed) == []


def test_a_one_word_place_cut_from_its_lead_is_clutter():
    assert is_clutter_sentence("Brindleford:")
    assert not is_clutter_sentence("Brindleford.")

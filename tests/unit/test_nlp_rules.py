"""Fast tests of the nlp rules that need no model: sentence splitting, dates, numbers, language."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from storyline.errors import UnsupportedLanguageError
from storyline.model import AnalyzedArticle, Article
from storyline.nlp import build_pipeline, check_language
from storyline.nlp.entities import clean_span
from storyline.nlp.options import AnalysisOptions
from storyline.nlp.pipeline import Work
from storyline.nlp.quantities import number_value
from storyline.nlp.sentences import SentencesComponent, split_sentences
from storyline.nlp.times import TimesComponent
from storyline.service.options import analysis_options


def spans(text, boundaries=()):
    return [text[a:b] for a, b in split_sentences(text, boundaries)]


def test_headline_never_merges_with_body():
    text = "Port Closed After Storm\n\nThe harbour shut. Ships waited."
    assert spans(text, [0, 42]) == ["Port Closed After Storm", "The harbour shut.", "Ships waited."]


def test_sentences_trimmed_and_not_empty():
    text = "  One line.  \n\n   \nTwo line. \n"
    assert spans(text, [0, 19]) == ["One line.", "Two line."]


def test_no_boundary_inside_a_quotation():
    text = "“We left. We will not return,” she said."
    cut = text.index("We will")
    assert spans(text, [0, cut]) == [text]


def test_no_boundary_after_a_dotted_abbreviation_before_a_lower_case_word():
    text = "It fell at 1:30 p.m. local time near the U.S. base. It was 9 a.m. The town woke."
    cuts = [text.index("local"), text.index("base"), text.index("It was"),
            text.index("The town")]
    assert spans(text, [0, *cuts]) == [
        "It fell at 1:30 p.m. local time near the U.S. base.", "It was 9 a.m.", "The town woke."]


def test_punctuation_fragment_joins_previous_sentence():
    text = "He left. ”"
    assert spans(text, [0, 9]) == ["He left. ”"]


def test_sentences_component_uses_doc_boundaries():
    text = "Title\nFirst one. Second one."
    doc = SimpleNamespace(sents=[SimpleNamespace(start_char=0), SimpleNamespace(start_char=17)])
    work = Work(AnalyzedArticle(article=Article(id="x", text=text)), doc=doc)
    SentencesComponent().process([work])
    got = [text[s.start : s.end] for s in work.analysis.sentences]
    assert got == ["Title", "First one.", "Second one."]
    assert [s.index for s in work.analysis.sentences] == [0, 1, 2]


@pytest.mark.parametrize(
    "raw, cleaned",
    [("the Pentagon", "Pentagon"), ("Iran's", "Iran"), ("Trump’s", "Trump"), ("UN", "UN")],
)
def test_clean_entity_span(raw, cleaned):
    a, b = clean_span(raw, 0, len(raw))
    assert raw[a:b] == cleaned


@pytest.mark.parametrize(
    "words, value",
    [(["15"], 15), (["two"], 2), (["1.5", "million"], 1.5e6), (["12,000"], 12000),
     (["two", "hundred"], 200), (["twenty-five"], 25), (["3", "billion"], 3e9),
     (["1", "852"], 1852), (["16", "000"], 16000), (["1", "000", "000"], 1e6)],
)
def test_number_value(words, value):
    assert number_value(words) == value


def run_times(text, published):
    """The times component over a text with no spaCy entities (regex rules only)."""
    doc = SimpleNamespace(ents=[], sents=[SimpleNamespace(start_char=0)])
    article = Article(id="t", text=text, published=published)
    work = Work(AnalyzedArticle(article=article), doc=doc)
    SentencesComponent().process([work])
    TimesComponent().process([work])
    return {t.text: t for t in work.analysis.times}


def test_dates_resolved_against_published():
    text = (
        "The vote came on 5 January and three days later the minister spoke. "
        "On Monday he said yesterday was calm; January 9, 2019 was not."
    )
    times = run_times(text, datetime(2020, 2, 10))
    assert times["5 January"].value == date(2020, 1, 5)
    assert times["three days later"].value == date(2020, 1, 8)
    assert times["three days later"].relative
    assert times["Monday"].value == date(2020, 2, 10)
    assert times["yesterday"].value == date(2020, 2, 9)
    assert times["January 9, 2019"].value == date(2019, 1, 9)


def test_day_month_after_publication_means_last_year():
    times = run_times("It began on 28 December.", datetime(2020, 1, 3))
    assert times["28 December"].value == date(2019, 12, 28)


def test_without_published_only_absolute_dates_resolve():
    times = run_times("On Monday, not on 5 May 2020 or 6 May.", None)
    assert times["Monday"].value is None
    assert times["5 May 2020"].value == date(2020, 5, 5)
    assert times["6 May"].value is None


def test_lowercase_may_is_not_a_month():
    assert "5 may" not in run_times("Prices 5 may rise.", datetime(2020, 1, 3))


def test_language_check_names_the_detected_language():
    german = Article(
        id="de",
        text=(
            "Der Bundestag hat heute ein neues Gesetz beschlossen, das die Steuern senkt und "
            "die Renten erhöht. Die Opposition kritisierte den Entwurf scharf und kündigte "
            "an, vor das Verfassungsgericht zu ziehen, falls die Regierung nicht nachgibt."
        ),
        source="news.txt",
    )
    with pytest.raises(UnsupportedLanguageError) as err:
        check_language(german, AnalysisOptions(languages=("en",)))
    assert "'de'" in str(err.value) and "news.txt" in str(err.value)
    check_language(german, AnalysisOptions(languages=("en", "de")))
    check_language(Article(id="s", text="Short."), AnalysisOptions(languages=("en",)))


def test_declared_language_wins():
    with pytest.raises(UnsupportedLanguageError):
        check_language(
            Article(id="f", text="Hello there.", language="fr"), AnalysisOptions(languages=("en",))
        )


def test_build_pipeline_order(settings):
    names = build_pipeline(analysis_options(settings), embed=False).names
    core = [n for n in names if n not in {"names", "embeddings"}]
    assert core == ["parse", "sentences", "entities", "quantities", "times", "quotes",
                    "attributions", "statements", "descriptions"]
    assert "embeddings" not in names
    if "names" in names:
        assert names.index("names") == names.index("entities") + 1

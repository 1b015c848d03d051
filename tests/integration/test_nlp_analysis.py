"""The analysis components on written texts, the founding seeds and all NewsWCL50 articles."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from storyline.model import Article

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data" / "nlp"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PUBLISHED = datetime(2020, 2, 10)


@pytest.fixture(scope="module")
def pipeline():
    from storyline.nlp import build_pipeline
    from storyline.service.options import analysis_options
    from storyline.settings import load_settings

    # The spaCy model is cached per process by nlp.models.load_nlp, so modules share it.
    return build_pipeline(analysis_options(load_settings()), embed=False)


def seed(index: int) -> str:
    paths = sorted((SHARED / "seeds").glob("*.txt"))
    if len(paths) <= index:
        pytest.skip("../shared/seeds not available")
    text = paths[index].read_text(encoding="utf-8")
    if "\nContent retrieved from:" in text:
        text = text[: text.rindex("\nContent retrieved from:")]
    return text


@pytest.fixture(scope="module")
def seeds(pipeline):
    articles = [Article(id=f"s{i}", text=seed(i), published=PUBLISHED) for i in (0, 1)]
    return pipeline.run(articles)


@pytest.fixture(scope="module")
def briefing(pipeline):
    text = (DATA / "briefing.txt").read_text(encoding="utf-8")
    return pipeline(Article(id="b", text=text, published=PUBLISHED))


def find(items, **want):
    return [x for x in items if all(getattr(x, k) == v for k, v in want.items())]


def check_spans(a) -> None:
    """Every layer's spans index the text exactly and lie inside their sentence."""
    text, sents = a.text, a.sentences
    for i, s in enumerate(sents):
        assert s.index == i and s.end > s.start
        assert text[s.start : s.end] == text[s.start : s.end].strip()
    for layer in ("mentions", "quantities", "times", "descriptions"):
        for x in getattr(a, layer):
            s = sents[x.sentence]
            assert text[x.start : x.end] == x.text, x
            assert s.start <= x.start < x.end <= s.end, x
    for q in a.quotes:
        s = sents[q.sentence]
        assert s.start <= q.start <= q.content_start < q.content_end <= q.end <= s.end, q
        if q.speaker:
            assert text[q.speaker_start : q.speaker_end] == q.speaker, q
    for at in a.attributions:
        s = sents[at.sentence]
        assert text[at.source_start : at.source_end] == at.source, at
        assert s.start <= at.start <= at.source_start < at.source_end <= at.end <= s.end, at
    assert all(m.key == "" or isinstance(m.key, str) for m in a.mentions)


# --------------------------------------------------------------------------- written text


def test_briefing_quantities(briefing):
    got = {(q.value, q.unit) for q in briefing.quantities}
    assert {(12, "dock"), (3, "people"), (40, "percent"), (3e9, "usd"), (1.5e6, "tonne")} <= got


def test_dozens_round_as_estimates(pipeline):
    text = "Two dozen rockets were fired at the port on Monday. Nearly 80 people were killed."
    a = pipeline(Article(id="q", text=text, outlet="q.example", language="en"))
    got = {q.text: (q.low, q.high) for q in a.quantities}
    low, high = got["Two dozen rockets"]
    assert low < 22 < high < 30  # "22 rockets" is the same answer, rounded
    assert got["Nearly 80 people"][1] < 80  # "almost 80" is not 80


def test_briefing_quotes_and_attributions(briefing):
    direct = find(briefing.quotes, direct=True)
    assert [q.speaker for q in direct] == ["Maria Lindqvist"]
    assert briefing.text[direct[0].content_start : direct[0].content_end].startswith("We will")
    she = find(briefing.quotes, cue="said", direct=False)
    assert "Maria Lindqvist" in {q.speaker for q in she}  # "She said" resolved
    sources = {(a.source, a.cue) for a in briefing.attributions}
    assert {("Nordic Daily", "told"), ("Reuters", "according to"),
            ("al-Marsad", "quoted by")} <= sources
    assert not any(q.speaker == "Reuters" for q in briefing.quotes)


def test_briefing_times_and_descriptions(briefing):
    times = {t.text: t.value for t in briefing.times}
    assert times["4 March"] == date(2020, 3, 4)
    # counted from the most recent date resolved before it: "on Tuesday" (4 February)
    assert times["Two days later"] == date(2020, 2, 6)
    assert times["Tuesday"] == date(2020, 2, 4)
    descriptions = {d.text for d in briefing.descriptions}
    assert {"a senior port official", "A top regional commander", "the minister"} <= descriptions
    assert not any("Lindqvist" in d for d in descriptions)
    check_spans(briefing)


def test_headline_is_its_own_sentence(briefing):
    assert briefing.sentence_text(0) == "Ministry Confirms Port Closure"


# --------------------------------------------------------------------------- founding seeds


def test_seed_quantities(seeds):
    for a in seeds:
        assert find(a.quantities, value=15.0, unit="base"), a.article.id
    assert find(seeds[0].quantities, text="15 Iraqi military bases")
    assert find(seeds[1].quantities, text="15 bases")


def test_seed_times(seeds):
    first = {t.text: t for t in seeds[0].times}
    assert first["5 January"].value == date(2020, 1, 5)
    assert first["three days later"].value == date(2020, 1, 8)
    assert first["3 January"].value == date(2020, 1, 3)
    monday = find(seeds[1].times, text="Monday")
    assert monday and monday[0].value == date(2020, 2, 10) and monday[0].relative
    assert not find(seeds[0].times, text="Today")  # "Baghdad Today" is a name


def test_seed_reported_speech_with_appositive_speaker(seeds):
    a = seeds[0]
    quoted = find(a.quotes, speaker="Ali al-Qameni", direct=False)
    assert quoted and quoted[0].cue == "was quoted as saying"
    content = a.text[quoted[0].content_start : quoted[0].content_end]
    assert content.startswith("US soldiers have already started withdrawing from 15")
    speakers = {q.speaker for q in a.quotes}
    assert {"the US State Department", "Mike Pompeo", "Mark Esper"} <= speakers
    sources = [(x.source, x.cue) for x in a.attributions]
    assert ("Baghdad Today", "quoted by") in sources


def test_seed_direct_quote_and_pronoun(seeds):
    a = seeds[1]
    direct = find(a.quotes, speaker="Ali al-Qameni", direct=True)
    assert direct
    assert a.text[direct[0].content_start : direct[0].content_end].startswith("The US has started")
    he = [q for q in a.quotes if q.cue == "said" and "Americans only insist" in
          a.text[q.content_start : q.content_end]]
    assert he and he[0].speaker == "Ali al-Qameni"
    assert find(a.quotes, speaker="senior parliamentary officials in Baghdad")
    assert ("al-Ahd", "quoted by") in [(x.source, x.cue) for x in a.attributions]
    assert not any(q.speaker in {"al-Ahd", "Baghdad Today"} for q in a.quotes)


def test_seed_descriptions(seeds):
    texts = {d.text for a in seeds for d in a.descriptions}
    assert {"a top Iranian general", "The lawmaker", "senior parliamentary officials"} <= texts


# --------------------------------------------------------------------------- real corpus


def test_spans_exact_on_newswcl50(pipeline):
    path = SHARED / "data" / "newswcl50" / "articles.jsonl"
    if not path.exists():
        pytest.skip("../shared/data/newswcl50 not available")
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        published = datetime.fromisoformat(d["published"]) if d.get("published") else None
        articles.append(
            Article(id=d["id"], text=d["title"] + "\n\n" + d["text"], published=published)
        )
    analysed = pipeline.run(articles)
    assert len(analysed) == 45
    for a in analysed:
        check_spans(a)
    assert sum(len(a.quotes) for a in analysed) > 200
    assert sum(len(a.attributions) for a in analysed) > 10

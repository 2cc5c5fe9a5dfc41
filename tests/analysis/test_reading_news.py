"""Reading news as people do: denials, hedges and hearsay; passages free of page furniture;
every cue quoted verbatim from the passage it explains. All texts written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.assessment import assess
from analysis.assessment.furniture import furniture_spans
from analysis.assessment.rules import is_headline

CLAIM = "Harrow Motors will build cars at Dunmore Engineering's Scottish plants."


@pytest.mark.parametrize(
    "text",
    [
        # the seed story's update, in our own words
        "Harrow Motors denied the report on Tuesday, saying that no agreement has been reached "
        "with Dunmore Engineering to build cars at its Scottish plants.",
        "Harrow Motors denied on Tuesday that it will build cars at Dunmore Engineering's "
        "Scottish plants. No agreement has been reached, a spokeswoman said.",
        # the company's own denial, reported flatly
        "Harrow Motors said it has no plans to build cars at Dunmore Engineering's Scottish "
        "plants.",
    ],
)
def test_a_companys_flat_denial_refutes_with_certainty(text: str) -> None:
    reading = assess(CLAIM, text)
    assert (reading.stance, reading.certainty) == ("refutes", "certain")


@pytest.mark.parametrize(
    "text",
    [
        "Harrow Motors will reportedly build cars at Dunmore Engineering's Scottish plants.",
        "Harrow Motors will build cars at Dunmore Engineering's Scottish plants, sources say.",
        "Harrow Motors is said to be building cars at Dunmore Engineering's Scottish plants.",
        "Industry sources said Harrow Motors will build cars at Dunmore Engineering's Scottish "
        "plants.",
    ],
)
def test_hearsay_makes_a_report_only_possible(text: str) -> None:
    reading = assess(CLAIM, text)
    assert (reading.stance, reading.certainty) == ("supports", "possible")


def test_no_agreement_without_a_denial_still_hedges() -> None:
    text = (
        "Harrow Motors is in talks to build cars at Dunmore Engineering's Scottish plants, "
        "though no agreement has been reached."
    )
    assert assess(CLAIM, text).certainty == "possible"


PAGE = """Harrow Motors to build cars at Dunmore Engineering's Scottish plants
A deal that would fill idle lines north of the border
Harrow Motors cars at the Dunmore Engineering plant in Fife (Photo: Dunmore | Handout)
By Morag Ellis
Published on 2026-03-02 at 08:00 AM
Harrow Motors to build cars at Dunmore Engineering's Scottish plants

{denial}
READ MORE: Fife factory hires two hundred workers
Analysts expect output in Scotland to grow next year as new models arrive at several firms.
""".format(
    denial="Harrow Motors has denied it will use Dunmore Engineering's plants in Scotland, "
    "saying the two firms only share a parts supplier."
)


def test_furniture_lines_are_found_and_article_lines_kept() -> None:
    lines = [PAGE[a:b].strip() for a, b in furniture_spans(PAGE)]
    assert lines == [
        "Harrow Motors to build cars at Dunmore Engineering's Scottish plants",
        "A deal that would fill idle lines north of the border",
        "Harrow Motors cars at the Dunmore Engineering plant in Fife (Photo: Dunmore | Handout)",
        "By Morag Ellis",
        "Published on 2026-03-02 at 08:00 AM",
        "Harrow Motors to build cars at Dunmore Engineering's Scottish plants",
        "READ MORE: Fife factory hires two hundred workers",
    ]


def test_the_passage_comes_from_the_article_not_its_headline_or_caption() -> None:
    reading = assess(CLAIM, PAGE)
    assert reading.passage.startswith("Harrow Motors has denied")
    assert "Photo" not in reading.passage and "Morag" not in reading.passage
    assert reading.stance == "refutes"


def test_a_lone_headline_is_read_not_dropped_as_furniture() -> None:
    headline = "Harrow Motors denies it will build cars at Dunmore plants in Scotland"
    assert furniture_spans(headline) == []
    assert assess(CLAIM, headline).stance == "refutes"


FRAGMENTS = [
    "Harrow Motors",
    "will build cars",
    "at Dunmore Engineering's Scottish plants",
    "has NOT been Finalised",
    "Reportedly",
    "Sources Say",
    "denied",
    "May",
    "in May 2026",
    "it is said to",
    "declined to comment",
    "Officially Confirmed",
    "no agreement has been reached",
    "could",
    "isn’t true",
    "the company’s",
    "whether",
    "never",
]
SENTENCE = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map(
    lambda parts: " ".join(parts) + "."
)


@settings(max_examples=200, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=6), st.sampled_from([" ", "\n"]))
def test_every_cue_is_quoted_verbatim_from_its_passage(sentences: list[str], gap: str) -> None:
    reading = assess(CLAIM, gap.join(sentences))
    for cue in reading.cues:
        assert cue.text and cue.text in reading.passage, (cue, reading.passage)


LIBRARY = "The council will close the Mill Road library next spring"


def test_a_headline_naming_the_story_in_its_own_words_is_about_the_claim() -> None:
    headline = "Library closures loom as council budget shrinks"
    assert assess(LIBRARY, headline).stance == "discusses"
    # The same words written as a sentence of an article share too little with the claim.
    assert assess(LIBRARY, headline + ".").stance == "unrelated"


def test_a_headline_sharing_one_common_word_with_the_claim_is_not_about_it() -> None:
    assert assess(LIBRARY, "Heavy rain floods the ring road overnight").stance == "unrelated"


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Chery to build cars at JLR's UK plants", True),
        ("Is Chery coming to Halewood?", True),
        ("Chery will build cars at JLR's UK plants.", False),
        ('Chery said "yes."', False),
        ("Chery to build cars\nat JLR's UK plants", False),
        (" ".join(["word"] * 41), False),
    ],
)
def test_a_headline_is_one_short_line_that_does_not_end_as_a_sentence(
    text: str, headline: bool
) -> None:
    assert is_headline(text) is headline


@pytest.mark.parametrize(
    "headline",
    [
        "Fake news site claims Dunmore lighthouse was sold to a hotel chain",
        "Satirical site says Dunmore lighthouse sold to hotel chain",
        "Council rebuffs claims the Dunmore lighthouse was sold to a hotel chain",
        "Dunmore lighthouse sale rumour put to rest",
        "Reports that the Dunmore lighthouse was sold to a hotel chain were exaggerated, "
        "council says",
    ],
)
def test_headlines_that_call_a_story_fake_or_put_it_to_rest_refute_it(headline: str) -> None:
    assert assess("The Dunmore lighthouse was sold to a hotel chain", headline).stance == "refutes"

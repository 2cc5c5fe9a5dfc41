"""Contradiction without denial words: the claim's figure ruled out, or the thing gone
elsewhere, refutes; a figure that only differs does not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.assessment import assess
from analysis.assessment.contradiction import MISMATCH, figures

FARE = "Northbridge rail fares will rise to £13 in January"
PRIZE = "The Halden Prize went to Mira Osei's novel"


def mismatches(claim: str, text: str) -> list[str]:
    return [cue.text for cue in assess(claim, text).cues if cue.kind == MISMATCH]


def test_a_figure_ruled_out_refutes_with_the_other_figure_quoted() -> None:
    text = (
        "Northbridge rail fares will rise to £12.60 in January rather than £13, the operator said."
    )
    reading = assess(FARE, text)
    assert (reading.stance, reading.certainty) == ("refutes", "certain")
    assert mismatches(FARE, text) == ["£12.60"]


def test_a_prize_gone_to_another_book_refutes() -> None:
    text = "The Halden Prize went to another book this year, a first novel by Sam Lee."
    reading = assess(PRIZE, text)
    assert reading.stance == "refutes"
    assert mismatches(PRIZE, text) == ["went to another"]


@pytest.mark.parametrize(
    "text",
    [
        "Northbridge rail fares will rise to £13 in January, the operator said.",
        "Northbridge rail fares will rise to about £13.20 in January, the operator said.",
        "Northbridge rail fares will rise to £13 in January rather than £12, the operator said.",
    ],
)
def test_the_claims_figure_or_another_ruled_out_is_no_contradiction(text: str) -> None:
    assert mismatches(FARE, text) == []
    assert assess(FARE, text).stance == "supports"


def test_a_figure_that_only_differs_is_left_to_the_other_rules() -> None:
    # Measured: on the training sides of FNC-1 and Emergent such figures were updates or
    # misreports that journalists labelled as support (docs/assessment.md).
    text = "Northbridge rail fares will rise to £12.60 in January, the operator said."
    assert mismatches(FARE, text) == []


def test_a_hedged_ruling_out_is_only_as_firm_as_its_hedge() -> None:
    text = "Northbridge rail fares will reportedly rise to £12.60 in January rather than £13."
    reading = assess(FARE, text)
    assert (reading.stance, reading.certainty) == ("refutes", "possible")


def test_a_count_of_twenty_is_a_figure_and_a_year_is_not() -> None:
    found = figures("In 2014 the flood killed 20 people and 1,999 homes were lost")
    assert [(f.kind, f.value) for f in found] == [("people", 20.0), ("home", 1999.0)]


def test_figures_have_kinds_and_ranges_share_theirs() -> None:
    found = figures("It lasts 2.5 to 4 hours, costs $3bn, 5% more than in 2014, killed 12 people")
    assert [(f.kind, f.value) for f in found] == [
        ("hour", 2.5),
        ("hour", 4.0),
        ("$", 3e9),
        ("%", 5.0),
        ("people", 12.0),
    ]


PIECES = [
    "Northbridge rail fares",
    "will rise to",
    "£12.60",
    "£13",
    "rather than",
    "in January",
    "instead of",
    "not",
    "reportedly",
    "went to another",
    "1,200 people",
    "the operator said",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8), min_size=1, max_size=4))
def test_every_contradicting_figure_is_quoted_verbatim_from_the_passage(parts) -> None:
    text = " ".join(" ".join(sentence) + "." for sentence in parts)
    reading = assess(FARE, text)
    for cue in reading.cues:
        assert cue.text and cue.text in reading.passage, (cue, reading.passage)

"""The assessor: passages, stance, certainty and the cues behind them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.assessment import CERTAINTIES, STANCES, assess
from analysis.text import content_stems, split_sentences

CLAIM = "Chery will build cars at Jaguar Land Rover's UK factories."


def cue_kinds(result) -> set[str]:
    return {cue.kind for cue in result.cues}


def test_it_splits_sentences_without_breaking_at_abbreviations_or_initials() -> None:
    text = 'Mr. Smith said the U.S. economy grew 2.5% in Q3. "Good," he said. J. Doe disagreed!'
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Mr. Smith said the U.S. economy grew 2.5% in Q3.",
        '"Good," he said.',
        "J. Doe disagreed!",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_it_treats_each_line_as_its_own_sentence() -> None:
    assert [s.text for s in split_sentences("Headline here\nFirst line of body.")] == [
        "Headline here",
        "First line of body.",
    ]


def test_it_folds_near_synonyms_and_adds_initials_of_names() -> None:
    assert content_stems("JLR will assemble vehicles") == content_stems("JLR will build cars")
    assert "jlr" in content_stems("Jaguar Land Rover said so")


def test_a_hedged_report_supports_the_claim_as_possible() -> None:
    result = assess(
        CLAIM,
        "Chery is reportedly exploring the use of Jaguar Land Rover's UK factories to "
        "build cars, though no terms have been agreed.",
    )
    assert (result.stance, result.certainty) == ("supports", "possible")
    assert {"reportedly", "exploring"} <= {cue.text for cue in result.cues}
    assert "hedge" in cue_kinds(result)


def test_a_confirmation_supports_the_claim_as_certain_even_with_the_acronym() -> None:
    result = assess(CLAIM, "Chery has confirmed it will build cars at JLR's Halewood factory.")
    assert (result.stance, result.certainty) == ("supports", "certain")
    assert "confirmation" in cue_kinds(result)
    assert result.relevance > 0.8


def test_a_denial_in_the_next_sentence_refutes_and_is_quoted() -> None:
    result = assess(
        CLAIM,
        "Chery is said to be exploring Jaguar Land Rover's UK factories to build cars. "
        "A spokesperson denied the report on Monday. Sales rose in March.",
    )
    assert (result.stance, result.certainty) == ("refutes", "certain")
    assert "A spokesperson denied the report on Monday." in result.passage
    assert "Sales rose" not in result.passage


def test_a_denial_of_the_report_anywhere_in_the_text_refutes_and_is_quoted() -> None:
    text = (
        "Chery has confirmed it will build cars at Jaguar Land Rover's UK factories. "
        "Sales rose in March. The weather was fine. "
        "Update: a spokesperson later denied the report."
    )
    result = assess(CLAIM, text)
    assert (result.stance, result.certainty) == ("refutes", "certain")
    assert result.passage.endswith("… Update: a spokesperson later denied the report.")
    assert "Sales rose" not in result.passage


def test_an_older_hedge_below_a_confirmation_does_not_soften_it() -> None:
    text = (
        "Chery has confirmed it will build cars at Jaguar Land Rover's UK factories. "
        "Chery was earlier reported to be exploring Jaguar Land Rover's UK factories."
    )
    assert assess(CLAIM, text).certainty == "certain"


def test_negation_whose_scope_reaches_the_claim_refutes() -> None:
    result = assess(CLAIM, "Chery has no plans to build cars at Jaguar Land Rover's UK factories.")
    assert result.stance == "refutes"


def test_negation_of_something_else_does_not_refute() -> None:
    result = assess(
        CLAIM,
        "Chery will build cars at Jaguar Land Rover's UK factories, a deal that is not "
        "without risk.",
    )
    assert result.stance == "supports"
    negations = [c for c in result.cues if c.kind == "negation"]
    assert negations and all("something else" in c.effect for c in negations)


def test_spare_capacity_and_the_month_of_may_are_not_cues() -> None:
    result = assess(
        CLAIM,
        "Chery has confirmed it will build cars at Jaguar Land Rover's UK factories from "
        "the end of May, using spare capacity.",
    )
    assert (result.stance, result.certainty) == ("supports", "certain")
    assert {cue.kind for cue in result.cues} == {"confirmation"}


def test_not_denying_is_not_a_denial() -> None:
    result = assess(
        CLAIM,
        "Chery did not deny that it will build cars at Jaguar Land Rover's UK factories.",
    )
    assert result.stance != "refutes"
    assert "denial" not in cue_kinds(result)


def test_an_open_question_discusses_the_claim_with_unknown_certainty() -> None:
    result = assess(
        CLAIM,
        "Whether Chery will build cars at Jaguar Land Rover's UK factories is unclear; "
        "both companies declined to comment.",
    )
    assert (result.stance, result.certainty) == ("discusses", "unknown")
    assert "uncertainty" in cue_kinds(result)


def test_an_expectation_is_probable() -> None:
    result = assess(
        CLAIM,
        "Chery is expected to build cars at Jaguar Land Rover's UK factories, people "
        "familiar with the matter said.",
    )
    assert (result.stance, result.certainty) == ("supports", "probable")


def test_a_text_on_another_matter_is_unrelated() -> None:
    result = assess(CLAIM, "The city council approved a new cycle lane on Tuesday.")
    assert result.stance == "unrelated"
    assert result.relevance < 0.34


def test_a_negative_claim_is_supported_by_a_denial() -> None:
    result = assess(
        "Chery will not build cars at Jaguar Land Rover's UK factories.",
        "Chery has ruled out building cars at Jaguar Land Rover's UK factories.",
    )
    assert result.stance == "supports"


def test_the_result_reads_as_json_with_the_issue_fields() -> None:
    data = assess(CLAIM, "Chery has confirmed it will build cars at JLR's plants.").as_dict()
    assert {"stance", "certainty", "confidence", "passage", "cues"} <= set(data)
    assert data["cues"] and {"kind", "text", "effect"} <= set(data["cues"][0])


@settings(max_examples=150, deadline=None)
@given(claim=st.text(min_size=1, max_size=120), text=st.text(max_size=800))
def test_it_never_fails_and_stays_in_bounds_on_any_input(claim: str, text: str) -> None:
    result = assess(claim, text)
    assert result.stance in STANCES
    assert result.certainty in CERTAINTIES
    assert 0.0 <= result.confidence <= 1.0
    assert 0.0 <= result.relevance <= 1.0
    assert all(part in text for part in result.passage.split(" … "))


@settings(max_examples=60, deadline=None)
@given(filler=st.lists(st.sampled_from(["Sales rose.", "It rained.", "Fans cheered."]), max_size=8))
def test_unrelated_sentences_around_a_passage_do_not_change_its_stance(filler: list[str]) -> None:
    core = "Chery has confirmed it will build cars at Jaguar Land Rover's UK factories."
    text = " ".join([*filler, core, *filler])
    result = assess(CLAIM, text)
    assert (result.stance, result.certainty) == ("supports", "certain")
    assert result.passage == core


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_an_empty_text_is_unrelated(text: str) -> None:
    assert assess(CLAIM, text).stance == "unrelated"

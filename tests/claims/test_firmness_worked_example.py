"""The worked example in docs/firmness.md, step by step: if this fails, fix the docs too."""

from __future__ import annotations

import dataclasses

from claims.firmness import EvidenceInput, Firmness, firmness_of

FT = EvidenceInput(
    id=1,
    stance="supports",
    certainty="possible",
    kind="secondary",
    reliability=0.85,
    group="publisher:ft",
    group_label="Financial Times",
    source_url="https://www.ft.com/content/demo-chery-jlr-plants",
)
# Reports the FT's story "according to the FT": its group is the FT's.
RELAY = EvidenceInput(
    id=2,
    stance="supports",
    certainty="possible",
    kind="secondary",
    reliability=0.65,
    group="publisher:ft",
    group_label="Financial Times",
    source_url="https://cnevpost.com/demo/chery-weighs-uk-production-at-jlr",
    derived=True,
)
CHERY = EvidenceInput(
    id=3,
    stance="supports",
    certainty="certain",
    kind="primary",
    reliability=0.8,
    group="publisher:chery",
    group_label="Chery",
    source_url="https://www.cheryinternational.com/news/demo-uk-production",
)
# Hypothetical: no such denial was reported; it shows what a contradiction does.
JLR_DENIAL = EvidenceInput(
    id=4,
    stance="refutes",
    certainty="certain",
    kind="primary",
    reliability=0.8,
    group="publisher:jlr",
    group_label="Jaguar Land Rover",
    source_url="https://media.jaguarlandrover.com/demo-statement",
)


def outcome(result: Firmness) -> tuple[int, str, float, float]:
    return result.score, result.level, result.support, result.refutation


def weights(result: Firmness) -> list[tuple[float, float, bool]]:
    return [(line.weight, line.contribution, line.counted) for line in result.lines]


def test_step_1_a_hedged_secondary_report_alone_is_reported_with_a_low_score() -> None:
    result = firmness_of([FT])
    assert outcome(result) == (23, "reported", 0.2295, 0.0)
    assert weights(result) == [(0.23, 23.0, True)]


def test_step_1b_a_report_relying_on_the_ft_adds_nothing() -> None:
    result = firmness_of([FT, RELAY])
    assert outcome(result) == (23, "reported", 0.2295, 0.0)
    assert weights(result) == [(0.23, 23.0, True), (0.176, 0.0, False)]
    assert result.lines[1].note.startswith("Collapsed into evidence #1")


def test_step_2_chery_s_own_confirmation_makes_it_confirmed_and_high() -> None:
    result = firmness_of([FT, RELAY, CHERY])
    assert outcome(result) == (85, "confirmed", 0.8459, 0.0)
    assert weights(result) == [(0.23, 4.6, True), (0.176, 0.0, False), (0.8, 61.6, True)]


def test_step_3_a_primary_denial_makes_it_contested_and_low() -> None:
    result = firmness_of([FT, RELAY, CHERY, JLR_DENIAL])
    assert outcome(result) == (17, "contested", 0.8459, 0.8)
    assert weights(result) == [
        (0.23, 0.9, True),
        (0.176, 0.0, False),
        (0.8, 12.3, True),
        (0.8, -67.7, True),
    ]


def test_a_dead_ft_page_counts_less_and_an_archive_copy_wins_some_back() -> None:
    dead = dataclasses.replace(FT, health="dead")
    archived = dataclasses.replace(FT, health="dead", has_archive=True)
    assert outcome(firmness_of([dead])) == (9, "rumoured", 0.0918, 0.0)
    assert outcome(firmness_of([archived])) == (17, "reported", 0.1721, 0.0)

"""The firmness model, tested without a database: properties first, then worked examples."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.firmness import (
    DEAD_ARCHIVED_FACTOR,
    DEAD_FACTOR,
    DISCUSSES_FACTOR,
    LEGACY_RULES,
    EvidenceInput,
    Firmness,
    firmness_of,
)

STANCES = ("supports", "refutes", "discusses", "unrelated")
CERTAINTIES = ("certain", "probable", "possible", "unknown")
KINDS = ("primary", "secondary")
HEALTHS = ("ok", "changed", "unchecked", "dead")
GROUPS = tuple(f"publisher:{n}" for n in range(1, 6))
PROPERTY = settings(max_examples=200, deadline=None)


def evidence(
    id: int,
    stance: str = "supports",
    certainty: str = "certain",
    kind: str = "secondary",
    reliability: float = 0.8,
    group: str | None = None,
    **extra: Any,
) -> EvidenceInput:
    return EvidenceInput(
        id=id,
        stance=stance,
        certainty=certainty,
        kind=kind,
        reliability=reliability,
        group=group or f"publisher:{id}",
        group_label=extra.pop("group_label", f"Publisher {group or id}"),
        source_url=f"https://example{id}.org/story",
        **extra,
    )


@st.composite
def evidence_items(draw: st.DrawFn, ids: st.SearchStrategy[int], **fixed: Any) -> EvidenceInput:
    fields: dict[str, Any] = {
        "stance": st.sampled_from(STANCES),
        "certainty": st.sampled_from(CERTAINTIES),
        "kind": st.sampled_from(KINDS),
        "reliability": st.floats(0.0, 1.0),
        "group": st.sampled_from(GROUPS),
        "health": st.sampled_from(HEALTHS),
        "has_archive": st.booleans(),
        "automatic": st.booleans(),
        "deprecated": st.booleans(),
        "derived": st.booleans(),
        "read": st.booleans(),
    }
    fields.update({name: st.just(value) for name, value in fixed.items()})
    values = {name: draw(strategy) for name, strategy in fields.items()}
    return EvidenceInput(id=draw(ids), group_label=values["group"], **values)


@st.composite
def evidence_lists(draw: st.DrawFn, max_size: int = 8) -> list[EvidenceInput]:
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=max_size))
    return [draw(evidence_items(st.just(pk))) for pk in ids]


def fresh_id(items: list[EvidenceInput]) -> st.SearchStrategy[int]:
    taken = {item.id for item in items}
    return st.integers(1, 20_000).filter(lambda pk: pk not in taken)


def same_outcome(a: Firmness, b: Firmness) -> bool:
    return (a.score, a.level) == (b.score, b.level)


# --- Properties -------------------------------------------------------------


@PROPERTY
@given(items=evidence_lists(), data=st.data())
def test_it_gives_the_same_result_for_the_same_evidence_in_any_order(items, data):
    shuffled = data.draw(st.permutations(items))
    first, again, reordered = firmness_of(items), firmness_of(list(items)), firmness_of(shuffled)
    assert first == again
    assert first == reordered


@PROPERTY
@given(items=evidence_lists())
def test_it_keeps_the_score_and_both_sides_within_bounds(items):
    result = firmness_of(items)
    assert isinstance(result.score, int)
    assert 0 <= result.score <= 100
    assert 0.0 <= result.support <= 1.0
    assert 0.0 <= result.refutation <= 1.0


@PROPERTY
@given(items=evidence_lists(), data=st.data())
def test_adding_supporting_evidence_never_lowers_the_score(items, data):
    extra = data.draw(evidence_items(fresh_id(items), stance="supports", deprecated=False))
    assert firmness_of([*items, extra]).score >= firmness_of(items).score


@PROPERTY
@given(items=evidence_lists(), data=st.data())
def test_adding_refuting_evidence_never_raises_the_score(items, data):
    extra = data.draw(evidence_items(fresh_id(items), stance="refutes", deprecated=False))
    assert firmness_of([*items, extra]).score <= firmness_of(items).score


@PROPERTY
@given(items=evidence_lists(), data=st.data())
def test_unrelated_evidence_changes_neither_score_nor_level(items, data):
    extra = data.draw(evidence_items(fresh_id(items), stance="unrelated"))
    assert same_outcome(firmness_of([*items, extra]), firmness_of(items))


@PROPERTY
@given(items=evidence_lists(), data=st.data())
def test_evidence_from_a_source_never_read_changes_neither_score_nor_level(items, data):
    extra = data.draw(evidence_items(fresh_id(items), read=False))
    assert same_outcome(firmness_of([*items, extra]), firmness_of(items))


@PROPERTY
@given(items=evidence_lists(), data=st.data())
def test_deprecated_evidence_changes_neither_score_nor_level(items, data):
    extra = data.draw(evidence_items(fresh_id(items), deprecated=True))
    assert same_outcome(firmness_of([*items, extra]), firmness_of(items))


@PROPERTY
@given(items=evidence_lists().filter(bool), data=st.data())
def test_a_second_copy_of_a_report_from_the_same_publisher_adds_nothing(items, data):
    original = data.draw(st.sampled_from(items))
    copy = dataclasses.replace(original, id=data.draw(fresh_id(items)))
    assert same_outcome(firmness_of([*items, copy]), firmness_of(items))


@PROPERTY
@given(items=evidence_lists())
def test_it_explains_every_item_once_and_signs_counted_contributions_by_side(items):
    result = firmness_of(items)
    assert sorted(line.evidence_id for line in result.lines) == sorted(i.id for i in items)
    by_id = {item.id: item for item in items}
    for line in result.lines:
        item = by_id[line.evidence_id]
        if not line.counted:
            assert line.contribution == 0.0
        elif item.stance == "refutes":
            assert line.contribution <= 0.0
        else:
            assert line.contribution >= 0.0
        assert not (line.counted and (item.deprecated or item.stance == "unrelated"))


# --- Examples: levels -------------------------------------------------------


def test_no_evidence_scores_zero_with_level_no_evidence():
    result = firmness_of([])
    assert (result.score, result.level) == (0, "no_evidence")
    assert result.lines == ()


def test_a_hedged_secondary_report_alone_is_reported_with_a_low_score():
    result = firmness_of([evidence(1, certainty="possible", reliability=0.7)])
    assert result.level == "reported"
    assert 0 < result.score <= 25


def test_a_primary_certain_confirmation_makes_the_claim_confirmed_and_high():
    hedged = evidence(1, certainty="possible", reliability=0.7)
    confirmation = evidence(2, kind="primary", reliability=0.9)
    result = firmness_of([hedged, confirmation])
    assert result.level == "confirmed"
    assert result.score >= 85


def test_a_primary_certain_denial_after_a_confirmation_makes_it_contested():
    hedged = evidence(1, certainty="possible", reliability=0.7)
    confirmation = evidence(2, kind="primary", reliability=0.9)
    denial = evidence(3, stance="refutes", kind="primary", reliability=0.9)
    result = firmness_of([hedged, confirmation, denial])
    assert result.level == "contested"
    assert result.score < firmness_of([hedged, confirmation]).score


def test_a_strong_refutation_alone_is_refuted_and_scores_zero():
    result = firmness_of([evidence(1, stance="refutes", kind="primary", reliability=0.9)])
    assert (result.score, result.level) == (0, "refuted")
    assert result.refutation >= 0.8


def test_four_independent_firm_secondary_reports_are_corroborated_two_are_not():
    reports = [evidence(n, certainty="probable", reliability=0.8) for n in (1, 2, 3, 4)]
    result = firmness_of(reports)
    assert result.level == "corroborated"
    assert result.score > firmness_of(reports[:2]).score
    # Two outlets agreeing is what a rumour looks like too (docs/evaluation.md).
    assert firmness_of(reports[:2]).level == "reported"
    assert firmness_of(reports[:2], LEGACY_RULES).level == "corroborated"


def test_firm_reports_from_publishers_whose_record_earns_no_trust_do_not_confirm():
    trusted = [evidence(n, reliability=0.9) for n in range(1, 7)]
    doubted = [evidence(n, reliability=0.5) for n in range(1, 7)]
    assert firmness_of(trusted).level == "confirmed"
    assert firmness_of(doubted).level == "reported"


def test_two_firm_reports_from_one_publisher_are_not_corroboration():
    one = evidence(1, group="publisher:7")
    other = evidence(2, group="publisher:7", certainty="probable")
    assert firmness_of([one, other]).level == "reported"


def test_reports_that_only_discuss_the_claim_leave_it_rumoured():
    items = [evidence(n, stance="discusses", kind="primary", reliability=1.0) for n in (1, 2, 3)]
    result = firmness_of(items)
    assert result.level == "rumoured"
    assert result.score > 0


def test_a_discussing_report_counts_at_a_fraction_of_a_supporting_one():
    supports = firmness_of([evidence(1, kind="primary", reliability=1.0)])
    discusses = firmness_of([evidence(1, stance="discusses", kind="primary", reliability=1.0)])
    assert discusses.support == DISCUSSES_FACTOR * supports.support


# --- Examples: weights ------------------------------------------------------


def test_a_dead_source_counts_less_than_a_live_one_and_an_archive_copy_helps():
    live = firmness_of([evidence(1, health="ok")])
    dead = firmness_of([evidence(1, health="dead")])
    archived = firmness_of([evidence(1, health="dead", has_archive=True)])
    assert dead.support < archived.support < live.support
    assert dead.score < archived.score < live.score
    assert dead.lines[0].weight == round(live.lines[0].weight * DEAD_FACTOR, 3)
    assert archived.lines[0].weight == round(live.lines[0].weight * DEAD_ARCHIVED_FACTOR, 3)


def test_reliability_outside_zero_to_one_is_clamped():
    assert firmness_of([evidence(1, reliability=3.0)]) == firmness_of(
        [evidence(1, reliability=1.0)]
    )
    assert firmness_of([evidence(1, reliability=-1.0)]).score == 0


def test_derived_evidence_collapses_into_its_origin_publishers_group():
    origin = evidence(1, group="publisher:ft", group_label="Financial Times")
    relay = evidence(
        2, group="publisher:ft", group_label="Financial Times", derived=True, reliability=0.5
    )
    result = firmness_of([origin, relay])
    assert (result.score, result.level) == (
        firmness_of([origin]).score,
        firmness_of([origin]).level,
    )
    relay_line = result.lines[1]
    assert not relay_line.counted
    assert "Collapsed into evidence #1" in relay_line.note
    assert "Relies on an earlier report by Financial Times" in relay_line.note


def test_the_stronger_piece_speaks_for_its_group_whatever_the_order():
    weak = evidence(1, group="publisher:1", certainty="possible")
    strong = evidence(2, group="publisher:1", kind="primary")
    lines = {line.evidence_id: line for line in firmness_of([strong, weak]).lines}
    assert lines[2].counted and not lines[1].counted
    assert "Collapsed into evidence #2" in lines[1].note


def test_one_publisher_may_speak_once_for_each_side():
    for_it = evidence(1, group="publisher:1")
    against = evidence(2, stance="refutes", group="publisher:1")
    result = firmness_of([for_it, against])
    assert all(line.counted for line in result.lines)
    assert result.support > 0 and result.refutation > 0


# --- Examples: explanation --------------------------------------------------


def test_the_explanation_has_one_line_per_item_with_its_notes():
    items = [
        evidence(1, kind="primary"),
        evidence(2, group="publisher:1"),
        evidence(3, deprecated=True),
        evidence(4, stance="unrelated"),
        evidence(5, automatic=True),
        evidence(6, health="dead"),
        evidence(7, health="dead", has_archive=True),
        evidence(8, stance="refutes", certainty="possible"),
    ]
    result = firmness_of(items)
    explanation = result.explanation()
    assert [row["evidence_id"] for row in explanation] == [1, 2, 3, 4, 5, 6, 7, 8]
    notes = {row["evidence_id"]: str(row["note"]) for row in explanation}
    assert notes[1] == ""
    assert notes[2].startswith("Collapsed into evidence #1")
    assert notes[3] == "Deprecated: not counted."
    assert notes[4] == "Unrelated to the claim: not counted."
    assert "Read automatically from its text." in notes[5]
    assert f"dead (no archived copy): weight × {DEAD_FACTOR}" in notes[6]
    assert f"dead (an archived copy is kept): weight × {DEAD_ARCHIVED_FACTOR}" in notes[7]


def test_counted_lines_carry_contributions_with_the_sign_of_their_side():
    result = firmness_of([evidence(1, kind="primary"), evidence(2, stance="refutes")])
    support, refute = result.lines
    assert support.counted and support.contribution > 0
    assert refute.counted and refute.contribution < 0
    assert "adds" in support.text
    assert "takes away" in refute.text


def test_lines_that_are_not_counted_contribute_nothing_and_say_so():
    result = firmness_of(
        [evidence(1), evidence(2, deprecated=True), evidence(3, stance="unrelated")]
    )
    for line in result.lines[1:]:
        assert (line.counted, line.weight, line.contribution) == (False, 0.0, 0.0)
        assert "not counted" in line.text


def test_the_explanation_is_plain_json_data():
    row = firmness_of([evidence(1, automatic=True)]).explanation()[0]
    assert row["automatic"] is True
    assert row["publisher"] == "Publisher 1"
    assert row["source_url"] == "https://example1.org/story"
    assert isinstance(row["weight"], float)

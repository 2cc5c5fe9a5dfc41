"""What the assessor reads in a source is kept on the evidence; automatic labels follow it,
an editor's never do, and a version that reads otherwise sends the claim to review."""

from __future__ import annotations

from typing import Any

import pytest

from claims.models import Claim, ClaimEvent, EventKind, Evidence, LabelledBy
from claims.services import suggestions
from claims.services.claims import claim_clear_review, claim_create
from claims.services.evidence import evidence_add, evidence_deprecate, evidence_relabel
from claims.services.suggestions import evidence_suggest_missing, source_reassess
from sources.models import Source
from sources.services import source_add_snapshot
from tests.factories import PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db

CLAIM = "Chery will build cars at Jaguar Land Rover's Halewood plant"
EXPLORING = (
    "Chery is reportedly exploring the use of Jaguar Land Rover's plants in Britain, people "
    "close to the talks say; no terms have been agreed."
)
EXPLORING_REWORDED = EXPLORING + " Shares in Tata Motors closed unchanged in Mumbai."
CONFIRMING = (
    "Chery has confirmed it will build cars at Halewood, Jaguar Land Rover's plant on Merseyside."
)
CONFIRMED = CONFIRMING + " The first models will come from its Omoda range."
DENIAL = "A spokesperson has since denied the report."
DENIED = f"{CONFIRMING} {DENIAL} The first models will come from its Omoda range."
ELSEWHERE = "Northbridge council approved a budget for road repairs on Tuesday."


@pytest.fixture
def source() -> Source:
    publisher = PublisherFactory.create(name="Merseyside Motor Desk", reliability=0.8)
    return SourceFactory.create(publisher=publisher, title="Chery and the Halewood plant")


@pytest.fixture
def claim() -> Claim:
    return claim_create(text=CLAIM, published=True)


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def assessment_reasons(claim: Claim) -> list[dict[str, Any]]:
    reasons = fresh(claim).review_reasons
    return [r for r in reasons if r["code"].startswith("assessment:")]


def assessed(claim: Claim) -> list[ClaimEvent]:
    return list(claim.events.filter(kind=EventKind.EVIDENCE_ASSESSED).order_by("id"))


def test_adding_evidence_to_a_source_with_text_stores_what_the_text_says(claim, source):
    source_add_snapshot(source=source, text=EXPLORING)
    evidence = fresh(
        evidence_add(claim=claim, source=source, stance="supports", certainty="certain")
    )
    assert (evidence.suggested_stance, evidence.suggested_certainty) == ("supports", "possible")
    assert evidence.suggested_passage == EXPLORING
    assert "hedge" in {cue["kind"] for cue in evidence.suggestion_cues}
    assert 0 < evidence.suggestion_confidence <= 1
    assert (evidence.suggestion_method, evidence.suggestion_snapshot) == ("rules", 1)
    assert evidence.suggested_at is not None
    # The editor gave labels: they stand as given.
    assert (evidence.stance, evidence.certainty, evidence.labelled_by) == (
        "supports",
        "certain",
        LabelledBy.EDITOR,
    )


def test_evidence_added_without_a_stance_is_automatic_and_counts_with_its_suggestion(
    claim, source, editor
):
    source_add_snapshot(source=source, text=CONFIRMED)
    evidence = fresh(evidence_add(claim=claim, source=source, user=editor))
    assert evidence.labelled_by == LabelledBy.AUTOMATIC
    assert evidence.labelled_by_user is None  # the editor linked it; nobody labelled it
    assert (evidence.stance, evidence.certainty) == ("supports", "certain")
    claim = fresh(claim)
    (line,) = claim.firmness_explanation
    assert (line["stance"], line["certainty"], line["automatic"]) == ("supports", "certain", True)
    assert line["counted"] and claim.firmness_score > 0
    assert "Read automatically from its text." in line["text"]
    added = claim.events.get(kind=EventKind.EVIDENCE_ADDED)
    assert added.summary == "Merseyside Motor Desk linked: supports (read automatically)"


def test_evidence_linked_before_the_source_has_text_is_read_from_its_first_version(claim, source):
    evidence = evidence_add(claim=claim, source=source)
    assert fresh(evidence).suggested_at is None
    assert fresh(claim).firmness_level == "rumoured"  # discusses, unknown: barely counts

    source_add_snapshot(source=source, text=CONFIRMED)

    evidence = fresh(evidence)
    assert (evidence.stance, evidence.certainty) == ("supports", "certain")
    assert evidence.suggestion_snapshot == 1
    assert fresh(claim).firmness_level == "reported"
    assert assessment_reasons(claim) == []  # nothing to compare the first reading with
    (event,) = assessed(claim)
    assert event.data["previous"] is None
    assert event.data["suggestion"]["stance"] == "supports"


def test_an_editors_labels_are_never_overwritten_by_later_versions(claim, source, editor):
    evidence = evidence_add(
        claim=claim, source=source, user=editor, stance="refutes", certainty="probable"
    )
    for text in (EXPLORING, CONFIRMED, ELSEWHERE):
        source_add_snapshot(source=source, text=text)
    evidence = fresh(evidence)
    assert (evidence.stance, evidence.certainty) == ("refutes", "probable")
    assert (evidence.labelled_by, evidence.labelled_by_user) == (LabelledBy.EDITOR, editor)
    assert (evidence.suggested_stance, evidence.suggestion_snapshot) == ("unrelated", 3)


def test_a_first_version_that_disagrees_with_the_editors_label_flags_the_claim(claim, source):
    evidence = evidence_add(claim=claim, source=source, stance="refutes", certainty="certain")
    source_add_snapshot(source=source, text=CONFIRMED)
    (reason,) = assessment_reasons(claim)
    assert reason["code"] == f"assessment:{evidence.pk}"
    assert (
        "now reads: supports, certain — the editor's label is refutes, certain."
        in (reason["message"])
    )
    assert f"“{CONFIRMING}”" in reason["message"]
    # The first version is no news of its own: only the reading flags.
    assert not claim.events.filter(kind=EventKind.SOURCE_CHANGED).exists()


def test_the_chery_story_reaches_the_desk_with_the_sentence_that_moved(claim, source, editor):
    evidence = evidence_add(claim=claim, source=source)
    source_add_snapshot(source=source, text=EXPLORING)
    assert (fresh(evidence).stance, fresh(evidence).certainty) == ("supports", "possible")
    assert assessment_reasons(claim) == []
    hedged_score = fresh(claim).firmness_score

    source_add_snapshot(source=source, text=CONFIRMED)

    (reason,) = assessment_reasons(claim)
    message = reason["message"]
    assert message.startswith("Merseyside Motor Desk: Chery and the Halewood plant (version #2)")
    assert "now reads: supports, certain — was supports, possible." in message
    assert f"The passage: “{CONFIRMING}”" in message
    assert (fresh(evidence).stance, fresh(evidence).certainty) == ("supports", "certain")
    assert fresh(claim).firmness_score > hedged_score

    claim_clear_review(claim=claim, user=editor)
    source_add_snapshot(source=source, text=DENIED)

    claim = fresh(claim)
    assert claim.needs_review
    (reason,) = assessment_reasons(claim)
    assert "now reads: refutes, certain — was supports, certain." in reason["message"]
    assert DENIAL in reason["message"]
    assert fresh(evidence).stance == "refutes"
    events = assessed(claim)
    assert [e.data["snapshot"] for e in events] == [1, 2, 3]
    assert events[2].data["previous"] == {"stance": "supports", "certainty": "certain"}
    assert events[2].data["suggestion"]["stance"] == "refutes"
    assert "denial" in {cue["kind"] for cue in events[2].data["cues"]}
    assert DENIAL in events[2].data["passage"]


def test_a_new_version_that_reads_the_same_adds_no_assessment_reason(claim, source):
    evidence_add(claim=claim, source=source)
    source_add_snapshot(source=source, text=EXPLORING)
    source_add_snapshot(source=source, text=EXPLORING_REWORDED)
    claim = fresh(claim)
    assert claim.review_reason_codes() == {f"source:{source.pk}"}  # the new version itself
    assert [e.data["snapshot"] for e in assessed(claim)] == [1]


def test_an_editor_taking_the_texts_reading_withdraws_its_review_reason(claim, source, editor):
    evidence = evidence_add(claim=claim, source=source, stance="refutes", certainty="certain")
    source_add_snapshot(source=source, text=CONFIRMED)
    assert assessment_reasons(claim)
    evidence_relabel(evidence=evidence, user=editor, stance="supports", certainty="certain")
    assert assessment_reasons(claim) == []
    assert not fresh(claim).needs_review


def test_reading_the_same_version_again_changes_nothing(claim, source):
    evidence_add(claim=claim, source=source)
    snapshot = source_add_snapshot(source=source, text=CONFIRMED)
    assert snapshot is not None
    events = claim.events.count()
    assert source_reassess(source=source, snapshot=snapshot) == []
    assert claim.events.count() == events


def test_each_claim_text_is_read_once_per_version(source, monkeypatch):
    calls: list[str] = []
    real = suggestions.assess

    def counting(claim_text: str, text: str, **options: Any) -> Any:
        calls.append(claim_text)
        return real(claim_text, text, **options)

    monkeypatch.setattr(suggestions, "assess", counting)
    for text in (CLAIM, CLAIM, "Chery will close its Barcelona plant"):
        evidence_add(claim=claim_create(text=text), source=source)
    source_add_snapshot(source=source, text=CONFIRMED)
    assert sorted(calls) == sorted({CLAIM, "Chery will close its Barcelona plant"})


def test_deprecated_evidence_is_not_read_again(claim, source):
    evidence = evidence_add(claim=claim, source=source)
    evidence_deprecate(evidence=evidence, reason="Wrong story.")
    source_add_snapshot(source=source, text=CONFIRMED)
    assert fresh(evidence).suggested_at is None
    assert assessed(claim) == []


def test_evidence_linked_before_the_assessor_is_read_once_by_suggest_missing(claim, source):
    source_add_snapshot(source=source, text=CONFIRMED)
    evidence = evidence_add(claim=claim, source=source)
    Evidence.objects.filter(pk=evidence.pk).update(
        suggested_stance="", suggested_at=None, stance="discusses", certainty="unknown"
    )
    assert evidence_suggest_missing() == 1
    assert (fresh(evidence).stance, fresh(evidence).suggested_stance) == ("supports", "supports")
    assert fresh(claim).firmness_explanation[0]["stance"] == "supports"
    assert evidence_suggest_missing() == 0


def test_a_failing_assessor_never_costs_the_new_version(claim, source, monkeypatch, caplog):
    source_add_snapshot(source=source, text=EXPLORING)
    evidence = evidence_add(claim=claim, source=source)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug in the assessor")

    monkeypatch.setattr(suggestions, "assess", broken)
    source_add_snapshot(source=source, text=CONFIRMED)
    assert source.snapshots.count() == 2
    assert fresh(evidence).suggestion_snapshot == 1  # the old reading stands
    assert "The assessor failed" in caplog.text


def test_the_model_method_is_used_when_settings_ask_for_it(claim, source, settings):
    settings.FACTCHECK_ASSESS_METHOD = "model"
    source_add_snapshot(source=source, text=CONFIRMING)
    evidence = fresh(evidence_add(claim=claim, source=source))
    assert evidence.suggestion_method == "model"

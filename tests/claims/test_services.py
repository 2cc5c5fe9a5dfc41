"""Claim services: recording a claim, editing it, its verdict and the review queue."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, ClaimEvent, Evidence, FirmnessPoint, Tag, VerdictChange
from claims.services.changes import ClaimVersionConflict
from claims.services.claims import (
    claim_clear_review,
    claim_create,
    claim_set_verdict,
    claim_update,
    claims_flag_overdue,
)
from claims.services.evidence import evidence_add
from claims.services.scoring import VERDICT_MISMATCH
from claims.services.timeline import claim_flag_for_review
from tests.factories import ClaimFactory, PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 6, 15)


def kinds(claim: Claim) -> list[str]:
    return list(claim.events.order_by("id").values_list("kind", flat=True))


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def add_evidence(claim: Claim, *, reliability: float = 0.9, **labels: Any) -> Evidence:
    source = SourceFactory.create(publisher=PublisherFactory.create(reliability=reliability))
    return evidence_add(claim=claim, source=source, **labels)


def confirming(claim: Claim) -> Evidence:
    return add_evidence(claim, stance="supports", certainty="certain", kind="primary")


# --- claim_create -----------------------------------------------------------


def test_it_records_a_claim_with_tidy_text_a_slug_and_a_created_event(editor):
    claim = claim_create(text="  Acme   will open a plant in Leeds ", user=editor)
    assert claim.text == "Acme will open a plant in Leeds"
    assert claim.slug == "acme-will-open-a-plant-in-leeds"
    assert claim.created_by == editor
    event = claim.events.get(kind="created")
    assert event.actor == editor
    assert "Acme will open a plant in Leeds" in event.summary


def test_the_same_text_twice_gets_two_distinct_slugs():
    first = claim_create(text="Acme will open a plant")
    second = claim_create(text="Acme will open a plant")
    third = claim_create(text="Acme will open a plant")
    assert first.slug == "acme-will-open-a-plant"
    assert second.slug == "acme-will-open-a-plant-2"
    assert third.slug == "acme-will-open-a-plant-3"


def test_a_claim_with_no_letters_in_its_text_still_gets_a_slug():
    assert claim_create(text="!!! ???").slug == "claim"


def test_it_creates_tags_once_and_reuses_them_by_slug():
    claim = claim_create(text="Plant in Leeds", tags=["Energy", " energy ", "Jobs", ""])
    other = claim_create(text="Plant in York", tags=["ENERGY"])
    assert sorted(claim.tags.values_list("slug", flat=True)) == ["energy", "jobs"]
    assert list(other.tags.values_list("name", flat=True)) == ["Energy"]
    assert Tag.objects.count() == 2


def test_it_refuses_a_tag_without_letters_or_digits():
    with pytest.raises(ValidationError) as error:
        claim_create(text="Plant in Leeds", tags=["???"])
    assert "tags" in error.value.message_dict
    assert not Claim.objects.exists()


def test_it_refuses_empty_text():
    with pytest.raises(ValidationError) as error:
        claim_create(text="   ")
    assert "text" in error.value.message_dict
    assert not Claim.objects.exists()


def test_a_new_claim_starts_with_one_firmness_point_at_no_evidence():
    claim = claim_create(text="Acme will open a plant")
    points = list(FirmnessPoint.objects.filter(claim=claim).values_list("score", "level"))
    assert points == [(0, "no_evidence")]
    assert fresh(claim).firmness_computed_at is not None
    assert "firmness_changed" not in kinds(claim)


# --- claim_update -----------------------------------------------------------


def test_an_edit_bumps_the_version_and_is_recorded(editor):
    claim = claim_create(text="Acme will open a plant")
    updated = claim_update(
        claim=claim, user=editor, expected_version=1, claimant=" Acme CEO", text="Acme  opens"
    )
    assert (updated.version, updated.text, updated.claimant) == (2, "Acme opens", " Acme CEO")
    assert fresh(claim).version == 2
    event = claim.events.get(kind="edited")
    assert event.actor == editor
    assert sorted(event.data["fields"]) == ["claimant", "text"]


def test_an_edit_that_changes_nothing_keeps_the_version_and_adds_no_event():
    claim = claim_create(text="Acme will open a plant", tags=["Energy"])
    claim_update(claim=claim, text="Acme will open a plant", tags=["energy"])
    assert fresh(claim).version == 1
    assert "edited" not in kinds(claim)


def test_changing_the_tags_alone_counts_as_an_edit():
    claim = claim_create(text="Acme will open a plant", tags=["Energy"])
    claim_update(claim=claim, tags=["Jobs"])
    assert list(fresh(claim).tags.values_list("slug", flat=True)) == ["jobs"]
    assert fresh(claim).version == 2
    assert claim.events.get(kind="edited").data["fields"] == ["tags"]


def test_an_edit_against_a_stale_version_raises_and_changes_nothing():
    claim = claim_create(text="Acme will open a plant")
    claim_update(claim=claim, context="First edit")
    with pytest.raises(ClaimVersionConflict) as error:
        claim_update(claim=claim, expected_version=1, text="Something else")
    assert error.value.current == 2
    unchanged = fresh(claim)
    assert (unchanged.text, unchanged.version) == ("Acme will open a plant", 2)
    assert kinds(claim).count("edited") == 1


def test_an_edit_may_not_touch_the_verdict_or_unknown_fields():
    claim = claim_create(text="Acme will open a plant")
    with pytest.raises(TypeError, match="verdict"):
        claim_update(claim=claim, verdict="confirmed")
    assert fresh(claim).verdict == "unverified"


def test_an_invalid_edit_changes_nothing():
    claim = claim_create(text="Acme will open a plant")
    with pytest.raises(ValidationError):
        claim_update(claim=claim, text="x" * 501)
    assert (fresh(claim).text, fresh(claim).version) == ("Acme will open a plant", 1)


# --- claim_set_verdict ------------------------------------------------------


def test_it_refuses_a_verdict_change_without_a_note(editor):
    claim = claim_create(text="Acme will open a plant")
    with pytest.raises(ValidationError) as error:
        claim_set_verdict(claim=claim, verdict="confirmed", note="   ", user=editor)
    assert "note" in error.value.message_dict
    assert not VerdictChange.objects.exists()
    assert (fresh(claim).verdict, fresh(claim).version) == ("unverified", 1)
    assert "verdict_changed" not in kinds(claim)


def test_it_refuses_an_unknown_verdict():
    claim = claim_create(text="Acme will open a plant")
    with pytest.raises(ValidationError) as error:
        claim_set_verdict(claim=claim, verdict="probably", note="Because")
    assert "verdict" in error.value.message_dict
    assert not VerdictChange.objects.exists()


def test_it_refuses_evidence_that_belongs_to_another_claim():
    claim = claim_create(text="Acme will open a plant")
    other = claim_create(text="Acme will close a plant")
    foreign = confirming(other)
    with pytest.raises(ValidationError) as error:
        claim_set_verdict(claim=claim, verdict="confirmed", note="See", evidence=[foreign.pk])
    assert str(foreign.pk) in error.value.message_dict["evidence"][0]
    assert not VerdictChange.objects.exists()
    assert fresh(claim).verdict == "unverified"


def test_a_verdict_change_is_recorded_with_its_reasons(editor):
    claim = claim_create(text="Acme will open a plant")
    proof = confirming(claim)
    version = fresh(claim).version
    change = claim_set_verdict(
        claim=claim, verdict="confirmed", note=" Acme said so. ", user=editor, evidence=[proof]
    )
    assert (change.previous, change.verdict, change.note) == (
        "unverified",
        "confirmed",
        "Acme said so.",
    )
    assert change.changed_by == editor
    assert list(change.evidence.all()) == [proof]
    assert (fresh(claim).verdict, fresh(claim).version) == ("confirmed", version + 1)
    event = claim.events.get(kind="verdict_changed")
    assert event.data == {
        "previous": "unverified",
        "verdict": "confirmed",
        "note": "Acme said so.",
        "evidence": [proof.pk],
    }
    assert event.actor == editor


def test_a_second_verdict_change_records_the_previous_verdict():
    claim = claim_create(text="Acme will open a plant")
    claim_set_verdict(claim=claim, verdict="unconfirmed", note="Nothing yet")
    change = claim_set_verdict(claim=claim, verdict="denied", note="Acme denies it")
    assert (change.previous, change.verdict) == ("unconfirmed", "denied")


def test_a_verdict_change_against_a_stale_version_raises_and_records_nothing():
    claim = claim_create(text="Acme will open a plant")
    claim_update(claim=claim, context="Edited")
    with pytest.raises(ClaimVersionConflict):
        claim_set_verdict(claim=claim, verdict="false", note="No", expected_version=1)
    assert not VerdictChange.objects.exists()


def test_a_verdict_the_evidence_contradicts_flags_the_claim_for_review():
    claim = claim_create(text="Acme will open a plant")
    claim_set_verdict(claim=claim, verdict="confirmed", note="Trust me")
    flagged = fresh(claim)
    assert flagged.needs_review
    assert flagged.review_reason_codes() == {VERDICT_MISMATCH}
    assert "evidence is no evidence" in flagged.review_reasons[0]["message"]


def test_the_mismatch_is_withdrawn_when_evidence_and_verdict_agree_again():
    claim = claim_create(text="Acme will open a plant")
    claim_set_verdict(claim=claim, verdict="confirmed", note="Trust me")
    confirming(claim)
    agreed = fresh(claim)
    assert agreed.firmness_level == "confirmed"
    assert not agreed.needs_review
    assert agreed.review_reasons == []


def test_withdrawing_the_mismatch_keeps_other_review_reasons():
    claim = claim_create(text="Acme will open a plant")
    claim_set_verdict(claim=claim, verdict="confirmed", note="Trust me")
    claim_flag_for_review(claim=fresh(claim), code="source:1", message="The source changed.")
    confirming(claim)
    assert fresh(claim).needs_review
    assert fresh(claim).review_reason_codes() == {"source:1"}


def test_a_false_verdict_on_confirmed_evidence_is_a_mismatch():
    claim = claim_create(text="Acme will open a plant")
    confirming(claim)
    claim_set_verdict(claim=claim, verdict="false", note="Not so")
    assert fresh(claim).review_reason_codes() == {VERDICT_MISMATCH}


# --- claims_flag_overdue ----------------------------------------------------


def test_it_flags_claims_whose_expected_date_passed_and_only_once():
    overdue = ClaimFactory.create(expected_by=datetime.date(2030, 6, 14))
    assert claims_flag_overdue(today=TODAY) == 1
    claim = fresh(overdue)
    assert claim.needs_review
    assert claim.review_reason_codes() == {"expected_by_passed"}
    assert "14 June 2030" in claim.review_reasons[0]["message"]
    events = ClaimEvent.objects.filter(claim=overdue).count()
    assert claims_flag_overdue(today=TODAY) == 0
    assert ClaimEvent.objects.filter(claim=overdue).count() == events


def test_it_ignores_future_dates_today_and_claims_without_a_date():
    due_today = ClaimFactory.create(expected_by=TODAY)
    later = ClaimFactory.create(expected_by=datetime.date(2030, 7, 1))
    undated = ClaimFactory.create(expected_by=None)
    assert claims_flag_overdue(today=TODAY) == 0
    for claim in (due_today, later, undated):
        assert not fresh(claim).needs_review


@pytest.mark.parametrize(
    ("verdict", "level"),
    [("confirmed", "no_evidence"), ("unverified", "confirmed"), ("false", "refuted")],
)
def test_it_ignores_claims_already_settled(verdict, level):
    claim = ClaimFactory.create(expected_by=datetime.date(2030, 1, 1), verdict=verdict)
    Claim.objects.filter(pk=claim.pk).update(firmness_level=level)
    assert claims_flag_overdue(today=TODAY) == 0
    assert not fresh(claim).needs_review


# --- claim_clear_review -----------------------------------------------------


def test_clearing_the_review_empties_the_reasons_and_is_recorded(editor):
    claim = ClaimFactory.create(expected_by=datetime.date(2030, 1, 1))
    claims_flag_overdue(today=TODAY)
    cleared = claim_clear_review(claim=claim, user=editor, note=" Asked Acme ")
    assert (cleared.needs_review, cleared.review_reasons) == (False, [])
    assert (fresh(claim).needs_review, fresh(claim).review_reasons) == (False, [])
    assert fresh(claim).version == 2
    event = claim.events.get(kind="review_cleared")
    assert (event.summary, event.actor) == ("Review done: Asked Acme", editor)


def test_clearing_a_claim_not_in_review_does_nothing():
    claim = claim_create(text="Acme will open a plant")
    claim_clear_review(claim=claim)
    assert fresh(claim).version == 1
    assert "review_cleared" not in kinds(claim)

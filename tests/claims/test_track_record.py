"""Publishers' track records: counted from settled claims, never judging a claim by itself."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from claims.services.claims import claim_set_verdict
from claims.services.scoring import claim_recompute_firmness, evidence_inputs
from claims.services.track_record import (
    RECOMPUTE_TASK,
    publishers_recompute_track_record,
)
from claims.track_record import FELL, HELD, UNSETTLED, TrackRecord, outcome_of
from outbox.models import OutboxMessage
from sources.models import Publisher
from tests.factories import ClaimFactory, EvidenceFactory, PublisherFactory, SourceFactory

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _track_record_settings(settings: Any) -> None:
    """The figures below are worked with a prior worth 4 reports, unsettled support × 1."""
    settings.FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT = 4.0
    settings.FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT = 1.0


def test_confirmed_holds_false_and_denied_fall_and_a_passed_date_settles_unconfirmed() -> None:
    assert outcome_of("confirmed", None, TODAY) == HELD
    assert outcome_of("false", None, TODAY) == FELL
    assert outcome_of("denied", None, TODAY) == FELL
    assert outcome_of("unconfirmed", TODAY - datetime.timedelta(days=1), TODAY) == FELL
    assert outcome_of("unconfirmed", TODAY + datetime.timedelta(days=1), TODAY) == UNSETTLED
    assert outcome_of("unconfirmed", None, TODAY) == UNSETTLED
    assert outcome_of("disputed", None, TODAY) == UNSETTLED


def test_the_learned_reliability_is_the_prior_worth_weight_reports_plus_the_record() -> None:
    record = TrackRecord(supported_held=3, supported_fell=7, refuted_fell=0, refuted_held=1)
    assert record.right == 3 and record.settled == 11
    assert record.learned(0.6, 4.0) == pytest.approx((0.6 * 4 + 3) / 15)
    assert TrackRecord().learned(0.6, 4.0) == 0.6
    assert record.learned(0.6, 0.0) == pytest.approx(3 / 11)


def test_taking_a_word_out_never_leaves_a_negative_count() -> None:
    assert TrackRecord().without("supported", HELD) == TrackRecord()
    assert TrackRecord(supported_held=2).without("supported", HELD).supported_held == 1
    assert TrackRecord(supported_held=2).without(None, HELD).supported_held == 2


pytestmark_db = pytest.mark.django_db


def _cite(claim: Claim, publisher: Publisher, stance: str = "supports") -> None:
    EvidenceFactory.create(
        claim=claim, source=SourceFactory.create(publisher=publisher), stance=stance
    )


def _settled(verdict: str, publisher: Publisher, stance: str = "supports") -> Claim:
    claim = ClaimFactory.create(verdict=verdict)
    _cite(claim, publisher, stance)
    return claim


@pytestmark_db
def test_a_publisher_counts_one_word_a_claim_its_latest() -> None:
    tabloid = PublisherFactory.create(reliability=0.6)
    turned = ClaimFactory.create(verdict="false")
    _cite(turned, tabloid, "supports")
    _cite(turned, tabloid, "refutes")  # its later article: the one that counts
    _settled("false", tabloid, "supports")
    _settled("confirmed", tabloid, "supports")
    _settled("unverified", tabloid, "supports")
    publishers_recompute_track_record()
    tabloid.refresh_from_db()
    assert tabloid.track_record == {
        "supported_held": 1,
        "supported_fell": 1,
        "supported_unsettled": 1,
        "refuted_held": 0,
        "refuted_fell": 1,
        "refuted_unsettled": 0,
    }
    # Right: 2; wrong: 1, and the support of a claim never settled counts as 1 more.
    assert tabloid.learned_reliability == pytest.approx(round((0.6 * 4 + 2) / 8, 4))


@pytestmark_db
def test_no_claim_is_judged_by_its_own_verdict() -> None:
    tabloid = PublisherFactory.create(reliability=0.6, name="dailyexample.com")
    fell = [_settled("false", tabloid) for _ in range(3)]
    publishers_recompute_track_record()
    # Each false claim is scored with the record of the two others only.
    expected = TrackRecord(supported_fell=2).learned(0.6, 4.0)
    for claim in fell:
        [item] = evidence_inputs(claim)
        assert item.reliability == pytest.approx(expected)
    # A claim the record knows nothing of is scored with all three.
    fresh = ClaimFactory.create()
    _cite(fresh, tabloid)
    [item] = evidence_inputs(fresh)
    assert item.reliability == pytest.approx(TrackRecord(supported_fell=3).learned(0.6, 4.0))


@pytestmark_db
def test_a_claims_firmness_does_not_move_when_its_own_verdict_is_counted() -> None:
    wire = PublisherFactory.create(reliability=0.6)
    claim = _settled("unverified", wire)
    before = claim_recompute_firmness(claim=claim).score
    Claim.objects.filter(pk=claim.pk).update(verdict="confirmed")
    publishers_recompute_track_record()
    claim.refresh_from_db()
    assert claim_recompute_firmness(claim=claim).score == before


@pytestmark_db
def test_the_explanation_says_the_record_in_plain_words() -> None:
    tabloid = PublisherFactory.create(reliability=0.6, name="dailyexample.com")
    for verdict in ["confirmed"] * 3 + ["false"] * 8:
        _settled(verdict, tabloid)
    publishers_recompute_track_record()
    claim = ClaimFactory.create()
    _cite(claim, tabloid)
    [line] = claim_recompute_firmness(claim=claim).lines
    assert (
        "dailyexample.com: 3 of its 11 reports on settled claims held up; "
        "counted at reliability 0.36 (editors' prior 0.6)."
    ) in line.text


@pytestmark_db
def test_a_verdict_that_settles_a_claim_queues_its_publishers_records() -> None:
    claim = _settled("unverified", PublisherFactory.create())
    claim_set_verdict(claim=claim, verdict="disputed", note="Both sides speak.")
    assert not OutboxMessage.objects.filter(task=RECOMPUTE_TASK).exists()
    claim_set_verdict(claim=claim, verdict="false", note="Denied on the record.")
    [message] = OutboxMessage.objects.filter(task=RECOMPUTE_TASK)
    assert message.kwargs == {"claim_id": claim.pk}


@pytestmark_db
def test_the_command_recomputes_every_record() -> None:
    tabloid = PublisherFactory.create()
    _settled("false", tabloid)
    out = StringIO()
    call_command("publisher_track_record", stdout=out)
    tabloid.refresh_from_db()
    assert tabloid.track_record["supported_fell"] == 1
    assert "publisher(s) recomputed" in out.getvalue()


@pytestmark_db
def test_a_new_prior_moves_the_learned_reliability() -> None:
    from sources.services import publisher_update

    tabloid = PublisherFactory.create(reliability=0.6)
    _settled("false", tabloid)
    publishers_recompute_track_record()
    publisher_update(publisher=Publisher.objects.get(pk=tabloid.pk), reliability=0.9)
    tabloid.refresh_from_db()
    assert tabloid.learned_reliability == pytest.approx(round(0.9 * 4 / 5, 4))


@pytestmark_db
def test_the_publisher_admin_page_shows_its_track_record(editor_client: Client) -> None:
    tabloid = PublisherFactory.create()
    _settled("false", tabloid)
    publishers_recompute_track_record()
    response = editor_client.get(reverse("admin:sources_publisher_change", args=[tabloid.pk]))
    assert response.status_code == 200
    assert "supported claims that fell: 1" in response.content.decode()


def test_the_beat_recomputes_every_record_nightly() -> None:
    from claims.tasks import recompute_all_track_records
    from factcheck.celery import app

    entry = app.conf.beat_schedule["recompute-track-records"]
    assert entry["task"] == recompute_all_track_records.name


@pytestmark_db
def test_the_nightly_task_rescores_claims_citing_a_publisher_whose_reliability_moved() -> None:
    from claims.tasks import recompute_all_track_records

    tabloid = PublisherFactory.create(reliability=0.6)
    _settled("false", tabloid)
    open_claim = ClaimFactory.create()
    _cite(open_claim, tabloid)
    before = claim_recompute_firmness(claim=open_claim).score
    assert recompute_all_track_records() == 2
    open_claim.refresh_from_db()
    assert open_claim.firmness_score < before


@pytestmark_db
def test_labels_the_assessor_read_unchecked_teach_a_record_nothing() -> None:
    tabloid = PublisherFactory.create(reliability=0.6)
    checked = _settled("false", tabloid)
    unchecked = ClaimFactory.create(verdict="false")
    EvidenceFactory.create(
        claim=unchecked,
        source=SourceFactory.create(publisher=tabloid),
        stance="supports",
        labelled_by="automatic",
    )
    publishers_recompute_track_record()
    tabloid.refresh_from_db()
    assert tabloid.track_record["supported_fell"] == 1
    # The unchecked claim's own word is not in the record, so none is taken out of it.
    [item] = evidence_inputs(unchecked)
    assert item.reliability == pytest.approx(TrackRecord(supported_fell=1).learned(0.6, 4.0))
    [item] = evidence_inputs(checked)
    assert item.reliability == pytest.approx(0.6)

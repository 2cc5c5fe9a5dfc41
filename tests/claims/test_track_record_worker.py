"""End to end: a verdict change travels through the outbox and the broker to a real worker,
which recomputes the publishers' records and the firmness of the claims they speak to."""

from __future__ import annotations

from typing import Any

import pytest

from claims.services.claims import claim_set_verdict
from claims.services.scoring import claim_recompute_firmness
from sources.models import Publisher
from tests.factories import ClaimFactory, EvidenceFactory, PublisherFactory, SourceFactory
from tests.waiting import wait_for
from tests.workers import real_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _track_record_settings(settings: Any) -> None:
    """The figures below are worked with a prior worth 4 reports, unsettled support × 1."""
    settings.FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT = 4.0
    settings.FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT = 1.0


@pytest.mark.slow
def test_a_worker_recomputes_the_record_when_a_verdict_changes() -> None:
    tabloid = PublisherFactory.create(reliability=0.6)
    settled, other = ClaimFactory.create(), ClaimFactory.create()
    for claim in (settled, other):
        EvidenceFactory.create(
            claim=claim, source=SourceFactory.create(publisher=tabloid), stance="supports"
        )
        claim_recompute_firmness(claim=claim)
    other.refresh_from_db()
    before = other.firmness_score
    with real_worker():
        claim_set_verdict(claim=settled, verdict="false", note="Denied on the record.")
        assert wait_for(
            lambda: Publisher.objects.get(pk=tabloid.pk).learned_reliability is not None,
            timeout=20.0,
        )
        assert wait_for(
            lambda: type(other).objects.get(pk=other.pk).firmness_score < before, timeout=20.0
        )
    tabloid.refresh_from_db()
    assert tabloid.track_record["supported_fell"] == 1
    # One support that fell, one of a claim not settled: (0.6 × 4) / (4 + 1 + 1).
    assert tabloid.learned_reliability == pytest.approx(0.4)

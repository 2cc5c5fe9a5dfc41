"""End to end: the daily task travels through the real broker to a real Celery worker."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim
from claims.services.claims import claim_create
from claims.tasks import flag_overdue_expectations
from tests.waiting import wait_for
from tests.workers import real_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.mark.slow
def test_a_worker_flags_an_overdue_claim_sent_through_redis():
    overdue = claim_create(
        text="The new bridge will open to traffic before the end of March",
        expected_by=timezone.localdate() - datetime.timedelta(days=3),
    )
    on_time = claim_create(
        text="The stadium roof will be finished next year",
        expected_by=timezone.localdate() + datetime.timedelta(days=300),
    )
    with real_worker():
        flag_overdue_expectations.delay()
        assert wait_for(lambda: Claim.objects.get(pk=overdue.pk).needs_review, timeout=20.0)
    overdue.refresh_from_db()
    on_time.refresh_from_db()
    assert [r["code"] for r in overdue.review_reasons] == ["expected_by_passed"]
    assert not on_time.needs_review

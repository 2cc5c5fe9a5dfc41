"""Celery tasks for claims, run in-process."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim
from claims.tasks import flag_overdue_expectations
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_the_daily_task_flags_overdue_claims_and_only_those():
    today = timezone.localdate()
    overdue = ClaimFactory.create(expected_by=today - datetime.timedelta(days=1))
    upcoming = ClaimFactory.create(expected_by=today + datetime.timedelta(days=1))
    assert flag_overdue_expectations.run() == 1
    assert Claim.objects.get(pk=overdue.pk).review_reason_codes() == {"expected_by_passed"}
    assert not Claim.objects.get(pk=upcoming.pk).needs_review


def test_running_the_task_again_flags_nothing_new():
    ClaimFactory.create(expected_by=timezone.localdate() - datetime.timedelta(days=3))
    flag_overdue_expectations.run()
    result = flag_overdue_expectations.apply()
    assert result.successful()
    assert result.get() == 0

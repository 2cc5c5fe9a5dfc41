"""The beat's part: re-queueing due deliveries (the outbox's safety net) and pruning the log."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from factcheck.celery import app
from tests.webhooks.conftest import subscribe
from webhooks.models import Delivery, DeliveryAttempt, WebhookEvent
from webhooks.selectors import subscriptions_with_due_head
from webhooks.sending import Lease, deliveries_prune
from webhooks.services import subscription_ping

pytestmark = pytest.mark.django_db


def test_beat_requeues_due_deliveries_and_prunes_the_log():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"webhooks.tasks.requeue_due_deliveries", "webhooks.tasks.prune_deliveries"} <= tasks


def test_a_subscription_is_due_when_the_head_of_its_queue_is(settings):
    waiting = subscribe("https://hooks.example.org/waiting")
    head = subscription_ping(subscription=waiting)
    subscription_ping(subscription=waiting)  # due, but behind a head that waits
    Delivery.objects.filter(pk=head.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    due = subscribe("https://hooks.example.org/due")
    subscription_ping(subscription=due)
    assert subscriptions_with_due_head() == [due.pk]


def test_a_held_or_disabled_subscription_is_not_requeued():
    held, disabled = subscribe("https://a.example.org/"), subscribe("https://b.example.org/")
    for subscription in (held, disabled):
        subscription_ping(subscription=subscription)
    assert Lease.take(held.pk) is not None
    type(disabled).objects.filter(pk=disabled.pk).update(active=False)
    assert subscriptions_with_due_head() == []


def test_the_log_is_pruned_after_30_days():
    subscription = subscribe("https://hooks.example.org/a")
    old, recent = (subscription_ping(subscription=subscription) for _ in range(2))
    DeliveryAttempt.objects.create(delivery=old, number=1, status_code=200)
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Delivery.objects.filter(pk=old.pk).update(created_at=long_ago)
    WebhookEvent.objects.filter(pk=old.event_id).update(created_at=long_ago)
    assert deliveries_prune() == 1
    assert list(Delivery.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not DeliveryAttempt.objects.exists()
    assert not WebhookEvent.objects.filter(pk=old.event_id).exists()

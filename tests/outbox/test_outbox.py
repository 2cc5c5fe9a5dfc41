"""The outbox: a task promised in a transaction is published after it commits, kept when the
broker cannot take it, and published by the relay once it can."""

from __future__ import annotations

import contextlib
import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from outbox import services
from outbox.models import OutboxMessage
from outbox.services import outbox_add, outbox_prune, outbox_publish, outbox_relay

pytestmark = pytest.mark.django_db


class Broker:
    """Takes tasks by name, or refuses them while it is `down`."""

    def __init__(self) -> None:
        self.down = False
        self.sent: list[tuple[str, list[Any], dict[str, Any]]] = []

    def connection_for_write(self, **options: Any) -> contextlib.nullcontext[None]:
        assert options["transport_options"] == {"max_retries": 0}  # a publish never waits
        return contextlib.nullcontext()

    def send_task(self, name: str, args: Any = (), kwargs: Any = None, **options: Any) -> None:
        if self.down:
            raise ConnectionRefusedError("Connection refused")
        assert options.get("retry") is False  # a publish never waits on retries
        self.sent.append((name, list(args), dict(kwargs or {})))


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Broker:
    fake = Broker()
    monkeypatch.setattr(services, "current_app", fake)
    return fake


def test_a_promise_is_published_once_its_transaction_commits(
    broker: Broker, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_add(task="sources.tasks.check_source", args=[7], kwargs={"force": True})
        assert broker.sent == []  # not before the commit
    assert broker.sent == [("sources.tasks.check_source", [7], {"force": True})]
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None


def test_a_rolled_back_change_promises_nothing(broker: Broker) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_add(task="sources.tasks.check_source", args=[7])
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists() and broker.sent == []


def test_with_the_broker_down_the_promise_waits_and_the_relay_keeps_it(
    broker: Broker, django_capture_on_commit_callbacks: Any
) -> None:
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_add(task="sources.tasks.check_source", args=[7])
    kept = OutboxMessage.objects.get(pk=message.pk)
    assert kept.sent_at is None and kept.attempts == 1
    assert "Connection refused" in kept.last_error
    assert kept.claimed_until > timezone.now()  # the next try waits a moment
    broker.down = False
    OutboxMessage.objects.update(claimed_until=timezone.now())
    assert outbox_relay() == 1
    assert broker.sent == [("sources.tasks.check_source", [7], {})]
    assert outbox_relay() == 0  # sent once


def test_a_message_held_by_another_publisher_is_not_sent_twice(broker: Broker) -> None:
    message = OutboxMessage.objects.create(task="t", args=[1])
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_until=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert outbox_publish(message_id=message.pk) is False
    assert broker.sent == []


def test_the_relay_publishes_oldest_first_and_stops_at_a_refusal(broker: Broker) -> None:
    for n in (1, 2):
        OutboxMessage.objects.create(task="t", args=[n])
    assert outbox_relay() == 2
    assert [args for _, args, _ in broker.sent] == [[1], [2]]
    broker.down = True
    for n in (3, 4):
        OutboxMessage.objects.create(task="t", args=[n])
    assert outbox_relay() == 0
    assert OutboxMessage.objects.filter(attempts=1).count() == 1  # the others were not tried


def test_sent_messages_are_forgotten_after_a_week(broker: Broker) -> None:
    old = OutboxMessage.objects.create(
        task="t", sent_at=timezone.now() - datetime.timedelta(days=8)
    )
    recent = OutboxMessage.objects.create(task="t", sent_at=timezone.now())
    pending = OutboxMessage.objects.create(task="t")
    assert outbox_prune() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


def test_the_relay_command_publishes_once(broker: Broker) -> None:
    OutboxMessage.objects.create(task="t", args=[1])
    out = StringIO()
    call_command("outbox_relay", "--once", stdout=out)
    assert out.getvalue() == "1 task(s) published.\n"


class CountingBroker(Broker):
    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    def send_task(self, name: str, args: Any = (), kwargs: Any = None, **options: Any) -> None:
        self.tries += 1
        super().send_task(name, args, kwargs, **options)


def test_after_a_failed_publish_a_request_does_not_wait_on_the_broker_again(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    broker = CountingBroker()
    monkeypatch.setattr(services, "current_app", broker)
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        for source_id in (1, 2, 3):
            outbox_add(task="sources.tasks.check_source", args=[source_id])
    assert broker.tries == 1  # the second and third were not tried
    assert OutboxMessage.objects.pending().count() == 3  # and all three are kept
    broker.down = False
    assert outbox_relay() == 2  # the relay always tries; the first waits out its back-off


def test_a_new_promise_is_held_for_its_own_publish_and_the_relay_leaves_it(
    broker: Broker,
) -> None:
    message = outbox_add(task="t", args=[1])  # the test's transaction never commits
    assert OutboxMessage.objects.get(pk=message.pk).claimed_until > timezone.now()
    assert outbox_relay() == 0 and broker.sent == []


def test_a_promise_skipped_after_a_broker_failure_is_the_relays_at_once(
    broker: Broker, django_capture_on_commit_callbacks: Any
) -> None:
    from outbox.broker import broker_failed

    broker_failed.note()
    with django_capture_on_commit_callbacks(execute=True):
        outbox_add(task="t", args=[1])
    assert broker.sent == []
    assert outbox_relay() == 1 and broker.sent == [("t", [1], {})]


def test_a_publishing_thread_keeps_its_connection_until_a_publish_fails() -> None:
    from celery import Celery

    from outbox.broker import forget_publishing_connection, publishing_connection

    app = Celery("kept", broker="memory://")
    with publishing_connection(app) as first:
        pass
    with publishing_connection(app) as second:
        pass
    assert second is first
    with pytest.raises(ConnectionRefusedError), publishing_connection(app):
        raise ConnectionRefusedError("Connection refused")
    with publishing_connection(app) as third:
        pass
    assert third is not first
    forget_publishing_connection()

"""The recheck tasks, run in this process: thin, idempotent, retried only for our own faults."""

from __future__ import annotations

import datetime
import random
import statistics
from contextlib import nullcontext
from types import SimpleNamespace
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from claims.models import Claim
from claims.services.evidence import evidence_add
from factcheck.celery import app
from outbox import services as outbox_services
from outbox.models import OutboxMessage
from sources import tasks
from sources.models import Health, Source
from sources.scheduling import sources_lease_due
from sources.tasks import check_source, enqueue_due_sources, retry_delay
from tests.conftest import Queued
from tests.factories import ClaimFactory, SourceFactory
from tests.sources.httpserver import Reply, TestServer

pytestmark = pytest.mark.django_db

PAGE = "<html><body><article><p>The mayor opened the bridge.</p></article></body></html>"


def a_source(server: TestServer, path: str = "/a", **fields: Any) -> Source:
    defaults: dict[str, Any] = {"health": Health.UNCHECKED, "title": ""}
    return SourceFactory.create(url=server.url(path), **(defaults | fields))


def any_source(**fields: Any) -> Source:
    return SourceFactory.create(**fields)


def a_claim() -> Claim:
    return ClaimFactory.create()


# --- check_source -------------------------------------------------------------------------


def test_check_source_checks_the_source(server: TestServer) -> None:
    server.route("/a", Reply(200, PAGE))
    source = a_source(server)
    assert check_source.apply(args=(source.pk,)).get() == "ok"
    source.refresh_from_db()
    assert source.health == Health.OK and source.snapshots.count() == 1


def test_a_paused_source_is_checked_only_when_forced(server: TestServer) -> None:
    server.route("/a", Reply(200, PAGE))
    source = a_source(server, paused=True)
    assert check_source.apply(args=(source.pk,)).get() == "paused"
    assert server.hits("/a") == []
    assert check_source.apply(args=(source.pk,), kwargs={"force": True}).get() == "ok"


def test_a_message_for_a_deleted_source_does_nothing() -> None:
    assert check_source.apply(args=(987654,)).get() == "missing"


def test_a_duplicate_or_overtaken_message_is_dropped(server: TestServer) -> None:
    server.route("/a", Reply(200, PAGE))
    source = a_source(server, next_check_at=timezone.now() - datetime.timedelta(minutes=1))
    lease = sources_lease_due(limit=5).lease.isoformat()
    assert check_source.apply(args=(source.pk,), kwargs={"lease": lease}).get() == "ok"
    # The same message again (redelivered, or queued twice): the lease is spent.
    assert check_source.apply(args=(source.pk,), kwargs={"lease": lease}).get() == "stale"
    assert len(server.hits("/a")) == 1


def test_infrastructure_errors_are_retried_then_recorded(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = a_source(server)
    attempts: list[int] = []

    def database_down(*, source: Source) -> None:
        attempts.append(source.pk)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "source_check", database_down)
    result = check_source.apply(args=(source.pk,))
    assert result.failed() and isinstance(result.result, OperationalError)
    assert len(attempts) == (check_source.max_retries or 0) + 1
    source.refresh_from_db()
    assert source.last_error.startswith(f"The check failed: gave up after {len(attempts) - 1}")
    assert source.next_check_at is not None and source.next_check_at > timezone.now()
    assert source.health == Health.UNCHECKED  # nothing was learnt about the page


def test_what_the_page_does_is_not_retried(server: TestServer) -> None:
    server.route("/a", Reply(503))
    source = a_source(server)
    assert check_source.apply(args=(source.pk,)).get() == "error"
    assert len(server.hits("/a")) == 1


def test_a_check_over_its_time_limit_is_recorded(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = a_source(server)

    def too_slow(*, source: Source) -> None:
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(tasks, "source_check", too_slow)
    assert check_source.apply(args=(source.pk,)).get() == "timeout"
    source.refresh_from_db()
    assert "time limit" in source.last_error


@pytest.mark.parametrize("retries", range(8))
def test_retry_delays_grow_with_full_jitter_up_to_a_cap(settings: Any, retries: int) -> None:
    cap = settings.FACTCHECK_CHECK_RETRY_BACKOFF_MAX
    delays = {retry_delay(retries) for _ in range(200)}
    assert all(0 <= d <= min(cap, tasks.RETRY_BACKOFF_FACTOR * 2**retries) for d in delays)
    assert len(delays) > 1  # jittered


def test_retry_delays_grow_with_each_retry_until_the_cap(settings: Any) -> None:
    random.seed(7)  # full jitter draws at random: the same draws every run
    cap = settings.FACTCHECK_CHECK_RETRY_BACKOFF_MAX
    ceilings = [min(cap, tasks.RETRY_BACKOFF_FACTOR * 2**retries) for retries in range(8)]
    samples = [[retry_delay(retries) for _ in range(500)] for retries in range(8)]
    for ceiling, delays in zip(ceilings, samples, strict=True):
        assert min(delays) >= 0 and max(delays) <= ceiling
        assert max(delays) >= 0.9 * ceiling  # the whole range up to the ceiling is drawn from
    means = [statistics.mean(delays) for delays in samples]
    growing = [r for r in range(1, 8) if ceilings[r] > ceilings[r - 1]]
    assert growing == [1, 2, 3, 4, 5, 6]  # doubling until the cap of 600 s is reached
    assert all(means[r] > 1.5 * means[r - 1] for r in growing)
    assert abs(means[7] - means[6]) < 0.15 * means[6]  # capped: no more growth


def test_check_source_is_late_acked_time_limited_and_on_the_fetch_queue() -> None:
    task = app.tasks["sources.tasks.check_source"]
    assert task.acks_late is True
    assert task.soft_time_limit is not None and task.time_limit is not None
    assert task.soft_time_limit < task.time_limit
    assert app.amqp.router.route({}, "sources.tasks.check_source")["queue"].name == "fetch"
    assert app.amqp.router.route({}, "sources.tasks.enqueue_due_sources")["queue"].name != "fetch"
    assert app.conf.worker_prefetch_multiplier == 1


def test_beat_leases_due_sources_every_minute() -> None:
    entry = next(
        e
        for e in app.conf.beat_schedule.values()
        if e["task"] == "sources.tasks.enqueue_due_sources"
    )
    assert entry["schedule"] == 60.0


# --- enqueue_due_sources --------------------------------------------------------------------


def test_due_sources_are_claimed_and_queued_with_their_lease(queued: Queued, settings: Any) -> None:
    settings.FACTCHECK_RECHECK_BATCH = 2
    past = timezone.now() - datetime.timedelta(hours=1)
    due = [any_source(next_check_at=past + datetime.timedelta(seconds=i)) for i in range(3)]
    SourceFactory(next_check_at=timezone.now() + datetime.timedelta(hours=1))
    assert enqueue_due_sources.apply().get() == 2
    leases = {kwargs["lease"] for _, kwargs in queued.calls}
    assert [args for args, _ in queued.calls] == [(due[0].pk,), (due[1].pk,)]
    (lease,) = leases
    leased = Source.objects.get(pk=due[0].pk).next_check_at
    assert leased is not None and leased.isoformat() == lease
    assert enqueue_due_sources.apply().get() == 1  # the next minute: the rest
    assert enqueue_due_sources.apply().get() == 0


# --- The first check when evidence is added --------------------------------------------------


def test_evidence_on_a_new_source_queues_its_first_check_on_commit(
    queued: Queued, server: TestServer, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence = evidence_add(claim=a_claim(), url=server.url("/new"), stance="supports")
    assert queued.calls == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    source = Source.objects.get(pk=evidence.source_id)
    assert source.next_check_at is not None  # leased: beat leaves it to this message
    lease = source.next_check_at.isoformat()
    assert queued.calls == [((evidence.source_id,), {"lease": lease, "force": False})]


def test_evidence_on_a_checked_or_paused_source_queues_nothing(
    queued: Queued, django_capture_on_commit_callbacks: Any
) -> None:
    checked = any_source(last_checked_at=timezone.now())
    paused = any_source(paused=True)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_add(claim=a_claim(), source=checked, stance="supports")
        evidence_add(claim=a_claim(), source=paused, stance="supports")
    assert queued.calls == []


def test_a_broker_that_cannot_be_reached_does_not_fail_the_link(
    monkeypatch: pytest.MonkeyPatch,
    server: TestServer,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise OSError("broker down")

    app = SimpleNamespace(send_task=unreachable, connection_for_write=lambda **_: nullcontext())
    monkeypatch.setattr(outbox_services, "current_app", app)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_add(claim=a_claim(), url=server.url("/x"), stance="supports")
    assert evidence.pk is not None
    assert "broker down" in caplog.text  # logged, not raised
    promised = OutboxMessage.objects.get()  # kept for the relay
    assert (promised.task, promised.args, promised.sent_at) == (
        "sources.tasks.check_source",
        [evidence.source_id],
        None,
    )
    assert promised.attempts == 1 and "broker down" in promised.last_error

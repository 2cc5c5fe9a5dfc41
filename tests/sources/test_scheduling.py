"""The adaptive schedule, and leasing due sources without two runs taking one."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from sources.models import Source
from sources.scheduling import (
    CheckResult,
    _lease_conditionally,
    adaptive_interval,
    failure_delay,
    jittered,
    plan_next_check,
    sources_lease_due,
)
from tests.conftest import on_postgresql
from tests.factories import SourceFactory

HOUR = 3600
NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def a_source(**fields: Any) -> Source:
    return SourceFactory.build(**fields)


def delay_of(source: Source, check_result: CheckResult, **kwargs: Any) -> float:
    _, when = plan_next_check(source, result=check_result, now=NOW, **kwargs)
    return (when - NOW).total_seconds()


@pytest.fixture
def no_jitter(settings: Any) -> Any:
    settings.FACTCHECK_RECHECK_JITTER = 0.0
    settings.FACTCHECK_RECHECK_MIN_INTERVAL = HOUR
    settings.FACTCHECK_RECHECK_MAX_INTERVAL = 30 * 86_400
    settings.FACTCHECK_RECHECK_ERROR_DELAY = 600
    return settings


# --- The interval -----------------------------------------------------------------------


def test_the_interval_doubles_while_nothing_changes_up_to_the_maximum(no_jitter: Any) -> None:
    seen, source = [], a_source(check_interval=HOUR)
    for _ in range(12):
        source.check_interval = adaptive_interval(source, changed=False)
        seen.append(source.check_interval)
    assert seen[:4] == [2 * HOUR, 4 * HOUR, 8 * HOUR, 16 * HOUR]
    assert seen[-1] == 30 * 86_400 and max(seen) == 30 * 86_400


def test_a_change_brings_the_interval_back_to_the_minimum(no_jitter: Any) -> None:
    assert adaptive_interval(a_source(check_interval=20 * 86_400), changed=True) == HOUR


def test_jitter_stays_within_its_spread(settings: Any) -> None:
    settings.FACTCHECK_RECHECK_JITTER = 0.1
    draws = [jittered(1000.0) for _ in range(500)]
    assert all(900.0 <= d <= 1100.0 for d in draws)
    assert min(draws) < 950.0 < 1050.0 < max(draws)  # it does spread
    assert all(jittered(1000.0, upward_only=True) >= 1000.0 for _ in range(100))


def test_a_pinned_interval_overrides_the_adaptive_one(no_jitter: Any) -> None:
    source = a_source(check_interval=8 * HOUR, pinned_interval=900)
    assert delay_of(source, CheckResult.UNCHANGED) == 900
    assert delay_of(source, CheckResult.ERROR) == 900


def test_retry_after_beats_the_pin_and_the_schedule(no_jitter: Any) -> None:
    source = a_source(check_interval=HOUR, pinned_interval=900)
    assert delay_of(source, CheckResult.ERROR, retry_after=5000.0) == 5000


def test_errors_back_off_but_never_beyond_the_interval(no_jitter: Any) -> None:
    source = a_source(check_interval=2 * HOUR)
    delays = []
    for errors in range(1, 6):
        source.consecutive_errors = errors
        delays.append(delay_of(source, CheckResult.ERROR))
    assert delays == [600, 1200, 2400, 4800, 7200]


def test_a_dead_source_is_looked_at_after_the_longest_interval(no_jitter: Any) -> None:
    assert delay_of(a_source(check_interval=HOUR), CheckResult.DEAD) == 30 * 86_400


@pytest.mark.parametrize(
    ("needed", "span", "step"),
    [(3, 72 * HOUR, 36 * HOUR), (4, 72 * HOUR, 24 * HOUR), (2, 10 * HOUR, 10 * HOUR)],
)
def test_failures_are_spaced_over_the_span(
    no_jitter: Any, needed: int, span: int, step: int
) -> None:
    no_jitter.FACTCHECK_DEAD_AFTER_FAILURES, no_jitter.FACTCHECK_DEAD_MIN_SPAN = needed, span
    source = a_source(consecutive_failures=1, first_failure_at=NOW)
    assert failure_delay(source, NOW) == step


def test_the_deciding_failure_waits_for_the_end_of_the_span(no_jitter: Any) -> None:
    no_jitter.FACTCHECK_DEAD_AFTER_FAILURES = 3
    no_jitter.FACTCHECK_DEAD_MIN_SPAN = 72 * HOUR
    first = NOW - datetime.timedelta(hours=2)
    source = a_source(consecutive_failures=2, first_failure_at=first)
    assert failure_delay(source, NOW) == 70 * HOUR


# --- Claiming ---------------------------------------------------------------------------


def due_sources(count: int, **fields: Any) -> list[Source]:
    base = timezone.now() - datetime.timedelta(hours=1)
    return [
        SourceFactory.create(next_check_at=base + datetime.timedelta(seconds=i), **fields)
        for i in range(count)
    ]


@pytest.mark.django_db
def test_leasing_takes_due_unpaused_sources_oldest_first(settings: Any) -> None:
    settings.FACTCHECK_RECHECK_LEASE = 1800
    oldest, middle, newest = due_sources(3)
    SourceFactory(next_check_at=timezone.now() - datetime.timedelta(hours=5), paused=True)
    SourceFactory(next_check_at=timezone.now() + datetime.timedelta(hours=1))
    SourceFactory(next_check_at=None)
    now = timezone.now()
    due = sources_lease_due(limit=2, now=now)
    assert due.source_ids == [oldest.pk, middle.pk]
    assert due.lease == now + datetime.timedelta(seconds=1800)
    leased = Source.objects.filter(pk__in=due.source_ids).values_list("next_check_at", flat=True)
    assert set(leased) == {due.lease}
    assert sources_lease_due(limit=10, now=now).source_ids == [newest.pk]
    assert sources_lease_due(limit=10, now=now).source_ids == []


@pytest.mark.django_db
def test_a_lease_that_ran_out_can_be_taken_again(settings: Any) -> None:
    settings.FACTCHECK_RECHECK_LEASE = 600
    (source,) = due_sources(1)
    now = timezone.now()
    assert sources_lease_due(limit=5, now=now).source_ids == [source.pk]
    assert sources_lease_due(limit=5, now=now + datetime.timedelta(seconds=599)).source_ids == []
    later = now + datetime.timedelta(seconds=601)
    assert sources_lease_due(limit=5, now=later).source_ids == [source.pk]


@pytest.mark.django_db
def test_a_row_taken_between_reading_and_updating_is_not_leased_twice() -> None:
    """The conditional update: a run that read the rows before another took them gets
    none of them."""
    first, second = due_sources(2)
    now = timezone.now()
    stale = [(s.pk, s.next_check_at) for s in (first, second)]
    Source.objects.filter(pk=first.pk).update(next_check_at=now + datetime.timedelta(hours=1))
    lease = now + datetime.timedelta(minutes=30)
    assert _lease_conditionally(stale, lease) == [second.pk]
    assert _lease_conditionally(stale, lease) == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_postgresql_skips_rows_another_run_holds() -> None:
    """FOR UPDATE SKIP LOCKED: while another transaction holds some due rows, a lease takes
    the others, without waiting."""
    assert on_postgresql() and connection.vendor == "postgresql"
    sources = due_sources(6)
    held = [s.pk for s in sources[:3]]
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        from django.db import transaction

        with transaction.atomic():
            list(Source.objects.select_for_update().filter(pk__in=held))
            locked.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        due = sources_lease_due(limit=10)
    finally:
        release.set()
        holder.join(10)
    assert due.source_ids == [s.pk for s in sources[3:]]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_runs_at_once_never_share_a_source() -> None:
    due_sources(40)
    results: list[list[int]] = []
    start = threading.Barrier(4)

    def lease() -> None:
        start.wait(10)
        results.append(sources_lease_due(limit=15).source_ids)
        connections.close_all()

    threads = [threading.Thread(target=lease) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    taken = [pk for ids in results for pk in ids]
    assert len(results) == 4 and len(taken) == len(set(taken)) == 40

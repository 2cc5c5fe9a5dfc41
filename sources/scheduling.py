"""When each source is checked next, and handing due sources to the workers.

The interval adapts: the first check comes at once, the next after
FACTCHECK_RECHECK_MIN_INTERVAL, then the interval doubles while nothing changes, up to
FACTCHECK_RECHECK_MAX_INTERVAL, and falls back to the minimum after a change. Every next
check is jittered, so that sources added together do not stay in step for ever. An editor's
pinned interval overrides all of this, except a server's Retry-After.

The beat task leases due sources by pushing their `next_check_at` forward by
FACTCHECK_RECHECK_LEASE: a second run, the same minute or the next, cannot take them, and a
check that was lost (a worker killed, a message dropped) is due again when the lease runs
out. The lease doubles as a token: `check_source` drops a message whose lease is no longer
the source's `next_check_at` (a duplicate, or one overtaken by another check).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sources.models import Source

DEFAULT_DEFERRAL = 60.0  # seconds, when a busy host gave no Retry-After


class CheckResult(StrEnum):
    """What a check came to, as far as the schedule is concerned."""

    CHANGED = "changed"  # a new version was kept
    UNCHANGED = "unchanged"  # read (or 304) and the same
    ERROR = "error"  # transient or blocked: try again soon, backing off
    FAILURE = "failure"  # the dead kind, not dead yet: spread the checks over the span
    DEAD = "dead"  # dead: look now and then whether it comes back
    DEFERRED = "deferred"  # nothing was sent: the host's turn, or its Retry-After


@dataclass(frozen=True)
class DueLease:
    source_ids: list[int]
    lease: datetime


def jittered(seconds: float, *, upward_only: bool = False) -> float:
    spread = float(settings.FACTCHECK_RECHECK_JITTER)
    low = 1.0 if upward_only else 1.0 - spread
    return seconds * random.uniform(low, 1.0 + spread)


def adaptive_interval(source: Source, *, changed: bool) -> int:
    """The interval after a successful check: the minimum after a change or the first read,
    else twice the last one, within the bounds."""
    low = settings.FACTCHECK_RECHECK_MIN_INTERVAL
    high = settings.FACTCHECK_RECHECK_MAX_INTERVAL
    if changed:
        return low
    return int(min(max(source.check_interval * 2, low), high))


def error_delay(source: Source) -> float:
    """5 xx, timeouts, blocked: soon, doubling per error in a row, never later than the
    adaptive interval (a flaky server should not get a page checked more rarely)."""
    base = settings.FACTCHECK_RECHECK_ERROR_DELAY
    doubled = base * 2 ** min(max(source.consecutive_errors - 1, 0), 20)
    return float(min(doubled, max(source.check_interval, base)))


def failure_delay(source: Source, now: datetime) -> float:
    """Space the dead-kind failures so that the last one needed can fall at the end of the
    span: with 3 failures over 72 hours, one check every 36 hours."""
    needed = settings.FACTCHECK_DEAD_AFTER_FAILURES
    span = float(settings.FACTCHECK_DEAD_MIN_SPAN)
    step = span / max(needed - 1, 1)
    delay = max(step, float(settings.FACTCHECK_RECHECK_ERROR_DELAY))
    if source.consecutive_failures >= needed - 1 and source.first_failure_at is not None:
        # The next failure may be the deciding one: make sure the span is met by then.
        delay = max(
            delay, (source.first_failure_at + timedelta(seconds=span) - now).total_seconds()
        )
    return min(delay, float(settings.FACTCHECK_RECHECK_MAX_INTERVAL))


def plan_next_check(
    source: Source, *, result: CheckResult, now: datetime, retry_after: float | None = None
) -> tuple[int, datetime]:
    """(the adaptive interval to keep, when to check next) after a check; `source` already
    carries the check's counters."""
    interval, upward_only = source.check_interval, False
    if result in (CheckResult.CHANGED, CheckResult.UNCHANGED):
        interval = adaptive_interval(source, changed=result == CheckResult.CHANGED)
        delay = float(interval)
    elif result == CheckResult.ERROR:
        delay = error_delay(source)
    elif result == CheckResult.FAILURE:
        delay, upward_only = failure_delay(source, now), True
    elif result == CheckResult.DEAD:
        delay = float(settings.FACTCHECK_RECHECK_MAX_INTERVAL)
    else:
        delay = DEFAULT_DEFERRAL
    if source.pinned_interval and result != CheckResult.DEFERRED:
        delay = float(source.pinned_interval)
    seconds = jittered(delay, upward_only=upward_only)
    if retry_after is not None:  # the server's word beats our schedule and the pin
        seconds = max(seconds, jittered(retry_after, upward_only=True))
    return interval, now + timedelta(seconds=seconds)


def sources_lease_due(*, limit: int, now: datetime | None = None) -> DueLease:
    """Lease up to `limit` due sources, oldest due first, for checking; no other run gets
    them until the lease runs out."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=settings.FACTCHECK_RECHECK_LEASE)
    due = Source.objects.due(now).order_by("next_check_at", "pk")
    if connection.vendor == "postgresql":
        ids = _lease_skip_locked(due, limit, lease)
    else:
        ids = _lease_conditionally(list(due.values_list("pk", "next_check_at")[:limit]), lease)
    return DueLease(source_ids=ids, lease=lease)


@transaction.atomic
def _lease_skip_locked(due: QuerySet[Source], limit: int, lease: datetime) -> list[int]:
    # Rows another run holds are skipped, not waited for: two beat runs (or two
    # `recheck --all-due`) never block each other and never take the same source.
    ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
    Source.objects.filter(pk__in=ids).update(next_check_at=lease)
    return ids


@transaction.atomic
def _lease_conditionally(
    candidates: list[tuple[int, datetime | None]], lease: datetime
) -> list[int]:
    # Without SKIP LOCKED: take each row only if it is still as we read it; a row that
    # another run took in between updates nothing, and is not ours.
    leased = []
    for pk, due_at in candidates:
        taken = Source.objects.filter(pk=pk, next_check_at=due_at, paused=False).update(
            next_check_at=lease
        )
        if taken:
            leased.append(pk)
    return leased


def source_lease_now(*, source: Source) -> datetime:
    """Lease one source for a check queued now (its first, or one an editor asked for): no
    beat run takes it meanwhile, and a second copy of the message is dropped as stale."""
    lease = timezone.now() + timedelta(seconds=settings.FACTCHECK_RECHECK_LEASE)
    Source.objects.filter(pk=source.pk).update(next_check_at=lease)
    return lease


def source_hold(*, source_id: int, lease: datetime | None) -> datetime | None:
    """A check is starting: hold the source for FACTCHECK_CHECK_HOLD seconds instead of the
    queue's long lease, so that if its worker dies the source is due again soon. Only while
    the source's lease is still `lease` (None: any, for a check an editor forced); the hold,
    or None when the lease has moved on (the message is stale)."""
    hold = timezone.now() + timedelta(seconds=settings.FACTCHECK_CHECK_HOLD)
    rows = Source.objects.filter(pk=source_id)
    if lease is not None:
        rows = rows.filter(next_check_at=lease)
    return hold if rows.update(next_check_at=hold) else None


def source_renew_hold(*, source_id: int, held: datetime) -> datetime | None:
    """Extend a running check's hold; None when the check has recorded (or lost the source)."""
    hold = timezone.now() + timedelta(seconds=settings.FACTCHECK_CHECK_HOLD)
    renewed = Source.objects.filter(pk=source_id, next_check_at=held).update(next_check_at=hold)
    return hold if renewed else None

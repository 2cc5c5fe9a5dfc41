"""Celery tasks for sources: thin wrappers that take ids, load the row and call a service.

`check_source` runs on the `fetch` queue (CELERY_TASK_ROUTES) and `enqueue_due_sources`,
run by beat every minute (factcheck/celery.py), on the default queue. Both are safe to
run twice: a check whose lease is no longer the source's is dropped, a check overlapping
another records nothing (sources.checking), and leasing twice leases nothing new.

What the page does (5xx, timeouts, 404) is a result, recorded and rescheduled by the
service, not a reason to retry. Retries are for our own infrastructure failing under the
task (the database or Redis unreachable for a moment): exponential backoff with full
jitter, at most FACTCHECK_CHECK_MAX_RETRIES times, after which the failure is recorded on
the source and the source is rescheduled.
"""

from __future__ import annotations

import logging
from typing import Any

import kombu.exceptions
import redis
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils.dateparse import parse_datetime

from sources.checking import source_check, source_record_check_error
from sources.models import Source
from sources.scheduling import sources_lease_due

logger = logging.getLogger(__name__)

TRANSIENT = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)
RETRY_BACKOFF_FACTOR = 10  # seconds: 10, 20, 40… each drawn at random below that


def retry_delay(retries: int) -> int:
    return get_exponential_backoff_interval(
        factor=RETRY_BACKOFF_FACTOR,
        retries=retries,
        maximum=settings.FACTCHECK_CHECK_RETRY_BACKOFF_MAX,
        full_jitter=True,
    )


def skip_reason(source: Source, *, lease: str | None, force: bool) -> str:
    """Why this message should not check the source; "" when it should."""
    if source.paused and not force:
        return "paused"
    if lease is not None and source.next_check_at != parse_datetime(lease):
        return "stale"  # a duplicate, or overtaken by another check since it was queued
    return ""


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=settings.FACTCHECK_CHECK_MAX_RETRIES,
    soft_time_limit=settings.FACTCHECK_CHECK_SOFT_TIME_LIMIT,
    time_limit=settings.FACTCHECK_CHECK_TIME_LIMIT,
)
def check_source(self: Any, source_id: int, lease: str | None = None, force: bool = False) -> str:
    """Check one source. `lease` comes from the beat's lease; `force` checks a paused one."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "missing"
    reason = skip_reason(source, lease=lease, force=force)
    if reason:
        logger.info("check of source %s skipped: %s", source_id, reason)
        return reason
    try:
        report = source_check(source=source)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            _record_give_up(source_id, f"gave up after {self.request.retries} retries: {exc}")
            raise
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
    except SoftTimeLimitExceeded:
        _record_give_up(source_id, "took longer than the time limit")
        return "timeout"
    logger.info("%s", report)
    return report.outcome


def _record_give_up(source_id: int, why: str) -> None:
    try:
        source_record_check_error(source_id=source_id, error=f"The check failed: {why}")
    except DatabaseError:  # the database is what failed: the log is all that is left
        logger.exception("check of source %s failed and could not be recorded", source_id)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50, time_limit=55)
def enqueue_due_sources() -> int:
    """Every minute: lease a batch of due sources and queue a check for each."""
    due = sources_lease_due(limit=settings.FACTCHECK_RECHECK_BATCH)
    lease = due.lease.isoformat()
    for source_id in due.source_ids:
        check_source.delay(source_id, lease=lease)
    if due.source_ids:
        logger.info("queued checks of %d due sources", len(due.source_ids))
    return len(due.source_ids)


def source_queue_check(*, source: Source, force: bool = False) -> None:
    """Check `source` as soon as a worker is free, once the current transaction commits
    (a worker must not look for a row that is not committed yet).

    `robust`: a broker that cannot be reached must not turn the caller's committed work into
    an error; the beat task leases the source when it is due anyway.
    """
    source_id = source.pk
    transaction.on_commit(lambda: check_source.delay(source_id, force=force), robust=True)

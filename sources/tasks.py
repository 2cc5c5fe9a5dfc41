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
import threading
from datetime import datetime
from typing import Any

import kombu.exceptions
import redis
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils.dateparse import parse_datetime

from outbox.services import outbox_add
from sources.checking import (
    CheckReport,
    source_check,
    source_fetch,
    source_record_check_error,
    source_record_fetched,
)
from sources.handoff import Fetched
from sources.models import Source
from sources.scheduling import (
    source_hold,
    source_lease_now,
    source_renew_hold,
    sources_lease_due,
)

logger = logging.getLogger(__name__)

TRANSIENT = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)
RETRY_BACKOFF_FACTOR = 10  # seconds: 10, 20, 40… each drawn at random below that
CHECK_TASK = "sources.tasks.check_source"


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
    if lease is not None and not force and source.next_check_at != parse_datetime(lease):
        return "stale"  # a duplicate, or overtaken by another check since it was queued
    return ""


class Heartbeat:
    """Renews a running check's hold on its source every third of the hold, from a thread
    of its own: a check that dies with its worker stops renewing, and the source is due again
    within FACTCHECK_CHECK_HOLD seconds."""

    def __init__(self, source_id: int, held: datetime) -> None:
        self.source_id, self.held = source_id, held
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"hold-{source_id}")

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        every = settings.FACTCHECK_CHECK_HOLD / 3
        try:
            while not self.stopped.wait(every):
                renewed = source_renew_hold(source_id=self.source_id, held=self.held)
                if renewed is None:
                    return  # recorded, or taken over: nothing left to hold
                self.held = renewed
        except DatabaseError:
            logger.warning("could not renew the hold on source %s", self.source_id)
        finally:
            connection.close()  # this thread's own connection


# Both halves of a check: acknowledged when done (a worker killed mid-check leaves the
# message for another), retried on the network's errors, stopped at the time limits.
CHECK_TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "ignore_result": True,
    "max_retries": settings.FACTCHECK_CHECK_MAX_RETRIES,
    "soft_time_limit": settings.FACTCHECK_CHECK_SOFT_TIME_LIMIT,
    "time_limit": settings.FACTCHECK_CHECK_TIME_LIMIT,
}


@shared_task(**CHECK_TASK_OPTIONS)
def check_source(self: Any, source_id: int, lease: str | None = None, force: bool = False) -> str:
    """Check one source. `lease` comes from the beat's lease; `force` checks a paused one."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "missing"
    reason = skip_reason(source, lease=lease, force=force)
    held = None
    if not reason:
        token = parse_datetime(lease) if lease and not force else None
        held = source_hold(source_id=source_id, lease=token)
        reason = "" if held is not None else "stale"
    if reason or held is None:
        logger.info("check of source %s skipped: %s", source_id, reason)
        return reason
    try:
        with Heartbeat(source_id, held):
            report = _check(source, eager=bool(self.request.is_eager))
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            _record_give_up(source_id, f"gave up after {self.request.retries} retries: {exc}")
            raise
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
    except SoftTimeLimitExceeded:
        _record_give_up(source_id, "took longer than the time limit")
        return "timeout"
    logger.info("%s", report)
    return report.outcome if isinstance(report, CheckReport) else report


def _check(source: Source, *, eager: bool) -> CheckReport | str:
    """Fetch; a page that was read goes to the reader (the `assess` queue) to be extracted
    and recorded, so that this worker's thread goes on to the next page at once; anything
    else (304, errors, deferrals) is recorded here. Run eagerly (apply(), tests), with no
    reader to hand to, the whole check is done in this call."""
    if eager:
        return source_check(source=source)
    fetched = source_fetch(source=source, reload=False)  # check_source read it just now
    if not fetched.result.ok:
        return source_record_fetched(fetched=fetched)
    # Its own short argsrepr: Celery would otherwise write out the whole page for the log.
    read_fetched_page.apply_async(
        args=[fetched.as_message()], argsrepr=f"(page of source {source.pk})"
    )
    logger.info("source %s read off the network; its text is the reader's", source.pk)
    return "read"


@shared_task(**CHECK_TASK_OPTIONS)
def read_fetched_page(self: Any, fetched: dict[str, Any]) -> str:
    """The reading half of a check, on the `assess` queue: extract the page's text and
    record the check. Safe to run twice: a second recording of one check is dropped."""
    page = Fetched.from_message(fetched)
    try:
        report = source_record_fetched(fetched=page)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            _record_give_up(page.source_id, f"gave up after {self.request.retries} retries: {exc}")
            raise
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
    except SoftTimeLimitExceeded:
        _record_give_up(page.source_id, "took longer than the time limit")
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
    """Check `source` as soon as a worker is free. The promise is written to the outbox in
    the caller's transaction, so it is kept even if the broker is down right now; it is
    published once the transaction commits, or by the relay when the broker is back. A
    check the editor forced runs on a paused source too; any other carries a lease."""
    lease = None if force else source_lease_now(source=source)
    queue_check(source_id=source.pk, lease=lease.isoformat() if lease else None, force=force)


def queue_check(*, source_id: int, lease: str | None, force: bool) -> None:
    """Promise a check through the outbox: kept with the caller's transaction."""
    outbox_add(task=CHECK_TASK, args=[source_id], kwargs={"lease": lease, "force": force})

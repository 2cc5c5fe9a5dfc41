"""Celery tasks for claims: thin wrappers over services."""

from __future__ import annotations

import logging

from celery import shared_task

from claims.services.claims import claims_flag_overdue
from claims.services.reading import source_version_read_later
from claims.services.track_record import (
    track_records_recompute_all,
    track_records_recompute_for_claim,
)

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def flag_overdue_expectations() -> int:
    """Daily: flag forward-looking claims whose date passed. Flagging twice is a no-op."""
    flagged = claims_flag_overdue()
    logger.info("flagged %d overdue claims for review", flagged)
    return flagged


@shared_task(acks_late=True, ignore_result=True)
def recompute_track_records(claim_id: int) -> int:
    """After a verdict change: the claim's publishers' records. Running twice is harmless."""
    return track_records_recompute_for_claim(claim_id=claim_id)


@shared_task(acks_late=True, ignore_result=True)
def recompute_all_track_records() -> int:
    """Nightly: every publisher's record from the verdicts as they stand."""
    recomputed = track_records_recompute_all()
    logger.info("track records recomputed; %d claims rescored", recomputed)
    return recomputed


@shared_task(acks_late=True, ignore_result=True)
def read_source_version(source_id: int, number: int) -> int:
    """A fetched version read against the claims, on the `assess` queue (CELERY_TASK_ROUTES),
    off the fetch workers. Running twice is harmless (claims.services.reading)."""
    told = source_version_read_later(source_id=source_id, number=number)
    logger.info("source %s version %s read: %s", source_id, number, "; ".join(told) or "-")
    return len(told)

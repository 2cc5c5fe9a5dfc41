"""Celery tasks for claims: thin wrappers over services."""

from __future__ import annotations

import logging

from celery import shared_task

from claims.services.claims import claims_flag_overdue

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def flag_overdue_expectations() -> int:
    """Daily: flag forward-looking claims whose date passed. Flagging twice is a no-op."""
    flagged = claims_flag_overdue()
    logger.info("flagged %d overdue claims for review", flagged)
    return flagged

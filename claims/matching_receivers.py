"""Offering a source's new version to the claims it strongly matches (sources never imports
claims: this receiver is connected in ClaimsConfig.ready())."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from claims.matching_services import source_offer_links
from sources.models import Source, SourceSnapshot
from sources.services import SourceChange

logger = logging.getLogger(__name__)


def on_source_snapshot(
    sender: Any,
    *,
    source: Source,
    change: str,
    snapshot: SourceSnapshot | None = None,
    **kwargs: Any,
) -> None:
    if change != SourceChange.SNAPSHOT or snapshot is None:
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the snapshot intact
            source_offer_links(source=source, snapshot=snapshot)
    except Exception:
        # Offers are a convenience for editors; the version the fetch just read is the
        # record, and must not be lost because matching failed (say, a missing `.[ml]`).
        logger.exception(
            "could not offer source %s (version %s) to claims", source.pk, snapshot.number
        )

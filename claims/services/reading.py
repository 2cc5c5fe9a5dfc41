"""Reading a source's new version against the claims: the evidence citing it assessed again,
and the version offered to the claims it strongly matches (link offers).

A version an editor typed in is read at once: they are looking at the result. A fetched
version is read by a task of its own (`claims.tasks.read_source_version`, on the `assess`
queue), promised through the outbox in the check's transaction: the fetch worker records
the version and goes on to the next page without waiting for the reading, and the reading
is never lost (docs/operations.md, "The outbox").
"""

from __future__ import annotations

import contextlib
import logging

from django.db import connection, transaction

from claims.models import Evidence
from claims.services.link_offers import source_offer_links
from claims.services.suggestions import source_reassess
from outbox.services import outbox_add
from sources.models import SnapshotMethod, Source, SourceSnapshot

logger = logging.getLogger(__name__)

READ_TASK = "claims.tasks.read_source_version"


def source_version_read_or_queue(*, source: Source, snapshot: SourceSnapshot) -> list[str]:
    """Read `snapshot` now when an editor supplied it; promise its reading when fetched.
    What was done, in words, for the check's report (nothing yet, for a promise)."""
    if snapshot.method == SnapshotMethod.FETCHED:
        outbox_add(task=READ_TASK, args=[source.pk, snapshot.number])
        return []  # what the reading does is its own task's to say, in the reader's log
    return source_version_read(source=source, snapshot=snapshot)


def source_version_read_later(*, source_id: int, number: int) -> list[str]:
    """The queued reading of version `number`. A version a newer one has overtaken is not
    read: the newer one's reading says what the page says now. Safe to run twice: evidence
    read from this version already is skipped, and offers are brought up to date."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return []
    snapshot = source.snapshots.filter(number=number).first()
    if snapshot is None or source.snapshots.filter(number__gt=number).exists():
        return []
    return source_version_read(source=source, snapshot=snapshot)


def source_version_read(*, source: Source, snapshot: SourceSnapshot) -> list[str]:
    """Assess the citing evidence again from `snapshot` (which recomputes their claims'
    firmness), then offer the version to the claims it strongly matches. A source no
    evidence cites takes no transaction for the first part (on SQLite, one holds the
    whole database)."""
    told: list[str] = []
    if Evidence.objects.live().filter(source=source).exists():
        with transaction.atomic():
            read = source_reassess(source=source, snapshot=snapshot)
        told += [f"claim {i.evidence.claim_id} read it again" for i in read if i.needs_review]
    return told + _offer_links(source, snapshot)


def _offer_links(source: Source, snapshot: SourceSnapshot) -> list[str]:
    # Within a transaction (an editor's version), a savepoint: a failure here leaves the
    # version and its reading intact. Outside one (the queued reading), none is needed, and
    # none is opened around the matching.
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard:
            offers = source_offer_links(source=source, snapshot=snapshot)
    except Exception:
        # Offers are a convenience for editors; the version and what the evidence says of
        # it must not be lost because matching failed (say, a missing `.[ml]`).
        logger.exception(
            "could not offer source %s (version %s) to claims", source.pk, snapshot.number
        )
        return ["offering it to other claims failed (see the log)"]
    return [f"offered to claim {offer.claim_id}" for offer in offers]

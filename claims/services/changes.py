"""The sequence every change to a claim goes through, in one place.

A service locks the claim (checking the version the caller read), makes its change, and
then records it: the version goes up (so ETags and mirrors notice), the timeline gets an
event, and the firmness is recomputed from the evidence as it now stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from claims.models import Claim
from claims.services.scoring import claim_recompute_firmness
from claims.services.timeline import claim_event_add


class ClaimVersionConflict(Exception):
    """The claim changed since the caller read it."""

    def __init__(self, current: int) -> None:
        super().__init__(
            f"The claim has changed since you read it (it is now at version {current})."
        )
        self.current = current


def claim_lock(
    claim: Claim,
    expected_version: int | None = None,
    expected_etags: Iterable[str] | None = None,
) -> Claim:
    """The claim's row, locked until the transaction ends; raises ClaimVersionConflict when
    it is no longer at `expected_version`, or its ETag is none of `expected_etags` (an
    If-Match list; None when the caller sent `*` or checks nothing)."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ClaimVersionConflict(locked.version)
    if expected_etags is not None and locked.etag not in set(expected_etags):
        raise ClaimVersionConflict(locked.version)
    return locked


def claim_record_change(
    *,
    claim: Claim,
    kind: str,
    summary: str,
    actor: Any = None,
    saved_fields: tuple[str, ...] = (),
    recompute: bool = True,
    **data: Any,
) -> None:
    """After a change to a locked claim: save `saved_fields` with a new version, put the event on
    the timeline and, when the evidence or verdict may read otherwise, recompute firmness."""
    claim.version += 1
    claim.save(update_fields=[*saved_fields, "version", "updated_at"])
    claim_event_add(claim=claim, kind=kind, summary=summary, actor=actor, **data)
    if recompute:
        claim_recompute_firmness(claim=claim)

"""The claim's timeline and its place in the review queue: the low-level writes that every
other claims service goes through."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from claims.models import Claim, ClaimEvent, EventKind
from claims.signals import claim_event_recorded
from factcheck.users import signed_in


def claim_event_add(
    *, claim: Claim, kind: str, summary: str, actor: Any = None, **data: Any
) -> ClaimEvent:
    """Every event on a claim's timeline is written here, and told through
    `claim_event_recorded` (webhooks listen), in the same transaction."""
    event = ClaimEvent.objects.create(
        claim=claim,
        kind=kind,
        summary=summary[: ClaimEvent.SUMMARY_MAX],
        actor=signed_in(actor),
        data=data,
    )
    claim_event_recorded.send(sender=ClaimEvent, event=event)
    return event


def claim_flag_for_review(*, claim: Claim, code: str, message: str, **data: Any) -> bool:
    """Put the claim in the review queue; False when the same reason is already there.

    A reason replaces an older one with the same code, so a code names one
    concern (`verdict_mismatch`, `source:12`) and the queue shows its latest state.
    """
    message = message[: ClaimEvent.SUMMARY_MAX]  # as stored: the same long reason is recognised
    if any(r.get("code") == code and r.get("message") == message for r in claim.review_reasons):
        return False
    reasons = [r for r in claim.review_reasons if r.get("code") != code]
    reasons.append({"code": code, "message": message, "at": timezone.now().isoformat(), **data})
    Claim.objects.filter(pk=claim.pk).update(needs_review=True, review_reasons=reasons)
    claim.needs_review, claim.review_reasons = True, reasons
    claim_event_add(claim=claim, kind=EventKind.REVIEW_FLAGGED, summary=message, code=code)
    return True


def claim_withdraw_review_reason(*, claim: Claim, code: str) -> None:
    """Drop reasons of one kind that no longer hold (the verdict and evidence agree again)."""
    reasons = [r for r in claim.review_reasons if r.get("code") != code]
    if reasons == claim.review_reasons:
        return
    Claim.objects.filter(pk=claim.pk).update(needs_review=bool(reasons), review_reasons=reasons)
    claim.needs_review, claim.review_reasons = bool(reasons), reasons

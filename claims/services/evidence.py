"""Linking sources to claims, relabelling and deprecating that evidence."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, EventKind, Evidence, LabelledBy
from claims.services.changes import claim_lock, claim_record_change
from claims.services.suggestions import (
    assessment_reason_code,
    editor_reading,
    evidence_suggest,
    suggested_reading,
)
from claims.services.timeline import claim_withdraw_review_reason
from factcheck.users import signed_in
from sources.addresses import InvalidSourceURL
from sources.models import Source
from sources.services import source_get_or_create
from sources.tasks import source_queue_check

LABEL_FIELDS = ("stance", "certainty", "kind", "quote", "derived_from")
# The labels an editor decides on; with neither given, they are read from the source.
JUDGEMENT_FIELDS = ("stance", "certainty")


class EvidenceAlreadyLinked(Exception):
    """The claim already has live evidence from this source."""

    def __init__(self, existing: Evidence) -> None:
        super().__init__(f"This source is already evidence #{existing.pk} of the claim.")
        self.existing = existing


def _source_from(source: Source | None, url: str | None, field: str) -> Source | None:
    if source is not None:
        return source
    if not url:
        return None
    try:
        found, _ = source_get_or_create(url=url)
    except InvalidSourceURL as exc:
        raise ValidationError({field: str(exc)}) from None
    return found


@transaction.atomic
def evidence_add(
    *,
    claim: Claim,
    user: Any = None,
    source: Source | None = None,
    url: str | None = None,
    derived_from: Source | None = None,
    derived_from_url: str | None = None,
    labelled_by: str | None = None,
    expected_version: int | None = None,
    queue_check: bool = True,
    **labels: Any,
) -> Evidence:
    """Link a source (found or created by its normalised URL) to the claim.

    Without a stance or certainty the labels are automatic: read from the source's text
    now if it has one, else once its first version is fetched (claims.receivers). A source
    never fetched is queued for its first check, unless `queue_check` is off (an import).
    """
    linked = _source_from(source, url, "url")
    if linked is None:
        raise ValidationError({"url": "Give the source's URL or pick an existing source."})
    origin = _source_from(derived_from, derived_from_url, "derived_from")
    claim = claim_lock(claim, expected_version)
    existing = Evidence.objects.live().filter(claim=claim, source=linked).first()
    if existing is not None:
        raise EvidenceAlreadyLinked(existing)
    evidence = _save_new_evidence(claim, linked, origin, user, labelled_by, labels)
    claim_record_change(
        claim=claim,
        kind=EventKind.EVIDENCE_ADDED,
        summary=f"{linked.publisher.name} linked: {_stance_words(evidence)}",
        actor=user,
        evidence=evidence.pk,
        source=linked.pk,
        stance=evidence.stance,
    )
    if queue_check and linked.last_checked_at is None and not linked.paused:
        # A source nobody has fetched yet is fetched at once, once this link is committed.
        source_queue_check(source=linked)
    return evidence


def _save_new_evidence(
    claim: Claim,
    linked: Source,
    origin: Source | None,
    user: Any,
    labelled_by: str | None,
    labels: dict[str, Any],
) -> Evidence:
    labelled_by = labelled_by or _labelled_by(labels)
    evidence = Evidence(
        claim=claim,
        source=linked,
        derived_from=origin if origin != linked else None,
        labelled_by=labelled_by,
        labelled_by_user=signed_in(user) if labelled_by == LabelledBy.EDITOR else None,
        **labels,
    )
    evidence.full_clean(exclude=["claim", "source", "derived_from"])
    evidence.save()
    # Read at once when the source has text, so automatic labels count from the start.
    evidence_suggest(evidence=evidence)
    return evidence


def _labelled_by(labels: dict[str, Any]) -> str:
    given = any(labels.get(name) for name in JUDGEMENT_FIELDS)
    return LabelledBy.EDITOR if given else LabelledBy.AUTOMATIC


def _stance_words(evidence: Evidence) -> str:
    stance = evidence.get_stance_display().lower()
    if evidence.labelled_by != LabelledBy.AUTOMATIC:
        return stance
    return f"{stance} (read automatically)" if evidence.suggested_at else "to be read from its text"


@transaction.atomic
def evidence_relabel(*, evidence: Evidence, user: Any = None, **labels: Any) -> Evidence:
    """An editor's labels; once set by an editor, suggestions never overwrite them."""
    unknown = set(labels) - set(LABEL_FIELDS)
    if unknown:
        raise TypeError(f"evidence_relabel cannot change {', '.join(sorted(unknown))}")
    claim = claim_lock(evidence.claim)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if labels.get("derived_from") == evidence.source:
        labels["derived_from"] = None  # a source cannot rely on itself
    changed = {name: value for name, value in labels.items() if getattr(evidence, name) != value}
    if not changed and evidence.labelled_by == LabelledBy.EDITOR:
        return evidence
    for name, value in changed.items():
        setattr(evidence, name, value)
    evidence.labelled_by = LabelledBy.EDITOR
    evidence.labelled_by_user = signed_in(user)
    evidence.full_clean(exclude=["claim", "source", "derived_from"])
    evidence.save()
    if suggested_reading(evidence) == editor_reading(evidence):
        # The editor took the text's reading: a review reason raised by it is answered.
        claim_withdraw_review_reason(claim=claim, code=assessment_reason_code(evidence.pk))
    claim_record_change(
        claim=claim,
        kind=EventKind.EVIDENCE_RELABELLED,
        summary=f"Evidence #{evidence.pk} relabelled: {', '.join(sorted(changed)) or 'confirmed'}",
        actor=user,
        evidence=evidence.pk,
        fields=sorted(changed),
    )
    return evidence


def evidence_accept_suggestion(*, evidence: Evidence, user: Any) -> Evidence:
    """What was read from the source becomes the editor's labels."""
    return evidence_relabel(
        evidence=evidence,
        user=user,
        stance=evidence.suggested_stance,
        certainty=evidence.suggested_certainty,
    )


@transaction.atomic
def evidence_deprecate(*, evidence: Evidence, reason: str, user: Any = None) -> Evidence:
    """Take evidence out of the firmness; it stays on the record, shown with its reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this evidence no longer counts."})
    if len(reason) > Evidence.REASON_MAX:
        limit = Evidence.REASON_MAX
        raise ValidationError({"reason": f"A reason may have at most {limit} characters."})
    claim = claim_lock(evidence.claim)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.deprecated:
        return evidence
    evidence.deprecated, evidence.deprecated_reason = True, reason
    evidence.deprecated_at = timezone.now()
    evidence.save(update_fields=["deprecated", "deprecated_reason", "deprecated_at", "updated_at"])
    claim_record_change(
        claim=claim,
        kind=EventKind.EVIDENCE_DEPRECATED,
        summary=f"Evidence #{evidence.pk} deprecated: {reason}",
        actor=user,
        evidence=evidence.pk,
        reason=reason,
    )
    return evidence


__all__ = [
    "EvidenceAlreadyLinked",
    "evidence_accept_suggestion",
    "evidence_add",
    "evidence_deprecate",
    "evidence_relabel",
]

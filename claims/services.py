"""Work on claims that spans models or has side effects.

Every function takes keyword arguments only and runs in one transaction.
Evidence services live in claims/evidence_services.py, firmness in
claims/scoring.py, events and review flags in claims/events.py; this module
covers the claim itself, its verdict and the review queue.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.events import claim_event_add, claim_flag_for_review
from claims.models import (
    CLAIM_TEXT_MAX,
    NOTE_MAX,
    Claim,
    EventKind,
    Evidence,
    Tag,
    Verdict,
    VerdictChange,
)
from claims.scoring import claim_recompute_firmness

SLUG_BASE_MAX = 70
TAG_MAX = 60
EDITABLE_FIELDS = ("text", "context", "claimant", "first_seen", "expected_by", "published")


class ClaimVersionConflict(Exception):
    """The claim changed since the caller read it."""

    def __init__(self, current: int) -> None:
        super().__init__(
            f"The claim has changed since you read it (it is now at version {current})."
        )
        self.current = current


def unique_slug(text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text, allow_unicode=True)[:SLUG_BASE_MAX].rstrip("-") or "claim"
    slug, n = base, 1
    taken = Claim.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    existing = set(taken.values_list("slug", flat=True))
    while slug in existing:
        n += 1
        slug = f"{base}-{n}"
    return slug


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    tags = []
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > TAG_MAX:
            raise ValidationError({"tags": f"A tag may have at most {TAG_MAX} characters."})
        slug = slugify(name, allow_unicode=True)
        if not slug:
            raise ValidationError({"tags": f"The tag {name!r} has no letters or digits."})
        tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def claim_lock(claim: Claim, expected_version: int | None) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ClaimVersionConflict(locked.version)
    return locked


def claim_bump_version(claim: Claim, *fields: str) -> None:
    claim.version += 1
    claim.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def claim_create(
    *,
    text: str,
    user: Any = None,
    context: str = "",
    tags: Iterable[str] = (),
    claimant: str = "",
    first_seen: datetime.date | None = None,
    expected_by: datetime.date | None = None,
    published: bool = False,
) -> Claim:
    text = " ".join(text.split())
    claim = Claim(
        text=text,
        slug=unique_slug(text),
        context=context.strip(),
        claimant=claimant.strip(),
        first_seen=first_seen,
        expected_by=expected_by,
        published=published,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    claim.full_clean()
    claim.save()
    claim.tags.set(tags_from_names(tags))
    claim_event_add(
        claim=claim, kind=EventKind.CREATED, summary=f"Claim recorded: {text}", actor=user
    )
    claim_recompute_firmness(claim=claim)
    return claim


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    user: Any = None,
    expected_version: int | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Claim:
    """Change what the claim says or how it is shown; the verdict has its own service."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"claim_update cannot change {', '.join(sorted(unknown))}")
    claim = claim_lock(claim, expected_version)
    if "text" in fields:
        fields["text"] = " ".join(str(fields["text"]).split())
    changed = [name for name, value in fields.items() if getattr(claim, name) != value]
    for name in changed:
        setattr(claim, name, fields[name])
    claim.full_clean(exclude=["slug"])
    if tags is not None:
        new_tags = tags_from_names(tags)
        if {t.pk for t in new_tags} != set(claim.tags.values_list("pk", flat=True)):
            claim.tags.set(new_tags)
            changed.append("tags")
    if changed:
        claim_bump_version(claim, *[name for name in changed if name != "tags"])
        claim_event_add(
            claim=claim,
            kind=EventKind.EDITED,
            summary=f"Claim edited: {', '.join(changed)}",
            actor=user,
            fields=changed,
        )
    return claim


def _validate_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why the verdict changes: a note is required."})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"A note may have at most {NOTE_MAX} characters."})
    return note


def _evidence_for(claim: Claim, evidence: Iterable[Evidence | int]) -> list[Evidence]:
    try:
        ids = {item.pk if isinstance(item, Evidence) else int(item) for item in evidence}
    except (TypeError, ValueError):
        raise ValidationError(
            {"evidence": "Evidence is given by its id, a whole number."}
        ) from None
    found = list(Evidence.objects.filter(claim=claim, pk__in=ids))
    missing = ids - {item.pk for item in found}
    if missing:
        listed = ", ".join(str(pk) for pk in sorted(missing))
        raise ValidationError({"evidence": f"Not evidence of this claim: {listed}."})
    return found


@transaction.atomic
def claim_set_verdict(
    *,
    claim: Claim,
    verdict: str,
    note: str,
    user: Any = None,
    evidence: Iterable[Evidence | int] = (),
    expected_version: int | None = None,
) -> VerdictChange:
    """Record the editor's verdict with its reasons; the change joins the public history."""
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"Unknown verdict {verdict!r}."})
    note = _validate_note(note)
    claim = claim_lock(claim, expected_version)
    resting_on = _evidence_for(claim, evidence)
    change = VerdictChange.objects.create(
        claim=claim,
        previous=claim.verdict,
        verdict=verdict,
        note=note,
        changed_by=user if getattr(user, "is_authenticated", False) else None,
    )
    change.evidence.set(resting_on)
    claim.verdict = verdict
    claim_bump_version(claim, "verdict")
    claim_event_add(
        claim=claim,
        kind=EventKind.VERDICT_CHANGED,
        summary=f"Verdict: {Verdict(change.previous).label} → {Verdict(verdict).label}. {note}",
        actor=user,
        previous=change.previous,
        verdict=verdict,
        note=note,
        evidence=[item.pk for item in resting_on],
    )
    claim_recompute_firmness(claim=claim)
    return change


@transaction.atomic
def claim_apply_changes(
    *,
    claim: Claim,
    user: Any = None,
    expected_etags: Iterable[str] | None = None,
    status: str | None = None,
    note: str = "",
    evidence: Iterable[int] = (),
    **fields: Any,
) -> Claim:
    """An editor's edit in one step: fields, tags and a change of verdict, or none of them."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_etags is not None and locked.etag not in set(expected_etags):
        raise ClaimVersionConflict(locked.version)
    tags = fields.pop("tags", None)
    if fields or tags is not None:
        locked = claim_update(claim=locked, user=user, tags=tags, **fields)
    if status is not None and status != locked.verdict:
        claim_set_verdict(claim=locked, verdict=status, note=note, user=user, evidence=evidence)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def claim_clear_review(*, claim: Claim, user: Any = None, note: str = "") -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim.needs_review:
        return claim
    claim.needs_review, claim.review_reasons = False, []
    claim_bump_version(claim, "needs_review", "review_reasons")
    summary = "Review done" + (f": {note.strip()}" if note.strip() else ".")
    claim_event_add(claim=claim, kind=EventKind.REVIEW_CLEARED, summary=summary, actor=user)
    return claim


@transaction.atomic
def claims_flag_overdue(*, today: datetime.date | None = None) -> int:
    """Flag forward-looking claims whose date passed without confirmation; returns how many."""
    today = today or timezone.localdate()
    flagged = 0
    for claim in Claim.objects.overdue(today).select_for_update():
        message = (
            f"Expected by {claim.expected_by:%d %B %Y}, which has passed without confirmation."
        )
        if claim_flag_for_review(claim=claim, code="expected_by_passed", message=message):
            flagged += 1
    return flagged


__all__ = [
    "CLAIM_TEXT_MAX",
    "ClaimVersionConflict",
    "claim_clear_review",
    "claim_create",
    "claim_event_add",
    "claim_flag_for_review",
    "claim_set_verdict",
    "claim_update",
    "claims_flag_overdue",
]

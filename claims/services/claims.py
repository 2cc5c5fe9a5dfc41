"""The claim itself: recording it, editing it, its verdict and its place in the review queue."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.models import (
    NOTE_MAX,
    READ_FIELDS,
    Claim,
    EventKind,
    Evidence,
    Tag,
    Verdict,
    VerdictChange,
)
from claims.services.changes import ClaimVersionConflict, claim_lock, claim_record_change
from claims.services.matching import ClaimMatch, claims_like
from claims.services.scoring import claim_recompute_firmness
from claims.services.timeline import claim_event_add, claim_flag_for_review
from claims.services.track_record import track_records_queue_recompute
from claims.track_record import outcome_of
from factcheck.users import signed_in

EDITABLE_FIELDS = ("text", "context", "claimant", "first_seen", "expected_by", "published")
# A review note goes on the timeline after "Review done: ", within ClaimEvent.SUMMARY_MAX.
REVIEW_NOTE_MAX = 900


class ClaimLooksDuplicate(Exception):
    """The new claim strongly matches claims already recorded; say so, or record it anyway."""

    def __init__(self, matches: list[ClaimMatch]) -> None:
        listed = "; ".join(
            f"“{m.claim.text}” (#{m.claim.pk}, match {m.score:.2f})" for m in matches
        )
        super().__init__(f"This claim looks like one already recorded: {listed}.")
        self.matches = matches


def unique_slug(text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text, allow_unicode=True)[: Claim.SLUG_BASE_MAX].rstrip("-") or "claim"
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
        if len(name) > Tag.NAME_MAX:
            raise ValidationError({"tags": f"A tag may have at most {Tag.NAME_MAX} characters."})
        slug = slugify(name, allow_unicode=True)
        if not slug:
            raise ValidationError({"tags": f"The tag {name!r} has no letters or digits."})
        tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


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
    allow_duplicate: bool = True,
) -> Claim:
    """Record a claim. Without `allow_duplicate`, a text that strongly matches a claim
    already recorded raises ClaimLooksDuplicate (the API and the desk ask first)."""
    text = " ".join(text.split())
    if not allow_duplicate:
        matches = claims_like(text=text)
        if matches:
            raise ClaimLooksDuplicate(matches)
    claim = Claim(
        text=text,
        slug=unique_slug(text),
        context=context.strip(),
        claimant=claimant.strip(),
        first_seen=first_seen,
        expected_by=expected_by,
        published=published,
        created_by=signed_in(user),
    )
    claim.full_clean()
    claim.save()
    claim.tags.set(tags_from_names(tags))
    claim_event_add(
        claim=claim, kind=EventKind.CREATED, summary=f"Claim recorded: {text}", actor=user
    )
    if published:
        claim_event_add(
            claim=claim, kind=EventKind.PUBLISHED, summary=f"Claim published: {text}", actor=user
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
        kind, summary = _edit_in_words(claim, changed)
        claim_record_change(
            claim=claim,
            kind=kind,
            summary=summary,
            actor=user,
            saved_fields=tuple(name for name in changed if name != "tags"),
            recompute=False,  # the words and how they are shown; the evidence is as it was
            fields=changed,
        )
    return claim


def _edit_in_words(claim: Claim, changed: list[str]) -> tuple[str, str]:
    """A claim just published, one whose published words changed (a correction readers are
    told of), or any other edit."""
    if "published" in changed and claim.published:
        return EventKind.PUBLISHED, f"Claim published: {claim.text}"
    if claim.published and set(changed) & set(READ_FIELDS):
        words = ", ".join(name for name in changed if name in READ_FIELDS)
        return EventKind.CORRECTED, f"Claim corrected ({words}): it now reads “{claim.text}”"
    return EventKind.EDITED, f"Claim edited: {', '.join(changed)}"


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
        changed_by=signed_in(user),
    )
    change.evidence.set(resting_on)
    claim.verdict = verdict
    answered = _answer_review(claim, user)
    claim_record_change(
        claim=claim,
        kind=EventKind.VERDICT_CHANGED,
        summary=f"Verdict: {Verdict(change.previous).label} → {Verdict(verdict).label}. {note}",
        actor=user,
        saved_fields=("verdict", *answered),
        previous=change.previous,
        verdict=verdict,
        note=note,
        evidence=[item.pk for item in resting_on],
    )
    _queue_track_records(claim, change.previous, verdict)
    return change


def _queue_track_records(claim: Claim, previous: str, verdict: str) -> None:
    """A claim settled, unsettled or turned: its publishers' records change."""
    today, due = timezone.localdate(), claim.expected_by
    if outcome_of(previous, due, today) != outcome_of(verdict, due, today):
        track_records_queue_recompute(claim=claim)


def _answer_review(claim: Claim, user: Any) -> tuple[str, ...]:
    """A verdict change answers the review: the reasons raised before it go (a verdict that
    still disagrees with the evidence is flagged again as the firmness is recomputed)."""
    if not claim.review_reasons:
        return ()
    codes = ", ".join(sorted(claim.review_reason_codes()))
    claim.needs_review, claim.review_reasons = False, []
    claim_event_add(
        claim=claim,
        kind=EventKind.REVIEW_CLEARED,
        summary="Review answered by the verdict change.",
        actor=user,
        codes=codes,
    )
    return ("needs_review", "review_reasons")


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
    locked = claim_lock(claim, expected_etags=expected_etags)
    tags = fields.pop("tags", None)
    if fields or tags is not None:
        locked = claim_update(claim=locked, user=user, tags=tags, **fields)
    if status is not None and status != locked.verdict:
        claim_set_verdict(claim=locked, verdict=status, note=note, user=user, evidence=evidence)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def claim_clear_review(
    *,
    claim: Claim,
    user: Any = None,
    note: str = "",
    expected_etags: Iterable[str] | None = None,
) -> Claim:
    """An editor has looked at what put the claim in the review queue: it leaves it."""
    if len(note.strip()) > REVIEW_NOTE_MAX:
        raise ValidationError({"note": f"A note may have at most {REVIEW_NOTE_MAX} characters."})
    claim = claim_lock(claim, expected_etags=expected_etags)
    if not claim.needs_review:
        return claim
    claim.needs_review, claim.review_reasons = False, []
    claim_record_change(
        claim=claim,
        kind=EventKind.REVIEW_CLEARED,
        summary="Review done" + (f": {note.strip()}" if note.strip() else "."),
        actor=user,
        saved_fields=("needs_review", "review_reasons"),
        recompute=False,
    )
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
    "ClaimLooksDuplicate",
    "ClaimVersionConflict",
    "claim_apply_changes",
    "claim_clear_review",
    "claim_create",
    "claim_set_verdict",
    "claim_update",
    "claims_flag_overdue",
]

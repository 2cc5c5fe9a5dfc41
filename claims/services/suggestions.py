"""What the assessor reads in a source's text, kept on the evidence that cites it.

Every piece of evidence carries the latest suggestion; it becomes the evidence's labels
only while no editor has labelled it (LabelledBy.AUTOMATIC). When a new version of a
source reads differently from the version before, or from what an editor decided, the
claim goes to the review queue with the passage that moved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from analysis.assessment import Assessment, assess
from claims.models import Claim, EventKind, Evidence, LabelledBy
from claims.services.scoring import claim_recompute_firmness
from claims.services.timeline import (
    claim_event_add,
    claim_flag_for_review,
    claim_withdraw_review_reason,
)
from sources.models import Source, SourceSnapshot

logger = logging.getLogger(__name__)

SUGGESTION_FIELDS = (
    "suggested_stance",
    "suggested_certainty",
    "suggestion_confidence",
    "suggested_passage",
    "suggestion_cues",
    "suggestion_method",
    "suggestion_snapshot",
    "suggested_at",
)
# Long enough for the sentence that moved, short enough that a review reason (1,000
# characters as stored) keeps the whole quotation.
QUOTED_PASSAGE_MAX = 400
NAME_MAX = 200


@dataclass(frozen=True)
class Reading:
    """A stance and a certainty: an editor's labels or what the assessor read."""

    stance: str
    certainty: str

    def __str__(self) -> str:
        return f"{self.stance}, {self.certainty}"

    def as_dict(self) -> dict[str, str]:
        return {"stance": self.stance, "certainty": self.certainty}


def suggested_reading(evidence: Evidence) -> Reading | None:
    if not evidence.suggested_stance:
        return None
    return Reading(evidence.suggested_stance, evidence.suggested_certainty)


def editor_reading(evidence: Evidence) -> Reading | None:
    """The editor's labels; None while the labels are the assessor's own."""
    if evidence.labelled_by != LabelledBy.EDITOR:
        return None
    return Reading(evidence.stance, evidence.certainty)


def assessment_reason_code(evidence_id: int) -> str:
    """One review reason per piece of evidence, replaced by its next reading."""
    return f"assessment:{evidence_id}"


@dataclass(frozen=True)
class Reassessment:
    """One piece of evidence read again from a new version of its source."""

    evidence: Evidence
    snapshot: int
    now: Reading
    previous: Reading | None
    label: Reading | None

    @property
    def moved(self) -> bool:
        return self.previous is not None and self.now != self.previous

    @property
    def disagrees(self) -> bool:
        return self.label is not None and self.now != self.label

    @property
    def needs_review(self) -> bool:
        return self.moved or self.disagrees

    @property
    def worth_noting(self) -> bool:
        """On the timeline: a reading that needs review, or automatic labels read at last."""
        return self.needs_review or (self.previous is None and self.label is None)


def _store(evidence: Evidence, assessment: Assessment, snapshot_number: int) -> None:
    evidence.suggested_stance = assessment.stance
    evidence.suggested_certainty = assessment.certainty
    evidence.suggestion_confidence = round(assessment.confidence, 3)
    evidence.suggested_passage = assessment.passage
    evidence.suggestion_cues = [cue.as_dict() for cue in assessment.cues]
    evidence.suggestion_method = assessment.method[: Evidence.METHOD_MAX]
    evidence.suggestion_snapshot = snapshot_number
    evidence.suggested_at = timezone.now()
    fields = [*SUGGESTION_FIELDS, "updated_at"]
    if evidence.labelled_by == LabelledBy.AUTOMATIC:
        evidence.stance, evidence.certainty = assessment.stance, assessment.certainty
        fields += ["stance", "certainty"]
    evidence.save(update_fields=fields)


def read_text(claim: str, text: str) -> Assessment | None:
    """The assessor's reading, or None if it fails: a snapshot is never lost to a bug in it."""
    try:
        return assess(claim, text, method=settings.FACTCHECK_ASSESS_METHOD)
    except Exception:
        logger.exception("The assessor failed on claim %r", claim[:80])
        return None


@transaction.atomic
def evidence_suggest(
    *, evidence: Evidence, snapshot: SourceSnapshot | None = None
) -> Assessment | None:
    """Read the source's text (its latest version unless one is given) against the claim
    and keep the suggestion; None when the source has no text yet. The caller recomputes
    the firmness: automatic labels follow the suggestion, an editor's never do."""
    snapshot = snapshot or evidence.source.latest_snapshot()
    if snapshot is None:
        return None
    assessment = read_text(evidence.claim.text, snapshot.text)
    if assessment is not None:
        _store(evidence, assessment, snapshot.number)
    return assessment


def _reassess(evidence: Evidence, assessment: Assessment, snapshot_number: int) -> Reassessment:
    previous, label = suggested_reading(evidence), editor_reading(evidence)
    _store(evidence, assessment, snapshot_number)
    return Reassessment(
        evidence=evidence,
        snapshot=snapshot_number,
        now=Reading(assessment.stance, assessment.certainty),
        previous=previous,
        label=label,
    )


def _quoted(passage: str) -> str:
    passage = " ".join(passage.split())
    if len(passage) <= QUOTED_PASSAGE_MAX:
        return passage
    return passage[: QUOTED_PASSAGE_MAX - 1].rstrip() + "…"


def describe_reassessment(item: Reassessment) -> str:
    """The source, what it reads now against what it read or was labelled, and the passage."""
    source = item.evidence.source
    name = f"{source.publisher.name}: {source.title or source.url}"
    if len(name) > NAME_MAX:
        name = name[: NAME_MAX - 1] + "…"
    against = []
    if item.moved:
        against.append(f"was {item.previous}")
    if item.disagrees:
        against.append(f"the editor's label is {item.label}")
    said = f"{name} (version #{item.snapshot}) now reads: {item.now}"
    said += f" — {'; '.join(against)}." if against else "."
    passage = _quoted(item.evidence.suggested_passage)
    return f"{said} The passage: “{passage}”" if passage else said


def _tell_claim(claim: Claim, item: Reassessment) -> None:
    code = assessment_reason_code(item.evidence.pk)
    message = describe_reassessment(item)
    if item.needs_review:
        claim_flag_for_review(
            claim=claim, code=code, message=message, source=item.evidence.source_id
        )
    elif item.label is not None:
        # The editor's label and the text agree again: an older concern no longer holds.
        claim_withdraw_review_reason(claim=claim, code=code)
    if item.worth_noting:
        claim_event_add(
            claim=claim,
            kind=EventKind.EVIDENCE_ASSESSED,
            summary=message,
            evidence=item.evidence.pk,
            source=item.evidence.source_id,
            snapshot=item.snapshot,
            previous=item.previous.as_dict() if item.previous else None,
            suggestion={**item.now.as_dict(), "confidence": item.evidence.suggestion_confidence},
            label=item.label.as_dict() if item.label else None,
            passage=item.evidence.suggested_passage,
            cues=item.evidence.suggestion_cues,
        )


def _lock_readers(source: Source) -> tuple[list[Claim], list[Evidence]]:
    """The claims citing the source and their live evidence from it, locked in the order
    evidence_relabel locks them (claim, then evidence), so an editor's relabel made
    meanwhile is never overwritten by automatic labels."""
    live = Evidence.objects.live().filter(source=source)
    claims = list(
        Claim.objects.select_for_update().filter(pk__in=live.values("claim")).order_by("pk")
    )
    rows = list(
        live.select_for_update(of=("self",))
        .select_related("source__publisher")
        .order_by("claim_id", "id")
    )
    return claims, rows


@transaction.atomic
def source_reassess(*, source: Source, snapshot: SourceSnapshot) -> list[Reassessment]:
    """Read every live evidence of the source again from `snapshot`, flag the claims whose
    evidence now reads otherwise, and recompute each claim's firmness once."""
    claims, rows = _lock_readers(source)
    by_id = {claim.pk: claim for claim in claims}
    readings: dict[str, Assessment | None] = {}
    done = []
    for evidence in rows:
        if evidence.suggestion_snapshot == snapshot.number:
            continue  # already read from this version
        evidence.claim = by_id[evidence.claim_id]
        text = evidence.claim.text
        if text not in readings:
            readings[text] = read_text(text, snapshot.text)
        reading = readings[text]
        if reading is not None:
            done.append(_reassess(evidence, reading, snapshot.number))
    for item in done:
        _tell_claim(by_id[item.evidence.claim_id], item)
    for claim in claims:
        claim_recompute_firmness(claim=claim)
    return done


@transaction.atomic
def evidence_suggest_missing() -> int:
    """Suggest for live evidence never read whose source has text (evidence linked before
    the assessor existed); returns how many were read. Automatic labels move, so their
    claims are recomputed."""
    pending = list(
        Evidence.objects.live()
        .filter(suggested_at__isnull=True)
        .filter(Exists(SourceSnapshot.objects.filter(source=OuterRef("source"))))
        .select_related("claim", "source")
        .order_by("id")
    )
    for evidence in pending:
        evidence_suggest(evidence=evidence)
    automatic = {e.claim_id for e in pending if e.labelled_by == LabelledBy.AUTOMATIC}
    for claim in Claim.objects.filter(pk__in=automatic).order_by("pk"):
        claim_recompute_firmness(claim=claim)
    return len(pending)


__all__ = [
    "Reading",
    "Reassessment",
    "assessment_reason_code",
    "describe_reassessment",
    "evidence_suggest",
    "evidence_suggest_missing",
    "source_reassess",
]

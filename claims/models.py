from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone

from claims.permissions import sees_unpublished
from claims.search import ClaimSearchDocument
from sources.models import Source

# Editors' notes: a verdict's reasons, a claim's context, a quotation.
NOTE_MAX = 5000


class Verdict(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    CONFIRMED = "confirmed", "Confirmed"
    DISPUTED = "disputed", "Disputed"
    DENIED = "denied", "Denied"
    FALSE = "false", "False"
    SUPERSEDED = "superseded", "Superseded"


class Level(models.TextChoices):
    NO_EVIDENCE = "no_evidence", "No evidence"
    RUMOURED = "rumoured", "Rumoured"
    REPORTED = "reported", "Reported"
    CORROBORATED = "corroborated", "Corroborated"
    CONFIRMED = "confirmed", "Confirmed"
    CONTESTED = "contested", "Contested"
    REFUTED = "refuted", "Refuted"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    DISCUSSES = "discusses", "Reports without settling"
    UNRELATED = "unrelated", "Unrelated"


class Certainty(models.TextChoices):
    CERTAIN = "certain", "Certain"
    PROBABLE = "probable", "Probable"
    POSSIBLE = "possible", "Possible"
    UNKNOWN = "unknown", "Unknown"


class EvidenceKind(models.TextChoices):
    PRIMARY = "primary", "Primary (the party concerned, or an official record)"
    SECONDARY = "secondary", "Secondary (reporting)"


class LabelledBy(models.TextChoices):
    EDITOR = "editor", "Editor"
    AUTOMATIC = "automatic", "Automatic"


# Verdicts after which a passed `expected_by` no longer needs anyone's attention.
SETTLED_VERDICTS = (Verdict.CONFIRMED, Verdict.FALSE, Verdict.DENIED, Verdict.SUPERSEDED)


class Tag(models.Model):
    NAME_MAX = 60

    name = models.CharField(max_length=NAME_MAX, unique=True)
    slug = models.SlugField(max_length=NAME_MAX, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimQuerySet(models.QuerySet["Claim"]):
    def published(self) -> ClaimQuerySet:
        return self.filter(published=True)

    def visible_to(self, user: Any) -> ClaimQuerySet:
        """The claims `user` may see: every one for the desk, the published ones for others."""
        return self.all() if sees_unpublished(user) else self.published()

    def needing_review(self) -> ClaimQuerySet:
        return self.filter(needs_review=True)

    def overdue(self, today: Any = None) -> ClaimQuerySet:
        """Forward-looking claims whose date passed without confirmation."""
        today = today or timezone.localdate()
        return (
            self.filter(expected_by__lt=today)
            .exclude(verdict__in=SETTLED_VERDICTS)
            .exclude(firmness_level=Level.CONFIRMED)
        )


def claim_etag(pk: int, version: int, computed: datetime.datetime | None) -> str:
    """A claim's ETag from the three columns it is made of (see Claim.etag)."""
    stamp = int(computed.timestamp() * 1_000_000) if computed else 0
    return f'"{pk}-{version}-{stamp}"'


class Claim(models.Model):
    TEXT_MAX = 500
    SLUG_MAX = 80
    # A slug is cut at this length before a `-2`, `-3`… that makes it unique is added.
    SLUG_BASE_MAX = 70
    CLAIMANT_MAX = 200
    EXTERNAL_ID_MAX = 200

    text = models.CharField(max_length=TEXT_MAX, help_text="The statement, as one sentence.")
    slug = models.SlugField(max_length=SLUG_MAX, unique=True, allow_unicode=True)
    context = models.TextField(blank=True, max_length=NOTE_MAX)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    claimant = models.CharField(
        max_length=CLAIMANT_MAX, blank=True, help_text="Who made the claim."
    )
    first_seen = models.DateField(null=True, blank=True)
    expected_by = models.DateField(
        null=True, blank=True, help_text="For forward-looking claims: when it should have happened."
    )
    verdict = models.CharField(max_length=12, choices=Verdict.choices, default=Verdict.UNVERIFIED)
    published = models.BooleanField(default=False)
    needs_review = models.BooleanField(default=False, db_index=True)
    review_reasons = models.JSONField(default=list, blank=True)
    external_id = models.CharField(
        max_length=EXTERNAL_ID_MAX,
        null=True,
        blank=True,
        unique=True,
        help_text="The claim's id in an archive it was imported from (import_claims).",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change.")

    firmness_score = models.PositiveSmallIntegerField(default=0, db_index=True)
    firmness_level = models.CharField(
        max_length=12, choices=Level.choices, default=Level.NO_EVIDENCE
    )
    firmness_explanation = models.JSONField(default=list, blank=True)
    firmness_computed_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Written by the database from text, context and claimant (claims.search).
    search_vector = models.GeneratedField(
        expression=ClaimSearchDocument(), output_field=SearchVectorField(), db_persist=True
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        # The lists' filters, newest first (scanned backwards); firmness_computed_at for
        # the lists' stamp (a MAX through the index).
        indexes = [
            models.Index(fields=["published", "updated_at", "id"], name="claim_published_updated"),
            models.Index(fields=["verdict", "updated_at", "id"], name="claim_verdict_updated"),
            models.Index(fields=["firmness_level", "updated_at", "id"], name="claim_level_updated"),
            # Both together: a rare pairing (confirmed evidence, verdict false) would
            # otherwise walk every row of one of them.
            models.Index(
                fields=["verdict", "firmness_level", "updated_at", "id"],
                name="claim_verdict_level_updated",
            ),
            models.Index(fields=["firmness_computed_at"], name="claim_firmness_computed"),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("claim-page", kwargs={"slug": self.slug})

    def get_public_url(self) -> str:
        """The page's full address, for feeds, ClaimReview and API consumers."""
        return f"{settings.SITE_URL}{self.get_absolute_url()}"

    @property
    def etag(self) -> str:
        """Changes whenever the claim, its evidence or its firmness does."""
        return claim_etag(self.pk, self.version, self.firmness_computed_at)

    @property
    def is_overdue(self) -> bool:
        """The same rule as ClaimQuerySet.overdue(), for one claim."""
        return bool(
            self.expected_by
            and self.expected_by < timezone.localdate()
            and self.verdict not in SETTLED_VERDICTS
            and self.firmness_level != Level.CONFIRMED
        )

    def review_reason_codes(self) -> set[str]:
        return {reason.get("code", "") for reason in self.review_reasons}

    def disagreement_with_evidence(self) -> str | None:
        """Why the verdict and the firmness level cannot both be right, if they cannot."""
        level = self.firmness_level
        if self.verdict == Verdict.CONFIRMED and level in {
            Level.RUMOURED,
            Level.REFUTED,
            Level.NO_EVIDENCE,
        }:
            return f"The verdict is confirmed but the evidence is {Level(level).label.lower()}."
        if self.verdict in {Verdict.FALSE, Verdict.DENIED} and level == Level.CONFIRMED:
            verdict = Verdict(self.verdict).label.lower()
            return f"The verdict is {verdict} but the evidence confirms the claim."
        return None


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def live(self) -> EvidenceQuerySet:
        return self.filter(deprecated=False)


class Evidence(models.Model):
    REASON_MAX = 500
    METHOD_MAX = 20

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.DISCUSSES)
    certainty = models.CharField(
        max_length=10, choices=Certainty.choices, default=Certainty.UNKNOWN
    )
    kind = models.CharField(
        max_length=10, choices=EvidenceKind.choices, default=EvidenceKind.SECONDARY
    )
    quote = models.TextField(blank=True, max_length=NOTE_MAX)
    derived_from = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived_evidence",
        help_text="The source this one relies on, such as 'according to the Financial Times'.",
    )
    labelled_by = models.CharField(
        max_length=10, choices=LabelledBy.choices, default=LabelledBy.EDITOR
    )
    labelled_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the assessor read in the source's latest text; never overwrites an editor's labels.
    suggested_stance = models.CharField(max_length=10, choices=Stance.choices, blank=True)
    suggested_certainty = models.CharField(max_length=10, choices=Certainty.choices, blank=True)
    suggestion_confidence = models.FloatField(null=True, blank=True)
    suggested_passage = models.TextField(blank=True)
    suggestion_cues = models.JSONField(default=list, blank=True)
    suggestion_method = models.CharField(max_length=METHOD_MAX, blank=True)
    suggestion_snapshot = models.PositiveIntegerField(
        null=True, blank=True, help_text="The number of the snapshot the suggestion read."
    )
    suggested_at = models.DateTimeField(null=True, blank=True)
    deprecated = models.BooleanField(default=False)
    deprecated_reason = models.CharField(max_length=REASON_MAX, blank=True)
    deprecated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"],
                condition=models.Q(deprecated=False),
                name="evidence_one_live_link_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source}"

    def quote_stands_in(self, text: str) -> bool:
        """Whether the quoted words still stand in `text`, ignoring case, spacing and the
        kind of quotation marks (a page that changes its typography has not changed its words)."""
        return _folded(self.quote) in _folded(text)


def _folded(value: str) -> str:
    for curly, straight in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        value = value.replace(curly, straight)
    return " ".join(value.lower().split())


class LinkOfferStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Linked as evidence"
    DISMISSED = "dismissed", "Dismissed"


class LinkOfferQuerySet(models.QuerySet["LinkOffer"]):
    def open(self) -> LinkOfferQuerySet:
        return self.filter(status=LinkOfferStatus.OPEN)


class LinkOffer(models.Model):
    """A source fetched for one claim that strongly matches another: offered to editors."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="link_offers")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="link_offers")
    score = models.FloatField()
    passage = models.TextField(blank=True)
    method = models.CharField(max_length=20)
    status = models.CharField(
        max_length=10, choices=LinkOfferStatus.choices, default=LinkOfferStatus.OPEN
    )
    offered_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.ForeignKey(
        "Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LinkOfferQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="linkoffer_one_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.claim} ({self.score:.2f})"


class VerdictChange(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdict_changes")
    previous = models.CharField(max_length=12, choices=Verdict.choices)
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    note = models.TextField(max_length=NOTE_MAX)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="verdict_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.previous} → {self.verdict}"


class FirmnessPoint(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="firmness_history")
    at = models.DateTimeField(default=timezone.now)
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=12, choices=Level.choices)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.score} ({self.level}) at {self.at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    CREATED = "created", "Claim recorded"
    EDITED = "edited", "Claim edited"
    PUBLISHED = "published", "Claim published"
    CORRECTED = "corrected", "Claim corrected"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    EVIDENCE_RELABELLED = "evidence_relabelled", "Evidence relabelled"
    EVIDENCE_DEPRECATED = "evidence_deprecated", "Evidence deprecated"
    SOURCE_CHANGED = "source_changed", "Source changed"
    SOURCE_MOVED = "source_moved", "Source moved"
    SOURCE_DEAD = "source_dead", "Source dead"
    SOURCE_ALIVE = "source_alive", "Source back"
    SOURCE_FAILING = "source_failing", "Source failing"
    EVIDENCE_ASSESSED = "evidence_assessed", "Evidence read again"
    LINK_OFFERED = "link_offered", "Source offered as evidence"
    VERDICT_CHANGED = "verdict_changed", "Verdict changed"
    FIRMNESS_CHANGED = "firmness_changed", "Firmness changed"
    REVIEW_FLAGGED = "review_flagged", "Flagged for review"
    REVIEW_CLEARED = "review_cleared", "Review cleared"


# The words a reader sees a published claim by: changing them is a correction.
READ_FIELDS = ("text", "context", "claimant")


class ClaimEventQuerySet(models.QuerySet["ClaimEvent"]):
    def public(self) -> ClaimEventQuerySet:
        """What readers see: the review queue is the desk's business."""
        return self.filter(claim__published=True).exclude(
            kind__in=[EventKind.REVIEW_FLAGGED, EventKind.REVIEW_CLEARED, EventKind.LINK_OFFERED]
        )

    def newsworthy(self) -> ClaimEventQuerySet:
        """What readers follow: verdicts, a change of firmness level (not of score alone),
        claims published and corrected. The public feed carries these and nothing else."""
        level_moved = Q(kind=EventKind.FIRMNESS_CHANGED) & ~Q(level_was=F("level_now"))
        kinds = [EventKind.VERDICT_CHANGED, EventKind.PUBLISHED, EventKind.CORRECTED]
        levels = self.annotate(level_was=KT("data__previous_level"), level_now=KT("data__level"))
        return levels.filter(Q(kind__in=kinds) | level_moved)

    def visible_to(self, user: Any) -> ClaimEventQuerySet:
        return self.all() if sees_unpublished(user) else self.public()


class ClaimEvent(models.Model):
    """Append-only: rows are added, never changed or removed."""

    SUMMARY_MAX = 1000

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=SUMMARY_MAX)
    data = models.JSONField(default=dict, blank=True)

    objects = ClaimEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["claim", "-at"], name="claimevent_claim_at")]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Claim events are append-only.")
        super().save(*args, **kwargs)


# Models of their own module, registered with the app here.
from claims.tallies import ClaimListRevision as ClaimListRevision  # noqa: E402
from claims.tallies import TagCount as TagCount  # noqa: E402

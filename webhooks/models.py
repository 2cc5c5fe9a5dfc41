"""Subscriptions, the events they are sent (a transactional outbox), and the delivery log."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim, Tag


class EventType(models.TextChoices):
    CLAIM_CREATED = "claim.created", "A claim was recorded"
    CLAIM_PUBLISHED = "claim.published", "A claim was published"
    CLAIM_VERDICT_CHANGED = "claim.verdict_changed", "A claim's verdict changed"
    CLAIM_LEVEL_CHANGED = "claim.level_changed", "A claim's firmness level changed"
    CLAIM_NEEDS_REVIEW = "claim.needs_review", "A claim was flagged for review"
    EVIDENCE_ADDED = "evidence.added", "Evidence was linked to a claim"
    EVIDENCE_RELABELLED = "evidence.relabelled", "Evidence's labels changed"
    SOURCE_CHANGED = "source.changed", "A source has a new version, or moved"
    SOURCE_DEAD = "source.dead", "A source is dead"
    SOURCE_BACK = "source.back", "A dead or failing source answers again"
    PING = "ping", "A test event (POST …/ping/)"


# What a subscription may ask for; `ping` is sent on request, to any subscription.
SUBSCRIBABLE = tuple(value for value in EventType.values if value != EventType.PING)


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def active(self) -> SubscriptionQuerySet:
        return self.filter(active=True)


class Subscription(models.Model):
    URL_MAX = 2000
    REASON_MAX = 1000

    url = models.URLField(max_length=URL_MAX, help_text="Where events are POSTed.")
    events = models.JSONField(default=list, help_text="The event types sent here.")
    claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only events of this claim (and of the sources it cites).",
    )
    tag = models.ForeignKey(
        Tag,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only events of claims with this tag (and of the sources they cite).",
    )
    # The signing secret, encrypted (webhooks/encryption.py): a database dump does not show it.
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=REASON_MAX, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # One worker at a time sends a subscription's deliveries, in order: it holds this lease.
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim__isnull=True) | Q(tag__isnull=True),
                name="subscription_claim_or_tag",
            )
        ]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return event_type in self.events

    def matches(self, claim_ids: set[int], tag_ids: set[int]) -> bool:
        """Whether an event touching these claims (with these tags) passes the filter."""
        if self.claim_id is not None:
            return self.claim_id in claim_ids
        if self.tag_id is not None:
            return self.tag_id in tag_ids
        return True


class WebhookEvent(models.Model):
    """One thing that happened, rendered once (`body`, the exact bytes every delivery of it
    sends, so a retry or a redelivery is byte for byte the same)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=32, choices=EventType.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    body = models.TextField(help_text='{"id", "event", "created_at", "data"} as JSON.')

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.type} {self.uuid}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def pending(self) -> DeliveryQuerySet:
        return self.filter(state=DeliveryState.PENDING)

    def due(self, now: datetime.datetime | None = None) -> DeliveryQuerySet:
        return self.pending().filter(next_attempt_at__lte=now or timezone.now())


class Delivery(models.Model):
    """One event sent to one subscription, with all its attempts. Its uuid is the
    X-Factcheck-Delivery header: the same on every retry."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=Subscription.REASON_MAX, blank=True)
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The head of each subscription's queue, and the beat's look for due ones.
            models.Index(
                fields=["subscription", "id"],
                condition=Q(state="pending"),
                name="delivery_pending_queue",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="delivery_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.type} → {self.subscription.url} ({self.state})"

    def retry_window_closes(self) -> datetime.datetime | None:
        """After this moment a failed attempt is the last one."""
        if self.first_attempt_at is None:
            return None
        return self.first_attempt_at + datetime.timedelta(
            seconds=settings.FACTCHECK_WEBHOOK_RETRY_FOR
        )


class DeliveryAttempt(models.Model):
    EXCERPT_MAX = 1024  # characters of the response kept in the log
    ERROR_MAX = 500

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=ERROR_MAX, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="attempt_once_per_number")
        ]

    def __str__(self) -> str:
        return f"#{self.number}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

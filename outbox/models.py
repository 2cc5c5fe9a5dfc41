"""A task the service has promised to run: a row until the broker has taken it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def pending(self) -> OutboxMessageQuerySet:
        return self.filter(sent_at__isnull=True)

    def due(self, now: object = None) -> OutboxMessageQuerySet:
        """Pending, and not held by a publisher (a claim that runs out frees the message)."""
        return self.pending().filter(claimed_until__lte=now or timezone.now())


class OutboxMessage(models.Model):
    ERROR_MAX = 500

    task = models.CharField(max_length=200, help_text="The Celery task's name.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A publisher holds the message until then; after a failed publish, the next try waits.
    claimed_until = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=ERROR_MAX, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["claimed_until", "id"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_pending",
            )
        ]

    def __str__(self) -> str:
        state = f"sent {self.sent_at:%Y-%m-%d %H:%M:%S}" if self.sent_at else "pending"
        return f"{self.task} #{self.pk} ({state})"

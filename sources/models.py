from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from sources.addresses import MAX_URL_LENGTH


def default_reliability() -> float:
    return float(settings.FACTCHECK_DEFAULT_RELIABILITY)


class PublisherKind(models.TextChoices):
    NEWS = "news", "News outlet"
    WIRE = "wire", "Wire service"
    ORGANISATION = "organisation", "Company or organisation"
    GOVERNMENT = "government", "Government"
    SOCIAL = "social", "Blog or social"
    OTHER = "other", "Other"


class Publisher(models.Model):
    NAME_MAX = 200
    NOTES_MAX = 5000

    name = models.CharField(max_length=NAME_MAX)
    kind = models.CharField(
        max_length=20, choices=PublisherKind.choices, default=PublisherKind.NEWS
    )
    reliability = models.FloatField(
        default=default_reliability,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="0 to 1, set by editors: how far this publisher's own word is trusted.",
    )
    notes = models.TextField(blank=True, max_length=NOTES_MAX)
    # Written by claims' track-record service (docs/firmness.md): how its word on settled
    # claims turned out, and the reliability learned from the prior and that record.
    track_record = models.JSONField(default=dict, blank=True)
    learned_reliability = models.FloatField(null=True, blank=True)
    track_record_computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reliability__gte=0.0) & models.Q(reliability__lte=1.0),
                name="publisher_reliability_between_0_and_1",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PublisherDomain(models.Model):
    DOMAIN_MAX = 253  # the longest name the DNS allows

    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=DOMAIN_MAX, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class Health(models.TextChoices):
    UNCHECKED = "unchecked", "Unchecked"
    OK = "ok", "OK"
    CHANGED = "changed", "Changed"
    MOVED = "moved", "Moved"
    BLOCKED = "blocked", "Blocked"
    DEAD = "dead", "Dead"
    ERROR = "error", "Error"


class SourceQuerySet(models.QuerySet["Source"]):
    def due(self, now=None) -> SourceQuerySet:
        now = now or timezone.now()
        return self.filter(paused=False, next_check_at__lte=now)

    def dead(self) -> SourceQuerySet:
        return self.filter(health=Health.DEAD)


class Source(models.Model):
    URL_MAX = MAX_URL_LENGTH
    TITLE_MAX = 500
    AUTHOR_MAX = 300
    LANGUAGE_MAX = 16
    ETAG_MAX = 300
    LAST_MODIFIED_MAX = 100
    ERROR_MAX = 500

    url = models.URLField(max_length=URL_MAX, unique=True)
    publisher = models.ForeignKey(Publisher, on_delete=models.PROTECT, related_name="sources")
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    author = models.CharField(max_length=AUTHOR_MAX, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the publisher says it last updated the text."
    )
    language = models.CharField(max_length=LANGUAGE_MAX, blank=True)

    # Fetch state, kept by the recheck workers.
    health = models.CharField(max_length=12, choices=Health.choices, default=Health.UNCHECKED)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    etag = models.CharField(max_length=ETAG_MAX, blank=True)
    last_modified = models.CharField(max_length=LAST_MODIFIED_MAX, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    last_ok_at = models.DateTimeField(
        null=True, blank=True, help_text="The last check that read the page (or got a 304)."
    )
    consecutive_failures = models.PositiveIntegerField(
        default=0,
        help_text="Failures of the dead kind (404, 410, DNS, refused) since the last success.",
    )
    first_failure_at = models.DateTimeField(null=True, blank=True)
    consecutive_errors = models.PositiveIntegerField(
        default=0,
        help_text="Checks in a row that could not read the page, for any reason (5xx, "
        "timeouts, blocked, 404…); claims are told when it reaches alert_after_errors.",
    )
    alert_after_errors = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Tell the claims after this many errors in a row; empty: the desk's default.",
    )
    last_error = models.CharField(max_length=ERROR_MAX, blank=True)
    moved_to = models.URLField(max_length=URL_MAX, blank=True)
    archive_url = models.URLField(max_length=URL_MAX, blank=True)
    check_interval = models.PositiveIntegerField(
        default=3600,
        help_text="Seconds until the next check; adapts to how often the page changes.",
    )
    pinned_interval = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds; when set, overrides the adaptive interval."
    )
    paused = models.BooleanField(default=False, help_text="Paused sources are never rechecked.")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def domain(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.url).hostname or ""

    @property
    def is_dead(self) -> bool:
        return self.health == Health.DEAD

    def latest_snapshot(self) -> SourceSnapshot | None:
        return self.snapshots.order_by("-number").first()


_WHITESPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


class SnapshotMethod(models.TextChoices):
    FETCHED = "fetched", "Fetched"
    MANUAL = "manual", "Supplied by hand"


class SourceSnapshot(models.Model):
    NOTE_MAX = 500

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveIntegerField(help_text="1 for the first version, then 2, 3, …")
    taken_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10, choices=SnapshotMethod.choices)
    content_hash = models.CharField(max_length=64)
    title = models.CharField(max_length=Source.TITLE_MAX, blank=True)
    text = models.TextField()
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=NOTE_MAX, blank=True)

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="snapshot_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.number}"

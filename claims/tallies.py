"""Rows the database keeps for the claim lists, so that no page counts or scans claims.

On PostgreSQL, triggers (migration 0007) write them; nothing in Python does. SQLite has no
such triggers, and its lists read the claims instead (claims.selectors)."""

from __future__ import annotations

from django.db import models


class ClaimListRevision(models.Model):
    """One row, moved by every removal of a claim and every renamed or removed tag: what
    MAX(updated_at) cannot see. Edits move updated_at, which an index answers."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    revision = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"claim lists at revision {self.revision}"


class TagCount(models.Model):
    """How many claims carry the tag, and how many of them are published."""

    tag = models.OneToOneField(
        "claims.Tag", on_delete=models.CASCADE, primary_key=True, related_name="count"
    )
    claims = models.PositiveIntegerField(default=0)
    published_claims = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.tag}: {self.published_claims} published of {self.claims}"

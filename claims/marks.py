"""What a conditional request needs to be answered 304: a claim's or a tag page's validators,
read in one round trip before anything else. On PostgreSQL the query is written out, since
building it with the ORM (subqueries, annotations) cost more than running it; SQLite asks
the ORM the same question."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db import connection
from django.db.models import Max, OuterRef, QuerySet, Subquery

from claims.models import (
    Claim,
    ClaimEvent,
    ClaimListRevision,
    EventKind,
    Tag,
    TagCount,
    claim_etag,
)
from claims.selectors import tags_in_use

# Events the public history does not show, so they never change a reader's page.
REVIEW_KINDS = (EventKind.REVIEW_FLAGGED, EventKind.REVIEW_CLEARED)


class ClaimMarks(NamedTuple):
    """The columns a claim's validators are made of, and its latest event readers see."""

    pk: int
    version: int
    computed: datetime.datetime | None
    updated: datetime.datetime
    published: bool
    last_event_id: int | None
    last_event_at: datetime.datetime | None

    @property
    def etag(self) -> str:
        return claim_etag(self.pk, self.version, self.computed)


def with_last_public_event(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims with the id and moment of their latest event the public history shows."""
    last = ClaimEvent.objects.filter(claim=OuterRef("pk")).exclude(kind__in=REVIEW_KINDS)
    last = last.order_by("-at", "-id")
    return claims.annotate(
        last_event_id=Subquery(last.values("id")[:1]),
        last_event_at=Subquery(last.values("at")[:1]),
    )


CLAIM_MARKS_SQL = f"""
SELECT c.id, c.version, c.firmness_computed_at, c.updated_at, c.published, e.id, e.at
FROM {Claim._meta.db_table} c
LEFT JOIN LATERAL (
    SELECT id, at FROM {ClaimEvent._meta.db_table}
    WHERE claim_id = c.id AND NOT (kind = ANY(%(hidden)s))
    ORDER BY at DESC, id DESC LIMIT 1
) e ON TRUE
WHERE c.{{column}} = %(key)s AND (c.published OR %(everyone)s)
"""


CLAIM_ETAG_SQL = f"""
SELECT c.id, c.version, c.firmness_computed_at, c.updated_at, c.published, NULL, NULL
FROM {Claim._meta.db_table} c WHERE c.id = %(key)s AND (c.published OR %(everyone)s)
"""


def claim_marks(
    *,
    published_only: bool,
    slug: str | None = None,
    pk: int | None = None,
    events: bool = True,
) -> ClaimMarks | None:
    """The marks of the claim with this slug (or id), None where there is none the asker
    may see. Without `events` (the API's ETag does not follow the history), no event is
    read."""
    column, key = ("slug", slug) if slug is not None else ("id", pk)
    if connection.vendor == "postgresql":
        sql = CLAIM_MARKS_SQL.format(column=column) if events or slug else CLAIM_ETAG_SQL
        with connection.cursor() as cursor:
            params = {"hidden": list(REVIEW_KINDS), "key": key, "everyone": not published_only}
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return ClaimMarks(*row) if row else None
    claims = Claim.objects.published() if published_only else Claim.objects.all()
    fields = ("pk", "version", "firmness_computed_at", "updated_at", "published")
    found = with_last_public_event(claims.filter(**{column: key}))
    row = found.values_list(*fields, "last_event_id", "last_event_at").first()
    return ClaimMarks(*row) if row else None


# Values that move whenever any list of claims may show something new.
CHANGE_MARKS_COLUMNS = (
    f"(SELECT MAX(updated_at) FROM {Claim._meta.db_table}), "
    f"(SELECT MAX(firmness_computed_at) FROM {Claim._meta.db_table}), "
    f"(SELECT revision FROM {ClaimListRevision._meta.db_table} ORDER BY id LIMIT 1)"
)
ChangeMarks = tuple[datetime.datetime | None, datetime.datetime | None, int | None]


def claims_change_marks() -> ChangeMarks:
    """The latest edit, the latest firmness, and (PostgreSQL) the revision that removals and
    tag renames move. Two index lookups and a one-row read, however many claims; SQLite
    counts instead."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {CHANGE_MARKS_COLUMNS}")
            changed, computed, removed = cursor.fetchone()
        return changed, computed, removed
    marks = Claim.objects.order_by().aggregate(
        changed=Max("updated_at"), computed=Max("firmness_computed_at")
    )
    return marks["changed"], marks["computed"], Claim.objects.count()


TAG_PAGE_MARKS_SQL = f"""
SELECT t.id, t.name, t.slug, {CHANGE_MARKS_COLUMNS}
FROM {Tag._meta.db_table} t JOIN {TagCount._meta.db_table} n ON n.tag_id = t.id
WHERE t.slug = %(slug)s
AND (CASE WHEN %(everyone)s THEN n.claims ELSE n.published_claims END) > 0
"""


def tag_page_marks(*, slug: str, published_only: bool) -> tuple[Tag, ChangeMarks] | None:
    """The tag, if a claim the asker may see carries it, and the lists' change marks: a tag
    page's 304 in one round trip."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(TAG_PAGE_MARKS_SQL, {"slug": slug, "everyone": not published_only})
            row = cursor.fetchone()
        return (Tag(id=row[0], name=row[1], slug=row[2]), row[3:]) if row else None
    tag = tags_in_use(published_only=published_only).filter(slug=slug).first()
    return (tag, claims_change_marks()) if tag else None

"""Every read of claims that more than one face needs: the API, the public pages, the admin
and the services ask here, so that a rule (who sees what, how a search matches) lives once.

Who may see which claims is `Claim.objects.visible_to(user)`; what the public may see of
sources is `sources_cited_by_published_claims`, registered with `sources` at start-up.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from claims.models import Claim, Evidence, VerdictChange
from sources.models import Source

# The longest search a reader or API caller may type, in characters.
SEARCH_MAX = 200


def claims_search(claims: QuerySet[Claim], words: str) -> QuerySet[Claim]:
    """Full-text search on text and context: PostgreSQL's when there, words otherwise."""
    words = words.strip()
    if not words:
        return claims
    if connection.vendor == "postgresql":
        vector = SearchVector("text", weight="A", config="english") + SearchVector(
            "context", weight="B", config="english"
        )
        return claims.annotate(search=vector).filter(
            search=SearchQuery(words, search_type="websearch", config="english")
        )
    condition = Q()
    for word in words.split():
        condition &= Q(text__icontains=word) | Q(context__icontains=word)
    return claims.filter(condition)


def claims_filter(
    claims: QuerySet[Claim],
    *,
    verdicts: Collection[str] = (),
    levels: Collection[str] = (),
    tag: str = "",
    q: str = "",
    needs_review: bool | None = None,
    publisher: int | None = None,
    updated_since: datetime.datetime | None = None,
    min_score: float | None = None,
    max_score: float | None = None,
) -> QuerySet[Claim]:
    """The claim list's filters, for the API and the public list alike; empty ones do nothing."""
    conditions = Q()
    if verdicts:
        conditions &= Q(verdict__in=verdicts)
    if levels:
        conditions &= Q(firmness_level__in=levels)
    if tag.strip():
        conditions &= Q(tags__slug=tag.strip().lower())
    if needs_review is not None:
        conditions &= Q(needs_review=needs_review)
    if updated_since is not None:
        conditions &= Q(updated_at__gte=updated_since)
    if min_score is not None:
        conditions &= Q(firmness_score__gte=min_score)
    if max_score is not None:
        conditions &= Q(firmness_score__lte=max_score)
    claims = claims.filter(conditions)
    if publisher is not None:
        cited = Evidence.objects.live().filter(claim=OuterRef("pk"), source__publisher_id=publisher)
        claims = claims.filter(Exists(cited))
    return claims_search(claims, q)


def claim_detail_queryset(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims with what a full view of one shows: tags, evidence and verdict history."""
    evidence = Evidence.objects.select_related("source__publisher").order_by("created_at", "id")
    history = VerdictChange.objects.select_related("changed_by").prefetch_related("evidence")
    return claims.prefetch_related(
        "tags",
        Prefetch("evidence", queryset=evidence),
        Prefetch("verdict_changes", queryset=history),
    )


def sources_cited_by_published_claims(sources: QuerySet[Source]) -> QuerySet[Source]:
    """The public sees a source once a published claim cites it."""
    cited = Evidence.objects.filter(claim__published=True).filter(
        Q(source=OuterRef("pk")) | Q(derived_from=OuterRef("pk"))
    )
    return sources.filter(Exists(cited))

"""Every read of claims that more than one face needs: the API, the public pages, the admin
and the services ask here, so that a rule (who sees what, how a search matches) lives once.

Who may see which claims is `Claim.objects.visible_to(user)`; what the public may see of
sources is `sources_cited_by_published_claims`, registered with `sources` at start-up.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects

from claims import search
from claims.models import Claim, Evidence, Tag, VerdictChange
from sources.models import Source

# The longest search a reader or API caller may type, in characters.
SEARCH_MAX = 200


def claims_search(claims: QuerySet[Claim], words: str) -> QuerySet[Claim]:
    """Claims matching the words: full-text (websearch syntax, the last word also as a
    prefix) through the stored document's index; when nothing matches, words spelt alike
    (trigrams). SQLite: every word somewhere in the text, context or claimant."""
    words = words.strip()
    if not words:
        return claims
    if connection.vendor != "postgresql":
        return search.words_contained(claims, words)
    condition = search.full_text_condition(words)
    few = search.few_matches(claims, condition)
    if few is None:  # a common word: the lists' index order finds a page at once
        return claims.filter(condition)
    if few:  # a rare one: the lists read these rows by id
        return claims.filter(pk__in=few)
    return search.near_spellings(claims, words)


def claims_by_relevance(claims: QuerySet[Claim], words: str) -> QuerySet[Claim]:
    """Searched claims in the order a reader wants them: most relevant first among the
    newest matches, newest first where there is no ranking (SQLite) or no query."""
    words = words.strip()
    if not words or connection.vendor != "postgresql":
        return claims.order_by("-updated_at", "-id")
    return search.ranked(claims, words)


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


def tags_in_use(*, published_only: bool) -> QuerySet[Tag]:
    """Tags that at least one claim carries (one published claim, for readers), from the
    counts the database keeps on PostgreSQL."""
    if connection.vendor == "postgresql":
        counted = "count__published_claims__gt" if published_only else "count__claims__gt"
        return Tag.objects.filter(**{counted: 0})
    claims = Claim.objects.published() if published_only else Claim.objects.all()
    return Tag.objects.filter(claims__in=claims.order_by().values("pk")).distinct()


def claim_detail_lookups() -> tuple[str | Prefetch, ...]:
    """What a full view of a claim shows besides the claim: tags, evidence, verdict history."""
    evidence = Evidence.objects.select_related("source__publisher").order_by("created_at", "id")
    history = VerdictChange.objects.select_related("changed_by").prefetch_related("evidence")
    return (
        "tags",
        Prefetch("evidence", queryset=evidence),
        Prefetch("verdict_changes", queryset=history),
    )


def claim_detail_queryset(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.prefetch_related(*claim_detail_lookups())


def claim_detail_prefetch(claim: Claim) -> Claim:
    """A claim already read, given what claim_detail_queryset would have: for a view that
    first decides on the claim's ETag alone (a 304 reads nothing more)."""
    prefetch_related_objects([claim], *claim_detail_lookups())
    return claim


def sources_cited_by_published_claims(sources: QuerySet[Source]) -> QuerySet[Source]:
    """The public sees a source once a published claim cites it."""
    cited = Evidence.objects.filter(claim__published=True).filter(
        Q(source=OuterRef("pk")) | Q(derived_from=OuterRef("pk"))
    )
    return sources.filter(Exists(cited))

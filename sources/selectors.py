"""Reads of sources that depend on who asks: which sources and publishers the public may see.

Which sources the public may see. `sources` does not know about claims, so the app that
publishes things (claims) registers the rule; until it does, the public sees none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from factcheck.users import has_perm
from sources.addresses import parent_domains
from sources.models import Publisher, PublisherDomain, Source

PublicFilter = Callable[[QuerySet[Source]], QuerySet[Source]]
_rules: list[PublicFilter] = []


def register_public_sources(rule: PublicFilter) -> None:
    _rules[:] = [rule]


def public_sources(queryset: QuerySet[Source]) -> QuerySet[Source]:
    if not _rules:
        return queryset.none()
    return _rules[0](queryset)


def sources_visible_to(user: Any, queryset: QuerySet[Source]) -> QuerySet[Source]:
    if has_perm(user, "sources.view_source"):
        return queryset
    return public_sources(queryset)


def publishers_visible_to(user: Any, queryset: QuerySet[Publisher]) -> QuerySet[Publisher]:
    if has_perm(user, "sources.view_publisher"):
        return queryset
    return queryset.filter(pk__in=public_sources(Source.objects.all()).values("publisher"))


def publisher_by_domain(domain: str) -> Publisher | None:
    """The publisher that owns `domain` or a parent of it (uk.news.example.com is
    example.com's when only that is known); None when none does. Creates nothing."""
    candidates = parent_domains(domain.strip().lower().removeprefix("www.").rstrip("."))
    rows = PublisherDomain.objects.select_related("publisher").filter(domain__in=candidates)
    known = {row.domain: row.publisher for row in rows}
    return next((known[c] for c in candidates if c in known), None)

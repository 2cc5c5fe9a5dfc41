"""The claim list behind /claims/ and /tags/<tag>/: its filters, rows and stamp."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count, Max, QuerySet

from claims.models import Claim, Level, Tag, Verdict
from claims.selectors import SEARCH_MAX, claims_filter
from public.caching import Stamp, latest

PAGE_SIZE = 20


class ClaimFilters(forms.Form):
    """The list's GET parameters. A value that is not one of the choices is an error that
    the reader is told about (400), never silently dropped."""

    q = forms.CharField(required=False, max_length=SEARCH_MAX, label="Search claims")
    verdict = forms.ChoiceField(
        required=False, choices=[("", "Any verdict"), *Verdict.choices], label="Verdict"
    )
    level = forms.ChoiceField(
        required=False, choices=[("", "Any firmness"), *Level.choices], label="Firmness"
    )
    tag = forms.SlugField(required=False, allow_unicode=True, max_length=Tag.NAME_MAX, label="Tag")

    def active(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("q", "verdict", "level", "tag"))

    def described(self) -> list[str]:
        """The filters in force, in words, for the results heading."""
        data = self.cleaned_data
        words = []
        if data.get("q"):
            words.append(f"matching “{data['q']}”")
        if data.get("verdict"):
            words.append(f"verdict {Verdict(data['verdict']).label}")
        if data.get("level"):
            words.append(f"firmness {Level(data['level']).label}")
        if data.get("tag"):
            words.append(f"tagged {data['tag']}")
        return words


def filtered_claims(claims: QuerySet[Claim], filters: dict[str, Any]) -> QuerySet[Claim]:
    """The reader's choices, one value each, through the same filters as the API's list."""
    return claims_filter(
        claims,
        verdicts=[filters["verdict"]] if filters.get("verdict") else [],
        levels=[filters["level"]] if filters.get("level") else [],
        tag=filters.get("tag") or "",
        q=filters.get("q") or "",
    )


def list_rows(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.order_by("-updated_at", "-id").prefetch_related("tags")


def list_stamp(claims: QuerySet[Claim], query: str, editor: bool) -> Stamp:
    """One aggregate: a claim that changes moves its updated_at, a recomputed firmness its
    firmness_computed_at, and one that leaves or joins the list moves the count."""
    row = claims.order_by().aggregate(
        count=Count("pk", distinct=True),
        changed=Max("updated_at"),
        computed=Max("firmness_computed_at"),
    )
    parts = (query, editor, row["count"], row["changed"], row["computed"])
    return Stamp(parts=parts, modified=latest(row["changed"], row["computed"]))


def tag_choices(claims: QuerySet[Claim]) -> QuerySet[Tag]:
    """Tags that the reader's claims carry, for the filter."""
    return Tag.objects.filter(claims__in=claims.order_by().values("pk")).distinct()

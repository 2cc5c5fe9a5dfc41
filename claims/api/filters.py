"""Filters for the claim list; a value that cannot be understood is a 400, never ignored."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from claims.models import Claim, Evidence, Level, Verdict
from factcheck.api import MAX_ID, as_utc

Q_MAX = 200


def search_claims(queryset: QuerySet[Claim], words: str) -> QuerySet[Claim]:
    """Full-text search on text and context: PostgreSQL's when there, words otherwise."""
    words = words.strip()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        vector = SearchVector("text", weight="A", config="english") + SearchVector(
            "context", weight="B", config="english"
        )
        return queryset.annotate(search=vector).filter(
            search=SearchQuery(words, search_type="websearch", config="english")
        )
    condition = Q()
    for word in words.split():
        condition &= Q(text__icontains=word) | Q(context__icontains=word)
    return queryset.filter(condition)


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than no filter at all."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Give true or false."}

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        words = {"true": True, "1": True, "false": False, "0": False}
        try:
            return words[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, handed on in UTC: PostgreSQL refuses offsets beyond ±15:59, and
    one near year 1 or 9999 can fall outside the calendar once in UTC."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return as_utc(moment)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UTCDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class ClaimFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(field_name="verdict", choices=Verdict.choices)
    level = filters.MultipleChoiceFilter(field_name="firmness_level", choices=Level.choices)
    tag = filters.CharFilter(method="filter_tag", max_length=60)
    needs_review = StrictBooleanFilter()
    publisher = filters.NumberFilter(method="filter_publisher", min_value=1, max_value=MAX_ID)
    updated_since = UTCDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    min_score = filters.NumberFilter(
        field_name="firmness_score", lookup_expr="gte", min_value=0, max_value=100
    )
    max_score = filters.NumberFilter(
        field_name="firmness_score", lookup_expr="lte", min_value=0, max_value=100
    )
    q = filters.CharFilter(method="filter_q", max_length=Q_MAX, help_text="Full-text search")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_tag(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return queryset.filter(tags__slug=value.strip().lower())

    def filter_publisher(self, queryset: QuerySet[Claim], name: str, value: int) -> QuerySet[Claim]:
        cited = Evidence.objects.live().filter(claim=OuterRef("pk"), source__publisher_id=value)
        return queryset.filter(Exists(cited))

    def filter_q(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return search_claims(queryset, value)

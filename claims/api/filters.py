"""Filters for the claim list; a value that cannot be understood is a 400, never ignored."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from claims.models import Claim, Level, Tag, Verdict
from claims.selectors import SEARCH_MAX, claims_filter
from factcheck.api.fields import MAX_ID, as_utc


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
    """The declarations validate the query and document it; the filtering itself is
    claims.selectors.claims_filter, which the public list uses too."""

    # distinct=False: no join to deduplicate (django-filter's default adds SELECT DISTINCT).
    status = filters.MultipleChoiceFilter(
        field_name="verdict", choices=Verdict.choices, distinct=False
    )
    level = filters.MultipleChoiceFilter(
        field_name="firmness_level", choices=Level.choices, distinct=False
    )
    tag = filters.CharFilter(field_name="tags__slug", max_length=Tag.NAME_MAX)
    needs_review = StrictBooleanFilter()
    publisher = filters.NumberFilter(
        field_name="evidence__source__publisher", min_value=1, max_value=MAX_ID
    )
    updated_since = UTCDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    min_score = filters.NumberFilter(
        field_name="firmness_score", lookup_expr="gte", min_value=0, max_value=100
    )
    max_score = filters.NumberFilter(
        field_name="firmness_score", lookup_expr="lte", min_value=0, max_value=100
    )
    q = filters.CharFilter(
        field_name="text",
        max_length=SEARCH_MAX,
        help_text=(
            'Full-text search: websearch syntax ("a phrase", or, -word), the last word also as'
            " a prefix, misspellings by trigram. Without `ordering`, the newest 200 matches,"
            " most relevant first; with it, every match in that order."
        ),
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        data = self.form.cleaned_data
        return claims_filter(
            queryset,
            verdicts=data.get("status") or (),
            levels=data.get("level") or (),
            tag=data.get("tag") or "",
            q=data.get("q") or "",
            needs_review=data.get("needs_review"),
            publisher=_whole(data.get("publisher")),
            updated_since=data.get("updated_since"),
            min_score=data.get("min_score"),
            max_score=data.get("max_score"),
        )


def _whole(value: Any) -> int | None:
    return None if value is None else int(value)

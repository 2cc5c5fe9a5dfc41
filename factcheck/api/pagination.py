"""Cursor pagination for every list: stable under inserts, and strict about what it is given."""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from factcheck.api.fields import as_utc

MAX_PAGE_SIZE = 100


class StrictCursorPagination(CursorPagination):
    """Cursor pagination that answers a damaged cursor with 400, not 404."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering: str | tuple[str, ...] = "-id"

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        """The ordering asked for, then the primary key: rows that tie on the first field must
        come in the same order on every page, or PostgreSQL may repeat or skip some."""
        ordering = tuple(super().get_ordering(request, queryset, view))
        if not {name.lstrip("-") for name in ordering} & {"pk", "id"}:
            ordering = (*ordering, "-pk" if ordering[0].startswith("-") else "pk")
        return ordering

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Any:
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            raise self.invalid_cursor() from None
        if cursor is not None and cursor.position is not None:
            cursor = cursor._replace(position=self.checked_position(cursor.position))
        return cursor

    def checked_position(self, position: Any) -> Any:
        """The position is compared with the ordering field, so it must be a value of that
        field that the database takes; datetimes go in UTC."""
        try:
            field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
        except AttributeError:
            return position
        except FieldDoesNotExist:
            return self.checked_score(position)
        try:
            value = field.to_python(position)
            field.get_prep_value(value)
            if isinstance(value, datetime.datetime):
                return as_utc(value).isoformat()
        except (TypeError, ValueError, OverflowError, DjangoValidationError):
            raise self.invalid_cursor() from None
        if isinstance(value, str) and "\x00" in value:
            raise self.invalid_cursor()
        return position

    def checked_score(self, position: Any) -> Any:
        """A list ordered by a computed score (a search's relevance) carries a number."""
        try:
            if math.isfinite(float(position)):
                return position
        except (TypeError, ValueError):
            pass
        raise self.invalid_cursor()

    def invalid_cursor(self) -> exceptions.ValidationError:
        return exceptions.ValidationError({"cursor": ["This cursor is not valid."]})

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return size

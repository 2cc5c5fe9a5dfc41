"""What every endpoint under /api/v1/ shares: permissions, pagination, errors."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from factcheck.users import has_perm

logger = logging.getLogger(__name__)
MAX_PAGE_SIZE = 100
MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds; larger ones overflow SQLite


class EditorsWrite(BasePermission):
    """Anyone may read; writing needs the view's `write_permission` (editors have it)."""

    message = "Only editors may change this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        method = (request.method or "").lower()
        if method not in view.http_method_names or not hasattr(view, method):
            return True  # the view answers 405 for a method it does not offer, to anyone
        needed: str | None = getattr(view, "write_permission", None)
        return needed is not None and has_perm(request.user, needed)


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
        except (AttributeError, FieldDoesNotExist):
            return position
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


def as_utc(value: datetime.datetime) -> datetime.datetime:
    """The moment in UTC (naive ones taken as UTC already). Raises OverflowError when that
    falls outside years 1 to 9999, which a far offset can do; the databases refuse those."""
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


class TextField(serializers.CharField):
    """A JSON string. DRF's CharField would take 123 or true and store "123" or "True";
    here a number or a boolean is the wrong type, answered with a field message."""

    default_error_messages = {"invalid": "Give text (a JSON string)."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource has changed since you read it; fetch it again."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you read, so that no change is lost."
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This conflicts with the current state."
    default_code = "conflict"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Service-level validation errors become 400s with field messages."""
    # Imported here: DRF's settings import this module while rest_framework.views loads.
    from rest_framework.views import exception_handler

    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, RequestDataTooBig):
        # Django would answer with its HTML 400 page.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = exceptions.ParseError(f"The request body is larger than {limit} bytes.")
    return exception_handler(exc, context)


@csrf_exempt  # it changes nothing, whatever the method; a CSRF 403 would be HTML
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    return JsonResponse({"detail": "No such endpoint."}, status=404)


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` with a field we do not offer is a 400, not silently ignored."""

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw:
            fields = [part.strip() for part in raw.split(",") if part.strip()]
            allowed = {
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            }
            unknown = [f for f in fields if f.lstrip("-") not in allowed]
            if unknown:
                offered = ", ".join(sorted(allowed))
                raise exceptions.ValidationError({"ordering": [f"Order by one of: {offered}."]})
        return super().get_ordering(request, queryset, view)

"""The OpenAPI schema's view of errors: every operation declares the errors it can answer.

Kept apart from the modules DRF's settings import while rest_framework.views is
still loading; drf-spectacular's AutoSchema needs rest_framework.views.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")


FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "description": (
        "Each field that was refused, with its messages; `detail` or `non_field_errors` "
        "for what belongs to no one field."
    ),
    "additionalProperties": {},
}

ERRORS: dict[str, tuple[str, Any]] = {
    "400": ("The request was refused: the body names each field's problem", FIELD_ERRORS),
    "401": ("No valid credentials, and the operation needs them", ErrorSerializer),
    "403": ("These credentials may not do this", ErrorSerializer),
    "404": ("No such resource, or not one this caller may see", ErrorSerializer),
    "415": ("The body is not JSON", ErrorSerializer),
    "429": ("Too many requests: wait as long as Retry-After says", ErrorSerializer),
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers every operation can give, the
    operations anyone may call without credentials, and the bounds the API enforces on
    its query parameters, so that a client generated from it sends what is accepted."""

    def get_auth(self) -> list[dict[str, Any]]:
        auths: list[dict[str, Any]] = super().get_auth()
        if {} not in auths and self.anonymous_allowed():
            auths.append({})
        return auths

    def anonymous_allowed(self) -> bool:
        permissions = self.view.get_permissions()
        if not permissions:
            return True
        return self.method in SAFE_METHODS and all(
            getattr(permission, "anonymous_reads", False) for permission in permissions
        )

    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_parameters()
        bounds = self.query_bounds()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter["in"] == "query" and parameter["name"] in bounds:
                schema.update(bounds[parameter["name"]])
            elif parameter["in"] == "header" and schema.get("type") == "string":
                schema.setdefault("minLength", 1)  # an empty If-Match is no ETag
        return parameters

    def query_bounds(self) -> dict[str, dict[str, Any]]:
        """Numeric bounds of the view's filters and of the page size."""
        bounds: dict[str, dict[str, Any]] = {}
        filterset = getattr(self.view, "filterset_class", None)
        for name, declared in getattr(filterset, "base_filters", {}).items():
            limits = {"minimum": declared.extra.get("min_value")}
            limits["maximum"] = declared.extra.get("max_value")
            bounds[name] = {key: value for key, value in limits.items() if value is not None}
        paginator = getattr(self.view, "pagination_class", None)
        if paginator is not None and getattr(paginator, "page_size_query_param", None):
            maximum = getattr(paginator, "max_page_size", None)
            bounds[paginator.page_size_query_param] = {"minimum": 1, "maximum": maximum}
        return bounds

    def error_codes(self) -> list[str]:
        codes = ["400", "401", "429"]
        if self.method in UNSAFE:
            codes += ["403", "415"]
        if "{" in self.path:
            codes.append("404")
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in sorted(self.error_codes()):
            if code not in responses:
                description, serializer = ERRORS[code]
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(serializer, description=description), code, direction=direction
                )
        return responses

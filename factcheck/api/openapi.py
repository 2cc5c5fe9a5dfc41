"""The OpenAPI schema's view of errors: every operation declares the errors it can answer.

Kept apart from the modules DRF's settings import while rest_framework.views is
still loading; drf-spectacular's AutoSchema needs rest_framework.views.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


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
    """drf-spectacular's schema, plus the error answers every operation can give."""

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

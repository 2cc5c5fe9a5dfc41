"""Serializer fields and values that every API shares."""

from __future__ import annotations

import datetime
from typing import Any

from rest_framework import serializers

from factcheck.ids import MAX_ID as MAX_ID


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


class NumberField(serializers.FloatField):
    """A JSON number. DRF's FloatField would take `true` as 1.0 and `false` as 0.0."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class JSONBooleanField(serializers.BooleanField):
    """A JSON `true` or `false`. DRF's BooleanField would take 0, 1 or "yes" as well,
    which a client that means something else gets silently turned into a flag."""

    default_error_messages = {"invalid": "Give true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data

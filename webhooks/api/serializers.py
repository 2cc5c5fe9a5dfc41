"""Serializers for webhook subscriptions and their delivery log: validation and representation.

The payloads themselves are documented here too (`WebhookPayload`): each delivery shows the
body it sends, and the schema says what that body holds for each kind of event.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.validators import URLValidator
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from claims.api.serializers import ClaimDetailSerializer, EvidenceSerializer
from claims.models import Claim, Tag
from factcheck.api.fields import MAX_ID, JSONBooleanField, TextField
from sources.api.serializers import SourceSerializer
from webhooks.models import (
    SUBSCRIBABLE,
    Delivery,
    DeliveryAttempt,
    EventType,
    Subscription,
)

is_web_url = URLValidator(schemes=["http", "https"])


@extend_schema_field({"type": "string", "format": "uri", "maxLength": Subscription.URL_MAX})
class WebURLField(TextField):
    """An http(s) URL, as text."""

    def to_internal_value(self, data: Any) -> str:
        url = super().to_internal_value(data).strip()
        try:
            is_web_url(url)
        except Exception:
            raise serializers.ValidationError("Give an http(s) URL.") from None
        return url


class SubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=SUBSCRIBABLE))
    claim = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # type: ignore[var-annotated]
    tag = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    created_by = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="username", read_only=True, allow_null=True
    )
    disabled_reason = serializers.CharField(
        help_text="Why sending stopped (failed attempts in a row, an unreadable secret); "
        "blank while active. PATCH active: true to send again."
    )
    api_url = serializers.HyperlinkedIdentityField(view_name="api:webhook-detail")

    class Meta:
        model = Subscription
        fields = [
            "id",
            "url",
            "events",
            "claim",
            "tag",
            "active",
            "consecutive_failures",
            "disabled_reason",
            "disabled_at",
            "created_by",
            "created_at",
            "updated_at",
            "api_url",
        ]
        read_only_fields = fields


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        help_text="The signing secret. Shown this once: keep it where your receiver reads it."
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret, shown this once.")


class SubscriptionWriteSerializer(serializers.Serializer):
    url = WebURLField(max_length=Subscription.URL_MAX)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE),
        min_length=1,
        max_length=len(SUBSCRIBABLE),
    )
    claim = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="Only events of this claim, and of the sources it cites.",
    )
    tag = TextField(
        max_length=Tag.NAME_MAX,
        required=False,
        allow_null=True,
        help_text="A tag's slug: only events of claims with it, and of the sources they cite.",
    )
    active = JSONBooleanField(required=False)

    def validate_claim(self, value: int | None) -> Claim | None:
        if value is None:
            return None
        claim = Claim.objects.filter(pk=value).first()
        if claim is None:
            raise serializers.ValidationError(f"There is no claim {value}.")
        return claim

    def validate_tag(self, value: str | None) -> Tag | None:
        if value is None:
            return None
        tag = Tag.objects.filter(slug=value.strip().lower()).first()
        if tag is None:
            raise serializers.ValidationError(f"There is no tag {value!r}.")
        return tag


class SubscriptionPatchSerializer(SubscriptionWriteSerializer):
    url = WebURLField(max_length=Subscription.URL_MAX, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE),
        min_length=1,
        max_length=len(SUBSCRIBABLE),
        required=False,
    )


class AttemptSerializer(serializers.ModelSerializer):
    status_code = serializers.IntegerField(
        allow_null=True, help_text="The receiver's HTTP status; null when it gave none."
    )
    error = serializers.CharField(help_text="What went wrong; blank on success.")
    response_excerpt = serializers.CharField(help_text="The first KB of the answer.")

    class Meta:
        model = DeliveryAttempt
        fields = ["number", "at", "status_code", "error", "duration_ms", "response_excerpt"]
        read_only_fields = fields


class _Envelope(serializers.Serializer):
    id = serializers.UUIDField(help_text="The event's id: the same for every subscription.")
    created_at = serializers.DateTimeField()


def _envelope(name: str, events: list[str], data: Any) -> type[serializers.Serializer]:
    fields = {
        "event": serializers.ChoiceField(choices=events),
        "data": data,
        "__doc__": f"The body POSTed for {', '.join(events)}.",
    }
    return type(name, (_Envelope,), fields)


class PingDataSerializer(serializers.Serializer):
    subscription = serializers.IntegerField()
    message = serializers.CharField()


def _of(prefix: str) -> list[str]:
    return [value for value in EventType.values if value.startswith(prefix)]


ClaimPayload = _envelope("ClaimWebhookPayload", _of("claim."), ClaimDetailSerializer())
EvidencePayload = _envelope("EvidenceWebhookPayload", _of("evidence."), EvidenceSerializer())
SourcePayload = _envelope("SourceWebhookPayload", _of("source."), SourceSerializer())
PingPayload = _envelope("PingWebhookPayload", [EventType.PING], PingDataSerializer())

PAYLOAD = PolymorphicProxySerializer(
    component_name="WebhookPayload",
    serializers=[ClaimPayload, EvidencePayload, SourcePayload, PingPayload],
    resource_type_field_name=None,
)


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(
        source="uuid", help_text="X-Factcheck-Delivery: the same on every retry."
    )
    event = serializers.ChoiceField(source="event.type", choices=EventType.choices)
    event_id = serializers.UUIDField(source="event.uuid", help_text="The body's `id`.")
    redelivery_of = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="uuid", read_only=True, allow_null=True
    )
    last_error = serializers.CharField(help_text="The last attempt's failure; blank on success.")
    attempt_log = AttemptSerializer(many=True, read_only=True)
    payload = serializers.SerializerMethodField(help_text="The body sent, as JSON.")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "event_id",
            "state",
            "attempts",
            "created_at",
            "first_attempt_at",
            "next_attempt_at",
            "finished_at",
            "last_error",
            "redelivery_of",
            "attempt_log",
            "payload",
        ]
        read_only_fields = fields

    @extend_schema_field(PAYLOAD)
    def get_payload(self, delivery: Delivery) -> dict[str, Any]:
        body: dict[str, Any] = json.loads(delivery.event.body)
        return body

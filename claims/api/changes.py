"""GET /api/v1/changes/: every claim change across the service, oldest first, for mirrors.

The cursor is the id of the last event read. Events younger than a few seconds are held
back: ids are handed out when a transaction inserts, not when it commits, so a short delay
keeps a slow transaction's event from landing behind a cursor that already passed it.
"""

from __future__ import annotations

import base64
import datetime

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.serializers import ClaimEventSerializer
from claims.models import ClaimEvent
from factcheck.api.pagination import MAX_PAGE_SIZE

SETTLE = datetime.timedelta(seconds=3)
DEFAULT_LIMIT = 100
CURSOR_PREFIX = "ev:"


def encode_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The event id a cursor stands for; `0` is the beginning (before every change)."""
    if cursor == "0":
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith(CURSOR_PREFIX):
            raise ValueError(raw)
        value = int(raw.removeprefix(CURSOR_PREFIX))
        if value < 0:
            raise ValueError(raw)
    except ValueError:
        raise ValidationError(
            {
                "since": [
                    "This cursor is not valid. Start from the beginning with since=0 (or no "
                    "since), then pass each answer's next_cursor."
                ]
            }
        ) from None
    return value


class ClaimReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()


class ChangeSerializer(ClaimEventSerializer):
    cursor = serializers.SerializerMethodField()
    claim = serializers.SerializerMethodField()

    class Meta(ClaimEventSerializer.Meta):
        fields = ["cursor", "claim", *ClaimEventSerializer.Meta.fields]
        read_only_fields = fields

    def get_cursor(self, event: ClaimEvent) -> str:
        return encode_cursor(event.pk)

    @extend_schema_field(ClaimReferenceSerializer)
    def get_claim(self, event: ClaimEvent) -> dict[str, object]:
        return {"id": event.claim_id, "slug": event.claim.slug}


class ChangesPageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next_cursor = serializers.CharField(help_text="Pass as `since` to read on.")
    has_more = serializers.BooleanField()


class ChangesView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                str,
                description="The cursor of the last change you read; 0 (or none) from the start",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description=f"At most {MAX_PAGE_SIZE} changes",
            ),
        ],
        responses={200: ChangesPageSerializer},
    )
    def get(self, request: Request) -> Response:
        since = (
            decode_cursor(request.query_params["since"]) if request.query_params.get("since") else 0
        )
        limit = self.limit(request)
        events = list(self.events(request).filter(pk__gt=since)[: limit + 1])
        page, more = events[:limit], len(events) > limit
        next_cursor = encode_cursor(page[-1].pk if page else since)
        body = {
            "results": ChangeSerializer(page, many=True).data,
            "next_cursor": next_cursor,
            "has_more": more,
        }
        return Response(body)

    def events(self, request: Request) -> QuerySet[ClaimEvent]:
        settled = ClaimEvent.objects.visible_to(request.user).filter(
            at__lte=timezone.now() - SETTLE
        )
        return settled.select_related("claim", "actor").order_by("id")

    def limit(self, request: Request) -> int:
        raw = request.query_params.get("limit", str(DEFAULT_LIMIT))
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError({"limit": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]})
        return int(raw)

"""Sources, their snapshots and diffs, and publishers under /api/v1/."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from factcheck.api.fields import MAX_ID
from factcheck.api.pagination import StrictCursorPagination
from sources.api.serializers import (
    PublisherSerializer,
    PublisherUpdateSerializer,
    SnapshotDiffSerializer,
    SnapshotSerializer,
    SourceSerializer,
)
from sources.diffing import UNITS, changed_sentences, diff_as_dicts
from sources.models import Health, Publisher, PublisherDomain, PublisherKind, Source, SourceSnapshot
from sources.selectors import publishers_visible_to, sources_visible_to
from sources.services import publisher_update
from sources.tasks import source_queue_check


class SourceFilter(filters.FilterSet):
    health = filters.MultipleChoiceFilter(choices=Health.choices)
    publisher = filters.NumberFilter(field_name="publisher_id", min_value=1, max_value=MAX_ID)

    class Meta:
        model = Source
        fields: list[str] = []


class SnapshotPagination(StrictCursorPagination):
    ordering = "-number"
    page_size = 10


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    write_permission = "sources.change_source"

    def get_queryset(self) -> QuerySet[Source]:
        sources = Source.objects.select_related("publisher").annotate(
            snapshot_count=Count("snapshots")
        )
        return sources_visible_to(self.request.user, sources)

    @extend_schema(responses={200: SnapshotSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=SnapshotPagination, filterset_class=None)
    def snapshots(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        page = self.paginate_queryset(SourceSnapshot.objects.filter(source=source))
        return self.get_paginated_response(SnapshotSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against", OpenApiTypes.INT, description="Older snapshot (default: previous)"
            ),
            OpenApiParameter(
                "unit", OpenApiTypes.STR, enum=list(UNITS), description="word or sentence"
            ),
        ],
        responses={200: SnapshotDiffSerializer},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"snapshots/(?P<number>[0-9]{1,9})/diff",
        filterset_class=None,
        pagination_class=None,
    )
    def diff(self, request: Request, pk: str | None = None, number: str = "0") -> Response:
        source = self.get_object()
        newer = get_object_or_404(SourceSnapshot, source=source, number=int(number))
        older = get_object_or_404(
            SourceSnapshot, source=source, number=self.against(request, newer)
        )
        unit = request.query_params.get("unit", "word")
        if unit not in UNITS:
            raise ValidationError({"unit": [f"Choose one of: {', '.join(UNITS)}."]})
        body = {
            "source": source.pk,
            "against": older.number,
            "number": newer.number,
            "unit": unit,
            "changes": diff_as_dicts(older.text, newer.text, unit=unit),
            "added_sentences": changed_sentences(older.text, newer.text),
        }
        return Response(body)

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "RecheckQueued",
                {"queued": serializers.BooleanField(), "source": serializers.IntegerField()},
            )
        },
        description="Check the source now (even a paused one); the check runs on a worker.",
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def recheck(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        source_queue_check(source=source, force=True)
        return Response({"queued": True, "source": source.pk}, status=status.HTTP_202_ACCEPTED)

    def against(self, request: Request, newer: SourceSnapshot) -> int:
        raw = request.query_params.get("against")
        if raw is None:
            if newer.number == 1:
                raise ValidationError({"against": ["The first snapshot has nothing before it."]})
            return newer.number - 1
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) < 10**9:
            raise ValidationError({"against": ["Give the number of another snapshot."]})
        return int(raw)


class PublisherFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=PublisherKind.choices)
    domain = filters.CharFilter(field_name="domains__domain", max_length=PublisherDomain.DOMAIN_MAX)

    class Meta:
        model = Publisher
        fields: list[str] = []


class PublisherPagination(StrictCursorPagination):
    ordering = "name"


class PublisherViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PublisherSerializer
    filterset_class = PublisherFilter
    pagination_class = PublisherPagination
    write_permission = "sources.change_publisher"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Publisher]:
        publishers = Publisher.objects.prefetch_related("domains")
        return publishers_visible_to(self.request.user, publishers)

    @extend_schema(request=PublisherUpdateSerializer, responses={200: PublisherSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        publisher = self.get_object()
        changes = PublisherUpdateSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        publisher = publisher_update(publisher=publisher, **changes.validated_data)
        return Response(PublisherSerializer(publisher, context=self.get_serializer_context()).data)

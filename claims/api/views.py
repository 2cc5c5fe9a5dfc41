"""Claims and evidence under /api/v1/. Views validate, call a service, serialize."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from claims.api.detail import claim_detail_body
from claims.api.filters import ClaimFilter
from claims.api.rows import LIST_COLUMNS, claim_list_rows
from claims.api.serializers import (
    ClaimCreateSerializer,
    ClaimDetailSerializer,
    ClaimEventSerializer,
    ClaimListSerializer,
    ClaimPatchSerializer,
    DuplicateClaimsSerializer,
    EvidenceCreateSerializer,
    EvidenceDeprecateSerializer,
    EvidenceLabelsSerializer,
    EvidenceSerializer,
    FirmnessSerializer,
    ReviewDoneSerializer,
)
from claims.claimreview import claim_review
from claims.marks import claim_marks
from claims.models import Claim, ClaimEvent, Evidence
from claims.permissions import sees_unpublished
from claims.search import RANK
from claims.selectors import claim_detail_prefetch, claim_detail_queryset, claims_by_relevance
from claims.services.changes import ClaimVersionConflict
from claims.services.claims import (
    ClaimLooksDuplicate,
    claim_apply_changes,
    claim_clear_review,
    claim_create,
)
from claims.services.evidence import (
    EvidenceAlreadyLinked,
    evidence_add,
    evidence_deprecate,
    evidence_relabel,
)
from factcheck.api.errors import Conflict, PreconditionFailed, PreconditionRequired
from factcheck.api.filters import StrictOrderingFilter
from factcheck.api.openapi import ErrorSerializer
from factcheck.api.pagination import StrictCursorPagination
from factcheck.ids import id_from_text
from sources.addresses import InvalidSourceURL
from sources.services import source_get_or_create

IF_MATCH = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)
CONDITIONAL_CHANGE_RESPONSES = {
    200: ClaimDetailSerializer,
    412: OpenApiResponse(ErrorSerializer, description="The ETag is stale"),
    428: OpenApiResponse(ErrorSerializer, description="If-Match is missing"),
}


def if_match(request: Request) -> list[str] | None:
    """The ETags an unsafe request was made against (RFC 9110: a list, any of which may
    match); None for `*`, any version. Without the header: 428, so that no change is lost."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    return None if header == "*" else [tag.strip() for tag in header.split(",")]


class ClaimPagination(StrictCursorPagination):
    ordering = "-updated_at"

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        """A search without `ordering` comes most relevant first (ties: newest first)."""
        if RANK in queryset.query.annotations and not request.query_params.get("ordering"):
            return (f"-{RANK}", "-updated_at", "-id")
        return super().get_ordering(request, queryset, view)


class TimelinePagination(StrictCursorPagination):
    ordering = ("-at", "-id")


class ClaimViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    write_permission = "claims.change_claim"
    filterset_class = ClaimFilter
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["updated_at", "created_at", "firmness_score", "id"]
    pagination_class = ClaimPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Claim]:
        claims = Claim.objects.visible_to(self.request.user)
        return claim_detail_queryset(claims) if self.action == "claimreview" else claims

    def filter_queryset(self, queryset: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
        """The claims, or a claim, asked for without a query string: every filter would be
        blank, yet building and validating their form took an eighth of a detail's time."""
        params = self.request.query_params
        if self.action in ("list", "retrieve") and not params:
            return queryset
        claims = super().filter_queryset(queryset)
        if self.action == "list" and params.get("q", "").strip() and not params.get("ordering"):
            return claims_by_relevance(claims, params["q"])
        return claims

    def get_serializer_class(self) -> type[BaseSerializer]:
        classes: dict[str, type[BaseSerializer]] = {
            "list": ClaimListSerializer,
            "create": ClaimCreateSerializer,
            "partial_update": ClaimPatchSerializer,
            "firmness": FirmnessSerializer,
            "timeline": ClaimEventSerializer,
            "evidence": EvidenceCreateSerializer,
            "review": ReviewDoneSerializer,
        }
        return classes.get(self.action or "", ClaimDetailSerializer)

    def detail_response(self, claim: Claim, code: int = status.HTTP_200_OK) -> Response:
        claim = claim_detail_queryset(Claim.objects.filter(pk=claim.pk)).get()
        body = ClaimDetailSerializer(claim, context=self.get_serializer_context()).data
        return Response(body, status=code, headers={"ETag": claim.etag})

    @extend_schema(
        request=ClaimCreateSerializer,
        responses={
            201: ClaimDetailSerializer,
            409: OpenApiResponse(
                DuplicateClaimsSerializer,
                description="The text strongly matches claims already recorded",
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        fields = ClaimCreateSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        try:
            claim = claim_create(user=request.user, **fields.validated_data)
        except ClaimLooksDuplicate as exc:
            return Response(self.duplicates(exc), status=status.HTTP_409_CONFLICT)
        return self.detail_response(claim, status.HTTP_201_CREATED)

    def duplicates(self, exc: ClaimLooksDuplicate) -> dict[str, Any]:
        found = [
            {
                "id": match.claim.pk,
                "slug": match.claim.slug,
                "text": match.claim.text,
                "url": match.claim.get_public_url(),
                "api_url": self.request.build_absolute_uri(
                    reverse("api:claim-detail", args=[match.claim.pk])
                ),
                "score": round(match.score, 3),
            }
            for match in exc.matches
        ]
        detail = f"{exc} Send allow_duplicate: true to record it anyway."
        return DuplicateClaimsSerializer({"detail": detail, "duplicate_of": found}).data

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Rows from `.values()` of the columns shown (claims.api.rows); ClaimListSerializer
        documents them."""
        claims = self.filter_queryset(self.get_queryset())
        ranked = (RANK,) if RANK in claims.query.annotations else ()
        page = self.paginate_queryset(claims.values(*LIST_COLUMNS, *ranked))
        return self.get_paginated_response(claim_list_rows(page or [], request))

    @extend_schema(
        parameters=[OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={
            200: ClaimDetailSerializer,
            304: OpenApiResponse(description="Not modified: If-None-Match names the ETag"),
        },
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if current := self.current_etag(request, kwargs["pk"]):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": current})
        claim = claim_detail_prefetch(self.get_object())
        return Response(claim_detail_body(claim, request), headers={"ETag": claim.etag})

    def current_etag(self, request: Request, pk: str) -> str | None:
        """The ETag the caller names, when it is the claim's current one: read with one
        cheap query (claims.marks), before the claim itself."""
        named, claim_id = request.headers.get("If-None-Match"), id_from_text(pk)
        if not named or claim_id is None:
            return None
        published_only = not sees_unpublished(request.user)
        marks = claim_marks(pk=claim_id, published_only=published_only, events=False)
        return named if marks is not None and marks.etag == named else None

    @extend_schema(
        parameters=[IF_MATCH],
        responses=CONDITIONAL_CHANGE_RESPONSES,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        expected = if_match(request)
        changes = ClaimPatchSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        try:
            claim = claim_apply_changes(
                claim=claim, user=request.user, expected_etags=expected, **changes.validated_data
            )
        except ClaimVersionConflict:
            raise PreconditionFailed() from None
        return self.detail_response(claim)

    @extend_schema(
        request=ReviewDoneSerializer,
        parameters=[IF_MATCH],
        responses=CONDITIONAL_CHANGE_RESPONSES,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Mark the claim reviewed: it leaves the review queue, with your note on its timeline."""
        claim = self.get_object()
        expected = if_match(request)
        done = ReviewDoneSerializer(data=request.data)
        done.is_valid(raise_exception=True)
        note = done.validated_data.get("note", "")
        try:
            claim = claim_clear_review(
                claim=claim, user=request.user, note=note, expected_etags=expected
            )
        except ClaimVersionConflict:
            raise PreconditionFailed() from None
        return self.detail_response(claim)

    @extend_schema(responses={200: FirmnessSerializer})
    @action(detail=True, methods=["get"])
    def firmness(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        return Response(FirmnessSerializer(claim).data)

    @extend_schema(responses={200: ClaimEventSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        pagination_class=TimelinePagination,
        filterset_class=None,
        filter_backends=[],
    )
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        events = ClaimEvent.objects.visible_to(request.user).filter(claim=claim)
        page = self.paginate_queryset(events.select_related("actor"))
        return self.get_paginated_response(ClaimEventSerializer(page, many=True).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], filterset_class=None)
    def claimreview(self, request: Request, pk: str | None = None) -> Response:
        return Response(claim_review(self.get_object()))

    @extend_schema(
        request=EvidenceCreateSerializer,
        responses={
            201: EvidenceSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The source is already linked"),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        """Link a source to the claim. Without `stance` and `certainty`, they are read from
        the source's text (now, or once it is first fetched) and labelled `automatic`."""
        claim = self.get_object()
        data = EvidenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        source, url = fields.pop("source", None), fields.pop("url", None)
        origin = fields.pop("derived_from", None)
        try:
            added = evidence_add(
                claim=claim,
                user=request.user,
                source=source,
                url=url,
                derived_from=origin if not isinstance(origin, str) else None,
                derived_from_url=origin if isinstance(origin, str) else None,
                **fields,
            )
        except EvidenceAlreadyLinked as exc:
            raise Conflict(str(exc)) from None
        body = EvidenceSerializer(added, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class EvidenceViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    write_permission = "claims.change_evidence"
    serializer_class = EvidenceSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Evidence]:
        visible = Claim.objects.visible_to(self.request.user)
        return Evidence.objects.filter(claim__in=visible).select_related(
            "source__publisher", "claim"
        )

    @extend_schema(request=EvidenceLabelsSerializer, responses={200: EvidenceSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        evidence = self.get_object()
        labels = EvidenceLabelsSerializer(data=request.data)
        labels.is_valid(raise_exception=True)
        fields = dict(labels.validated_data)
        if isinstance(fields.get("derived_from"), str):
            try:
                fields["derived_from"], _ = source_get_or_create(url=fields["derived_from"])
            except InvalidSourceURL as exc:
                raise ValidationError({"derived_from": [str(exc)]}) from None
        evidence = evidence_relabel(evidence=evidence, user=request.user, **fields)
        return Response(EvidenceSerializer(evidence, context=self.get_serializer_context()).data)

    @extend_schema(
        request=EvidenceDeprecateSerializer,
        parameters=[
            OpenApiParameter(
                "reason",
                OpenApiTypes.STR,
                required=True,
                pattern=r"\S",
                description="Why it no longer counts (or give it in a JSON body)",
            )
        ],
        responses={200: EvidenceSerializer},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Deprecate: the evidence stays on the record, out of the firmness, with its reason."""
        evidence = self.get_object()
        given = request.data if request.data else {"reason": request.query_params.get("reason", "")}
        reason = EvidenceDeprecateSerializer(data=given)
        reason.is_valid(raise_exception=True)
        evidence = evidence_deprecate(
            evidence=evidence, reason=reason.validated_data["reason"], user=request.user
        )
        return Response(EvidenceSerializer(evidence, context=self.get_serializer_context()).data)

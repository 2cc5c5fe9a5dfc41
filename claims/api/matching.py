"""Matching texts to claims, and the link offers editors decide on, under /api/v1/.

POST /match/ with `text` is open to anyone (results only among the claims the caller may
see); with `url` it reads a page, which only a signed-in caller may ask for. The link
offers are the desk's: only editors list and decide them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.serializers import EvidenceSourceSerializer, SourceURLField, clean_source_url
from claims.models import Claim, LinkOffer, LinkOfferStatus
from claims.services.link_offers import LinkOfferDecided, link_offer_accept, link_offer_dismiss
from claims.services.matching import ClaimMatch, PageUnreadable, Thresholds, claims_match, url_text
from factcheck.api.errors import Conflict
from factcheck.api.fields import MAX_ID, NumberField, TextField
from factcheck.api.openapi import FIELD_ERRORS, ErrorSerializer
from factcheck.api.pagination import StrictCursorPagination
from factcheck.api.throttling import CallerThrottle, FailOpen, OneRoundTrip
from factcheck.users import has_perm
from sources.addresses import MAX_URL_LENGTH, InvalidSourceURL

MATCH_TEXT_MAX = 200_000  # characters: a long article, several times over
MAX_RESULTS = 50
DEFAULT_MATCH_RATE = "60/min"


class MatchRateThrottle(FailOpen, OneRoundTrip):
    """Matching reads a whole text (or fetches a page): a rate of its own, per caller
    (FACTCHECK_API_MATCH_RATE; 60 a minute when a settings override leaves it out)."""

    scope = "match"

    def get_rate(self) -> str | None:
        return self.THROTTLE_RATES.get(self.scope, DEFAULT_MATCH_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class MatchRequestSerializer(serializers.Serializer):
    text = TextField(max_length=MATCH_TEXT_MAX, required=False)
    url = SourceURLField(max_length=MAX_URL_LENGTH, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_RESULTS, default=10)
    min_score = NumberField(
        min_value=0.0,
        max_value=1.0,
        required=False,
        help_text="Leave out for the method's `suggest_at`.",
    )

    def validate_url(self, value: str) -> str:
        return clean_source_url(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("text" in attrs) == ("url" in attrs):
            raise serializers.ValidationError({"text": ["Give exactly one of `text` and `url`."]})
        return attrs


class MatchedClaimSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The claim's public page.")

    class Meta:
        model = Claim
        fields = ["id", "slug", "text", "url", "verdict", "firmness_score"]
        read_only_fields = fields

    def get_url(self, claim: Claim) -> str:
        return claim.get_public_url()


class MatchResultSerializer(serializers.Serializer):
    claim = MatchedClaimSerializer()
    score = serializers.FloatField(
        help_text=(
            "0 to 1. Lexical: the IDF-weighted share of the claim's words the passage holds; "
            "embedding: the cosine similarity of the claim and the passage."
        )
    )
    passage = serializers.CharField(help_text="The sentence(s) of the text that matched.")
    strong = serializers.BooleanField(help_text="The score reaches `strong_at`.")


class MatchResponseSerializer(serializers.Serializer):
    method = serializers.CharField(help_text="lexical or embedding")
    suggest_at = serializers.FloatField()
    strong_at = serializers.FloatField()
    results = MatchResultSerializer(many=True)


def match_body(found: list[ClaimMatch], limits: Thresholds) -> dict[str, Any]:
    return {
        "method": limits.method,
        "suggest_at": limits.suggest_at,
        "strong_at": limits.strong_at,
        "results": MatchResultSerializer(found, many=True).data,
    }


class MatchView(APIView):
    throttle_classes = [CallerThrottle, MatchRateThrottle]
    permission_classes: list[type[BasePermission]] = []  # anyone may send a text

    @extend_schema(
        request=MatchRequestSerializer,
        responses={
            200: MatchResponseSerializer,
            422: OpenApiResponse(FIELD_ERRORS, description="The page at `url` gave no text"),
        },
    )
    def post(self, request: Request) -> Response:
        """The existing claims a text (or the page at a URL) speaks to, best first."""
        given = MatchRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        text = data["text"] if "text" in data else self.page_text(request, data["url"])
        found, limits = claims_match(
            text=text, user=request.user, limit=data["limit"], min_score=data.get("min_score")
        )
        return Response(match_body(found, limits))

    def page_text(self, request: Request, url: str) -> str:
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated(
                "Matching a URL reads the page: sign in or send a token. "
                "Anyone may send the page's `text` instead."
            )
        try:
            return url_text(url=url, user=request.user)
        except InvalidSourceURL as exc:
            raise exceptions.ValidationError({"url": [str(exc)]}) from None
        except PageUnreadable as exc:
            raise PageGaveNoText({"url": [str(exc)]}) from None


class PageGaveNoText(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The page could not be read."
    default_code = "page_unreadable"


# --- Link offers -----------------------------------------------------------------------


class DeskOnly(BasePermission):
    """Editors only: reading needs `view_linkoffer`, deciding `change_linkoffer`."""

    message = "Only editors may see and decide link offers."

    def has_permission(self, request: Request, view: Any) -> bool:
        needed = "view" if request.method in SAFE_METHODS else "change"
        return has_perm(request.user, f"claims.{needed}_linkoffer")


class LinkOfferFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=LinkOfferStatus.choices)
    claim = filters.NumberFilter(field_name="claim_id", min_value=1, max_value=MAX_ID)

    class Meta:
        model = LinkOffer
        fields: list[str] = []


class LinkOfferSerializer(serializers.ModelSerializer):
    claim = MatchedClaimSerializer(read_only=True)
    source = EvidenceSourceSerializer(read_only=True)  # type: ignore[assignment]
    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = LinkOffer
        fields = [
            "id",
            "claim",
            "source",
            "score",
            "passage",
            "method",
            "status",
            "offered_at",
            "decided_at",
            "decided_by",
            "evidence",
        ]
        read_only_fields = fields


class LinkOfferPagination(StrictCursorPagination):
    ordering = "-offered_at"


class LinkOfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LinkOfferSerializer
    permission_classes = [DeskOnly]
    filterset_class = LinkOfferFilter
    pagination_class = LinkOfferPagination

    def get_queryset(self) -> QuerySet[LinkOffer]:
        return LinkOffer.objects.select_related("claim", "source__publisher", "decided_by")

    @extend_schema(
        request=None,
        responses={
            200: LinkOfferSerializer,
            409: OpenApiResponse(ErrorSerializer, description="Already dismissed"),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Link the offered source as evidence; its labels are read from its text."""
        return self.decide(link_offer_accept)

    @extend_schema(
        request=None,
        responses={
            200: LinkOfferSerializer,
            409: OpenApiResponse(ErrorSerializer, description="Already linked as evidence"),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        """Not evidence of this claim: the source is not offered to it again."""
        return self.decide(link_offer_dismiss)

    def decide(self, service: Any) -> Response:
        offer = self.get_object()
        try:
            decided = service(offer=offer, user=self.request.user)
        except LinkOfferDecided as exc:
            raise Conflict(str(exc)) from None
        return Response(self.get_serializer(decided).data)

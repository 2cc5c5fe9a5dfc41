"""Webhook subscriptions and their delivery log under /api/v1/webhooks/: editors only, for
reading too. Views validate, call a service, serialize."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from factcheck.api.errors import Conflict
from factcheck.api.openapi import ErrorSerializer
from factcheck.api.pagination import StrictCursorPagination
from factcheck.api.permissions import EditorsOnly
from webhooks.api.serializers import (
    DeliverySerializer,
    SecretSerializer,
    SubscriptionCreatedSerializer,
    SubscriptionPatchSerializer,
    SubscriptionSerializer,
    SubscriptionWriteSerializer,
)
from webhooks.models import Delivery, Subscription
from webhooks.services import (
    SubscriptionDisabled,
    delivery_redeliver,
    subscription_create,
    subscription_new_secret,
    subscription_ping,
    subscription_update,
)

DISABLED = OpenApiResponse(ErrorSerializer, description="The subscription is disabled")


class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [EditorsOnly]
    read_permission = "webhooks.view_subscription"
    write_permission = "webhooks.change_subscription"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    serializer_class = SubscriptionSerializer

    def get_queryset(self) -> QuerySet[Subscription]:
        return Subscription.objects.select_related("tag", "created_by")

    def get_serializer_class(self) -> type[BaseSerializer]:
        classes: dict[str, type[BaseSerializer]] = {
            "create": SubscriptionWriteSerializer,
            "partial_update": SubscriptionPatchSerializer,
        }
        return classes.get(self.action or "", SubscriptionSerializer)

    def shown(self, subscription: Subscription) -> dict[str, Any]:
        return dict(
            SubscriptionSerializer(subscription, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=SubscriptionWriteSerializer, responses={201: SubscriptionCreatedSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Subscribe a URL. The answer carries the signing secret, this once."""
        fields = SubscriptionWriteSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        subscription, secret = subscription_create(user=request.user, **fields.validated_data)
        body = self.shown(subscription) | {"secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=SubscriptionPatchSerializer, responses={200: SubscriptionSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the URL, events or filters; `active: true` enables a disabled subscription
        (its failures are forgotten and what waited is sent)."""
        subscription = self.get_object()
        changes = SubscriptionPatchSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        subscription = subscription_update(subscription=subscription, **changes.validated_data)
        return Response(self.shown(subscription))

    @extend_schema(request=None, responses={202: DeliverySerializer, 409: DISABLED})
    @action(detail=True, methods=["post"])
    def ping(self, request: Request, pk: str | None = None) -> Response:
        """Send a test event (`ping`) to this subscription; its delivery is in the log."""
        try:
            delivery = subscription_ping(subscription=self.get_object())
        except SubscriptionDisabled as exc:
            raise Conflict(str(exc)) from None
        body = DeliverySerializer(delivery).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: SecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        """A new signing secret, shown this once; the old one signs nothing more."""
        secret = subscription_new_secret(subscription=self.get_object())
        return Response(SecretSerializer({"secret": secret}).data)


class DeliveryPagination(StrictCursorPagination):
    ordering = "-id"


WEBHOOK_ID = OpenApiParameter("webhook_id", OpenApiTypes.INT, OpenApiParameter.PATH)
DELIVERY_ID = OpenApiParameter("delivery_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema(parameters=[WEBHOOK_ID])
class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A subscription's delivery log: each delivery with its attempts, for 30 days."""

    permission_classes = [EditorsOnly]
    read_permission = "webhooks.view_delivery"
    write_permission = "webhooks.change_delivery"
    serializer_class = DeliverySerializer
    pagination_class = DeliveryPagination
    lookup_field = "uuid"
    lookup_url_kwarg = "delivery_id"

    def subscription(self) -> Subscription:
        return get_object_or_404(Subscription, pk=self.kwargs["webhook_id"])

    def get_queryset(self) -> QuerySet[Delivery]:
        if getattr(self, "swagger_fake_view", False):  # the schema asks without a URL
            return Delivery.objects.none()
        deliveries = Delivery.objects.filter(subscription=self.subscription())
        return deliveries.select_related("event", "redelivery_of").prefetch_related("attempt_log")

    @extend_schema(parameters=[DELIVERY_ID])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[DELIVERY_ID],
        request=None,
        responses={202: DeliverySerializer, 409: DISABLED},
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Send this delivery's event again: a new delivery, at the end of the queue."""
        try:
            again = delivery_redeliver(delivery=self.get_object())
        except SubscriptionDisabled as exc:
            raise Conflict(str(exc)) from None
        body = DeliverySerializer(again).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

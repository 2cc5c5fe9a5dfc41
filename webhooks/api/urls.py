"""The delivery log nests under its subscription: /api/v1/webhooks/{id}/deliveries/…"""

from django.urls import path

from webhooks.api.views import DeliveryViewSet

urlpatterns = [
    path(
        "webhooks/<int:webhook_id>/deliveries/",
        DeliveryViewSet.as_view({"get": "list"}),
        name="webhook-delivery-list",
    ),
    path(
        "webhooks/<int:webhook_id>/deliveries/<uuid:delivery_id>/",
        DeliveryViewSet.as_view({"get": "retrieve"}),
        name="webhook-delivery-detail",
    ),
    path(
        "webhooks/<int:webhook_id>/deliveries/<uuid:delivery_id>/redeliver/",
        DeliveryViewSet.as_view({"post": "redeliver"}),
        name="webhook-delivery-redeliver",
    ),
]

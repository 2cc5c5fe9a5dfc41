from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from claims.api.changes import ChangesView
from claims.api.matching import LinkOfferViewSet, MatchView
from claims.api.views import ClaimViewSet, EvidenceViewSet
from factcheck.api.errors import api_not_found
from sources.api.views import PublisherViewSet, SourceViewSet
from webhooks.api import urls as webhook_urls
from webhooks.api.views import WebhookViewSet

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("claims", ClaimViewSet, basename="claim")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("sources", SourceViewSet, basename="source")
router.register("publishers", PublisherViewSet, basename="publisher")
router.register("link-offers", LinkOfferViewSet, basename="link-offer")
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("", include(router.urls)),
    path("", include(webhook_urls)),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("match/", MatchView.as_view(), name="match"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", api_not_found),
]

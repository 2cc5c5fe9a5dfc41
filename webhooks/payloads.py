"""An event's `data`: the representation the API serves for the thing it is about (the claim
detail, the evidence, the source), rendered by the API's own serializers, so a consumer needs
no second request. This is a face, like the API: the webhooks domain (models, services,
sending) only ever sees the rendered dict.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest
from rest_framework.request import Request

from claims.api.serializers import ClaimDetailSerializer, EvidenceSerializer
from claims.models import Claim, Evidence
from claims.selectors import claim_detail_queryset
from sources.api.serializers import SourceSerializer
from sources.models import Source


class SiteRequest(HttpRequest):
    """A request "from" SITE_URL, so the serializers' `api_url` links are absolute links to
    this service, as in the API's own answers; no request is at hand in a signal receiver."""

    def __init__(self) -> None:
        super().__init__()
        site = urlsplit(settings.SITE_URL)
        self._site_scheme, self._site_host = site.scheme or "https", site.netloc

    def _get_scheme(self) -> str:
        return self._site_scheme

    def get_host(self) -> str:
        return self._site_host


def _context() -> dict[str, Any]:
    return {"request": Request(SiteRequest())}


def claim_data(claim_id: int) -> dict[str, Any]:
    claim = claim_detail_queryset(Claim.objects.filter(pk=claim_id)).get()
    return dict(ClaimDetailSerializer(claim, context=_context()).data)


def evidence_data(evidence_id: int) -> dict[str, Any]:
    evidence = Evidence.objects.select_related("source__publisher", "claim").get(pk=evidence_id)
    return dict(EvidenceSerializer(evidence, context=_context()).data)


def source_data(source_id: int) -> dict[str, Any]:
    source = (
        Source.objects.select_related("publisher")
        .annotate(snapshot_count=Count("snapshots"))
        .get(pk=source_id)
    )
    return dict(SourceSerializer(source, context=_context()).data)

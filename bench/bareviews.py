"""The limit: plain Django views that read the same rows as the API and dump them as JSON,
with no serializers, permissions, throttles or pagination."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse

from claims.api.rows import LIST_COLUMNS as LIST_FIELDS
from claims.models import Claim, Evidence, VerdictChange


def claim_list(request: HttpRequest) -> JsonResponse:
    rows = list(
        Claim.objects.filter(published=True).order_by("-updated_at").values(*LIST_FIELDS)[:25]
    )
    for row in rows:
        row["url"] = f"{settings.SITE_URL}/claims/{row['slug']}/"
        row["api_url"] = f"{settings.SITE_URL}/api/v1/claims/{row['id']}/"
    return JsonResponse({"results": rows})


def claim_detail(request: HttpRequest, pk: int) -> JsonResponse:
    row = (
        Claim.objects.filter(published=True, pk=pk)
        .values(*LIST_FIELDS, "context", "claimant", "expected_by", "firmness_explanation")
        .first()
    )
    if row is None:
        raise Http404
    row["tags"] = list(
        Claim.tags.through.objects.filter(claim_id=pk).values_list("tag__name", flat=True)
    )
    row["evidence"] = list(
        Evidence.objects.filter(claim_id=pk).values(
            "id",
            "source_id",
            "source__url",
            "source__publisher__name",
            "source__health",
            "source__archive_url",
            "stance",
            "certainty",
            "kind",
            "quote",
            "labelled_by",
        )
    )
    row["history"] = list(
        VerdictChange.objects.filter(claim_id=pk).values(
            "previous", "verdict", "note", "changed_at"
        )
    )
    return JsonResponse(row)

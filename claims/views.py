"""Public, read-only claim pages (server-rendered; no JavaScript needed)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from claims.api.views import claims_for, detail_queryset
from claims.models import Claim

PAGE_SIZE = 25


def claim_list(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.published().order_by("-updated_at", "-id")
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "claims/claim_list.html", {"page": page})


def claim_page(request: HttpRequest, slug: str) -> HttpResponse:
    claim = detail_queryset(claims_for(request)).filter(slug=slug).first()  # type: ignore[arg-type]
    if claim is None:
        raise Http404("No published claim here.")
    return render(request, "claims/claim_page.html", {"claim": claim})

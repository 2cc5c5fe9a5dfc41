"""The claim's own desk pages: change the verdict, add evidence, mark reviewed, review queue.

Each view validates a form, calls one service and redirects; what the service refuses
comes back as a form error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from claims.admin.display import review_reasons
from claims.admin.forms import EvidenceAddForm, ReviewDoneForm, VerdictForm, service_errors_to
from claims.models import Claim, LinkOffer
from claims.services.claims import claim_clear_review, claim_set_verdict
from claims.services.evidence import evidence_add

QUEUE_PAGE_SIZE = 50
FORM_TEMPLATE = "admin/claims/form_page.html"
QUEUE_TEMPLATE = "admin/claims/claim/review_queue.html"


def waiting_since(claim: Claim) -> str:
    """When the oldest reason was raised; ISO strings in UTC sort in time order."""
    return min((str(r.get("at", "")) for r in claim.review_reasons), default="")


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


class ClaimDeskViews(admin.ModelAdmin):
    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("review-queue/", wrap(self.review_queue_view), name="claims_claim_review_queue"),
            path("<int:object_id>/verdict/", wrap(self.verdict_view), name="claims_claim_verdict"),
            path(
                "<int:object_id>/evidence/add/",
                wrap(self.add_evidence_view),
                name="claims_claim_add_evidence",
            ),
            path(
                "<int:object_id>/reviewed/", wrap(self.reviewed_view), name="claims_claim_reviewed"
            ),
            *super().get_urls(),
        ]

    def claim_to_change(self, request: HttpRequest, object_id: int) -> Claim:
        claim = get_object_or_404(Claim, pk=object_id)
        if not self.has_change_permission(request, claim):
            raise PermissionDenied
        return claim

    def back_to_claim(self, claim: Claim) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def render_desk_form(
        self, request: HttpRequest, claim: Claim, form: BaseForm, **context: Any
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": claim,
            "form": form,
            "media": self.media + form.media,
            **context,
        }
        return TemplateResponse(request, FORM_TEMPLATE, context)

    def verdict_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        claim = self.claim_to_change(request, object_id)
        form = VerdictForm(request.POST or None, claim=claim)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            with service_errors_to(form):
                claim_set_verdict(
                    claim=claim,
                    user=request.user,
                    verdict=data["verdict"],
                    note=data["note"],
                    evidence=list(data["evidence"]),
                    expected_version=data["expected_version"],
                )
                messages.success(request, "The verdict is recorded with your note.")
                return self.back_to_claim(claim)
        intro = f"The verdict now: {claim.get_verdict_display()}."
        return self.render_desk_form(
            request, claim, form, title="Change verdict", submit_label="Record verdict", intro=intro
        )

    def add_evidence_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        claim = self.claim_to_change(request, object_id)
        form = EvidenceAddForm(request.POST or None, claim=claim)
        if request.method == "POST" and form.is_valid():
            # An empty stance or certainty is left to the assessor, not stored as "".
            data = {k: v for k, v in form.cleaned_data.items() if v != ""}
            with service_errors_to(form, {"derived_from": "derived_from_url"}):
                evidence_add(
                    claim=claim,
                    user=request.user,
                    url=data.pop("url", None),
                    derived_from_url=data.pop("derived_from_url", None),
                    **data,
                )
                messages.success(request, "The evidence is linked.")
                return self.back_to_claim(claim)
        return self.render_desk_form(
            request, claim, form, title="Add evidence", submit_label="Link evidence"
        )

    def reviewed_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        claim = self.claim_to_change(request, object_id)
        form = ReviewDoneForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            claim_clear_review(claim=claim, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, format_html("“{}” is off the review queue.", claim))
            next_url = safe_next(request)
            return HttpResponseRedirect(next_url) if next_url else self.back_to_claim(claim)
        return self.render_desk_form(
            request,
            claim,
            form,
            title="Mark reviewed",
            submit_label="Mark reviewed",
            intro=review_reasons(claim),
            next=safe_next(request) or "",
        )

    def review_queue_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        flagged = Claim.objects.needing_review().defer("context", "firmness_explanation")
        waiting = sorted(flagged, key=waiting_since)
        page = Paginator(waiting, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Review queue",
            "page": page,
            "rows": [(claim, review_reasons(claim)) for claim in page],
            "can_change": self.has_change_permission(request),
            "open_offers": LinkOffer.objects.open().count(),
        }
        return TemplateResponse(request, QUEUE_TEMPLATE, context)

"""Evidence on the desk: relabel it, accept what was read from its source, or deprecate it
with a reason. It is never deleted.

New evidence is linked from the claim's page (ClaimDeskViews.add_evidence_view).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.admin.display import admin_link, suggestion_cues, suggestion_summary
from claims.admin.forms import DeprecateForm, EvidenceRelabelForm, service_errors_to
from claims.models import Evidence
from claims.services.evidence import evidence_accept_suggestion, evidence_deprecate

FORM_TEMPLATE = "admin/claims/form_page.html"


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    form = EvidenceRelabelForm
    list_display = (
        "__str__",
        "claim_link",
        "publisher",
        "stance",
        "certainty",
        "kind",
        "labelled_by",
        "deprecated",
    )
    list_filter = ("stance", "certainty", "kind", "labelled_by", "deprecated", "source__health")
    list_select_related = ("claim", "source__publisher")
    search_fields = ("claim__text", "source__url", "source__title", "quote")
    autocomplete_fields = ("derived_from",)
    actions = ("deprecate_selected", "accept_suggestions")
    readonly_fields = (
        "claim_link",
        "source_link",
        "publisher",
        "health",
        "labelled_by",
        "labelled_by_user",
        "status",
        "created_at",
        "updated_at",
        "suggestion",
        "suggestion_confidence",
        "suggested_passage",
        "cues",
    )
    fieldsets = (
        (None, {"fields": ("claim_link", "source_link", "publisher", "health")}),
        ("Labels", {"fields": ("stance", "certainty", "kind", "quote", "derived_from")}),
        (
            "Read from the source",
            {"fields": ("suggestion", "suggestion_confidence", "suggested_passage", "cues")},
        ),
        ("Record", {"fields": ("labelled_by", "labelled_by_user", "status", "created_at")}),
    )

    def get_urls(self) -> list[URLPattern]:
        deprecate = self.admin_site.admin_view(self.deprecate_view)
        accept = self.admin_site.admin_view(self.accept_suggestion_view)
        return [
            path("<int:object_id>/deprecate/", deprecate, name="claims_evidence_deprecate"),
            path("<int:object_id>/accept/", accept, name="claims_evidence_accept_suggestion"),
            *super().get_urls(),
        ]

    def get_form(
        self, request: HttpRequest, obj: Evidence | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Evidence:
        return form.saved  # evidence_relabel already ran, in form validation

    def save_model(self, request: HttpRequest, obj: Evidence, form: Any, change: bool) -> None:
        pass  # saved by evidence_relabel

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # linked from the claim's page, through evidence_add

    def has_change_permission(self, request: HttpRequest, obj: Evidence | None = None) -> bool:
        # Deprecated evidence is kept as it was when it stopped counting.
        if obj is not None and obj.deprecated:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Evidence | None = None) -> bool:
        return False  # deprecate instead: the record keeps what the verdict rested on

    @admin.display(description="Claim", ordering="claim__text")
    def claim_link(self, evidence: Evidence) -> SafeString:
        return admin_link(evidence.claim)

    @admin.display(description="Source")
    def source_link(self, evidence: Evidence) -> SafeString:
        url = evidence.source.url
        return format_html('{} <a href="{}" rel="noopener">↗</a>', admin_link(evidence.source), url)

    @admin.display(description="Publisher", ordering="source__publisher__name")
    def publisher(self, evidence: Evidence) -> str:
        return evidence.source.publisher.name

    @admin.display(description="Source health")
    def health(self, evidence: Evidence) -> str:
        return evidence.source.get_health_display()

    @admin.display(description="Status")
    def status(self, evidence: Evidence) -> str:
        if not evidence.deprecated:
            return "Counts toward the firmness."
        at = f"{evidence.deprecated_at:%Y-%m-%d %H:%M}" if evidence.deprecated_at else ""
        return f"Deprecated {at}: {evidence.deprecated_reason}"

    @admin.display(description="Suggestion")
    def suggestion(self, evidence: Evidence) -> str:
        return suggestion_summary(evidence)

    @admin.display(description="Cues")
    def cues(self, evidence: Evidence) -> SafeString:
        return suggestion_cues(evidence)

    def render_form(self, request: HttpRequest, form: forms.Form, **context: Any) -> Any:
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, FORM_TEMPLATE, {"form": form, **context})

    def deprecate_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=object_id)
        back = HttpResponseRedirect(reverse("admin:claims_claim_change", args=[evidence.claim_id]))
        if evidence.deprecated:
            messages.info(request, f"Evidence #{evidence.pk} is already deprecated.")
            return back
        if not self.has_change_permission(request, evidence):
            raise PermissionDenied
        form = DeprecateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reason = form.cleaned_data["reason"]
            with service_errors_to(form):
                evidence_deprecate(evidence=evidence, reason=reason, user=request.user)
                messages.success(request, f"Evidence #{evidence.pk} no longer counts.")
                return back
        return self.render_form(
            request,
            form,
            original=evidence,
            title=f"Deprecate evidence #{evidence.pk}",
            intro=f"{evidence} on “{evidence.claim}”",
            submit_label="Deprecate",
        )

    @admin.action(description="Deprecate selected evidence…", permissions=["change"])
    def deprecate_selected(
        self, request: HttpRequest, queryset: QuerySet[Evidence]
    ) -> TemplateResponse | None:
        """Asks for one reason, then deprecates each selected piece of live evidence."""
        form = DeprecateForm(request.POST if "apply" in request.POST else None)
        live = queryset.filter(deprecated=False).select_related("claim", "source")
        if form.is_bound and form.is_valid():
            for evidence in live:
                evidence_deprecate(
                    evidence=evidence, reason=form.cleaned_data["reason"], user=request.user
                )
            messages.success(request, f"{len(live)} piece(s) of evidence no longer count.")
            return None
        return self.render_form(
            request,
            form,
            title="Deprecate evidence",
            intro=f"{len(live)} piece(s) of live evidence selected.",
            submit_label="Deprecate",
            action="deprecate_selected",
            selected=[str(pk) for pk in queryset.values_list("pk", flat=True)],
        )

    def accept_suggestion_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Asks once, then makes what was read from the source the editor's labels."""
        evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=object_id)
        back = HttpResponseRedirect(reverse("admin:claims_evidence_change", args=[evidence.pk]))
        if not evidence.suggested_stance:
            messages.info(request, f"Nothing has been read from evidence #{evidence.pk}'s source.")
            return back
        if not self.has_change_permission(request, evidence):
            raise PermissionDenied
        form = forms.Form(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            evidence_accept_suggestion(evidence=evidence, user=request.user)
            messages.success(request, f"Evidence #{evidence.pk} now carries the suggested labels.")
            return back
        return self.render_form(
            request,
            form,
            original=evidence,
            title=f"Accept the suggestion for evidence #{evidence.pk}",
            intro=f"Label it {suggestion_summary(evidence)}, as an editor's labels.",
            submit_label="Accept the suggestion",
        )

    @admin.action(description="Accept the suggestion", permissions=["change"])
    def accept_suggestions(self, request: HttpRequest, queryset: QuerySet[Evidence]) -> None:
        """The selected live evidence takes the labels read from its source, as an editor's."""
        readable = queryset.filter(deprecated=False).exclude(suggested_stance="")
        accepted = 0
        for evidence in readable.select_related("claim"):
            evidence_accept_suggestion(evidence=evidence, user=request.user)
            accepted += 1
        messages.success(request, f"{accepted} piece(s) of evidence took the suggested labels.")

"""The claim on the editors' desk: list, filters, the edit form and the record around it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.admin import display
from claims.admin.desk_views import ClaimDeskViews
from claims.admin.forms import ClaimAdminForm
from claims.admin.imports import ClaimImportViews
from claims.admin.link_offers import open_offers_panel
from claims.models import Claim
from claims.services.claims import claim_clear_review
from factcheck.ids import id_from_text
from sources.models import Publisher

EDIT_FIELDS = (
    "text",
    "context",
    "tag_names",
    "claimant",
    "first_seen",
    "expected_by",
    "published",
    "expected_version",
)


class PublisherFilter(admin.SimpleListFilter):
    """Claims with evidence from a publisher (deprecated evidence included: it is on record)."""

    title = "publisher"
    parameter_name = "publisher"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        publishers = Publisher.objects.filter(sources__evidence__isnull=False).distinct()
        return [(p.pk, p.name) for p in publishers.order_by("name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        publisher = id_from_text(value)
        if publisher is None:
            return queryset.none()  # no such publisher; databases refuse ids past 64 bits
        return queryset.filter(evidence__source__publisher=publisher).distinct()


@admin.register(Claim)
class ClaimAdmin(ClaimImportViews, ClaimDeskViews):
    form = ClaimAdminForm
    list_display = ("short_text", "verdict", "firmness", "needs_review", "published", "updated_at")
    list_filter = (
        "verdict",
        "firmness_level",
        "needs_review",
        "tags",
        PublisherFilter,
        "published",
    )
    search_fields = ("text", "context", "claimant", "slug")
    # The queue first: claims an editor should look at, newest change first.
    ordering = ("-needs_review", "-updated_at")
    actions = ("mark_reviewed",)
    readonly_fields = (
        "verdict_now",
        "firmness",
        "firmness_lines",
        "reasons",
        "evidence_table",
        "offered_sources",
        "verdict_history",
        "recent_events",
        "slug",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": EDIT_FIELDS}),
        ("Verdict and firmness", {"fields": ("verdict_now", "firmness", "firmness_lines")}),
        ("Review", {"fields": ("reasons",)}),
        ("Evidence", {"fields": ("evidence_table",)}),
        ("Sources on offer", {"fields": ("offered_sources",), "classes": ["collapse"]}),
        ("Verdict history", {"fields": ("verdict_history",), "classes": ["collapse"]}),
        ("Timeline", {"fields": ("recent_events",), "classes": ["collapse"]}),
        (
            "Record",
            {
                "fields": ("slug", "version", "created_by", "created_at", "updated_at"),
                "classes": ["collapse"],
            },
        ),
    )

    class Media:
        css = {"all": ["admin/claims/desk.css"]}

    def get_fieldsets(self, request: HttpRequest, obj: Claim | None = None) -> Any:
        # A claim not yet recorded has no verdict, evidence or history to show.
        if obj is not None:
            return self.fieldsets
        return [(None, {"fields": (*EDIT_FIELDS, "allow_duplicate")})]

    def get_form(
        self, request: HttpRequest, obj: Claim | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form saves through the services, which record who acted.
        return type(form.__name__, (form,), {"user": request.user})

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Claim:
        return form.saved  # claim_create / claim_update already ran, in form validation

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        pass  # saved by the service

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # tags were set by the service

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False  # a claim's record is never lost; unpublish it instead

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        waiting = Claim.objects.needing_review().count()
        return super().changelist_view(request, {**(extra_context or {}), "waiting": waiting})

    @admin.display(description="Claim", ordering="text")
    def short_text(self, claim: Claim) -> str:
        return claim.text if len(claim.text) <= 90 else claim.text[:89] + "…"

    @admin.display(description="Firmness", ordering="firmness_score")
    def firmness(self, claim: Claim) -> str:
        return f"{claim.firmness_score} · {claim.get_firmness_level_display()}"

    @admin.display(description="Verdict")
    def verdict_now(self, claim: Claim) -> SafeString:
        url = reverse("admin:claims_claim_verdict", args=[claim.pk])
        return format_html('{} <a href="{}">change…</a>', claim.get_verdict_display(), url)

    @admin.display(description="Why this firmness")
    def firmness_lines(self, claim: Claim) -> SafeString:
        return display.firmness_lines(claim)

    @admin.display(description="Review reasons")
    def reasons(self, claim: Claim) -> SafeString:
        return display.review_reasons(claim)

    @admin.display(description="Evidence")
    def evidence_table(self, claim: Claim) -> SafeString:
        add = reverse("admin:claims_claim_add_evidence", args=[claim.pk])
        return format_html(
            '{}<p><a href="{}">Add evidence…</a></p>', display.evidence_table(claim), add
        )

    @admin.display(description="Matching this claim")
    def offered_sources(self, claim: Claim) -> SafeString:
        return open_offers_panel(claim)

    @admin.display(description="Verdict changes")
    def verdict_history(self, claim: Claim) -> SafeString:
        return display.verdict_history(claim)

    @admin.display(description="Recent events")
    def recent_events(self, claim: Claim) -> SafeString:
        return display.recent_events(claim)

    @admin.action(description="Mark selected claims reviewed", permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        cleared = 0
        for claim in queryset.filter(needs_review=True):
            claim_clear_review(claim=claim, user=request.user)
            cleared += 1
        messages.success(request, f"{cleared} claim(s) taken off the review queue.")

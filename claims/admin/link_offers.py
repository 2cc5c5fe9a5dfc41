"""Sources offered as evidence of claims they strongly match: the desk accepts or dismisses
them here, through claims.services.link_offers; offers are made by the service, never here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.admin.display import admin_link, table, when
from claims.models import Claim, LinkOffer, LinkOfferStatus
from claims.services.link_offers import LinkOfferDecided, link_offer_accept, link_offer_dismiss

PASSAGE_SHOWN = 160


def shortened(text: str, size: int = PASSAGE_SHOWN) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


@admin.register(LinkOffer)
class LinkOfferAdmin(admin.ModelAdmin):
    list_display = ("claim_link", "source_link", "score_shown", "passage_shown", "status")
    list_filter = ("status", "method")
    list_select_related = ("claim", "source__publisher")
    search_fields = ("claim__text", "source__url", "source__title", "passage")
    ordering = ("-offered_at", "-id")
    actions = ("link_as_evidence", "dismiss")
    fields = (
        "claim_link",
        "source_link",
        "score_shown",
        "passage",
        "method",
        "status",
        "offered_at",
        "decided_at",
        "decided_by",
        "evidence_link",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # offers come from matching a source's new version

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a dismissed offer is kept: it is what stops the offer coming back

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deciding is done with the list's actions; an offer's own page only shows it.
        return obj is None and super().has_change_permission(request)

    @admin.display(description="Claim", ordering="claim__text")
    def claim_link(self, offer: LinkOffer) -> SafeString:
        return admin_link(offer.claim, shortened(offer.claim.text, 90))

    @admin.display(description="Source", ordering="source__url")
    def source_link(self, offer: LinkOffer) -> SafeString:
        source = offer.source
        return format_html(
            '{} · {} <a href="{}" rel="noopener">↗</a>',
            source.publisher.name,
            admin_link(source, shortened(source.title or source.url, 80)),
            source.url,
        )

    @admin.display(description="Match", ordering="score")
    def score_shown(self, offer: LinkOffer) -> str:
        return f"{offer.score:.2f}"

    @admin.display(description="Passage")
    def passage_shown(self, offer: LinkOffer) -> str:
        return shortened(offer.passage)

    @admin.display(description="Evidence")
    def evidence_link(self, offer: LinkOffer) -> SafeString | str:
        return admin_link(offer.evidence, f"#{offer.evidence.pk}") if offer.evidence else ""

    @admin.action(description="Link selected sources as evidence", permissions=["change"])
    def link_as_evidence(self, request: HttpRequest, queryset: QuerySet[LinkOffer]) -> None:
        self.decide(request, queryset, link_offer_accept, "linked as evidence")

    @admin.action(description="Dismiss selected offers", permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[LinkOffer]) -> None:
        self.decide(request, queryset, link_offer_dismiss, "dismissed")

    def decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[LinkOffer],
        service: Callable[..., LinkOffer],
        done_words: str,
    ) -> None:
        done = 0
        for offer in queryset.order_by("pk"):
            try:
                service(offer=offer, user=request.user)
                done += 1
            except LinkOfferDecided as exc:
                messages.warning(request, f"{offer}: {exc}")
        messages.success(request, f"{done} offer(s) {done_words}.")


def open_offers_panel(claim: Claim) -> SafeString:
    """The claim page's list of sources waiting to be linked or dismissed."""
    offers = LinkOffer.objects.open().filter(claim=claim).select_related("source__publisher")
    rows = [
        (
            admin_link(offer.source, shortened(offer.source.title or offer.source.url, 80)),
            offer.source.publisher.name,
            f"{offer.score:.2f}",
            shortened(offer.passage),
            when(offer.offered_at),
        )
        for offer in offers
    ]
    listing = table(
        ("Source", "Publisher", "Match", "Passage", "Offered"), rows, "No sources on offer."
    )
    if not rows:
        return listing
    decide = format_html(
        '<p><a href="{}?claim__id__exact={}&status__exact={}">Link or dismiss them…</a></p>',
        reverse("admin:claims_linkoffer_changelist"),
        claim.pk,
        LinkOfferStatus.OPEN,
    )
    return format_html("{}{}", listing, decide)

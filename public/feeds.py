"""Atom feeds of published changes: the whole desk's, and one claim's.

Each entry is one event on a claim's public timeline (a verdict, evidence, a source, the
firmness), linking to that event on the claim page. Atom summaries are HTML, so the event's
plain text is escaped once more here: feed readers would otherwise run markup in it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from claims.models import Claim, ClaimEvent
from public.caching import Stamp, respond

FEED_SIZE = 50


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "factcheck: every published change"
    subtitle = "Verdicts, evidence, sources and firmness, as they change."

    def link(self) -> str:
        return reverse("claim-list")

    def author_name(self) -> str:
        return settings.FACTCHECK_ORGANISATION

    def items(self) -> QuerySet[ClaimEvent]:
        return public_events(ClaimEvent.objects.public())[:FEED_SIZE]

    def item_title(self, item: ClaimEvent) -> str:
        return f"{item.get_kind_display()}: {item.claim.text}"

    def item_description(self, item: ClaimEvent) -> str:
        return f"<p>{escape(item.summary)}</p>"

    def item_link(self, item: ClaimEvent) -> str:
        return f"{item.claim.get_absolute_url()}#event-{item.pk}"

    def item_guid(self, item: ClaimEvent) -> str:
        # Stable whatever happens to the claim's address.
        return f"tag:{settings.SITE_URL.split('://', 1)[-1]},2026:claim-event/{item.pk}"

    def item_pubdate(self, item: ClaimEvent) -> datetime.datetime:
        return item.at

    def item_updateddate(self, item: ClaimEvent) -> datetime.datetime:
        return item.at


class ClaimFeed(ChangesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Claim:
        return get_object_or_404(Claim.objects.published(), slug=kwargs["slug"])

    def title(self, obj: Claim) -> str:  # type: ignore[override]
        return f"factcheck: {obj.text}"

    def link(self, obj: Claim) -> str:  # type: ignore[override]
        return obj.get_absolute_url()

    def items(self, obj: Claim) -> QuerySet[ClaimEvent]:  # type: ignore[override]
        return public_events(ClaimEvent.objects.public().filter(claim=obj))[:FEED_SIZE]


def public_events(events: QuerySet[ClaimEvent]) -> QuerySet[ClaimEvent]:
    return events.select_related("claim").order_by("-at", "-id")


def events_stamp(events: QuerySet[ClaimEvent]) -> Stamp:
    """Events are append-only, so the newest id names the feed's state; the count catches a
    claim leaving it (unpublished: its events stop being public, the newest may not)."""
    row = events.aggregate(last_id=Max("id"), last_at=Max("at"), count=Count("id"))
    return Stamp(parts=("feed", row["last_id"], row["count"]), modified=row["last_at"])


@require_safe
def changes_feed(request: HttpRequest) -> HttpResponse:
    stamp = events_stamp(ClaimEvent.objects.public())
    return respond(request, stamp, lambda: ChangesFeed()(request), shared=True, vary=False)


@require_safe
def claim_feed(request: HttpRequest, slug: str) -> HttpResponse:
    if not Claim.objects.published().filter(slug=slug).exists():
        raise Http404("No published claim here.")
    stamp = events_stamp(ClaimEvent.objects.public().filter(claim__slug=slug))
    build = lambda: ClaimFeed()(request, slug=slug)  # noqa: E731
    return respond(request, stamp, build, shared=True, vary=False)

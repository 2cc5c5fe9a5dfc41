"""Atom feeds: what readers follow, for the whole desk and for one claim; and the desk's own
feed of every change, for editors.

A reader's feed carries what changes a claim's standing: a verdict, a change of firmness
level (a score moving within a level is not news), a claim published, and a correction of
its words, each said in plain words. The desk's feed (editors only) carries every event,
the review queue's included, with the summaries the timeline keeps. Atom summaries are
HTML, so every text is escaped once more here: feed readers would otherwise run markup in it.
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

from claims.models import Claim, ClaimEvent, EventKind, Level, Verdict
from claims.permissions import sees_unpublished
from public.caching import Stamp, respond

FEED_SIZE = 50


def headline(event: ClaimEvent) -> str:
    """The change in a few plain words, for the entry's title."""
    data = event.data or {}
    if event.kind == EventKind.VERDICT_CHANGED:
        return f"Verdict changed to {_label(Verdict, data.get('verdict'))}"
    if event.kind == EventKind.FIRMNESS_CHANGED:
        return f"Now {_label(Level, data.get('level')).lower()}"
    if event.kind == EventKind.PUBLISHED:
        return "New claim"
    if event.kind == EventKind.CORRECTED:
        return "Corrected"
    return event.get_kind_display()


def in_words(event: ClaimEvent) -> str:
    """The change as a reader reads it: what it is now, and why when the desk said why."""
    data = event.data or {}
    if event.kind == EventKind.VERDICT_CHANGED:
        note = str(data.get("note") or "").strip()
        return f"{headline(event)}: {note}" if note else f"{headline(event)}."
    if event.kind == EventKind.FIRMNESS_CHANGED:
        was = _label(Level, data.get("previous_level")).lower()
        now = _label(Level, data.get("level")).lower()
        return f"The evidence now reads {now} (it read {was}); firmness {data.get('score')} of 100."
    if event.kind == EventKind.PUBLISHED:
        return f"New claim published: {event.claim.text}"
    if event.kind == EventKind.CORRECTED:
        return f"The desk corrected this claim; it now reads “{event.claim.text}”."
    return event.summary


def _label(choices: Any, value: Any) -> str:
    return choices(value).label if value in choices.values else str(value or "unknown")


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "factcheck: what changed"
    subtitle = "Verdicts, firmness levels, new claims and corrections, as they happen."

    def link(self) -> str:
        return reverse("claim-list")

    def author_name(self) -> str:
        return settings.FACTCHECK_ORGANISATION

    def items(self) -> QuerySet[ClaimEvent]:
        return newest(reader_events())[:FEED_SIZE]

    def item_title(self, item: ClaimEvent) -> str:
        return f"{headline(item)}: {item.claim.text}"

    def item_description(self, item: ClaimEvent) -> str:
        return f"<p>{escape(in_words(item))}</p>"

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
        return newest(reader_events().filter(claim=obj))[:FEED_SIZE]


class DeskFeed(ChangesFeed):
    title = "factcheck: the desk's timeline"
    subtitle = "Every change to every claim, published or not, the review queue's included."

    def items(self) -> QuerySet[ClaimEvent]:
        return newest(ClaimEvent.objects.all())[:FEED_SIZE]

    def item_title(self, item: ClaimEvent) -> str:
        return f"{item.get_kind_display()}: {item.claim.text}"

    def item_description(self, item: ClaimEvent) -> str:
        return f"<p>{escape(item.summary)}</p>"


def reader_events() -> QuerySet[ClaimEvent]:
    return ClaimEvent.objects.public().newsworthy()


def newest(events: QuerySet[ClaimEvent]) -> QuerySet[ClaimEvent]:
    return events.select_related("claim").order_by("-at", "-id")


def events_stamp(events: QuerySet[ClaimEvent], *parts: object) -> Stamp:
    """Events are append-only, so the newest id names the feed's state; the count catches a
    claim leaving it (unpublished: its events stop being public, the newest may not)."""
    row = events.aggregate(last_id=Max("id"), last_at=Max("at"), count=Count("id"))
    return Stamp(parts=("feed", *parts, row["last_id"], row["count"]), modified=row["last_at"])


@require_safe
def changes_feed(request: HttpRequest) -> HttpResponse:
    stamp = events_stamp(reader_events())
    return respond(request, stamp, lambda: ChangesFeed()(request), shared=True, vary=False)


@require_safe
def claim_feed(request: HttpRequest, slug: str) -> HttpResponse:
    if not Claim.objects.published().filter(slug=slug).exists():
        raise Http404("No published claim here.")
    stamp = events_stamp(reader_events().filter(claim__slug=slug))
    build = lambda: ClaimFeed()(request, slug=slug)  # noqa: E731
    return respond(request, stamp, build, shared=True, vary=False)


@require_safe
def desk_feed(request: HttpRequest) -> HttpResponse:
    """Editors only (signed in to the desk); anyone else finds nothing here."""
    if not sees_unpublished(request.user):
        raise Http404("No feed here.")
    stamp = events_stamp(ClaimEvent.objects.all(), "desk", request.user.pk)
    return respond(request, stamp, lambda: DeskFeed()(request), shared=False)

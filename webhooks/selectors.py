"""Reads the webhooks share: which subscriptions want an event, and whose queue is due."""

from __future__ import annotations

import datetime

from django.db.models import Min, Q
from django.utils import timezone

from claims.models import Claim, Evidence
from webhooks.models import Delivery, Subscription


def _listening(event_type: str) -> list[Subscription]:
    """Active subscriptions to `event_type`. Filtered here rather than in SQL: SQLite cannot
    look inside a JSON list, and a desk has tens of subscriptions, not millions."""
    fields = ("id", "events", "claim_id", "tag_id")  # not the secret: nothing here signs
    subscriptions = Subscription.objects.active().only(*fields).order_by("pk")
    return [s for s in subscriptions if s.wants(event_type)]


def _tag_ids(claim_ids: set[int]) -> set[int]:
    through = Claim.tags.through.objects.filter(claim_id__in=claim_ids)
    return set(through.values_list("tag_id", flat=True))


def _matching(listening: list[Subscription], claim_ids: set[int]) -> list[Subscription]:
    if not listening:
        return []
    needs_tags = any(s.tag_id is not None for s in listening)
    tag_ids = _tag_ids(claim_ids) if needs_tags and claim_ids else set()
    return [s for s in listening if s.matches(claim_ids, tag_ids)]


def subscriptions_for_claim(event_type: str, *, claim_id: int) -> list[Subscription]:
    return _matching(_listening(event_type), {claim_id})


def subscriptions_for_source(event_type: str, *, source_id: int) -> list[Subscription]:
    """A source's event reaches subscriptions to any claim that cites it (live evidence)."""
    listening = _listening(event_type)
    if not listening or all(s.claim_id is None and s.tag_id is None for s in listening):
        return listening
    citing = Evidence.objects.live().filter(source_id=source_id)
    return _matching(listening, set(citing.values_list("claim_id", flat=True)))


def subscriptions_with_due_head(now: datetime.datetime | None = None) -> list[int]:
    """Active, unleased subscriptions whose oldest pending delivery is due: the ones a
    worker should send now (a later delivery never goes before the head of its queue)."""
    now = now or timezone.now()
    heads = (
        Delivery.objects.pending().values("subscription").annotate(head=Min("id")).values("head")
    )
    free = Q(subscription__lease_until__isnull=True) | Q(subscription__lease_until__lt=now)
    due = Delivery.objects.filter(pk__in=heads, next_attempt_at__lte=now, subscription__active=True)
    return list(
        due.filter(free).values_list("subscription_id", flat=True).order_by("subscription_id")
    )


def subscriptions_of_event(event_id: int) -> list[int]:
    """The active subscriptions an event still has to reach, but for those a worker is
    sending right now: that worker looks again before it lets go, and takes this one too."""
    now = timezone.now()
    pending = Delivery.objects.pending().filter(event_id=event_id, subscription__active=True)
    free = Q(subscription__lease_until__isnull=True) | Q(subscription__lease_until__lt=now)
    return list(pending.filter(free).values_list("subscription_id", flat=True).distinct())

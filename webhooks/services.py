"""Every write about webhooks but the sending itself (webhooks/sending.py): subscriptions,
the outbox (an event and its deliveries, written in the caller's transaction), pings and
redeliveries. Keyword-only and atomic; what must reach a worker is queued on commit."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, Tag
from factcheck.users import signed_in
from sources.fetch.guard import RefusedURL, validate_fetchable
from webhooks import encryption, signing
from webhooks.models import (
    SUBSCRIBABLE,
    Delivery,
    EventType,
    Subscription,
    WebhookEvent,
)
from webhooks.tasks import event_queue_dispatch, subscription_queue_send

EDITABLE_FIELDS = ("url", "events", "claim", "tag", "active")


class SubscriptionDisabled(Exception):
    """Nothing is sent to a disabled subscription: enable it first."""


def checked_url(url: str) -> str:
    """The URL, if the fetcher's guard would let us connect to it (a 400 otherwise)."""
    try:
        validate_fetchable(url)
    except RefusedURL as exc:
        raise ValidationError({"url": str(exc)}) from None
    return url


def checked_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    unknown = [name for name in chosen if name not in SUBSCRIBABLE]
    if unknown or not chosen:
        raise ValidationError({"events": f"Choose among: {', '.join(SUBSCRIBABLE)}."})
    return chosen


def _check_filters(claim: Claim | None, tag: Tag | None) -> None:
    if claim is not None and tag is not None:
        raise ValidationError({"tag": "Filter by a claim or by a tag, not both."})


@transaction.atomic
def subscription_create(
    *,
    url: str,
    events: Iterable[str],
    claim: Claim | None = None,
    tag: Tag | None = None,
    active: bool = True,
    user: Any = None,
) -> tuple[Subscription, str]:
    """A new subscription and its signing secret, which is shown this once."""
    _check_filters(claim, tag)
    secret = signing.new_secret()
    subscription = Subscription.objects.create(
        url=checked_url(url),
        events=checked_events(events),
        claim=claim,
        tag=tag,
        active=active,
        secret_encrypted=encryption.encrypt(secret),
        created_by=signed_in(user),
    )
    return subscription, secret


@transaction.atomic
def subscription_update(*, subscription: Subscription, **fields: Any) -> Subscription:
    """Change what is sent where. Enabling a disabled subscription forgets its failures and
    sends what waited in its queue."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"subscription_update cannot change {', '.join(sorted(unknown))}")
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if "url" in fields:
        fields["url"] = checked_url(fields["url"])
    if "events" in fields:
        fields["events"] = checked_events(fields["events"])
    for name, value in fields.items():
        setattr(subscription, name, value)
    _check_filters(subscription.claim, subscription.tag)
    if fields.get("active") and subscription.disabled_at is not None:
        subscription.consecutive_failures = 0
        subscription.disabled_reason, subscription.disabled_at = "", None
    subscription.save()
    if subscription.active:
        subscription_queue_send(subscription_id=subscription.pk)
    return subscription


@transaction.atomic
def subscription_new_secret(*, subscription: Subscription) -> str:
    """Replace the signing secret (say it leaked, or SECRET_KEY changed without a fallback);
    the new one is shown this once. Deliveries still to come are signed with it."""
    secret = signing.new_secret()
    Subscription.objects.filter(pk=subscription.pk).update(
        secret_encrypted=encryption.encrypt(secret), updated_at=timezone.now()
    )
    return secret


def event_body(event: WebhookEvent, data: dict[str, Any]) -> str:
    envelope = {
        "id": str(event.uuid),
        "event": event.type,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


@transaction.atomic
def webhook_event_record(
    *, event_type: str, data: dict[str, Any], subscriptions: Iterable[Subscription]
) -> WebhookEvent | None:
    """The outbox: the event and a pending delivery per subscription, in the caller's
    transaction; one task fans them out to the workers once it commits."""
    targets = list(subscriptions)
    if not targets:
        return None
    event = WebhookEvent(type=event_type)
    event.body = event_body(event, data)
    event.save()
    Delivery.objects.bulk_create(
        [Delivery(subscription=s, event=event, created_at=event.created_at) for s in targets]
    )
    event_queue_dispatch(event_id=event.pk)
    return event


@transaction.atomic
def subscription_ping(*, subscription: Subscription) -> Delivery:
    """A test event for this subscription alone; it waits its turn behind pending ones."""
    if not subscription.active:
        raise SubscriptionDisabled("The subscription is disabled: enable it to send a ping.")
    data = {"subscription": subscription.pk, "message": "A test event from factcheck."}
    event = webhook_event_record(event_type=EventType.PING, data=data, subscriptions=[subscription])
    assert event is not None
    return Delivery.objects.select_related("event").get(event=event)


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Send a delivery's event again, as a new delivery (a new X-Factcheck-Delivery, the
    same event `id` and body), at the end of the subscription's queue."""
    subscription = delivery.subscription
    if not subscription.active:
        raise SubscriptionDisabled("The subscription is disabled: enable it to redeliver.")
    again = Delivery.objects.create(
        subscription=subscription, event=delivery.event, redelivery_of=delivery
    )
    subscription_queue_send(subscription_id=subscription.pk)
    return again


@transaction.atomic
def subscriptions_reencrypt_secrets() -> tuple[int, list[int]]:
    """Every secret under the current key; (how many, the ids whose secret is unreadable)."""
    done, unreadable = 0, []
    for subscription in Subscription.objects.select_for_update().order_by("pk"):
        try:
            token = encryption.reencrypt(subscription.secret_encrypted)
        except encryption.SecretUnreadable:
            unreadable.append(subscription.pk)
            continue
        Subscription.objects.filter(pk=subscription.pk).update(secret_encrypted=token)
        done += 1
    return done, unreadable

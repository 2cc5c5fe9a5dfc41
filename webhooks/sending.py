"""Sending a subscription's deliveries: one worker at a time, oldest first, each attempt
recorded. Called by webhooks.tasks; the HTTP work happens between short transactions, never
inside one (a slow receiver must not hold a database lock).

Order: a subscription's pending deliveries go in the order they were written (their ids).
Only the oldest is ever attempted; while it waits for a retry, everything behind it waits
too. Exclusion: a worker takes the subscription's lease with a conditional UPDATE (a second
worker finds it taken and leaves), renews it before each attempt, and gives it back at the
end; a worker that dies loses it after a minute or so.
"""

from __future__ import annotations

import datetime
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from webhooks import encryption, signing
from webhooks.delivery import Answer, Outcome, Poster, poster
from webhooks.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Subscription,
    WebhookEvent,
)
from webhooks.schedule import RetrySchedule

# Deliveries one run sends before it lets other subscriptions' runs have the worker.
SEND_BATCH = 50
LEASE_MARGIN = 30.0  # seconds a lease outlives the longest attempt


@dataclass
class SendReport:
    sent: int = 0
    busy: bool = False  # another worker holds the subscription, or it is disabled
    again_in: float | None = None  # seconds until the head of the queue is due; None: empty


class Lease:
    """The right to send one subscription's deliveries, held by one worker."""

    def __init__(self, subscription_id: int, token: str) -> None:
        self.subscription_id, self.token = subscription_id, token

    @staticmethod
    def seconds() -> float:
        return (
            settings.FACTCHECK_WEBHOOK_CONNECT_TIMEOUT
            + settings.FACTCHECK_WEBHOOK_TIMEOUT
            + LEASE_MARGIN
        )

    @classmethod
    def take(cls, subscription_id: int) -> Lease | None:
        now, token = timezone.now(), secrets.token_hex(16)
        free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        until = now + datetime.timedelta(seconds=cls.seconds())
        taken = Subscription.objects.filter(free, pk=subscription_id, active=True).update(
            lease_token=token, lease_until=until
        )
        return cls(subscription_id, token) if taken else None

    def renew(self) -> bool:
        until = timezone.now() + datetime.timedelta(seconds=self.seconds())
        mine = Subscription.objects.filter(pk=self.subscription_id, lease_token=self.token)
        return bool(mine.filter(active=True).update(lease_until=until))

    def release(self) -> None:
        mine = Subscription.objects.filter(pk=self.subscription_id, lease_token=self.token)
        mine.update(lease_token="", lease_until=None)


def queue_head(subscription_id: int) -> Delivery | None:
    pending = Delivery.objects.pending().filter(subscription_id=subscription_id)
    return pending.select_related("event").order_by("id").first()


def subscription_send_due(*, subscription_id: int, limit: int = SEND_BATCH) -> SendReport:
    """Send the subscription's due deliveries, oldest first, until one must wait for a retry
    or `limit` were sent; `again_in` says when to run again."""
    lease = Lease.take(subscription_id)
    if lease is None:
        return SendReport(busy=True)
    report = SendReport()
    try:
        subscription = Subscription.objects.filter(pk=subscription_id).first()
        signer = _signer(subscription) if subscription else Signer("", "")  # deleted meanwhile
        with poster() as post:
            while signer and report.sent < limit and lease.renew():
                head = queue_head(subscription_id)
                if head is None or head.next_attempt_at > timezone.now():
                    break
                delivery_attempt(delivery=head, signer=signer, post=post)
                report.sent += 1
    finally:
        lease.release()
    report.again_in = _due_in(subscription_id)
    return report


@dataclass(frozen=True)
class Signer:
    """What a run needs of its subscription, read once: where, and the secret to sign with."""

    url: str
    secret: str

    def __bool__(self) -> bool:
        return bool(self.secret)


def _signer(subscription: Subscription) -> Signer:
    """The secret decrypted; an empty Signer (and the subscription disabled, with the reason)
    when it cannot be: nothing is ever signed with a wrong key."""
    try:
        return Signer(subscription.url, encryption.decrypt(subscription.secret_encrypted))
    except encryption.SecretUnreadable as exc:
        subscription_disable(subscription_id=subscription.pk, reason=str(exc))
        return Signer(subscription.url, "")


def _due_in(subscription_id: int) -> float | None:
    """Seconds until the head of an active subscription's queue is due (0: now)."""
    if not Subscription.objects.filter(pk=subscription_id, active=True).exists():
        return None
    head = queue_head(subscription_id)
    if head is None:
        return None
    return max(0.0, (head.next_attempt_at - timezone.now()).total_seconds())


def signed_headers(delivery: Delivery, secret: str, body: bytes) -> dict[str, str]:
    timestamp = int(time.time())  # fresh on every attempt: a retry is no replay
    return {
        "Content-Type": "application/json",
        "Accept-Encoding": "identity",  # we read at most 64 KB: no decompression bombs
        "X-Factcheck-Event": delivery.event.type,
        "X-Factcheck-Delivery": str(delivery.uuid),
        "X-Factcheck-Timestamp": str(timestamp),
        "X-Factcheck-Signature": signing.signature(secret, timestamp, body),
    }


def delivery_attempt(*, delivery: Delivery, signer: Signer, post: Poster) -> Answer:
    """One attempt at `delivery`, signed afresh, and recorded."""
    body = delivery.event.body.encode("utf-8")
    started = timezone.now()
    answer = post.post(signer.url, body, signed_headers(delivery, signer.secret, body))
    delivery_record_attempt(delivery=delivery, answer=answer, started=started)
    return answer


@transaction.atomic
def delivery_record_attempt(
    *, delivery: Delivery, answer: Answer, started: datetime.datetime
) -> Delivery:
    """Log the attempt and decide: delivered, tried again later, or given up."""
    number = delivery.attempts + 1
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        at=started,
        status_code=answer.status,
        error=answer.error[: DeliveryAttempt.ERROR_MAX],
        duration_ms=round(answer.duration * 1000),
        response_excerpt=answer.excerpt,
    )
    delivery.attempts = number
    delivery.first_attempt_at = delivery.first_attempt_at or started
    delivery.last_error = answer.error[: Subscription.REASON_MAX]
    if answer.outcome is Outcome.DELIVERED:
        _settle(delivery, DeliveryState.DELIVERED)
        Subscription.objects.filter(pk=delivery.subscription_id).update(consecutive_failures=0)
    else:
        _after_failure(delivery, answer)
        _count_failure(delivery.subscription_id, answer)
    delivery.save(
        update_fields=[
            "attempts",
            "first_attempt_at",
            "last_error",
            "state",
            "next_attempt_at",
            "finished_at",
        ]
    )
    return delivery


def _settle(delivery: Delivery, state: str) -> None:
    delivery.state, delivery.finished_at = state, timezone.now()


def _after_failure(delivery: Delivery, answer: Answer) -> None:
    """A retry when the failure may pass and the retry window is open; else the end."""
    if answer.outcome is not Outcome.RETRY:
        _settle(delivery, DeliveryState.FAILED)
        return
    wait = RetrySchedule.from_settings().delay(delivery.attempts, answer.retry_after)
    retry_at = timezone.now() + datetime.timedelta(seconds=wait)
    closes = delivery.retry_window_closes()
    if closes is not None and retry_at > closes:
        delivery.last_error = f"Gave up after {delivery.attempts} attempts: {answer.error}"[
            : Subscription.REASON_MAX
        ]
        _settle(delivery, DeliveryState.FAILED)
        return
    delivery.next_attempt_at = retry_at


def _count_failure(subscription_id: int, answer: Answer) -> None:
    """One more failed attempt in a row; at the limit, the subscription is disabled."""
    subscriptions = Subscription.objects.filter(pk=subscription_id)
    subscriptions.update(consecutive_failures=F("consecutive_failures") + 1)
    failures = subscriptions.values_list("consecutive_failures", flat=True).get()
    limit = settings.FACTCHECK_WEBHOOK_DISABLE_AFTER
    if failures >= limit:
        reason = f"Disabled after {failures} failed attempts in a row; the last: {answer.error}"
        subscription_disable(subscription_id=subscription_id, reason=reason)


@transaction.atomic
def subscription_disable(*, subscription_id: int, reason: str) -> bool:
    """Stop sending to a subscription, saying why (the desk sees it in the admin and the API).
    Its pending deliveries wait; enabling it again sends them."""
    now = timezone.now()
    changed = Subscription.objects.filter(pk=subscription_id, active=True).update(
        active=False,
        disabled_reason=reason[: Subscription.REASON_MAX],
        disabled_at=now,
        updated_at=now,
    )
    return bool(changed)


@transaction.atomic
def deliveries_prune(*, now: datetime.datetime | None = None) -> int:
    """Drop the delivery log (attempts included) older than FACTCHECK_WEBHOOK_KEEP_DAYS, and
    events no delivery refers to any longer; how many deliveries went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.FACTCHECK_WEBHOOK_KEEP_DAYS)
    _, by_model = Delivery.objects.filter(created_at__lt=cutoff).delete()
    WebhookEvent.objects.filter(created_at__lt=cutoff, deliveries__isnull=True).delete()
    return by_model.get(Delivery._meta.label, 0)

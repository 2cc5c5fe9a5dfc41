"""Writing a task's intent with the change that needs it, and publishing it to the broker.

`outbox_add` writes a row in the caller's transaction: if the change commits, the task
exists, whatever the broker is doing. Once the transaction commits the row is published at
once (the fast path); if the broker cannot take it, the relay (`manage.py outbox_relay`, a
process of its own) publishes it as soon as the broker is back. A publisher claims a row
before sending it and marks it sent afterwards; a publisher that dies in between lets the
claim run out, and the row is sent again: the tasks behind it are safe to run twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone

from outbox.broker import broker_failed, publishing_connection
from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 30  # longer than a publish can take with the broker's bounded timeouts
MAX_BACKOFF_SECONDS = 30  # after failed publishes the relay tries at least this often
KEEP_SENT_DAYS = 7


def outbox_add(
    *, task: str, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None
) -> OutboxMessage:
    """Promise to run `task`: a row now, in the caller's transaction; the broker later.

    The row is born held by this process, which publishes it as soon as the transaction
    commits: the relay leaves it alone meanwhile, and this publish need not claim it first
    (one write fewer on every check that finds a new version). If the process dies before
    publishing, the hold runs out and the relay sends it."""
    held = timezone.now() + timedelta(seconds=CLAIM_SECONDS)
    message = OutboxMessage.objects.create(
        task=task, args=list(args), kwargs=kwargs or {}, claimed_until=held
    )
    transaction.on_commit(lambda: _publish_held(message), robust=True)
    return message


def _publish_held(message: OutboxMessage) -> None:
    if broker_failed.recent():  # the broker failed a moment ago: the relay's to send
        OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
            claimed_until=timezone.now()
        )
        return
    _send(message)


def outbox_publish(*, message_id: int) -> bool:
    """Send one pending message to the broker; True when this call sent it."""
    now = timezone.now()
    claimed = OutboxMessage.objects.due(now).filter(pk=message_id)
    if not claimed.update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS)):
        return False  # sent already, or another publisher holds it
    return _send(OutboxMessage.objects.get(pk=message_id))


def _send(message: OutboxMessage) -> bool:
    """Publish a message this process holds; True when the broker took it."""
    try:
        with publishing_connection(current_app) as connection:
            current_app.send_task(
                message.task,
                args=message.args,
                kwargs=message.kwargs,
                retry=False,
                connection=connection,
            )
    except Exception as exc:  # the broker is down or hangs: keep it for the relay
        broker_failed.note()
        _postpone(message, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now())
    return True


def _postpone(message: OutboxMessage, exc: Exception) -> None:
    attempts = message.attempts + 1
    wait = min(2 ** min(attempts, 10), MAX_BACKOFF_SECONDS)
    error = f"{type(exc).__name__}: {exc}"[: OutboxMessage.ERROR_MAX]
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        last_error=error,
        claimed_until=timezone.now() + timedelta(seconds=wait),
    )
    logger.warning("outbox: %s #%s not published yet (%s)", message.task, message.pk, error)


def outbox_relay(*, limit: int = 500) -> int:
    """Publish what is pending and due, oldest first; how many were sent."""
    ids = list(OutboxMessage.objects.due().order_by("id").values_list("pk", flat=True)[:limit])
    sent = 0
    for message_id in ids:
        if outbox_publish(message_id=message_id):
            sent += 1
        elif OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).exists():
            break  # the broker refused one: the rest would wait on it too
    return sent


def outbox_prune(*, days: int = KEEP_SENT_DAYS) -> int:
    """Forget messages sent more than `days` ago; how many."""
    before = timezone.now() - timedelta(days=days)
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=before).delete()
    return deleted

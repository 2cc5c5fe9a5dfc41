"""Celery tasks for webhooks, on the `webhooks` queue (CELERY_TASK_ROUTES): thin wrappers
that take ids and call webhooks.sending.

- `dispatch_event`: queued when an event's transaction commits; queues a send per subscription.
- `send_deliveries`: sends one subscription's due deliveries in order (webhooks.sending holds
  the lease that makes a second copy of the task a no-op), then queues itself for the next
  retry when that is near; later ones are the beat's.
- `requeue_due_deliveries` (beat, every 30 s): queues a send for every subscription whose
  oldest pending delivery is due, so that a lost message or a broker outage loses nothing:
  the deliveries are rows, written with the change that made them.
- `prune_deliveries` (beat, daily): the delivery log is kept FACTCHECK_WEBHOOK_KEEP_DAYS.

No Celery retries: the rows are the queue. A task that fails (the database away for a
moment) leaves its deliveries pending, and the beat queues them again once the lease it held
runs out. Delivery is at least once: a worker that dies between a receiver's answer and its
record sends that delivery again, with the same X-Factcheck-Delivery.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, shared_task
from django.db import transaction

from outbox.broker import broker_failed, publishing_connection
from webhooks.selectors import subscriptions_of_event, subscriptions_with_due_head
from webhooks.sending import deliveries_prune, subscription_send_due

logger = logging.getLogger(__name__)

# A retry further off than this is left to the beat: a message held this long by a worker
# would outlive the Redis transport's visibility timeout and be delivered twice.
COUNTDOWN_MAX = 300.0


@shared_task(acks_late=True, ignore_result=True)
def dispatch_event(event_id: int) -> int:
    subscription_ids = subscriptions_of_event(event_id)
    for subscription_id in subscription_ids:
        send_deliveries.delay(subscription_id)
    return len(subscription_ids)


@shared_task(acks_late=True, ignore_result=True)
def send_deliveries(subscription_id: int) -> int:
    report = subscription_send_due(subscription_id=subscription_id)
    if report.again_in is not None and report.again_in <= COUNTDOWN_MAX:
        send_deliveries.apply_async((subscription_id,), countdown=report.again_in)
    return report.sent


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=25, time_limit=28)
def requeue_due_deliveries() -> int:
    subscription_ids = subscriptions_with_due_head()
    for subscription_id in subscription_ids:
        send_deliveries.delay(subscription_id)
    return len(subscription_ids)


@shared_task(acks_late=True, ignore_result=True)
def prune_deliveries() -> int:
    pruned = deliveries_prune()
    logger.info("pruned %d webhook deliveries", pruned)
    return pruned


def event_queue_dispatch(*, event_id: int) -> None:
    """Fan the event out once the transaction commits. A broker out of reach must not undo
    the caller's committed change, nor hold the request: the beat finds the deliveries."""
    transaction.on_commit(lambda: _publish(dispatch_event, event_id))


def subscription_queue_send(*, subscription_id: int) -> None:
    transaction.on_commit(lambda: _publish(send_deliveries, subscription_id))


def _publish(task: Any, object_id: int) -> None:
    if broker_failed.recent():
        return
    try:
        with publishing_connection(current_app) as connection:
            task.apply_async((object_id,), connection=connection, retry=False)
    except Exception as exc:
        broker_failed.note()
        logger.warning("webhooks: %s(%s) not queued (%s); the beat will", task.name, object_id, exc)

"""Webhook tasks travel on a queue of their own (`webhooks`), so that a slow receiver never
delays a check or the desk's own tasks; a worker consuming only that queue sends them all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from claims import tasks as claim_tasks
from claims.services.claims import claim_apply_changes, claim_create
from factcheck.celery import app
from sources import tasks as source_tasks
from tests.sources.httpserver import Reply, TestServer
from tests.waiting import wait_for
from tests.webhooks.conftest import subscribe
from tests.workers import real_worker
from webhooks import tasks
from webhooks.models import Delivery, DeliveryState, EventType

WEBHOOK_TASKS = (
    tasks.dispatch_event,
    tasks.send_deliveries,
    tasks.requeue_due_deliveries,
    tasks.prune_deliveries,
)


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize("task", WEBHOOK_TASKS, ids=lambda task: task.name)
def test_every_webhook_task_goes_to_the_webhooks_queue(task: Any) -> None:
    assert queue_of(task.name) == "webhooks"


@pytest.mark.parametrize(
    "task",
    [source_tasks.check_source, claim_tasks.flag_overdue_expectations],
    ids=lambda task: task.name,
)
def test_the_desks_own_tasks_stay_off_the_webhooks_queue(task: Any) -> None:
    assert queue_of(task.name) != "webhooks"


@pytest.fixture
def webhooks_only_worker(quick_webhooks: Any) -> Iterator[None]:
    with real_worker("webhooks"):
        yield


@pytest.mark.slow
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_consuming_only_the_webhooks_queue_delivers_an_event(
    receiver: TestServer, webhooks_only_worker: None
) -> None:
    receiver.route("/hook", Reply(204, ""))
    claim = claim_create(text="The ferry will run all winter", published=True)
    subscribe(receiver.url("/hook"), events=(EventType.CLAIM_VERDICT_CHANGED,))
    claim_apply_changes(claim=claim, status="confirmed", note="The operator said so.")
    assert wait_for(lambda: len(receiver.hits("/hook")) == 1, timeout=15.0)
    assert receiver.hits("/hook")[0].headers["x-factcheck-event"] == "claim.verdict_changed"
    assert wait_for(lambda: Delivery.objects.get().state == DeliveryState.DELIVERED)

"""End to end on the real PostgreSQL and Redis: an editor's changes travel through a real
Celery worker consuming the `webhooks` queue to a real receiver on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import kombu.exceptions
import pytest

from claims.services.claims import claim_apply_changes, claim_create
from tests.api.conftest import token_client
from tests.factories import EditorFactory
from tests.sources.httpserver import Reply, TestServer, redirect
from tests.waiting import wait_for
from tests.webhooks.conftest import subscribe
from tests.workers import real_worker
from webhooks import signing, tasks
from webhooks.models import Delivery, DeliveryState, EventType, Subscription

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]

VERDICTS = ("unconfirmed", "confirmed", "disputed", "denied", "false")


@pytest.fixture
def webhook_worker(quick_webhooks: Any) -> Iterator[None]:
    """A real worker on the default and `webhooks` queues, as the Procfile's consumes them."""
    with real_worker("celery", "webhooks"):
        yield


def delivery_ids(subscription: Subscription) -> list[str]:
    deliveries = Delivery.objects.filter(subscription=subscription).order_by("id")
    return [str(uuid) for uuid in deliveries.values_list("uuid", flat=True)]


def test_a_verdict_change_arrives_signed_within_seconds(
    receiver: TestServer, webhook_worker: None
) -> None:
    receiver.route("/hook", Reply(204, ""))
    claim = claim_create(text="The ferry will run all winter", published=True)
    subscription = subscribe(receiver.url("/hook"), events=(EventType.CLAIM_VERDICT_CHANGED,))
    claim_apply_changes(claim=claim, status="confirmed", note="The operator said so.")
    assert wait_for(lambda: len(receiver.hits("/hook")) == 1, timeout=10.0)
    [seen] = receiver.hits("/hook")
    secret = subscription.plain_secret  # type: ignore[attr-defined]
    assert signing.verify(
        secret,
        seen.headers["x-factcheck-timestamp"],
        seen.body,
        seen.headers["x-factcheck-signature"],
    )
    body = json.loads(seen.body)
    assert body["event"] == "claim.verdict_changed"
    assert (body["data"]["id"], body["data"]["status"]) == (claim.pk, "confirmed")
    assert wait_for(lambda: Delivery.objects.get().state == DeliveryState.DELIVERED)


def test_two_server_errors_then_success_deliver_once_with_one_delivery_id(
    receiver: TestServer, webhook_worker: None
) -> None:
    receiver.route("/hook", Reply(500, "down"), Reply(500, "down"), Reply(200, "ok"))
    claim = claim_create(text="The ferry will run all winter", published=True)
    subscribe(receiver.url("/hook"), events=(EventType.CLAIM_VERDICT_CHANGED,))
    claim_apply_changes(claim=claim, status="confirmed", note="The operator said so.")
    assert wait_for(lambda: Delivery.objects.get().state == DeliveryState.DELIVERED, timeout=15)
    hits = receiver.hits("/hook")
    assert len(hits) == 3
    assert len({seen.headers["x-factcheck-delivery"] for seen in hits}) == 1
    assert len({seen.body for seen in hits}) == 1  # the same event, byte for byte
    delivery = Delivery.objects.get()
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 500, 200]


def test_a_subscription_to_a_refused_address_is_refused_by_the_api(quick_webhooks: Any) -> None:
    desk = token_client(EditorFactory.create())
    body = {"url": "http://127.0.0.2:8080/hook", "events": ["claim.verdict_changed"]}
    response = desk.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400 and "url" in response.json()
    assert not Subscription.objects.exists()


def test_a_receiver_on_a_refused_address_reached_by_redirect_is_never_contacted(
    receiver: TestServer, webhook_worker: None
) -> None:
    inside = TestServer(host="127.0.0.2").start()  # a refused address: only 127.0.0.1 is allowed
    try:
        inside.route("/admin", Reply(200, "secret"))
        receiver.route("/hook", redirect(302, inside.url("/admin")))
        claim = claim_create(text="The ferry will run all winter", published=True)
        subscribe(receiver.url("/hook"), events=(EventType.CLAIM_VERDICT_CHANGED,))
        claim_apply_changes(claim=claim, status="confirmed", note="The operator said so.")
        assert wait_for(lambda: Delivery.objects.get().state == DeliveryState.FAILED)
        assert inside.requests == []
    finally:
        inside.stop()
    assert len(receiver.hits("/hook")) == 1


def test_events_arrive_in_the_order_they_happened_per_subscription(
    receiver: TestServer, webhook_worker: None
) -> None:
    # The first attempt fails: everything behind it must wait, and keep its place.
    receiver.route("/hook", Reply(503, "busy"), Reply(200, "ok"))
    receiver.route("/other", Reply(200, "ok"))
    claim = claim_create(text="The ferry will run all winter", published=True)
    ordered = subscribe(receiver.url("/hook"), events=(EventType.CLAIM_VERDICT_CHANGED,))
    other = subscribe(receiver.url("/other"), events=(EventType.CLAIM_VERDICT_CHANGED,))
    for verdict in VERDICTS:
        claim = claim_apply_changes(claim=claim, status=verdict, note=f"Now {verdict}.")
    delivered = Delivery.objects.filter(state=DeliveryState.DELIVERED)
    assert wait_for(lambda: delivered.count() == 2 * len(VERDICTS), timeout=20)

    def received(path: str) -> list[str]:
        return [json.loads(seen.body)["data"]["status"] for seen in receiver.hits(path)]

    assert received("/hook") == [VERDICTS[0], *VERDICTS]  # the first one twice: its retry
    assert received("/other") == list(VERDICTS)
    firsts = [seen.headers["x-factcheck-delivery"] for seen in receiver.hits("/hook")]
    assert firsts == [delivery_ids(ordered)[0], *delivery_ids(ordered)]
    assert len(delivery_ids(other)) == len(VERDICTS)


def test_a_lost_message_loses_no_delivery(
    receiver: TestServer, webhook_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The broker is out of reach when the change commits: the change stands, the delivery
    row waits, and the beat's re-queue sends it."""
    receiver.route("/hook", Reply(200, "ok"))

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise kombu.exceptions.OperationalError("the broker is out of reach")

    claim = claim_create(text="The ferry will run all winter", published=True)
    subscribe(receiver.url("/hook"), events=(EventType.CLAIM_VERDICT_CHANGED,))
    with monkeypatch.context() as patch:
        patch.setattr(tasks.dispatch_event, "apply_async", broker_down)
        claim_apply_changes(claim=claim, status="confirmed", note="The operator said so.")
    assert Delivery.objects.get().state == DeliveryState.PENDING
    assert receiver.requests == []
    tasks.requeue_due_deliveries.delay()
    assert wait_for(lambda: len(receiver.hits("/hook")) == 1, timeout=10.0)
    assert wait_for(lambda: Delivery.objects.get().state == DeliveryState.DELIVERED)

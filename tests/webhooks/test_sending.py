"""Sending deliveries to a real local receiver: signed, judged by the answer, retried, in
order, never redirected, never to a refused address, disabled after failures in a row."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from django.utils import timezone

from tests.sources.httpserver import Reply, TestServer, redirect
from tests.webhooks.conftest import subscribe
from webhooks import signing
from webhooks.models import Delivery, DeliveryState, Subscription
from webhooks.sending import Lease, subscription_send_due
from webhooks.services import subscription_ping

pytestmark = pytest.mark.django_db


def ping(url: str, **filters) -> tuple[Subscription, Delivery]:
    subscription = subscribe(url, **filters)
    return subscription, subscription_ping(subscription=subscription)


def send(subscription: Subscription):
    return subscription_send_due(subscription_id=subscription.pk)


def fresh(delivery: Delivery) -> Delivery:
    return Delivery.objects.get(pk=delivery.pk)


def test_a_delivery_arrives_signed_with_its_ids(receiver: TestServer):
    receiver.route("/hook", Reply(204, ""))
    subscription, delivery = ping(receiver.url("/hook"))
    assert send(subscription).sent == 1
    [seen] = receiver.hits("/hook")
    headers = seen.headers
    assert headers["x-factcheck-event"] == "ping"
    assert headers["x-factcheck-delivery"] == str(delivery.uuid)
    assert headers["content-type"] == "application/json"
    secret = subscription.plain_secret  # type: ignore[attr-defined]
    assert signing.verify(
        secret, headers["x-factcheck-timestamp"], seen.body, headers["x-factcheck-signature"]
    )
    body = json.loads(seen.body)
    assert body["event"] == "ping" and body["id"] == str(delivery.event.uuid)
    assert body["data"] == {
        "subscription": subscription.pk,
        "message": "A test event from factcheck.",
    }
    done = fresh(delivery)
    assert (done.state, done.attempts) == (DeliveryState.DELIVERED, 1)
    assert done.attempt_log.get().status_code == 204


def test_a_server_error_is_tried_again_with_the_same_delivery_id(receiver: TestServer):
    receiver.route("/hook", Reply(500, "down"), Reply(200, "ok"))
    subscription, delivery = ping(receiver.url("/hook"))
    send(subscription)
    waiting = fresh(delivery)
    assert (waiting.state, waiting.attempts) == (DeliveryState.PENDING, 1)
    assert waiting.next_attempt_at > timezone.now()
    assert "HTTP 500" in waiting.last_error
    time.sleep(0.25)
    send(subscription)
    assert fresh(delivery).state == DeliveryState.DELIVERED
    ids = {seen.headers["x-factcheck-delivery"] for seen in receiver.hits("/hook")}
    assert ids == {str(delivery.uuid)}
    assert Subscription.objects.get(pk=subscription.pk).consecutive_failures == 0


@pytest.mark.parametrize("status", [400, 401, 404, 410, 422])
def test_a_client_error_is_final(receiver: TestServer, status: int):
    receiver.route("/hook", Reply(status, "no"))
    subscription, delivery = ping(receiver.url("/hook"))
    send(subscription)
    assert fresh(delivery).state == DeliveryState.FAILED
    assert len(receiver.hits("/hook")) == 1


@pytest.mark.parametrize("status", [408, 429, 502, 503])
def test_timeouts_rate_limits_and_server_errors_are_retried(receiver: TestServer, status: int):
    receiver.route("/hook", Reply(status, "later"))
    subscription, delivery = ping(receiver.url("/hook"))
    send(subscription)
    assert fresh(delivery).state == DeliveryState.PENDING


def test_a_retry_after_is_honoured(receiver: TestServer, quick_webhooks):
    quick_webhooks.FACTCHECK_WEBHOOK_RETRY_MAX_DELAY = 3600.0
    receiver.route("/hook", Reply(429, "slow down", headers={"Retry-After": "120"}))
    subscription, delivery = ping(receiver.url("/hook"))
    send(subscription)
    wait = (fresh(delivery).next_attempt_at - timezone.now()).total_seconds()
    assert 110 < wait <= 120


def test_a_receiver_that_does_not_answer_in_time_is_retried(receiver: TestServer, quick_webhooks):
    quick_webhooks.FACTCHECK_WEBHOOK_TIMEOUT = 0.3
    receiver.route("/hook", Reply(200, "late", delay=1.0))
    subscription, delivery = ping(receiver.url("/hook"))
    started = time.monotonic()
    send(subscription)
    assert time.monotonic() - started < 1.0
    waiting = fresh(delivery)
    assert waiting.state == DeliveryState.PENDING and "No answer within" in waiting.last_error


def test_a_redirect_is_never_followed(receiver: TestServer):
    other = TestServer(host="127.0.0.2").start()  # not in FACTCHECK_FETCH_ALLOWED_NETS
    try:
        other.route("/inside", Reply(200, "secret"))
        receiver.route("/hook", redirect(307, other.url("/inside")))
        subscription, delivery = ping(receiver.url("/hook"))
        send(subscription)
        assert other.requests == []
    finally:
        other.stop()
    failed = fresh(delivery)
    assert failed.state == DeliveryState.FAILED
    assert "redirects are not followed" in failed.last_error


def test_an_address_refused_at_delivery_time_is_never_contacted(receiver: TestServer, settings):
    receiver.route("/hook", Reply(200, "ok"))
    subscription, delivery = ping(receiver.url("/hook"))
    settings.FACTCHECK_FETCH_ALLOWED_NETS = []  # the desk no longer allows loopback
    send(subscription)
    assert receiver.requests == []
    failed = fresh(delivery)
    assert failed.state == DeliveryState.FAILED and "Refused" in failed.last_error


def test_at_most_64_kb_of_an_answer_is_read_and_its_first_kb_kept(receiver: TestServer):
    receiver.route("/hook", Reply(200, "x" * 5_000_000, content_type="text/plain"))
    subscription, delivery = ping(receiver.url("/hook"))
    started = time.monotonic()
    send(subscription)
    assert time.monotonic() - started < 2.0
    attempt = fresh(delivery).attempt_log.get()
    assert attempt.response_excerpt == "x" * 1024


def test_a_subscriptions_deliveries_go_in_order_and_wait_behind_a_retry(receiver: TestServer):
    receiver.route("/hook", Reply(503, "busy"), Reply(200, "ok"))
    subscription, first = ping(receiver.url("/hook"))
    second = subscription_ping(subscription=subscription)
    send(subscription)
    assert [fresh(first).state, fresh(second).state] == ["pending", "pending"]
    assert fresh(second).attempts == 0  # it waits behind the retry
    time.sleep(0.25)
    send(subscription)
    seen = [s.headers["x-factcheck-delivery"] for s in receiver.hits("/hook")]
    assert seen == [str(first.uuid), str(first.uuid), str(second.uuid)]


def test_another_subscription_is_not_held_up(receiver: TestServer):
    receiver.route("/slow", Reply(503, "busy"))
    receiver.route("/fine", Reply(200, "ok"))
    stuck, _ = ping(receiver.url("/slow"))
    fine, delivery = ping(receiver.url("/fine"))
    send(stuck)
    send(fine)
    assert fresh(delivery).state == DeliveryState.DELIVERED


def test_a_second_worker_leaves_a_subscription_another_holds(receiver: TestServer):
    receiver.route("/hook", Reply(200, "ok"))
    subscription, delivery = ping(receiver.url("/hook"))
    lease = Lease.take(subscription.pk)
    assert lease is not None
    assert send(subscription).busy
    assert fresh(delivery).attempts == 0
    lease.release()
    assert send(subscription).sent == 1


def test_failures_in_a_row_disable_the_subscription_and_say_why(receiver: TestServer, settings):
    settings.FACTCHECK_WEBHOOK_DISABLE_AFTER = 2
    settings.FACTCHECK_WEBHOOK_RETRY_FIRST = 0.01
    receiver.route("/hook", Reply(500, "down"))
    subscription, delivery = ping(receiver.url("/hook"))
    for _ in range(3):
        send(subscription)
        time.sleep(0.05)
    disabled = Subscription.objects.get(pk=subscription.pk)
    assert not disabled.active and disabled.disabled_at is not None
    assert "2 failed attempts in a row" in disabled.disabled_reason
    assert "HTTP 500" in disabled.disabled_reason
    assert len(receiver.hits("/hook")) == 2
    assert fresh(delivery).state == DeliveryState.PENDING  # it waits for the subscription


def test_a_delivery_is_given_up_when_its_retry_window_closes(receiver: TestServer, settings):
    settings.FACTCHECK_WEBHOOK_RETRY_FOR = 0.0
    receiver.route("/hook", Reply(500, "down"))
    subscription, delivery = ping(receiver.url("/hook"))
    send(subscription)
    failed = fresh(delivery)
    assert failed.state == DeliveryState.FAILED
    assert failed.last_error.startswith("Gave up after 1 attempts")


def test_nothing_is_sent_to_a_disabled_subscription(receiver: TestServer):
    receiver.route("/hook", Reply(200, "ok"))
    subscription, _ = ping(receiver.url("/hook"))
    Subscription.objects.filter(pk=subscription.pk).update(active=False)
    assert send(subscription).busy
    assert receiver.requests == []


def test_the_delivery_id_is_a_uuid(receiver: TestServer):
    receiver.route("/hook", Reply(200, "ok"))
    subscription, _ = ping(receiver.url("/hook"))
    send(subscription)
    assert uuid.UUID(receiver.hits("/hook")[0].headers["x-factcheck-delivery"])

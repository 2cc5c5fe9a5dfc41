"""A delivery connects to the addresses its check allowed, whatever DNS answers after the
check (DNS rebinding): the resolver is the test's own, the receivers are real, on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.sources.conftest import FakeDNS
from tests.sources.httpserver import Reply, TestServer
from tests.webhooks.conftest import subscribe
from webhooks.models import Delivery, DeliveryState
from webhooks.sending import subscription_send_due
from webhooks.services import subscription_ping

pytestmark = pytest.mark.django_db

ALLOWED, REFUSED = "127.0.0.1", "127.0.0.2"  # quick_webhooks allows 127.0.0.1/32 only


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    resolver = FakeDNS(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver


@pytest.fixture
def inside(receiver: TestServer) -> Iterator[TestServer]:
    """What a rebinding attacker would reach: a server on a refused address, listening on
    the receiver's port, that answers as a receiver would."""
    running = TestServer(host=REFUSED, port=receiver.port).start()
    running.route("/hook", Reply(200, "reached inside"))
    try:
        yield running
    finally:
        running.stop()


def ping_at(url: str) -> Delivery:
    subscription = subscribe(url)
    delivery = subscription_ping(subscription=subscription)
    subscription_send_due(subscription_id=subscription.pk)
    return Delivery.objects.get(pk=delivery.pk)


def test_an_answer_that_changes_after_the_check_is_not_connected_to(
    receiver: TestServer, inside: TestServer, dns: FakeDNS
) -> None:
    # Allowed when subscribing and at the delivery's check; refused from then on.
    dns.set("hooks.test", [ALLOWED], [ALLOWED], [REFUSED])
    receiver.route("/hook", Reply(204, ""))
    delivery = ping_at(f"http://hooks.test:{receiver.port}/hook")
    assert inside.requests == []
    [seen] = receiver.hits("/hook")
    assert seen.headers["host"] == f"hooks.test:{receiver.port}"
    assert delivery.state == DeliveryState.DELIVERED
    assert dns.lookups == ["hooks.test", "hooks.test"]  # the connection asked no one


def test_an_answer_refused_at_the_delivery_check_is_never_contacted(
    receiver: TestServer, inside: TestServer, dns: FakeDNS
) -> None:
    dns.set("hooks.test", [ALLOWED], [REFUSED])
    receiver.route("/hook", Reply(204, ""))
    delivery = ping_at(f"http://hooks.test:{receiver.port}/hook")
    assert inside.requests == [] and receiver.requests == []
    assert delivery.state == DeliveryState.FAILED
    assert "Refused" in delivery.last_error and REFUSED in delivery.last_error


def test_a_name_with_one_refused_address_among_its_answers_is_never_contacted(
    receiver: TestServer, inside: TestServer, dns: FakeDNS, quick_webhooks: Any
) -> None:
    dns.set("hooks.test", [ALLOWED], [ALLOWED, REFUSED])
    receiver.route("/hook", Reply(204, ""))
    delivery = ping_at(f"http://hooks.test:{receiver.port}/hook")
    assert inside.requests == [] and receiver.requests == []
    assert delivery.state == DeliveryState.FAILED

"""Fixtures for webhooks: a real local receiver on 127.0.0.1, quick settings, subscriptions
made through the service, and the guard that fails a test connecting off this machine."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest

from tests.sources.conftest import outside_connections  # noqa: F401  (autouse here too)
from tests.sources.httpserver import TestServer
from webhooks.models import SUBSCRIBABLE, Subscription
from webhooks.services import subscription_create

LOOPBACK_ONLY = ipaddress.ip_network("127.0.0.1/32")


@pytest.fixture
def quick_webhooks(settings: Any) -> Any:
    """127.0.0.1 may be reached (127.0.0.2 may not), and every wait is short."""
    settings.FACTCHECK_FETCH_ALLOWED_NETS = [LOOPBACK_ONLY]
    settings.FACTCHECK_WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.FACTCHECK_WEBHOOK_TIMEOUT = 2.0
    settings.FACTCHECK_WEBHOOK_RETRY_FIRST = 0.2
    settings.FACTCHECK_WEBHOOK_RETRY_FACTOR = 2.0
    settings.FACTCHECK_WEBHOOK_RETRY_MAX_DELAY = 1.0
    settings.FACTCHECK_USER_AGENT = "factcheck-test/1.0 (+http://factcheck.test/bot)"
    return settings


@pytest.fixture
def receiver(quick_webhooks: Any) -> Iterator[TestServer]:
    running = TestServer().start()
    try:
        yield running
    finally:
        running.stop()


def subscribe(url: str, events: tuple[str, ...] = SUBSCRIBABLE, **filters: Any) -> Subscription:
    subscription, secret = subscription_create(url=url, events=events, **filters)
    subscription.plain_secret = secret  # type: ignore[attr-defined]
    return subscription

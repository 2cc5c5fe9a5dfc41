"""The Redis transport keeps the connection it was made for after kombu collects it, so the
lost connection's channels can still be closed and acknowledged (factcheck/broker.py)."""

from __future__ import annotations

import pytest
from kombu import Connection

from factcheck.broker import RedisTransport


def test_a_collected_transport_still_knows_where_its_broker_is() -> None:
    connection = Connection("redis://127.0.0.1:1/0", transport=RedisTransport)
    transport = connection.transport
    connection.collect()
    assert transport.client is connection
    assert transport.client.hostname == "127.0.0.1"


def test_settings_publish_to_redis_through_it(settings) -> None:
    from factcheck.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("the embedded broker has no Redis transport")
    assert app.connection_for_write().transport_cls == "factcheck.broker:RedisTransport"

"""With the broker down, what the API promises still happens: a forced recheck and a new
source's first check are both done within a minute of the broker's return, with no restart
of any process (the outbox keeps the promise; the worker reconnects by itself)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from claims.services.claims import claim_create
from outbox.models import OutboxMessage
from sources.models import Source
from tests.factories import EditorFactory, SourceFactory
from tests.faults.conftest import OwnRedis, Service, service_env, wait_for_http, wait_until
from tests.sources.httpserver import Reply, TestServer

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]

PAGE = "<html><body><article><p>The council approved the new tram line.</p></article></body></html>"
OUTAGE = 20.0  # seconds; the closing note's figure comes from bench/faults_bench.py (2 minutes)
BUSY = 8.0  # a page this slow is still being checked, its message unacknowledged, when Redis goes


@pytest.fixture
def site() -> Iterator[TestServer]:
    server = TestServer().start()
    server.route("/old", Reply(200, PAGE))
    server.route("/new", Reply(200, PAGE))
    server.route("/busy", Reply(200, PAGE, delay=BUSY))
    yield server
    server.stop()


@pytest.fixture
def service(own_redis: OwnRedis, tmp_path: Path) -> Iterator[Service]:
    running = Service(own_redis, tmp_path, service_env(own_redis.url, tmp_path))
    for name in ("web", "worker", "reader", "relay"):
        running.start(name)
    wait_for_http(running.url + "/healthz")
    yield running
    running.stop_all()


def test_a_recheck_and_a_first_check_asked_for_during_an_outage_happen_after_it(
    service: Service, own_redis: OwnRedis, site: TestServer
) -> None:
    token = Token.objects.create(user=EditorFactory.create()).key
    known = SourceFactory.create(url=site.url("/old"), paused=True)
    busy = SourceFactory.create(url=site.url("/busy"), paused=True)
    claim = claim_create(text="The council will build a tram line", published=True)
    with service.client(token) as api:
        assert api.post(f"/api/v1/sources/{busy.pk}/recheck/").status_code == 202
    # Celery 5.7's reconnect closed the lost connection's channels twice and died when one
    # still held an unacknowledged message (factcheck/worker.py): keep one in flight.
    assert wait_until(lambda: len(site.hits("/busy")) == 1, timeout=30) is not None
    own_redis.stop()

    with service.client(token) as api:
        started = time.monotonic()
        asked = api.post(f"/api/v1/sources/{known.pk}/recheck/")
        linked = api.post(f"/api/v1/claims/{claim.pk}/evidence/", json={"url": site.url("/new")})
        took = time.monotonic() - started
    assert (asked.status_code, linked.status_code) == (202, 201)
    assert took < 6  # two requests, each bounded by the service timeout
    assert OutboxMessage.objects.pending().count() == 2  # promised, kept

    time.sleep(OUTAGE)
    own_redis.start()
    new = Source.objects.get(url=site.url("/new"))
    checked = wait_until(
        lambda: all(
            s.last_checked_at is not None for s in Source.objects.filter(pk__in=[known.pk, new.pk])
        ),
        timeout=60,
    )
    assert checked is not None, service.log("worker")[-3000:]
    assert len(site.hits("/old")) == 1 and len(site.hits("/new")) == 1  # once each
    # The new page's reading against the claims is promised when it is recorded, and sent
    # a moment later.
    assert wait_until(lambda: OutboxMessage.objects.pending().count() == 0, timeout=10) is not None
    assert service.processes["worker"].poll() is None  # it rode out the outage

"""A Redis that hangs (CLIENT PAUSE) costs each request at most seconds: pages, the API (its
throttle fails open), a new piece of evidence (its first check kept in the outbox) and
/healthz, which names what hangs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from rest_framework.authtoken.models import Token

from claims.services.claims import claim_create
from outbox.models import OutboxMessage
from tests.factories import EditorFactory
from tests.faults.conftest import OwnRedis, Service, service_env, wait_for_http

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]
BOUND = 3.0  # seconds: every request answers within this, whatever hangs


@pytest.fixture
def service(own_redis: OwnRedis, tmp_path: Path) -> Any:
    env = service_env(own_redis.url, tmp_path, CACHE_URL=own_redis.url.replace("/0", "/1"))
    running = Service(own_redis, tmp_path, env)
    running.start("web")
    wait_for_http(running.url + "/healthz")
    yield running
    running.stop_all()


def timed(call: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_every_request_answers_in_time_while_redis_hangs(
    service: Service, own_redis: OwnRedis
) -> None:
    token = Token.objects.create(user=EditorFactory.create()).key
    claim = claim_create(text="The council will build a tram line", published=True)
    own_redis.pause(20)
    with service.client(token) as api, service.client() as reader:
        health, health_took = timed(lambda: reader.get("/healthz"))
        listed, list_took = timed(lambda: reader.get("/api/v1/claims/"))
        page, page_took = timed(lambda: reader.get(f"/claims/{claim.slug}/"))
        body = {"url": "https://news.example/tram", "stance": "supports"}
        added, add_took = timed(lambda: api.post(f"/api/v1/claims/{claim.pk}/evidence/", json=body))
    assert health.status_code == 503 and health_took < BOUND
    checks = health.json()["checks"]
    assert checks["broker"].startswith("down") and checks["cache"].startswith("down")
    assert checks["database"] == "ok"
    assert listed.status_code == 200 and list_took < BOUND  # the throttle let it through
    assert page.status_code == 200 and page_took < BOUND
    assert added.status_code == 201 and add_took < BOUND
    assert OutboxMessage.objects.pending().count() == 1  # its first check, kept for later

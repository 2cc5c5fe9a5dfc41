"""Throttling: separate rates for anonymous and authenticated callers; 429 with Retry-After."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from factcheck.api.throttling import SLIDING_WINDOW, failed_open
from tests.api.conftest import API
from tests.conftest import on_redis

pytestmark = pytest.mark.django_db


def redis_counters(location: str, prefix: str = "") -> override_settings:
    """Counters on Redis. Entered and left by the fixtures and tests themselves, so that the
    autouse clean-up (tests/api/conftest.py) never flushes the Redis they point at."""
    backend = "django.core.cache.backends.redis.RedisCache"
    return override_settings(
        CACHES={"default": {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": prefix}}
    )


@pytest.fixture(params=["memory", "redis"])
def counters(request, _fresh_throttle_counters) -> Iterator[str]:
    """The counters in the process's memory (DRF's history) and on Redis (a sorted set, one
    round trip), there under a prefix of their own so that no test sees another's counts."""
    if request.param == "memory":
        yield "memory"
        return
    if not on_redis():
        pytest.skip("needs CELERY_BROKER_URL=redis://…")
    with redis_counters(settings.CELERY_BROKER_URL, f"throttle-test-{secrets.token_hex(6)}"):
        yield "redis"


@pytest.fixture
def rates(settings, monkeypatch, counters) -> Callable[[str, str], None]:
    """Set the two rates as the settings would. DRF's throttles copied the rates dict when
    they were imported, so the reloaded one is patched in too; both are undone afterwards."""

    def set_rates(anon: str, user: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }
        api_settings.reload()
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES
        )

    return set_rates


def statuses(client: APIClient, count: int, address: str = "127.0.0.1") -> list[int]:
    return [client.get(f"{API}/claims/", REMOTE_ADDR=address).status_code for _ in range(count)]


def test_the_fourth_anonymous_request_in_a_minute_gets_429_with_retry_after(rates, api_client):
    rates("3/min", "100/min")
    assert statuses(api_client, 3) == [200, 200, 200]
    response = api_client.get(f"{API}/claims/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_anonymous_callers_are_counted_by_address(rates, api_client):
    rates("2/min", "100/min")
    assert statuses(api_client, 3, address="10.0.0.1") == [200, 200, 429]
    assert statuses(api_client, 2, address="10.0.0.2") == [200, 200]


def test_authenticated_callers_have_their_own_rate(
    rates, api_client, reader_token_client, editor_token_client
):
    rates("2/min", "4/min")
    assert statuses(api_client, 3) == [200, 200, 429]
    assert statuses(reader_token_client, 5) == [200, 200, 200, 200, 429]
    assert statuses(editor_token_client, 4) == [200, 200, 200, 200]


def test_writes_count_against_the_same_rate(rates, editor_token_client):
    rates("2/min", "2/min")
    body = {"text": "Iota will open a shop"}
    first = editor_token_client.post(f"{API}/claims/", body, format="json")
    assert first.status_code == 201
    assert editor_token_client.get(f"{API}/claims/").status_code == 200
    refused = editor_token_client.post(f"{API}/claims/", body, format="json")
    assert refused.status_code == 429
    assert refused.has_header("Retry-After")


def test_the_configured_rates_are_the_ones_in_force(settings):
    configured = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert configured == SimpleRateThrottle.THROTTLE_RATES
    assert set(configured) == {"anon", "user", "match"}


def test_with_the_cache_unreadable_requests_go_through_and_are_counted(
    api_client, monkeypatch, caplog
):
    asked = []

    def down(*args, **kwargs):
        asked.append(args)
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6380.")

    monkeypatch.setattr(cache, "get", down)
    assert statuses(api_client, 3) == [200, 200, 200]
    assert failed_open.count >= 3  # each request let through, each counted
    assert len(asked) == 1  # asked once, then left alone for a few seconds
    assert "counters unreadable" in caplog.text
    assert api_client.get("/healthz").json()["throttled_open"] == failed_open.count


def test_on_redis_a_request_costs_one_round_trip_and_a_refused_one_is_not_counted(
    rates, api_client, counters, monkeypatch
):
    if counters != "redis":
        pytest.skip("the round trips are Redis's")
    rates("2/min", "100/min")
    client = caches["default"]._cache.get_client(write=True)  # type: ignore[attr-defined]
    client.script_load(SLIDING_WINDOW)  # as after the first request of a process
    sent: list[str] = []
    execute = redis.Redis.execute_command

    def counted(self, *args, **kwargs):
        sent.append(str(args[0]))
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    assert statuses(api_client, 4) == [200, 200, 429, 429]
    assert sent == ["EVALSHA"] * 4  # one command, one round trip, a request
    [key] = client.keys(f"{caches['default'].key_prefix}*")
    assert client.zcard(key) == 2  # the refused requests took no place


def test_with_the_redis_counters_unreachable_requests_go_through(api_client):
    with redis_counters("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        assert statuses(api_client, 3) == [200, 200, 200]
        assert failed_open.count == 3

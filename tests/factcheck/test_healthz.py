from __future__ import annotations

import time

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from factcheck import health

pytestmark = pytest.mark.django_db
PARTS = {"database", "broker", "cache", "politeness", "outbox"}


def test_it_reports_every_part_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == dict.fromkeys(PARTS, "ok")
    assert body["throttled_open"] == 0


def test_it_answers_503_naming_the_broker_when_the_broker_is_down(client):
    unreachable = "redis://127.0.0.1:1/0"
    with override_settings(CELERY_BROKER_URL=unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("down")


def test_a_database_that_fails_is_named(monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's own connection stays
    assert "server closed the connection" in (health.check_database() or "")


def test_it_answers_503_naming_the_part_that_fails(client, monkeypatch):
    monkeypatch.setitem(health.PARTS, "database", lambda: "OperationalError: gone")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down: OperationalError: gone"


def test_a_part_that_hangs_is_named_and_the_answer_still_comes_in_time(client, monkeypatch):
    def hangs() -> None:
        time.sleep(6)

    monkeypatch.setitem(health.PARTS, "cache", hangs)
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3.0
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "down: no answer within 2.5 s: it hangs"
    assert response.json()["checks"]["database"] == "ok"

"""Schemathesis against the live OpenAPI schema, through the WSGI application, with an
editor's token so that writes run too: no 5xx, and every answer is one the schema declares.

One test per operation; each runs on a database holding published and unpublished claims
with evidence and verdict history, sources with two snapshots, and publishers. Generated ids
from 0 up are turned into ids that exist, and half of the If-Match headers into the claim's
real ETag, so that the cases reach past the 404s and 412s into the services.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.models import Claim
from factcheck.wsgi import application
from tests.api.conftest import World
from webhooks.models import Subscription
from webhooks.services import subscription_create, subscription_ping

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)

# Per operation; raise it for a deeper run: FACTCHECK_SCHEMATHESIS_EXAMPLES=500 pytest …
EXAMPLES = int(os.environ.get("FACTCHECK_SCHEMATHESIS_EXAMPLES", "50"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Django's test client keeps the connection open across requests; the bare WSGI
    handler would close it at the end of each request, and the test's transaction with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def known_ids(world: World, path: str) -> list[int]:
    if path.startswith("/api/v1/claims/"):
        return [world.published.pk, world.unpublished.pk]
    if path.startswith("/api/v1/evidence/"):
        return [world.published_evidence.pk, world.unpublished_evidence.pk]
    if path.startswith("/api/v1/sources/"):
        return [world.public_source.pk, world.private_source.pk]
    if path.startswith("/api/v1/publishers/"):
        return [world.public_publisher.pk, world.private_publisher.pk]
    if path.startswith("/api/v1/webhooks/"):
        return list(Subscription.objects.order_by("pk").values_list("pk", flat=True))
    return []


def aim_at_real_rows(case: Any, world: World) -> None:
    """Generated ids from 0 up become existing ones (published or not); negative ones and
    ids of the wrong type stay, to be looked up and missed."""
    params = case.path_parameters or {}
    ids = known_ids(world, case.path)
    for name in ("id", "webhook_id"):
        value = params.get(name)
        if isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value)  # the coverage phase writes its ids as text
        if ids and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            params[name] = ids[value % len(ids)]
    number = params.get("number")
    if isinstance(number, str) and number.isascii() and number.isdigit() and int(number) % 2 == 0:
        params["number"] = "2"
    headers = case.headers or {}
    body = case.body
    if isinstance(body, dict) and "url" in body and "source" in body:
        # One of the two, as the endpoint wants; the schema cannot say "exactly one".
        del body["source" if len(str(body["url"])) % 2 == 0 else "url"]
    if case.path == "/api/v1/match/" and isinstance(body, dict) and "url" in body:
        # A page we keep a version of: generated addresses must never be fetched.
        body["url"] = world.public_source.url
    sources = [world.public_source.pk, world.private_source.pk]
    for name in ("source", "derived_from"):
        given = body.get(name) if isinstance(body, dict) else None
        if isinstance(given, int) and not isinstance(given, bool) and given >= 0:
            body[name] = sources[given % len(sources)]
    target = params.get("id")
    if "If-Match" in headers and len(str(headers["If-Match"])) % 2 == 0 and target in ids:
        headers["If-Match"] = Claim.objects.get(pk=target).etag


@pytest.fixture
def webhook(settings: Any, world: World) -> Subscription:
    """A subscription with a delivery in its log, to a receiver that is never contacted (the
    test's transaction never commits, so nothing is queued)."""
    settings.FACTCHECK_FETCH_ALLOWED_NETS = [ipaddress.ip_network("127.0.0.1/32")]
    subscription, _ = subscription_create(url="http://127.0.0.1:9/hook", events=["claim.created"])
    subscription_ping(subscription=subscription)
    return subscription


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_the_api_answers_every_generated_request_as_its_schema_says(
    case: Any, world: World, webhook: Subscription, in_test_transaction: None
) -> None:
    aim_at_real_rows(case, world)
    token, _ = Token.objects.get_or_create(user=world.editor)
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)

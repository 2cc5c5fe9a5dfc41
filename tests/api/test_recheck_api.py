"""POST /api/v1/sources/{id}/recheck/: editors ask for a check now; a worker does it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from sources.models import Source
from tests.conftest import Queued
from tests.factories import EditorFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def any_source(**fields: Any) -> Source:
    return SourceFactory.create(**fields)


def client_for(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_an_editor_queues_a_check_once_the_request_commits(
    queued: Queued, django_capture_on_commit_callbacks: Any
) -> None:
    source = any_source(paused=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(EditorFactory()).post(f"{API}/sources/{source.pk}/recheck/")
    assert response.status_code == 202
    assert response.json() == {"queued": True, "source": source.pk}
    assert len(callbacks) == 1
    assert queued.calls == [((source.pk,), {"force": True})]  # paused or not: asked for


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("reader", 403)])
def test_only_editors_may_ask(queued: Queued, who: str, status: int) -> None:
    source = any_source()
    user = UserFactory() if who == "reader" else None
    response = client_for(user).post(f"{API}/sources/{source.pk}/recheck/")
    assert response.status_code == status
    assert queued.calls == []


def test_an_unknown_source_is_404(queued: Queued) -> None:
    response = client_for(EditorFactory()).post(f"{API}/sources/99999999/recheck/")
    assert response.status_code == 404 and queued.calls == []


def test_reading_the_recheck_address_is_not_allowed(queued: Queued) -> None:
    source = any_source()
    response = client_for(EditorFactory()).get(f"{API}/sources/{source.pk}/recheck/")
    assert response.status_code == 405


def test_the_schema_declares_the_recheck_and_its_answer() -> None:
    response = APIClient().get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operation = json.loads(response.content)["paths"][f"{API}/sources/{{id}}/recheck/"]["post"]
    assert {"202", "401", "403", "404"} <= set(operation["responses"])
    body = operation["responses"]["202"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/RecheckQueued"}
    assert "requestBody" not in operation

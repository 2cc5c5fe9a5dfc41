"""Hostile input answered with a 400 or a 404, never a 500, anonymous callers included."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from factcheck.api.errors import api_exception_handler
from factcheck.api.parsers import MAX_DEPTH, nesting_depth
from factcheck.errors import BadInput
from tests.factories import EditorFactory, SourceFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000


@pytest.fixture
def desk() -> APIClient:
    key = Token.objects.create(user=EditorFactory.create()).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize(("path", "anyone"), [("/api/v1/match/", True), ("/api/v1/claims/", False)])
def test_deeply_nested_json_is_a_400(path: str, anyone: bool, desk: APIClient) -> None:
    for client in (APIClient(), desk) if anyone else (desk,):
        response = client.post(path, DEEP, content_type="application/json")
        assert response.status_code == 400, response.content
        assert "nested deeper than 64" in response.json()["detail"]


def test_json_just_within_the_depth_limit_is_read() -> None:
    fits = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert nesting_depth(fits) == MAX_DEPTH
    assert nesting_depth('{"text": "[[[[ not nesting ]]]] \\" [["}') == 1


@pytest.mark.parametrize(
    "path",
    [
        "/claims/a%00b/",
        "/claims/a%00b/feed.atom",
        "/tags/a%00b/",
        "/claims/?q=a%00b",
        "/api/v1/claims/?q=a%00b",
        "/api/v1/claims/?tag=%01",
        "/api/v1/changes/?since=a%00",
    ],
)
def test_a_control_character_in_the_address_is_a_400(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_patching_evidence_with_a_refused_origin_is_a_400_on_that_field(desk: APIClient) -> None:
    claim = claim_create(text="Acme will open a plant in Leeds")
    evidence = evidence_add(claim=claim, source=SourceFactory.create(), stance="supports")
    response = desk.patch(
        f"/api/v1/evidence/{evidence.pk}/", {"derived_from": "http://10.0.0.5/x"}, format="json"
    )
    assert response.status_code == 400
    assert "private or reserved" in response.json()["derived_from"][0]


def test_any_bad_input_a_service_raises_is_a_400() -> None:
    class NewRefusal(BadInput):
        pass

    response = api_exception_handler(NewRefusal("That cannot be used."), {})
    assert response is not None and response.status_code == 400
    assert response.data == {"detail": ["That cannot be used."]}


def test_a_tag_only_unpublished_claims_carry_is_not_found(editor_client: Any) -> None:
    claim_create(text="Acme and Zeta will merge", tags=["Acme–Zeta merger (embargoed)"])
    response = Client().get("/tags/acmezeta-merger-embargoed/")
    assert response.status_code == 404
    assert "embargoed" not in response.content.decode()
    assert editor_client.get("/tags/acmezeta-merger-embargoed/").status_code == 200

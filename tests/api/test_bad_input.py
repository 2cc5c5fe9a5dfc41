"""Bad input gets a 400 (or 404/415) with a JSON message naming the field; never a 500."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from rest_framework.test import APIClient

from claims.models import Claim
from tests.api.conftest import API, World

pytestmark = pytest.mark.django_db


def cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


def patch_claim(client: APIClient, world: World, body: Any):
    claim = Claim.objects.get(pk=world.published.pk)
    return client.patch(f"{API}/claims/{claim.pk}/", body, format="json", HTTP_IF_MATCH=claim.etag)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x" * 501}, "text"),
        ({"text": "ok", "context": "x" * 5001}, "context"),
        ({"text": "ok", "claimant": "x" * 201}, "claimant"),
        ({"text": "ok", "tags": ["x" * 61]}, "tags"),
        ({"text": "ok", "tags": [f"tag {n}" for n in range(21)]}, "tags"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "nul \x00 inside"}, "text"),
        ({}, "text"),
        ({"text": None}, "text"),
        ({"text": 123}, "text"),
        ({"text": True}, "text"),
        ({"text": ["a list"]}, "text"),
        ({"text": "ok", "tags": "x"}, "tags"),
        ({"text": "ok", "tags": [1, 2]}, "tags"),
        ({"text": "ok", "tags": ["!!!"]}, "tags"),
        ({"text": "ok", "published": "maybe"}, "published"),
        ({"text": "ok", "first_seen": "2025-13-45"}, "first_seen"),
        ({"text": "ok", "first_seen": "yesterday"}, "first_seen"),
        ({"text": "ok", "expected_by": 20250101}, "expected_by"),
    ],
)
def test_a_bad_new_claim_is_refused_with_a_field_message(editor_token_client, body, field):
    response = editor_token_client.post(f"{API}/claims/", body, format="json")
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert messages
    assert not Claim.objects.exists()


def test_the_oversized_text_message_states_the_limit(editor_token_client):
    response = editor_token_client.post(f"{API}/claims/", {"text": "x" * 501}, format="json")
    assert response.json() == {"text": ["Ensure this field has no more than 500 characters."]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "false", "note": "x", "evidence": ["a"]}, "evidence"),
        ({"status": "false", "note": "x", "evidence": [0]}, "evidence"),
        ({"status": "false", "note": "x", "evidence": [10**30]}, "evidence"),
        ({"status": "false", "note": "x", "evidence": "1"}, "evidence"),
        ({"status": "false", "note": "x" * 5001}, "note"),
        ({"status": "false", "note": 42}, "note"),
        ({"status": "maybe", "note": "x"}, "status"),
        ({"published": "maybe"}, "published"),
        ({"text": 123}, "text"),
    ],
)
def test_a_bad_edit_is_refused_with_a_field_message(editor_token_client, world, body, field):
    before = Claim.objects.get(pk=world.published.pk)
    response = patch_claim(editor_token_client, world, body)
    assert response.status_code == 400, response.content
    assert response.json()[field]
    assert Claim.objects.get(pk=before.pk).version == before.version


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("level=bogus", "level"),
        ("needs_review=maybe", "needs_review"),
        ("min_score=abc", "min_score"),
        ("min_score=101", "min_score"),
        ("max_score=-1", "max_score"),
        ("publisher=abc", "publisher"),
        ("publisher=0", "publisher"),
        ("publisher=99999999999999999999999", "publisher"),
        ("tag=" + "x" * 61, "tag"),
        ("q=" + "x" * 201, "q"),
        ("updated_since=notadate", "updated_since"),
        ("updated_since=2025-02-30T00:00:00Z", "updated_since"),
        ("updated_since=9999-12-31T23:59:59-23:59", "updated_since"),
        ("updated_since=0001-01-01T00:00:00%2B14:00", "updated_since"),
        ("ordering=text", "ordering"),
        ("ordering=-secret", "ordering"),
        ("cursor=garbage", "cursor"),
        (f"cursor={cursor('p=abc')}&ordering=id", "cursor"),
        (f"cursor={cursor('p=not-a-date')}", "cursor"),
        (f"cursor={cursor('o=x')}", "cursor"),
        (f"cursor={cursor('p=9999-12-31T23:59:59-23:59')}", "cursor"),
        (f"cursor={cursor('p=2020-01-01' + chr(0))}", "cursor"),
        (f"cursor={cursor('p=' + '9' * 5000)}&ordering=id", "cursor"),
        ("page_size=1000000", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=abc", "page_size"),
    ],
)
def test_an_unknown_filter_value_or_cursor_is_refused(api_client, world, query, field):
    response = api_client.get(f"{API}/claims/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/sources/?health=bogus", "health"),
        ("/sources/?publisher=abc", "publisher"),
        ("/sources/?cursor=garbage", "cursor"),
        ("/sources/?page_size=101", "page_size"),
        ("/publishers/?kind=bogus", "kind"),
        ("/publishers/?cursor=garbage", "cursor"),
        (f"/publishers/?cursor={cursor('p=name' + chr(0))}", "cursor"),
        ("/claims/{claim}/timeline/?cursor=garbage", "cursor"),
        ("/claims/{claim}/timeline/?page_size=1000", "page_size"),
        ("/sources/{source}/snapshots/?cursor=garbage", "cursor"),
        ("/changes/?since=garbage", "since"),
    ],
)
def test_other_lists_refuse_bad_filters_and_cursors(api_client, world, path, field):
    url = API + path.format(claim=world.published.pk, source=world.public_source.pk)
    response = api_client.get(url)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_the_timeline_ignores_nothing_and_breaks_on_nothing(api_client, world):
    """Ordering belongs to the claim list; on the timeline it is not a parameter at all."""
    response = api_client.get(f"{API}/claims/{world.published.pk}/timeline/?ordering=id")
    assert response.status_code == 200
    ats = [event["at"] for event in response.json()["results"]]
    assert ats == sorted(ats, reverse=True)


@pytest.mark.parametrize(
    ("content_type", "data", "expected"),
    [
        ("application/json", "{not json", 400),
        ("application/json", "", 400),
        ("application/json", "[1, 2]", 400),
        ("application/json", '"text"', 400),
        ("application/json", "null", 400),
        ("application/json", '{"text": NaN}', 400),
        ("application/x-www-form-urlencoded", "text=hello", 415),
        ("text/plain", "hello", 415),
        ("multipart/form-data; boundary=x", "--x--", 415),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    editor_token_client, content_type, data, expected
):
    response = editor_token_client.post(f"{API}/claims/", data, content_type=content_type)
    assert response.status_code == expected
    assert "application/json" in response["Content-Type"]
    assert response.json()
    assert not Claim.objects.exists()


def test_a_body_over_the_upload_limit_is_a_json_400(editor_token_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = '{"text": "' + "x" * 20_000 + '"}'
    response = editor_token_client.post(f"{API}/claims/", data, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is larger than 10000 bytes."}


@pytest.mark.parametrize(
    "body",
    [
        {"url": "x" * 2001},
        {"url": "https://" + "a" * 64 + ".example.org/"},
        {"url": "https://" + ("a" * 60 + ".") * 5 + "org/"},
        {"url": "https://example.org/" + "é" * 600},
        {"url": "https://user:secret@example.org/"},
        {"url": "http://"},
        {"url": 7},
        {"url": "https://example.org/", "derived_from": "²"},
        {"url": "https://example.org/", "derived_from": "9" * 5000},
        {"url": "https://example.org/", "derived_from": True},
        {"url": "https://example.org/", "quote": "x" * 5001},
        {"source": "abc"},
        {"source": 10**30},
    ],
)
def test_bad_evidence_is_refused_without_a_server_error(editor_token_client, world, body):
    url = f"{API}/claims/{world.published.pk}/evidence/"
    response = editor_token_client.post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) <= {"url", "source", "derived_from", "quote"}


@pytest.mark.parametrize(
    ("reason", "expected"), [("x" * 501, 400), ("   ", 400), ("Retracted.", 200)]
)
def test_a_deprecation_reason_has_limits(editor_token_client, world, reason, expected):
    url = f"{API}/evidence/{world.published_evidence.pk}/"
    response = editor_token_client.delete(url, {"reason": reason}, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize(
    "path",
    [
        "/nope/",
        "/claims/abc/",
        "/claims/99999999999999999999999/",
        "/claims/-1/",
        "/sources/1/snapshots/abc/diff/",
        "/evidence/",
    ],
)
def test_an_unknown_endpoint_or_id_is_a_json_404(api_client, world, path):
    response = api_client.get(f"{API}{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_write_to_an_unknown_endpoint_is_a_json_404_not_a_csrf_page(world):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(f"{API}/nope/", {"a": 1}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such endpoint."}

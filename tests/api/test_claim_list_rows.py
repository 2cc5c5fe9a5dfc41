"""The API's claim list: rows written from `.values()` exactly as ClaimListSerializer would
write them, from the shown columns only, without DISTINCT, and one throttle read a request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.throttling import SimpleRateThrottle

from claims.api.serializers import ClaimListSerializer
from claims.models import Claim
from claims.services.claims import claim_create
from tests.api.conftest import API


@pytest.fixture
def claims(db) -> list[Claim]:
    return [
        claim_create(text="The tram opens in May", published=True),
        claim_create(text="大阪の新線が開業する", published=True),
        claim_create(text="A draft nobody sees", published=False),
    ]


def test_rows_are_what_the_serializer_writes(claims):
    body = APIClient().get(f"{API}/claims/").json()
    request = APIRequestFactory().get(f"{API}/claims/")
    published = Claim.objects.published().order_by("-updated_at", "-id")
    expected = ClaimListSerializer(published, many=True, context={"request": request}).data
    assert body["results"] == [dict(row) for row in expected]
    assert any("%" in row["url"] for row in body["results"])  # the Japanese slug, quoted


@pytest.mark.parametrize("query", ["", "?status=false&status=confirmed&level=confirmed"])
def test_the_list_reads_the_shown_columns_without_distinct(claims, query):
    with CaptureQueriesContext(connection) as captured:
        assert APIClient().get(f"{API}/claims/{query}").status_code == 200
    sql = " ".join(q["sql"] for q in captured if "claims_claim" in q["sql"])
    assert sql
    assert "DISTINCT" not in sql.upper()
    assert "firmness_explanation" not in sql
    assert "search_vector" not in sql


def test_a_request_reads_one_throttle_counter(claims, monkeypatch, editor_token_client):
    reads: list[str] = []
    original = SimpleRateThrottle.cache.get

    def counted(key, *args, **kwargs):
        reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(SimpleRateThrottle.cache, "get", counted)
    APIClient().get(f"{API}/claims/")
    editor_token_client.get(f"{API}/claims/")
    assert len(reads) == 2
    assert reads[0] != reads[1]

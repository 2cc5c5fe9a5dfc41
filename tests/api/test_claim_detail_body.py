"""The API's claim detail: written from the prefetched claim exactly as ClaimDetailSerializer
would write it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient, APIRequestFactory

from claims.api.serializers import ClaimDetailSerializer
from claims.models import Claim, Evidence
from claims.selectors import claim_detail_queryset
from tests.api.conftest import API, World
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def serialized(claim: Claim) -> dict:
    request = APIRequestFactory().get(f"{API}/claims/{claim.pk}/")
    claim = claim_detail_queryset(Claim.objects.filter(pk=claim.pk)).get()
    return dict(ClaimDetailSerializer(claim, context={"request": request}).data)


def test_detail_is_what_the_serializer_writes(world: World, editor_client):
    claim = world.published
    Evidence.objects.filter(pk=world.published_evidence.pk).update(
        suggested_stance="refutes",
        suggested_certainty="certain",
        suggestion_confidence=0.75,
        suggested_passage="The company denied it.",
        suggestion_cues=[{"kind": "denial", "text": "denied", "effect": "refutes"}],
        suggestion_method="rules",
        suggested_at=timezone.now(),
        deprecated=True,
        deprecated_reason="Duplicate report",
    )
    Evidence.objects.create(
        claim=claim,
        source=SourceFactory.create(),
        stance="supports",
        derived_from=world.published_evidence.source,
    )
    Claim.objects.filter(pk=claim.pk).update(
        expected_by=datetime.date(2027, 1, 2),
        review_reasons=[{"code": "new_evidence", "detail": "x"}],
    )
    world.editor.delete()  # the verdict change's author is gone: changed_by is null

    body = APIClient().get(f"{API}/claims/{claim.pk}/").json()

    expected = serialized(claim)
    assert body == expected
    assert list(body) == list(expected)
    assert body["history"][0]["changed_by"] is None
    assert body["evidence"][0]["suggestion"]["cues"][0]["text"] == "denied"
    assert body["firmness"]["explanation"]
    assert editor_client.get(f"{API}/claims/{world.unpublished.pk}/").json() == serialized(
        world.unpublished
    )


def test_a_detail_with_a_query_string_is_still_filtered(world: World):
    claim = world.published
    assert APIClient().get(f"{API}/claims/{claim.pk}/?status=unconfirmed").status_code == 200
    assert APIClient().get(f"{API}/claims/{claim.pk}/?status=false").status_code == 404
    assert APIClient().get(f"{API}/claims/{claim.pk}/?status=bogus").status_code == 400

"""Evidence in the API carries what was read from its source; without a stance or certainty
on create, the labels are that reading, marked automatic."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, Evidence
from claims.services.claims import claim_create
from sources.models import Source
from sources.services import source_add_snapshot
from tests.api.conftest import API, token_client
from tests.factories import EditorFactory, PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db

CONFIRMING = "Chery has confirmed it will build cars at Halewood, the JLR plant on Merseyside."
SUGGESTION_KEYS = {
    "stance",
    "certainty",
    "confidence",
    "passage",
    "cues",
    "method",
    "snapshot",
    "at",
}


@pytest.fixture
def desk() -> APIClient:
    return token_client(EditorFactory.create())


@pytest.fixture
def claim() -> Claim:
    return claim_create(
        text="Chery will build cars at Jaguar Land Rover's Halewood plant", published=True
    )


@pytest.fixture
def source() -> Source:
    source = SourceFactory.create(publisher=PublisherFactory.create(name="Mersey Wire"))
    source_add_snapshot(source=source, text=CONFIRMING + " Production starts next year.")
    return source


def add(client: APIClient, claim: Claim, body: dict) -> dict:
    response = client.post(f"{API}/claims/{claim.pk}/evidence/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_evidence_created_without_labels_is_automatic_with_the_reading_as_its_labels(
    desk, claim, source
):
    data = add(desk, claim, {"source": source.pk})
    assert data["labelled_by"] == "automatic"
    assert (data["stance"], data["certainty"]) == ("supports", "certain")
    suggestion = data["suggestion"]
    assert set(suggestion) == SUGGESTION_KEYS
    assert (suggestion["stance"], suggestion["certainty"]) == ("supports", "certain")
    assert (suggestion["method"], suggestion["snapshot"]) == ("rules", 1)
    assert suggestion["passage"] == CONFIRMING
    assert 0 < suggestion["confidence"] <= 1
    assert suggestion["at"]
    assert [set(cue) for cue in suggestion["cues"]] == [{"kind", "text", "effect"}]
    assert suggestion["cues"][0]["kind"] == "confirmation"


def test_evidence_created_with_a_stance_carries_the_editors_labels_and_the_reading(
    desk, claim, source
):
    data = add(desk, claim, {"source": source.pk, "stance": "refutes", "certainty": "possible"})
    assert (data["labelled_by"], data["stance"], data["certainty"]) == (
        "editor",
        "refutes",
        "possible",
    )
    assert data["suggestion"]["stance"] == "supports"
    evidence = Evidence.objects.get(pk=data["id"])
    assert (evidence.stance, evidence.suggested_stance) == ("refutes", "supports")


def test_a_certainty_alone_is_an_editors_label_too(desk, claim, source):
    data = add(desk, claim, {"source": source.pk, "certainty": "probable"})
    assert (data["labelled_by"], data["certainty"]) == ("editor", "probable")


def test_a_source_without_text_has_no_suggestion_yet(desk, claim):
    bare = SourceFactory.create()
    data = add(desk, claim, {"source": bare.pk})
    assert (data["labelled_by"], data["suggestion"]) == ("automatic", None)


def test_the_evidence_and_claim_endpoints_show_the_suggestion(desk, claim, source):
    created = add(desk, claim, {"source": source.pk})
    detail = desk.get(f"{API}/evidence/{created['id']}/").json()
    assert detail["suggestion"] == created["suggestion"]
    (listed,) = desk.get(f"{API}/claims/{claim.pk}/").json()["evidence"]
    assert listed["suggestion"]["passage"] == CONFIRMING


def test_an_unknown_stance_is_a_field_error(desk, claim, source):
    response = desk.post(
        f"{API}/claims/{claim.pk}/evidence/",
        {"source": source.pk, "stance": "maybe"},
        format="json",
    )
    assert response.status_code == 400
    assert "stance" in response.json()
    assert not Evidence.objects.exists()

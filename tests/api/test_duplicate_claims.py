"""A claim recorded twice is caught: 409 with the claims it matches, unless the editor says
it is a different claim (`allow_duplicate`)."""

from __future__ import annotations

import pytest

from claims.models import Claim
from claims.services.claims import ClaimLooksDuplicate, claim_create

pytestmark = pytest.mark.django_db
CLAIMS = "/api/v1/claims/"
TEXT = "Chery will build cars at Jaguar Land Rover's UK plants"


def test_the_same_text_again_answers_409_with_the_claim_it_matches(editor_token_client) -> None:
    first = editor_token_client.post(CLAIMS, {"text": TEXT}, format="json")
    assert first.status_code == 201
    again = editor_token_client.post(CLAIMS, {"text": TEXT + "."}, format="json")
    assert again.status_code == 409
    body = again.json()
    [match] = body["duplicate_of"]
    assert match["id"] == first.json()["id"] and match["score"] == 1.0
    assert match["url"].endswith(f"/claims/{first.json()['slug']}/")
    assert match["api_url"].endswith(f"/api/v1/claims/{first.json()['id']}/")
    assert "allow_duplicate" in body["detail"]
    assert Claim.objects.count() == 1


def test_allow_duplicate_records_it_anyway(editor_token_client) -> None:
    editor_token_client.post(CLAIMS, {"text": TEXT}, format="json")
    body = {"text": TEXT, "allow_duplicate": True}
    again = editor_token_client.post(CLAIMS, body, format="json")
    assert again.status_code == 201
    assert again.json()["slug"].endswith("-2")
    assert Claim.objects.count() == 2


def test_a_different_claim_on_the_same_story_is_not_a_duplicate(editor_token_client) -> None:
    editor_token_client.post(CLAIMS, {"text": TEXT}, format="json")
    other = {"text": "The city council will close the Eastgate swimming pool"}
    assert editor_token_client.post(CLAIMS, other, format="json").status_code == 201


def test_allow_duplicate_must_be_a_boolean(editor_token_client) -> None:
    body = {"text": TEXT, "allow_duplicate": "perhaps"}
    response = editor_token_client.post(CLAIMS, body, format="json")
    assert response.status_code == 400
    assert "allow_duplicate" in response.json()


def test_the_service_records_duplicates_unless_told_to_ask() -> None:
    claim_create(text=TEXT)
    claim_create(text=TEXT)  # imports and internal callers decide for themselves
    with pytest.raises(ClaimLooksDuplicate) as caught:
        claim_create(text=TEXT, allow_duplicate=False)
    assert len(caught.value.matches) == 2
    assert Claim.objects.count() == 2

"""POST /api/v1/claims/{id}/review/: an editor clears the review flag with a note, against the
ETag they read; and a change of verdict answers the review."""

from __future__ import annotations

from typing import Any

import pytest

from claims.models import Claim, ClaimEvent, EventKind
from claims.services.claims import claim_set_verdict
from claims.services.timeline import claim_flag_for_review
from tests.api.conftest import World

pytestmark = pytest.mark.django_db


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def flagged(world: World) -> Claim:
    claim = fresh(world.published)
    claim_flag_for_review(claim=claim, code="source:1", message="The Gazette's story changed.")
    return fresh(claim)


def review(client: Any, claim: Claim, body: dict[str, Any], etag: str | None) -> Any:
    url = f"/api/v1/claims/{claim.pk}/review/"
    if etag is None:
        return client.post(url, body, format="json")
    return client.post(url, body, format="json", HTTP_IF_MATCH=etag)


def test_an_editor_clears_the_flag_with_a_note_on_the_timeline(
    editor_token_client: Any, flagged: Claim
) -> None:
    response = review(editor_token_client, flagged, {"note": "Read the new text."}, flagged.etag)
    assert response.status_code == 200
    assert response.json()["needs_review"] is False
    assert response.headers["ETag"] != flagged.etag
    after = fresh(flagged)
    assert (after.needs_review, after.review_reasons) == (False, [])
    event = ClaimEvent.objects.filter(claim=after, kind=EventKind.REVIEW_CLEARED).get()
    assert event.summary == "Review done: Read the new text."
    assert event.actor is not None


def test_without_if_match_it_is_428_and_with_a_stale_etag_412(
    editor_token_client: Any, flagged: Claim
) -> None:
    assert review(editor_token_client, flagged, {}, None).status_code == 428
    stale = '"0-0-0"'
    assert review(editor_token_client, flagged, {}, stale).status_code == 412
    assert fresh(flagged).needs_review


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_only_editors_may_clear_a_flag(
    who: str, api_client: Any, reader_token_client: Any, flagged: Claim
) -> None:
    client = api_client if who == "anonymous" else reader_token_client
    assert review(client, flagged, {}, flagged.etag).status_code in {401, 403}
    assert fresh(flagged).needs_review


def test_a_too_long_note_is_a_400_naming_the_field(
    editor_token_client: Any, flagged: Claim
) -> None:
    response = review(editor_token_client, flagged, {"note": "x" * 901}, flagged.etag)
    assert response.status_code == 400
    assert "note" in response.json()


def test_a_verdict_change_answers_the_review(flagged: Claim, world: World) -> None:
    claim_set_verdict(claim=flagged, verdict="disputed", note="Read both.", user=world.editor)
    after = fresh(flagged)
    assert (after.needs_review, after.review_reasons) == (False, [])
    answered = after.events.get(kind=EventKind.REVIEW_CLEARED)
    assert answered.summary == "Review answered by the verdict change."
    assert "source:1" in answered.data["codes"].split(", ")


def test_a_verdict_that_still_disagrees_with_the_evidence_is_flagged_again(world: World) -> None:
    claim = fresh(world.unpublished)  # its one source refutes it
    claim_flag_for_review(claim=claim, code="source:2", message="The letter changed.")
    claim = fresh(claim)
    assert claim.firmness_level in {"refuted", "rumoured", "no_evidence"}
    claim_set_verdict(claim=claim, verdict="confirmed", note="Trust me.", user=world.editor)
    after = fresh(claim)
    assert after.review_reason_codes() == {"verdict_mismatch"}

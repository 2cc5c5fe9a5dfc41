"""GET /changes/: every claim event in id order, once settled, read on with a cursor."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from claims.api.changes import encode_cursor
from claims.models import ClaimEvent, EventKind
from tests.api.conftest import API, World, make_claim, settle

pytestmark = pytest.mark.django_db

REVIEW_KINDS = {EventKind.REVIEW_FLAGGED, EventKind.REVIEW_CLEARED}


def feed(client: APIClient, query: str = "") -> dict:
    response = client.get(f"{API}/changes/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def walk(client: APIClient, limit: int) -> list[int]:
    seen: list[int] = []
    page = feed(client, f"?limit={limit}")
    seen += [event["id"] for event in page["results"]]
    while page["has_more"]:
        page = feed(client, f"?limit={limit}&since={page['next_cursor']}")
        seen += [event["id"] for event in page["results"]]
    return seen


def test_it_lists_settled_events_in_id_order(editor_token_client, world: World):
    settle()
    page = feed(editor_token_client)
    assert [e["id"] for e in page["results"]] == sorted(
        ClaimEvent.objects.values_list("id", flat=True)
    )
    first = page["results"][0]
    assert set(first) == {"cursor", "claim", "id", "kind", "at", "summary", "actor", "data"}
    assert first["claim"]["id"] in {world.published.pk, world.unpublished.pk}
    assert page["has_more"] is False


def test_events_younger_than_the_settle_window_are_held_back(editor_token_client, world):
    settle()
    settled = {e["id"] for e in feed(editor_token_client)["results"]}
    fresh = make_claim(text="Zeta will sell its shops")
    fresh_ids = set(ClaimEvent.objects.filter(claim=fresh).values_list("id", flat=True))
    assert fresh_ids
    assert {e["id"] for e in feed(editor_token_client)["results"]} == settled
    settle()
    assert {e["id"] for e in feed(editor_token_client)["results"]} == settled | fresh_ids


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_the_since_cursor_reads_on_without_gaps_or_repeats(editor_token_client, world, limit):
    make_claim(text="Eta will build a bridge", evidence=2)
    settle()
    everything = sorted(ClaimEvent.objects.values_list("id", flat=True))
    assert walk(editor_token_client, limit) == everything


def test_the_cursor_of_an_empty_page_stays_where_it_was(editor_token_client, world):
    settle()
    last = feed(editor_token_client)["next_cursor"]
    page = feed(editor_token_client, f"?since={last}")
    assert page["results"] == []
    assert page["next_cursor"] == last
    assert page["has_more"] is False


def test_later_events_appear_after_the_cursor_already_read(editor_token_client, world):
    settle()
    last = feed(editor_token_client)["next_cursor"]
    newer = make_claim(text="Theta will hire 40 people")
    settle()
    page = feed(editor_token_client, f"?since={last}")
    assert {e["claim"]["id"] for e in page["results"]} == {newer.pk}


def test_anonymous_callers_see_neither_unpublished_claims_nor_review_events(
    api_client, editor_token_client, world: World
):
    settle()
    everything = feed(editor_token_client)["results"]
    assert {e["claim"]["id"] for e in everything} == {world.published.pk, world.unpublished.pk}
    assert any(e["kind"] in REVIEW_KINDS for e in everything)
    public = feed(api_client)["results"]
    assert public
    assert {e["claim"]["id"] for e in public} == {world.published.pk}
    assert not [e for e in public if e["kind"] in REVIEW_KINDS]


def test_a_read_only_token_sees_what_the_public_sees(api_client, reader_token_client, world):
    settle()
    assert feed(reader_token_client) == feed(api_client)


@pytest.mark.parametrize(
    "since",
    [
        "not-a-cursor!",
        base64.urlsafe_b64encode(b"xx:5").decode(),
        base64.urlsafe_b64encode(b"ev:-3").decode(),
        base64.urlsafe_b64encode(b"ev:abc").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_cursor_it_did_not_hand_out_is_refused(api_client, world, since):
    response = api_client.get(f"{API}/changes/?since={since}")
    assert response.status_code == 400
    [message] = response.json()["since"]
    assert message.startswith("This cursor is not valid.")
    assert "since=0" in message  # how to start


def test_since_0_reads_from_the_beginning(api_client, world):
    settle()
    assert feed(api_client, "?since=0") == feed(api_client)
    assert feed(api_client, "?since=0")["results"]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "²"])
def test_limit_outside_1_to_100_is_refused(api_client, limit):
    response = api_client.get(f"{API}/changes/", {"limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()


def test_limit_caps_the_page_and_says_there_is_more(editor_token_client, world):
    settle()
    page = feed(editor_token_client, "?limit=1")
    assert len(page["results"]) == 1
    assert page["has_more"] is True
    assert page["next_cursor"] == encode_cursor(page["results"][0]["id"])

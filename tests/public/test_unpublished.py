"""Unpublished claims: 404 to the public; editors see them, marked, and never cached."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.services.claims import claim_create
from tests.factories import UserFactory

BANNER = "Not published</strong> — only editors can see this page."


@pytest.fixture
def draft(db):
    return claim_create(text="A draft about the tram", tags=["transport"], published=False)


def test_an_unpublished_claim_is_404_to_the_public(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_logged_in_reader_without_the_permission_gets_404_too(client, draft):
    client.force_login(UserFactory.create())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_editor_sees_the_claim_with_a_not_published_banner(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert BANNER in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert f"/claims/{draft.slug}/feed.atom" not in html  # its feed is for the public only


def test_the_editors_view_is_never_stored_by_any_cache(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert "public" not in response["Cache-Control"]


def test_a_published_claim_shows_no_banner_to_editors(editor_client, db):
    claim = claim_create(text="Out in the open", published=True)
    html = editor_client.get(claim.get_absolute_url()).content.decode()
    assert BANNER not in html
    assert "Edit in the desk" in html


def test_editors_see_drafts_in_the_list_marked_as_such(editor_client, draft):
    assert "A draft about the tram" not in Client().get("/claims/").content.decode()
    html = editor_client.get("/claims/").content.decode()
    assert "A draft about the tram" in html
    assert '<span class="flag-unpublished">Not published</span>' in html


def test_an_unpublished_claim_has_no_public_feed(client, draft):
    assert client.get(f"/claims/{draft.slug}/feed.atom").status_code == 404


def test_an_unpublished_claims_changes_stay_out_of_the_site_feed(client, draft):
    assert "A draft about the tram" not in client.get("/claims/feed.atom").content.decode()

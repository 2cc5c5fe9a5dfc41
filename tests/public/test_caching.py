"""Validators and cache headers: 304 for a current copy, a new ETag after any change, and
no cookie set on a reader."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.services.claims import claim_create, claim_set_verdict, claim_update
from claims.services.evidence import evidence_deprecate
from tests.public.conftest import Story, link

PAGES = [
    "/claims/",
    "/claims/{slug}/",
    "/tags/cars/",
    "/claims/feed.atom",
    "/claims/{slug}/feed.atom",
]


def url(template: str, story: Story) -> str:
    return template.format(slug=story.claim.slug)


@pytest.mark.parametrize("template", PAGES)
def test_public_pages_carry_validators_and_may_be_cached_briefly(client, story, template):
    response = client.get(url(template, story))
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}


@pytest.mark.parametrize("template", PAGES)
def test_a_matching_if_none_match_is_answered_304(client, story, template):
    first = client.get(url(template, story))
    again = client.get(url(template, story), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "max-age=60" in again["Cache-Control"]


@pytest.mark.parametrize("template", PAGES)
def test_an_if_modified_since_at_the_last_change_is_answered_304(client, story, template):
    first = client.get(url(template, story))
    again = client.get(url(template, story), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_stale_etag_gets_the_whole_page(client, story):
    response = client.get(story.claim.get_absolute_url(), HTTP_IF_NONE_MATCH='"stale"')
    assert response.status_code == 200
    assert b"Acme will open" in response.content


@pytest.mark.parametrize(
    "change",
    [
        lambda s: link(s.claim, stance="refutes"),
        lambda s: evidence_deprecate(evidence=s.supporting, reason="Retracted."),
        lambda s: claim_set_verdict(claim=s.claim, verdict="disputed", note="Now disputed."),
    ],
    ids=["evidence added", "evidence deprecated", "verdict changed"],
)
@pytest.mark.parametrize("template", PAGES)
def test_any_change_to_the_claim_gives_every_page_a_new_etag(client, story, change, template):
    before = client.get(url(template, story))["ETag"]
    change(story)
    after = client.get(url(template, story), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_a_filter_has_its_own_etag(client, story):
    assert client.get("/claims/")["ETag"] != client.get("/claims/?q=Acme")["ETag"]


@pytest.mark.parametrize("template", PAGES)
def test_reading_sets_no_cookie(client, story, template):
    response = client.get(url(template, story))
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("template", ["/claims/", "/claims/{slug}/", "/tags/cars/"])
def test_pages_that_editors_see_differently_vary_on_the_cookie(client, story, template):
    assert "Cookie" in client.get(url(template, story))["Vary"]


def test_an_editor_and_a_reader_never_share_a_validator(editor_client, story):
    reader = Client().get(story.claim.get_absolute_url())["ETag"]
    editor = editor_client.get(story.claim.get_absolute_url(), HTTP_IF_NONE_MATCH=reader)
    assert editor.status_code == 200
    assert editor["ETag"] != reader


def test_a_claim_leaving_the_site_changes_the_site_feed(client, story):
    claim_create(text="A newer published claim", published=True)
    before = client.get("/claims/feed.atom")["ETag"]
    claim_update(claim=story.claim, published=False)
    after = client.get("/claims/feed.atom", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert b"Acme will open" not in after.content

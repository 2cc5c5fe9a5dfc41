"""The list costs what it shows: its stamp and tag choices come from values the database
keeps, it is never counted, and a 304 is decided by the stamp alone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Tag, TagCount
from claims.services.claims import claim_create, claim_update
from tests.conftest import on_postgresql

postgresql_only = pytest.mark.skipif(not on_postgresql(), reason="kept by PostgreSQL triggers")


def counts(slug: str) -> tuple[int, int]:
    row = TagCount.objects.get(tag__slug=slug)
    return row.claims, row.published_claims


@postgresql_only
def test_tag_counts_follow_links_publishing_and_removal(db):
    seen = claim_create(text="The port reopens", tags=["ports", "weather"], published=True)
    draft = claim_create(text="The port closes", tags=["ports"], published=False)
    assert counts("ports") == (2, 1)
    claim_update(claim=draft, published=True)
    assert counts("ports") == (2, 2)
    claim_update(claim=seen, published=False)
    assert counts("ports") == (2, 1)
    claim_update(claim=draft, tags=["weather"])
    assert counts("ports") == (1, 0)
    assert counts("weather") == (2, 1)
    Claim.objects.filter(pk=draft.pk).delete()
    assert counts("weather") == (1, 0)


@postgresql_only
def test_a_tag_whose_claims_are_all_unpublished_leaves_the_choices(client, db):
    claim = claim_create(text="The port reopens", tags=["ports"], published=True)
    assert 'value="ports"' in client.get("/claims/").content.decode()
    claim_update(claim=claim, published=False)
    assert 'value="ports"' not in client.get("/claims/").content.decode()
    assert client.get("/tags/ports/").status_code == 404


def test_removing_a_claim_changes_the_list_etag(client, db):
    claim_create(text="The port reopens", tags=["ports"], published=True)
    gone = claim_create(text="The port closes", published=True)
    claim_update(claim=Claim.objects.get(text="The port reopens"), context="Newest change")
    before = client.get("/claims/")["ETag"]
    Claim.objects.filter(pk=gone.pk).delete()
    assert client.get("/claims/")["ETag"] != before


@postgresql_only
def test_renaming_a_tag_changes_the_list_etag(client, db):
    claim_create(text="The port reopens", tags=["ports"], published=True)
    before = client.get("/claims/")["ETag"]
    Tag.objects.filter(slug="ports").update(name="Harbours")
    assert client.get("/claims/")["ETag"] != before


@pytest.mark.parametrize("path", ["/claims/", "/claims/?q=port", "/tags/ports/"])
def test_a_304_is_decided_by_the_stamp_alone(client, db, path):
    claim_create(text="The port reopens", tags=["ports"], published=True)
    etag = client.get(path)["ETag"]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    # PostgreSQL reads the stamp, and a tag page's tag with it, in one round trip; SQLite
    # aggregates, then counts, and reads the tag first.
    if connection.vendor == "postgresql":
        assert len(captured) == 1
    else:
        assert len(captured) == (3 if path.startswith("/tags/") else 2)
    assert not any('claims_claim"."text' in query["sql"] for query in captured)


def test_the_list_is_never_counted_and_shows_next_without_a_total(client, db):
    for n in range(23):
        claim_create(text=f"Numbered claim {n}", published=True)
    with CaptureQueriesContext(connection) as captured:
        first = client.get("/claims/").content.decode()
    if on_postgresql():  # SQLite's stamp counts claims: it has no triggers to keep one
        assert not any("COUNT(" in query["sql"].upper() for query in captured)
    assert "firmness_explanation" not in " ".join(query["sql"] for query in captured)
    assert (
        'rel="next"' in first and "Page 1" in first and " of " not in first.split("Page 1")[1][:8]
    )
    last = client.get("/claims/?page=2").content.decode()
    assert "<strong>23</strong> claims" in last
    assert 'rel="next"' not in last

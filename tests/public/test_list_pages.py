"""/claims/ and /tags/<tag>/: newest change first, search, filters, pages, bad input."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from claims.models import Claim
from claims.services.claims import claim_create, claim_set_verdict, claim_update
from tests.public.conftest import link


def titles(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(
        r'<h2 class="claim-card-title"[^>]*><a [^>]*>([^<]*)</a>', response.content.decode()
    )


@pytest.fixture
def three(db) -> dict[str, Claim]:
    tram = claim_create(text="The tram opens in May", tags=["transport"], published=True)
    plant = claim_create(text="Chery builds cars at JLR", tags=["cars"], published=True)
    flood = claim_create(text="The flood displaced thousands", tags=["weather"], published=True)
    link(plant, kind="primary")
    claim_set_verdict(claim=plant, verdict="confirmed", note="Chery confirmed it.")
    claim_update(claim=tram, context="Northbridge council says so")
    return {"tram": tram, "plant": plant, "flood": flood}


def test_the_list_shows_published_claims_newest_change_first(client, three):
    claim_create(text="A draft nobody should see", published=False)
    assert titles(client.get("/claims/")) == [
        "The tram opens in May",
        "Chery builds cars at JLR",
        "The flood displaced thousands",
    ]


def test_each_row_shows_the_verdict_and_a_compact_meter(client, three):
    plant = Claim.objects.get(pk=three["plant"].pk)
    html = client.get("/claims/").content.decode()
    row = next(r for r in html.split('<li class="claim-row">') if "Chery builds cars" in r)
    assert "verdict-confirmed" in row and "Confirmed" in row
    assert "meter-compact" in row
    assert f">{plant.firmness_score}</strong> of 100" in row


def test_search_finds_claims_by_their_words(client, three):
    assert titles(client.get("/claims/?q=Chery")) == ["Chery builds cars at JLR"]
    assert titles(client.get("/claims/?q=Northbridge")) == ["The tram opens in May"]


def test_the_search_box_keeps_what_was_searched(client, three):
    html = client.get("/claims/?q=Chery").content.decode()
    assert 'name="q" value="Chery"' in html
    assert "1 claim matching “Chery”" in re.sub(
        r"<[^>]+>|\s+", lambda m: " " if m.group().isspace() else "", html
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("verdict=confirmed", ["Chery builds cars at JLR"]),
        ("verdict=unverified", ["The tram opens in May", "The flood displaced thousands"]),
        ("tag=weather", ["The flood displaced thousands"]),
        ("level=no_evidence", ["The tram opens in May", "The flood displaced thousands"]),
        ("q=Chery&verdict=unverified", []),
    ],
)
def test_filters_narrow_the_list(client, three, query, expected):
    assert titles(client.get(f"/claims/?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("verdict=maybe", "Verdict"),
        ("level=very", "Firmness"),
        ("tag=%3Cb%3E", "Tag"),
        ("q=" + "x" * 201, "Search claims"),
    ],
)
def test_a_filter_that_cannot_be_understood_is_a_friendly_400(client, three, query, named):
    response = client.get(f"/claims/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not read that search" in html
    assert f"<strong>{named}:</strong>" in html


def test_a_400_for_bad_filters_is_neither_validated_nor_kept_by_caches(client, three):
    response = client.get("/claims/?verdict=maybe")
    assert response.status_code == 400
    assert not response.has_header("ETag")
    assert "public" not in response.get("Cache-Control", "")


def test_an_unknown_parameter_is_ignored(client, three):
    assert len(titles(client.get("/claims/?utm_source=newsletter"))) == 3


def test_the_list_is_paginated_and_keeps_the_filters_in_its_links(client, db):
    for n in range(23):
        claim_create(text=f"Numbered claim {n}", tags=["numbers"], published=True)
    first = client.get("/claims/?tag=numbers")
    assert len(titles(first)) == 20
    assert 'href="?tag=numbers&amp;page=2"' in first.content.decode()
    assert len(titles(client.get("/claims/?tag=numbers&page=2"))) == 3


@pytest.mark.parametrize("number", ["0", "-1", "999", "abc", "9" * 5000, "1.5"])
def test_a_bad_page_number_never_fails(client, three, number):
    response = client.get(f"/claims/?page={number}")
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_an_empty_result_says_so_and_offers_the_way_back(client, three):
    html = client.get("/claims/?q=nothingmatchesthis").content.decode()
    assert "No claims match these filters." in html
    assert 'href="?">Show every claim' in html


def test_a_tag_page_lists_the_tags_published_claims(client, three):
    claim_create(text="An unpublished tram rumour", tags=["transport"], published=False)
    response = client.get("/tags/transport/")
    assert titles(response) == ["The tram opens in May"]
    assert "<h1>transport</h1>" in response.content.decode()


def test_an_unknown_tag_is_404(client, three):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_a_tag_in_another_script_has_its_page(client, db):
    claim_create(text="A new line opens in Osaka", tags=["日本"], published=True)
    assert titles(client.get(f"/tags/{quote('日本')}/")) == ["A new line opens in Osaka"]
    assert titles(client.get(f"/claims/?tag={quote('日本')}")) == ["A new line opens in Osaka"]


def test_the_list_has_a_canonical_url_without_its_filters(client, three, settings):
    html = client.get("/claims/?q=Chery").content.decode()
    assert f'<link rel="canonical" href="{settings.SITE_URL}/claims/">' in html

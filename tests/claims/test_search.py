"""Searching claims: one selector behind the API and the public pages; the stored document,
prefixes, misspellings and ranking are PostgreSQL's, SQLite keeps a plain fallback."""

from __future__ import annotations

import base64
import re
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from claims.models import Claim
from claims.selectors import claims_by_relevance, claims_search
from claims.services.claims import claim_create, claim_update
from tests.api.conftest import API
from tests.conftest import on_postgresql

postgresql_only = pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL's full-text search")


def found(words: str) -> list[str]:
    public = Claim.objects.published()
    return list(
        claims_by_relevance(claims_search(public, words), words).values_list("text", flat=True)
    )


def listed(client, words: str) -> list[str]:
    response = client.get("/claims/", {"q": words})
    assert response.status_code == 200
    return re.findall(
        r'<h2 class="claim-card-title"[^>]*><a [^>]*>([^<]*)</a>', response.content.decode()
    )


@pytest.fixture
def claims(db) -> dict[str, Claim]:
    return {
        "plant": claim_create(text="Chery builds cars at the JLR plant", published=True),
        "tram": claim_create(
            text="The tram opens in May", context="Northbridge council says so", published=True
        ),
        "draft": claim_create(text="Chery buys the Halewood plant", published=False),
    }


def test_a_word_finds_the_claims_that_say_it(claims):
    assert found("Chery") == ["Chery builds cars at the JLR plant"]


@postgresql_only
def test_the_last_word_typed_matches_as_a_prefix(claims):
    assert found("cher") == ["Chery builds cars at the JLR plant"]
    assert found("tram op") == ["The tram opens in May"]


@postgresql_only
def test_a_misspelt_word_finds_what_it_was_meant_to(claims):
    assert found("Cheri") == ["Chery builds cars at the JLR plant"]


@postgresql_only
def test_websearch_syntax_excludes_and_quotes(claims):
    assert found("plant -Chery") == []
    assert found('"tram opens"') == ["The tram opens in May"]
    assert found('"opens tram"') == []


@postgresql_only
def test_words_in_the_text_rank_above_words_in_the_context_or_claimant(db):
    in_text = claim_create(text="Northbridge gets a new bridge", published=True)
    claim_create(text="A bridge closes", claimant="Northbridge council", published=True)
    claim_create(text="The bridge reopens", context="Said in Northbridge", published=True)
    claim_update(claim=in_text, context="")  # now the oldest is the newest change
    claim_create(text="Nothing about it", published=True)
    assert found("Northbridge") == [
        "Northbridge gets a new bridge",
        "The bridge reopens",
        "A bridge closes",
    ]


@postgresql_only
def test_the_document_is_kept_by_the_database_for_bulk_inserts_and_edits(claims):
    Claim.objects.bulk_create(
        [Claim(text="Osaka opens a line", slug="osaka-opens-a-line", published=True)]
    )
    assert found("Osaka") == ["Osaka opens a line"]
    claim_update(claim=claims["tram"], text="The ferry opens in May")
    assert found("ferry") == ["The ferry opens in May"]
    assert found("tram") == []


@pytest.mark.parametrize("words", ["Halewood", "Halew", "Halewod", "buys"])
def test_the_public_never_finds_an_unpublished_claim(client, claims, words):
    assert "Chery buys the Halewood plant" not in listed(client, words)
    body = APIClient().get(f"{API}/claims/", {"q": words}).json()
    assert all(row["text"] != "Chery buys the Halewood plant" for row in body["results"])


def test_the_api_and_the_public_list_find_the_same_claims(client, claims):
    body = APIClient().get(f"{API}/claims/", {"q": "Chery"}).json()
    assert [row["text"] for row in body["results"]] == listed(client, "Chery")
    assert listed(client, "Chery") == ["Chery builds cars at the JLR plant"]


def test_the_desk_finds_unpublished_claims(claims):
    everything = Claim.objects.all()
    assert list(claims_search(everything, "Halewood").values_list("text", flat=True)) == [
        "Chery buys the Halewood plant"
    ]


def api_found(words: str, **params: str) -> list[str]:
    response = APIClient().get(f"{API}/claims/", {"q": words, **params})
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@postgresql_only
def test_the_api_ranks_a_search_by_relevance_unless_asked_for_another_order(db):
    in_text = claim_create(text="Northbridge gets a new bridge", published=True)
    claim_create(text="A bridge closes", claimant="Northbridge council", published=True)
    claim_create(text="The bridge reopens", context="Said in Northbridge", published=True)
    claim_update(claim=in_text, context="")
    Claim.objects.filter(pk=in_text.pk).update(updated_at="2020-01-01T00:00:00Z")
    assert api_found("Northbridge") == [
        "Northbridge gets a new bridge",
        "The bridge reopens",
        "A bridge closes",
    ]
    assert api_found("Northbridge", ordering="-updated_at") == [
        "The bridge reopens",
        "A bridge closes",
        "Northbridge gets a new bridge",
    ]


@postgresql_only
def test_a_ranked_search_pages_through_every_match_once(db):
    texts = {f"Bridge number {n} opens" for n in range(9)}
    texts |= {f"A bridge by the bridge number {n}" for n in range(8)}
    for text in texts:
        claim_create(text=text, published=True)
    seen: list[str] = []
    url: str | None = f"{API}/claims/?q=bridge&page_size=4"
    while url:
        body = APIClient().get(url).json()
        seen += [row["text"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(texts)
    # "bridge" twice in the text ranks above once: all eight come first
    assert all(text.startswith("A bridge by") for text in seen[:8])


@postgresql_only
@pytest.mark.parametrize("position", ["abc", "nan", "inf", "1e999"])
def test_a_damaged_cursor_of_a_ranked_search_is_a_400(claims, position):
    cursor = base64.b64encode(urlencode({"o": 0, "r": 0, "p": position}).encode()).decode()
    response = APIClient().get(f"{API}/claims/", {"q": "Chery", "cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()

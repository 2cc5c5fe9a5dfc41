"""GET /claims/{id}/claimreview/: the schema.org ClaimReview document."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from claims.models import Claim, Verdict
from claims.services.claims import claim_set_verdict
from claims.services.evidence import evidence_add, evidence_deprecate
from tests.api.conftest import API, World, make_claim
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

TOP_KEYS = {
    "@context",
    "@type",
    "url",
    "claimReviewed",
    "reviewRating",
    "author",
    "datePublished",
    "dateModified",
    "itemReviewed",
}
RATING_KEYS = {"@type", "ratingValue", "bestRating", "worstRating", "alternateName"}
ITEM_KEYS = {"@type", "author", "datePublished", "appearance", "firstAppearance"}


def review(client, claim: Claim) -> dict:
    response = client.get(f"{API}/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    return response.json()


def test_the_document_has_exactly_the_required_keys(api_client, world: World):
    document = review(api_client, world.published)
    assert set(document) == TOP_KEYS
    assert set(document["reviewRating"]) == RATING_KEYS
    assert set(document["itemReviewed"]) == ITEM_KEYS
    assert (document["@context"], document["@type"]) == ("https://schema.org", "ClaimReview")
    assert document["reviewRating"]["@type"] == "Rating"
    assert document["itemReviewed"]["@type"] == "Claim"


def test_the_document_describes_the_claim_and_the_desk(api_client, world: World):
    claim = Claim.objects.get(pk=world.published.pk)
    document = review(api_client, claim)
    assert document["url"] == f"{settings.SITE_URL}/claims/{claim.slug}/"
    assert document["claimReviewed"] == claim.text
    assert document["author"] == {
        "@type": "Organization",
        "name": settings.FACTCHECK_ORGANISATION,
        "url": settings.SITE_URL,
    }
    assert document["datePublished"] == claim.created_at.date().isoformat()
    assert datetime.datetime.fromisoformat(document["dateModified"]) == claim.updated_at
    item = document["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Acme plc"}
    assert item["datePublished"] == "2025-03-01"
    assert item["firstAppearance"] == {"@type": "CreativeWork", "url": world.public_source.url}


def test_appearances_are_live_sources_earliest_first(api_client, world: World):
    claim = world.published
    early = SourceFactory.create(published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    dropped = SourceFactory.create()
    evidence_add(claim=claim, source=early)
    gone = evidence_add(claim=claim, source=dropped)
    evidence_deprecate(evidence=gone, reason="Wrong story.")
    item = review(api_client, claim)["itemReviewed"]
    urls = [work["url"] for work in item["appearance"]]
    assert urls == [early.url, world.public_source.url]
    assert item["firstAppearance"]["url"] == early.url


def test_a_claim_without_claimant_date_or_sources_leaves_those_out(api_client, editor):
    bare = make_claim(user=editor, text="Lambda will float on the stock market")
    assert review(api_client, bare)["itemReviewed"] == {"@type": "Claim"}


@pytest.mark.parametrize("verdict", Verdict.values)
def test_every_verdict_maps_to_a_rating_from_1_to_5(api_client, world: World, verdict):
    claim_set_verdict(claim=world.published, verdict=verdict, note="Checked.", user=world.editor)
    rating = review(api_client, world.published)["reviewRating"]
    assert rating["ratingValue"] in range(1, 6)
    assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
    assert rating["alternateName"]


@pytest.mark.parametrize(
    ("verdict", "value"), [("confirmed", 5), ("unconfirmed", 3), ("denied", 2), ("false", 1)]
)
def test_the_rating_follows_the_verdict(api_client, world: World, verdict, value):
    claim_set_verdict(claim=world.published, verdict=verdict, note="Checked.", user=world.editor)
    assert review(api_client, world.published)["reviewRating"]["ratingValue"] == value


def test_only_counted_related_readable_evidence_appears(api_client, world: World):
    claim = world.published
    first = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    unrelated = SourceFactory.create(published_at=first)
    failing = SourceFactory.create(published_at=first, health="error")
    unread = SourceFactory.create(published_at=first, content_hash="")
    dead = SourceFactory.create(published_at=first, health="dead")
    archived = SourceFactory.create(
        published_at=first, health="dead", archive_url="https://web.archive.org/web/2023/x"
    )
    evidence_add(claim=claim, source=unrelated, stance="unrelated", certainty="unknown")
    for source in (failing, unread, dead, archived):
        evidence_add(claim=claim, source=source, stance="supports", certainty="probable")
    item = review(api_client, claim)["itemReviewed"]
    urls = [work["url"] for work in item["appearance"]]
    assert urls == ["https://web.archive.org/web/2023/x", world.public_source.url]
    assert item["firstAppearance"]["url"] == "https://web.archive.org/web/2023/x"

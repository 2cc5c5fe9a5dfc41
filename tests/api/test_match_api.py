"""POST /api/v1/match/ and the link offers under /api/v1/link-offers/."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from claims.models import Claim, Evidence, LinkOffer, LinkOfferStatus
from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from sources.models import Source
from sources.services import source_add_snapshot
from tests.api.conftest import API
from tests.factories import SourceFactory
from tests.sources import conftest as fetch_fixtures
from tests.sources.httpserver import Reply, TestServer

pytestmark = pytest.mark.django_db

# The local HTTP server, fast fetch settings, and the guard against leaving this machine.
server = fetch_fixtures.server
fast_fetch = fetch_fixtures.fast_fetch
outside_connections = fetch_fixtures.outside_connections

MATCH = f"{API}/match/"
ARTICLE = (
    "Shares in the carmaker rose on Thursday. Corvid Motors said it would assemble "
    "electric vans at the Swindon plant from next spring, after months of talks with its "
    "suppliers. The company also reported higher sales in Spain."
)
PAGE = f"""<!doctype html><html lang="en"><head><title>Corvid picks Swindon</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>Corvid picks Swindon</h1>
<p>{ARTICLE}</p><p>Local officials welcomed the decision, which they said would secure
hundreds of skilled posts in the town for at least a decade.</p></article></body></html>"""


@pytest.fixture
def vans() -> Claim:
    return claim_create(
        text="Corvid Motors will build electric vans at its Swindon factory.", published=True
    )


@pytest.fixture
def hidden() -> Claim:
    return claim_create(text="Corvid Motors will make electric vans in Swindon from spring.")


def claim_ids(response: Any) -> list[int]:
    return [row["claim"]["id"] for row in response.json()["results"]]


def test_anyone_may_match_a_text_and_gets_scores_passages_and_thresholds(api_client, vans):
    response = api_client.post(MATCH, {"text": ARTICLE}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["method"], body["suggest_at"] < body["strong_at"]) == ("lexical", True)
    [row] = body["results"]
    assert row["claim"] == {
        "id": vans.pk,
        "slug": vans.slug,
        "text": vans.text,
        "url": vans.get_public_url(),
        "verdict": "unverified",
        "firmness_score": 0,
    }
    assert row["passage"].startswith("Corvid Motors said it would assemble electric vans")
    assert row["strong"] is (row["score"] >= body["strong_at"]) and 0 < row["score"] <= 1


def test_anonymous_callers_never_see_unpublished_claims(api_client, vans, hidden):
    anonymous = api_client.post(MATCH, {"text": ARTICLE, "min_score": 0.1}, format="json")
    assert claim_ids(anonymous) == [vans.pk]


def test_editors_see_unpublished_claims_too(editor_token_client, vans, hidden):
    response = editor_token_client.post(MATCH, {"text": ARTICLE}, format="json")
    assert set(claim_ids(response)) == {vans.pk, hidden.pk}


def test_limit_and_min_score_narrow_the_results(editor_token_client, vans, hidden):
    one = editor_token_client.post(MATCH, {"text": ARTICLE, "limit": 1}, format="json")
    assert len(one.json()["results"]) == 1
    strict = editor_token_client.post(MATCH, {"text": ARTICLE, "min_score": 1.0}, format="json")
    assert all(row["score"] == 1.0 for row in strict.json()["results"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ARTICLE, "url": "https://news.example.org/a"}, "text"),
        ({"text": ""}, "text"),
        ({"text": 42}, "text"),
        ({"text": ARTICLE, "limit": 0}, "limit"),
        ({"text": ARTICLE, "limit": 51}, "limit"),
        ({"text": ARTICLE, "min_score": 1.5}, "min_score"),
        ({"text": ARTICLE, "min_score": True}, "min_score"),
        ({"url": "ftp://files.example.org/a"}, "url"),
    ],
)
def test_bad_requests_get_a_400_naming_the_field(reader_token_client, body, field):
    response = reader_token_client.post(MATCH, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_matching_a_url_needs_a_signed_in_caller(api_client, server):
    server.route("/corvid", Reply(200, PAGE))
    response = api_client.post(MATCH, {"url": server.url("/corvid")}, format="json")
    assert response.status_code == 401
    assert "sign in" in response.json()["detail"]
    assert server.requests == []


def test_a_url_is_fetched_once_and_matched_without_keeping_a_source(
    reader_token_client, vans, server: TestServer
):
    server.route("/corvid", Reply(200, PAGE))
    response = reader_token_client.post(MATCH, {"url": server.url("/corvid")}, format="json")
    assert response.status_code == 200
    assert claim_ids(response) == [vans.pk]
    assert len(server.hits("/corvid")) == 1
    assert not Source.objects.exists()


def test_a_known_source_is_matched_on_its_latest_version_without_fetching(
    editor_token_client, vans, server: TestServer
):
    source = SourceFactory.create(url=server.url("/corvid"))
    source_add_snapshot(source=source, text=ARTICLE)
    response = editor_token_client.post(MATCH, {"url": source.url}, format="json")
    assert claim_ids(response) == [vans.pk]
    assert server.requests == []


@pytest.mark.parametrize(
    "url", ["http://10.0.0.7/memo", "http://169.254.169.254/latest/meta-data/"]
)
def test_a_refused_address_is_a_400_on_the_url(reader_token_client, url, fast_fetch):
    response = reader_token_client.post(MATCH, {"url": url}, format="json")
    assert response.status_code == 400
    assert "public internet" in response.json()["url"][0]


def test_a_local_address_outside_the_allowed_networks_is_refused(reader_token_client, settings):
    settings.FACTCHECK_FETCH_ALLOWED_NETS = []
    response = reader_token_client.post(MATCH, {"url": "http://127.0.0.1:9/"}, format="json")
    assert response.status_code == 400 and "url" in response.json()


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(404, "<p>No such page</p>"), "HTTP 404"),
        (Reply(200, "<html><body></body></html>"), "no article text"),
        (Reply(200, b"\x89PNG", content_type="image/png"), "not one we read"),
    ],
)
def test_a_page_that_gives_no_text_is_a_422_saying_why(
    reader_token_client, server: TestServer, reply, words
):
    server.route("/gone", reply)
    response = reader_token_client.post(MATCH, {"url": server.url("/gone")}, format="json")
    assert response.status_code == 422
    assert words in response.json()["url"][0]


def test_matching_has_a_rate_of_its_own(api_client, settings, monkeypatch, vans):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "user": "100/min", "match": "2/min"},
    }
    api_settings.reload()
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
    codes = [api_client.post(MATCH, {"text": ARTICLE}, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert api_client.get(f"{API}/claims/").status_code == 200


# --- Link offers ----------------------------------------------------------------------

OFFERS = f"{API}/link-offers/"
REPORT = (
    "Corvid Motors will build electric vans at its Swindon factory, the company said. It "
    "also confirmed that it will cut 400 jobs in Coventry when its engine works closes."
)


@pytest.fixture
def offer(vans: Claim) -> LinkOffer:
    jobs = claim_create(text="Corvid Motors will cut 400 jobs in Coventry.")
    source = SourceFactory.create()
    evidence_add(claim=vans, source=source, stance="supports")
    source_add_snapshot(source=source, text=REPORT)
    return LinkOffer.objects.get(claim=jobs)


def test_only_editors_see_link_offers(api_client, reader_token_client, offer):
    assert api_client.get(OFFERS).status_code == 401
    assert reader_token_client.get(OFFERS).status_code == 403
    assert reader_token_client.post(f"{OFFERS}{offer.pk}/accept/").status_code == 403
    offer.refresh_from_db()
    assert offer.status == LinkOfferStatus.OPEN


def test_editors_list_offers_filtered_by_status_and_claim(editor_token_client, offer):
    listed = editor_token_client.get(OFFERS, {"status": "open", "claim": offer.claim_id})
    [row] = listed.json()["results"]
    assert (row["id"], row["claim"]["id"], row["source"]["id"]) == (
        offer.pk,
        offer.claim_id,
        offer.source_id,
    )
    assert editor_token_client.get(OFFERS, {"status": "dismissed"}).json()["results"] == []
    assert editor_token_client.get(OFFERS, {"status": "maybe"}).status_code == 400
    assert editor_token_client.get(OFFERS, {"claim": "x"}).status_code == 400


def test_accepting_an_offer_links_the_source_as_evidence(editor_token_client, offer):
    response = editor_token_client.post(f"{OFFERS}{offer.pk}/accept/")
    assert response.status_code == 200
    body = response.json()
    evidence = Evidence.objects.get(claim=offer.claim, source=offer.source)
    assert (body["status"], body["evidence"]) == ("accepted", evidence.pk)
    assert body["decided_by"].startswith("editor")


def test_a_dismissed_offer_cannot_then_be_accepted(editor_token_client, offer):
    assert editor_token_client.post(f"{OFFERS}{offer.pk}/dismiss/").json()["status"] == "dismissed"
    refused = editor_token_client.post(f"{OFFERS}{offer.pk}/accept/")
    assert refused.status_code == 409
    assert "already dismissed" in refused.json()["detail"]
    assert not Evidence.objects.filter(claim=offer.claim).exists()


def test_an_unknown_offer_is_a_404(editor_token_client, offer):
    assert editor_token_client.post(f"{OFFERS}{offer.pk + 1000}/accept/").status_code == 404

"""List and detail endpoints run a constant number of SQL queries, whatever the page size
or the number of evidence items; and no GET ever computes a firmness."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.models import Claim
from claims.services.claims import claim_set_verdict
from sources.services import source_add_snapshot
from tests.api.conftest import API, World, make_claim, settle, token_client
from tests.factories import EditorFactory, PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db

# Generous ceilings: the point is that the count does not grow, but it should stay small.
MAX_LIST_QUERIES = 6
MAX_DETAIL_QUERIES = 10


def count(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.fixture(params=["anonymous", "editor"])
def reader(request) -> APIClient:
    return APIClient() if request.param == "anonymous" else token_client(EditorFactory.create())


def claims_with_evidence(n: int) -> list[Claim]:
    publisher = PublisherFactory.create()
    return [
        make_claim(text=f"Claim {i} will come true", evidence=1, publisher=publisher)
        for i in range(n)
    ]


def test_the_claim_list_runs_the_same_queries_for_5_and_50_claims(
    reader: APIClient, django_assert_num_queries
):
    claims_with_evidence(5)
    small = count(reader, f"{API}/claims/?page_size=100")
    assert small <= MAX_LIST_QUERIES
    claims_with_evidence(45)
    with django_assert_num_queries(small):
        response = reader.get(f"{API}/claims/?page_size=100")
    assert len(response.json()["results"]) == 50


def detailed_claim(editor, evidence: int) -> Claim:
    claim = make_claim(user=editor, evidence=evidence, tags=["Energy", "Jobs"])
    ids = list(claim.evidence.values_list("pk", flat=True))
    for verdict in ("unconfirmed", "confirmed", "disputed"):
        claim_set_verdict(claim=claim, verdict=verdict, note="Why.", user=editor, evidence=ids)
    return claim


@pytest.mark.parametrize("suffix", ["", "firmness/", "claimreview/", "timeline/"])
def test_claim_endpoints_run_the_same_queries_for_1_and_40_evidence_items(
    reader: APIClient, editor, suffix: str, django_assert_num_queries
):
    few = detailed_claim(editor, evidence=1)
    many = detailed_claim(editor, evidence=40)
    small = count(reader, f"{API}/claims/{few.pk}/{suffix}")
    assert small <= MAX_DETAIL_QUERIES
    with django_assert_num_queries(small):
        response = reader.get(f"{API}/claims/{many.pk}/{suffix}")
    assert response.status_code == 200
    if suffix == "":
        assert len(response.json()["evidence"]) == 40
        assert len(response.json()["history"]) == 3


def test_the_sources_list_runs_the_same_queries_for_5_and_40_sources(
    reader: APIClient, django_assert_num_queries
):
    def cited_sources(n: int) -> None:
        for _ in range(n):
            source = SourceFactory.create()
            source_add_snapshot(source=source, text="First version.")
            make_claim(text="Kappa will open an office", evidence=0).evidence.create(source=source)

    cited_sources(5)
    small = count(reader, f"{API}/sources/?page_size=100")
    assert small <= MAX_LIST_QUERIES
    cited_sources(35)
    with django_assert_num_queries(small):
        response = reader.get(f"{API}/sources/?page_size=100")
    assert len(response.json()["results"]) == 40


def test_the_publishers_list_runs_the_same_queries_for_3_and_30_publishers(
    editor_token_client, django_assert_num_queries
):
    PublisherFactory.create_batch(3)
    small = count(editor_token_client, f"{API}/publishers/?page_size=100")
    PublisherFactory.create_batch(27)
    with django_assert_num_queries(small):
        response = editor_token_client.get(f"{API}/publishers/?page_size=100")
    assert len(response.json()["results"]) == 30


def test_the_changes_feed_runs_the_same_queries_for_a_short_and_a_long_page(
    editor_token_client, world: World, django_assert_num_queries
):
    settle()
    small = count(editor_token_client, f"{API}/changes/?limit=2")
    with django_assert_num_queries(small):
        response = editor_token_client.get(f"{API}/changes/?limit=100")
    assert len(response.json()["results"]) > 2


@pytest.fixture
def assess_forbidden(monkeypatch) -> Callable[[], None]:
    def refuse(*args, **kwargs):
        raise AssertionError("firmness was computed during a GET")

    monkeypatch.setattr("claims.firmness.firmness_of", refuse)
    monkeypatch.setattr("claims.services.scoring.firmness_of", refuse)
    return refuse


@pytest.mark.parametrize(
    "path",
    [
        "/claims/",
        "/claims/{claim}/",
        "/claims/{claim}/firmness/",
        "/claims/{claim}/claimreview/",
        "/claims/{claim}/timeline/",
        "/sources/",
        "/publishers/",
    ],
)
def test_no_get_computes_a_firmness(api_client, world: World, assess_forbidden, path):
    response = api_client.get(API + path.format(claim=world.published.pk))
    assert response.status_code == 200


def test_the_firmness_endpoint_shows_the_stored_result(api_client, world: World, assess_forbidden):
    stored = Claim.objects.get(pk=world.published.pk)
    data = api_client.get(f"{API}/claims/{stored.pk}/firmness/").json()
    assert (data["score"], data["level"]) == (stored.firmness_score, stored.firmness_level)
    assert data["explanation"] == stored.firmness_explanation
    assert [p["score"] for p in data["history"]] == [p.score for p in stored.firmness_history.all()]

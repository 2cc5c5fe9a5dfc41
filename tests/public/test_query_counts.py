"""A constant number of queries per page, however much evidence or however many claims."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.services.claims import claim_create, claim_set_verdict
from claims.services.scoring import claim_recompute_firmness
from tests.factories import EvidenceFactory, SourceFactory

# The stamp (claims.marks), so that a 304 never reads the claim; the claim; tags; evidence
# with sources and publishers; firmness history; events.
CLAIM_PAGE_QUERIES = 6
# The stamp (latest changes, revision); the rows; their tags; the tags for the filter.
LIST_QUERIES = 5
# A search first reads whether the newest claims match; a rare word's matches are then read
# through the GIN bitmap (between a SET and a RESET of the planner's settings); then the
# ids of the newest matches, to rank them.
SEARCH_QUERIES = 5


def claim_with(evidence: int) -> Claim:
    claim = claim_create(text=f"A claim with {evidence} pieces", tags=["a", "b"], published=True)
    for n in range(evidence):
        EvidenceFactory.create(
            claim=claim,
            source=SourceFactory.create(paused=True),
            stance=("supports", "refutes", "discusses", "unrelated")[n % 4],
            deprecated=n % 7 == 6,
            quote=f"Quote {n}",
        )
    claim_recompute_firmness(claim=claim)
    claim_set_verdict(claim=claim, verdict="disputed", note="Both sides.")
    return claim


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_claim_page_costs_the_same_with_2_or_50_pieces_of_evidence(
    client, db, django_assert_num_queries
):
    few, many = claim_with(2), claim_with(50)
    assert queries(client, few.get_absolute_url()) == CLAIM_PAGE_QUERIES
    with django_assert_num_queries(CLAIM_PAGE_QUERIES):
        response = client.get(many.get_absolute_url())
    assert response.content.decode().count('class="evidence') >= 50


@pytest.mark.parametrize("path", ["/claims/", "/claims/?q=claim&verdict=unverified", "/tags/t/"])
def test_the_list_costs_the_same_with_5_or_40_claims(client, db, django_assert_num_queries, path):
    for n in range(5):
        claim_create(text=f"Short list claim {n}", tags=["t", f"x{n}"], published=True)
    expected = queries(client, path)
    extra = 1 if path.startswith("/tags/") else 0  # the tag page reads its tag
    extra += SEARCH_QUERIES if "q=" in path else 0
    assert expected <= LIST_QUERIES + extra
    for n in range(35):
        claim_create(text=f"Long list claim {n}", tags=["t", f"y{n}"], published=True)
    with django_assert_num_queries(expected):
        client.get(path)


def test_a_304_costs_one_query_that_never_reads_the_claim_itself(client, db):
    claim = claim_with(10)
    etag = client.get(claim.get_absolute_url())["ETag"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    [query] = captured
    assert "text" not in query["sql"] and "firmness_explanation" not in query["sql"]

"""generate_data: COPY on PostgreSQL, bulk inserts on SQLite; either way the rows are what
the services would have made of them, and the pages and lists read them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from claims.models import Claim, ClaimEvent, Evidence, TagCount
from claims.selectors import claims_search
from tests.conftest import on_postgresql


@pytest.fixture
def generated(db) -> None:
    call_command("generate_data", claims=300, seed=3, stdout=io.StringIO())


def test_it_adds_the_claims_with_evidence_events_and_tags(generated):
    assert Claim.objects.count() == 300
    assert ClaimEvent.objects.filter(kind="created").count() == 300
    assert Evidence.objects.count() > 300
    assert not Claim.objects.annotate(tags_n=Count("tags")).filter(tags_n=0).exists()
    assert Claim.objects.values("verdict").distinct().count() >= 4
    assert Claim.objects.filter(published=False).exists()


def test_the_stored_explanation_names_the_claims_own_evidence(generated):
    for claim in Claim.objects.filter(evidence__isnull=False).distinct()[:50]:
        cited = {e.pk: e.source.url for e in claim.evidence.select_related("source")}
        lines = {line["evidence_id"]: line["source_url"] for line in claim.firmness_explanation}
        assert lines == cited


@pytest.mark.skipif(not on_postgresql(), reason="COPY, triggers and search are PostgreSQL's")
def test_copied_rows_are_searchable_and_counted_by_tag(generated):
    assert claims_search(Claim.objects.all(), "Northwind").exists()
    for row in TagCount.objects.select_related("tag"):
        claims = row.tag.claims
        assert (row.claims, row.published_claims) == (
            claims.count(),
            claims.filter(published=True).count(),
        )


def test_the_pages_read_generated_claims(client, generated):
    claim = Claim.objects.filter(published=True, evidence__isnull=False).first()
    assert claim is not None
    assert client.get(claim.get_absolute_url()).status_code == 200
    assert client.get("/claims/").status_code == 200
    assert client.get("/api/v1/claims/").status_code == 200


def test_a_count_out_of_range_is_refused(db):
    with pytest.raises(CommandError, match="--claims must be between"):
        call_command("generate_data", claims=0)

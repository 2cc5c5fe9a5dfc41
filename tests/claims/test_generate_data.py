"""generate_data: COPY on PostgreSQL, bulk inserts on SQLite; either way the rows are what
the services would have made of them, and the pages and lists read them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from claims.demo import bulk
from claims.demo.copying import copy_escape
from claims.demo.profiles import Profile, explanation_json, explanation_template
from claims.management.commands import generate_data
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


@pytest.mark.skipif(not on_postgresql(), reason="a bulk load is PostgreSQL's")
def test_a_bulk_load_is_refused_inside_a_transaction(db):
    # The test's own transaction: the writers' connections could not see its rows.
    with pytest.raises(ValueError, match="outside a transaction"):
        bulk.generate_by_copy(claims=10, bulk=True)
    assert not Claim.objects.exists()


def test_a_count_out_of_range_is_refused(db):
    with pytest.raises(CommandError, match="--claims must be between"):
        call_command("generate_data", claims=0)


def test_an_explanation_is_what_json_dumps_makes_of_the_claims_own_evidence():
    said = {"evidence_id": 0, "text": 'Said "no"\\ (\t)', "source_url": "", "weight": 0.5}
    unsaid = {**said, "evidence_id": 1, "text": "Not counted."}
    profile = Profile(
        lines=(("supports", "certain", "primary", 0),) * 3,
        score=40,
        level="reported",
        explanation={0: explanation_template(said), 1: explanation_template(unsaid)},
    )
    cited = [(7, 70, "https://a.example/70"), None, (9, 90, "https://a.example/90")]
    expected = [{**said, "evidence_id": 7, "source_url": "https://a.example/70"}]
    assert explanation_json(profile, cited) == copy_escape(json.dumps(expected))


def catalogue() -> dict[str, list[tuple]]:
    """Every index, constraint and trigger of the schema, as PostgreSQL defines them."""
    queries = {
        "indexes": "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE schemaname = current_schema() ORDER BY indexname",
        "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid),"
        " convalidated FROM pg_constraint"
        " WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2",
        "triggers": "SELECT tgrelid::regclass::text, tgname, tgenabled, pg_get_triggerdef(oid)"
        " FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2",
    }
    with connection.cursor() as cursor:
        found = {}
        for name, sql in queries.items():
            cursor.execute(sql)
            found[name] = cursor.fetchall()
    return found


def assert_tags_counted() -> None:
    rows = TagCount.objects.select_related("tag")
    assert rows
    for row in rows:
        claims = row.tag.claims
        assert (row.claims, row.published_claims) == (
            claims.count(),
            claims.filter(published=True).count(),
        )


@pytest.fixture
def bulk_from_1000(monkeypatch):
    monkeypatch.setattr(generate_data, "BULK_FROM", 1000)


@pytest.mark.skipif(not on_postgresql(), reason="a bulk load is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_leaves_every_index_constraint_and_trigger_and_counts_the_tags(
    bulk_from_1000,
):
    before = catalogue()
    out = io.StringIO()
    call_command("generate_data", claims=2000, seed=4, stdout=out)
    assert "Rebuilding" in out.getvalue()
    assert catalogue() == before
    assert Claim.objects.count() == 2000
    assert not Claim.objects.annotate(tags_n=Count("tags")).filter(tags_n=0).exists()
    assert_tags_counted()
    assert claims_search(Claim.objects.all(), "Northwind").exists()


@pytest.mark.skipif(not on_postgresql(), reason="a bulk load is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_failed_bulk_load_puts_everything_back_without_orphans(bulk_from_1000, monkeypatch):
    before = catalogue()
    made = bulk.chunk_lines

    def second_chunk_fails(rng, setting, size, offset):
        if offset:
            raise RuntimeError("generator broke")
        return made(rng, setting, size, offset)

    monkeypatch.setattr(bulk, "CHUNK", 1000)
    monkeypatch.setattr(bulk, "chunk_lines", second_chunk_fails)
    with pytest.raises(RuntimeError, match="generator broke"):
        call_command("generate_data", claims=3000, seed=4, stdout=io.StringIO())
    assert catalogue() == before
    assert Claim.objects.count() == 1000
    assert not Evidence.objects.exclude(claim_id__in=Claim.objects.values("id")).exists()
    assert_tags_counted()


@pytest.mark.skipif(not on_postgresql(), reason="a bulk load is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_writer_failing_leaves_no_row_pointing_at_a_claim_never_written(
    bulk_from_1000, monkeypatch
):
    sent = bulk.send_chunk
    chunks = []

    def claims_copy_breaks(writers, tables, lines):
        chunks.append(1)
        if len(chunks) == 2:  # its claims fail to copy; its evidence and tags are written
            lines = {**lines, "claim": ["not a claim\n"]}
        sent(writers, tables, lines)

    monkeypatch.setattr(bulk, "CHUNK", 1000)
    monkeypatch.setattr(bulk, "send_chunk", claims_copy_breaks)
    before = catalogue()
    with pytest.raises(RuntimeError, match="a COPY writer failed"):
        call_command("generate_data", claims=3000, seed=4, stdout=io.StringIO())
    assert catalogue() == before
    assert Claim.objects.count() in (1000, 2000)  # the third chunk's may have been written
    assert not Evidence.objects.exclude(claim_id__in=Claim.objects.values("id")).exists()
    assert not Claim.tags.through.objects.exclude(claim_id__in=Claim.objects.values("id")).exists()
    assert_tags_counted()

"""POST /claims/{id}/evidence/ and PATCH/DELETE /evidence/{id}/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, Evidence, LabelledBy
from claims.services.evidence import evidence_add
from sources.models import Source
from tests.api.conftest import API, World, make_claim, token_client
from tests.factories import EditorFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_editor():
    return EditorFactory.create()


@pytest.fixture
def desk(desk_editor) -> APIClient:
    return token_client(desk_editor)


@pytest.fixture
def claim(desk_editor) -> Claim:
    return make_claim(user=desk_editor, text="Omega Bank will cut 500 jobs")


def add(client: APIClient, claim: Claim, body: dict):
    return client.post(f"{API}/claims/{claim.pk}/evidence/", body, format="json")


def test_it_adds_evidence_by_url_creating_the_source_under_its_normalised_url(desk, claim):
    raw = "HTTPS://News.Example.COM/story?utm_source=feed&b=2&a=1#comments"
    response = add(desk, claim, {"url": raw, "stance": "supports", "certainty": "certain"})
    assert response.status_code == 201
    data = response.json()
    assert data["source"]["url"] == "https://news.example.com/story?a=1&b=2"
    source = Source.objects.get(url="https://news.example.com/story?a=1&b=2")
    evidence = Evidence.objects.get(pk=data["id"])
    assert (evidence.claim_id, evidence.source_id) == (claim.pk, source.pk)
    assert (data["stance"], data["certainty"], data["labelled_by"]) == (
        "supports",
        "certain",
        "editor",
    )


def test_it_adds_evidence_by_source_id_without_a_new_source(desk, claim):
    source = SourceFactory.create()
    sources_before = Source.objects.count()
    response = add(desk, claim, {"source": source.pk, "stance": "refutes"})
    assert response.status_code == 201
    assert response.json()["source"]["id"] == source.pk
    assert Source.objects.count() == sources_before


@pytest.mark.parametrize(
    "body",
    [{}, {"stance": "supports"}, {"url": "https://a.example.org/x", "source": 1}],
    ids=["empty", "neither", "both"],
)
def test_it_wants_exactly_one_of_url_and_source(desk, claim, body):
    if "source" in body:
        body = {**body, "source": SourceFactory.create().pk}
    response = add(desk, claim, body)
    assert response.status_code == 400
    assert "exactly one" in response.json()["url"][0]
    assert not claim.evidence.exists()


@pytest.mark.parametrize(
    "url", ["ftp://files.example.org/report.pdf", "javascript:alert(1)", "mailto:a@b.org"]
)
def test_it_refuses_a_url_that_is_not_http_with_a_field_message(desk, claim, url):
    response = add(desk, claim, {"url": url})
    assert response.status_code == 400
    assert response.json()["url"] == ["Only http and https URLs can be sources."]


def test_it_refuses_an_unknown_source_id(desk, claim):
    response = add(desk, claim, {"source": 999999})
    assert response.status_code == 400
    assert "source" in response.json()


def test_it_answers_409_when_the_source_is_already_linked(desk, claim):
    assert add(desk, claim, {"url": "https://news.example.com/a"}).status_code == 201
    again = add(desk, claim, {"url": "https://news.example.com/a?utm_medium=x"})
    assert again.status_code == 409
    assert "already evidence" in again.json()["detail"]
    assert claim.evidence.count() == 1


def test_derived_from_may_be_a_source_id(desk, claim):
    origin = SourceFactory.create()
    body = {"url": "https://relay.example.com/a", "derived_from": origin.pk}
    response = add(desk, claim, body)
    assert response.status_code == 201
    assert response.json()["derived_from"] == origin.pk
    assert Evidence.objects.get(pk=response.json()["id"]).derived_from_id == origin.pk


def test_derived_from_may_be_a_url_that_becomes_a_source(desk, claim):
    body = {"url": "https://relay.example.com/a", "derived_from": "https://FT.example.com/orig"}
    response = add(desk, claim, body)
    assert response.status_code == 201
    origin = Source.objects.get(url="https://ft.example.com/orig")
    assert response.json()["derived_from"] == origin.pk


def test_derived_from_must_name_a_source_that_exists(desk, claim):
    response = add(desk, claim, {"url": "https://relay.example.com/a", "derived_from": 999999})
    assert response.status_code == 400
    assert response.json()["derived_from"] == ["There is no source 999999."]


def test_adding_evidence_to_a_missing_claim_is_404(desk):
    response = desk.post(f"{API}/claims/999999/evidence/", {"url": "https://a.org/"}, format="json")
    assert response.status_code == 404


def test_patch_relabels_and_records_the_editor(desk, desk_editor, claim):
    evidence = evidence_add(
        claim=claim,
        source=SourceFactory.create(),
        stance="discusses",
        labelled_by=LabelledBy.AUTOMATIC,
    )
    response = desk.patch(
        f"{API}/evidence/{evidence.pk}/",
        {"stance": "refutes", "certainty": "certain", "quote": "We will not cut jobs."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["stance"] == "refutes"
    assert response.json()["labelled_by"] == "editor"
    evidence.refresh_from_db()
    assert (evidence.stance, evidence.certainty) == ("refutes", "certain")
    assert evidence.labelled_by == LabelledBy.EDITOR
    assert evidence.labelled_by_user == desk_editor


def test_patch_with_a_bad_label_changes_nothing(desk, world: World):
    evidence = world.published_evidence
    response = desk.patch(f"{API}/evidence/{evidence.pk}/", {"stance": "maybe"}, format="json")
    assert response.status_code == 400
    assert "stance" in response.json()
    assert Evidence.objects.get(pk=evidence.pk).stance == evidence.stance


def test_delete_without_a_reason_is_refused(desk, world: World):
    response = desk.delete(f"{API}/evidence/{world.published_evidence.pk}/")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not Evidence.objects.get(pk=world.published_evidence.pk).deprecated


@pytest.mark.parametrize("where", ["body", "query"])
def test_delete_with_a_reason_deprecates_keeps_the_row_and_drops_it_from_firmness(
    desk, world: World, where
):
    evidence = world.published_evidence
    before = Claim.objects.get(pk=world.published.pk)
    assert before.firmness_score > 0
    url = f"{API}/evidence/{evidence.pk}/"
    if where == "body":
        response = desk.delete(url, {"reason": "The story was retracted."}, format="json")
    else:
        response = desk.delete(f"{url}?reason=The+story+was+retracted.")
    assert response.status_code == 200
    assert response.json()["deprecated"] is True
    assert response.json()["deprecated_reason"] == "The story was retracted."
    row = Evidence.objects.get(pk=evidence.pk)
    assert row.deprecated and row.deprecated_at is not None
    after = Claim.objects.get(pk=world.published.pk)
    assert after.firmness_score == 0
    [line] = [x for x in after.firmness_explanation if x["evidence_id"] == evidence.pk]
    assert line["counted"] is False
    assert after.etag != before.etag


def test_a_deprecated_source_may_be_linked_again(desk, world: World):
    desk.delete(f"{API}/evidence/{world.published_evidence.pk}/?reason=Wrong+page")
    response = add(desk, world.published, {"source": world.public_source.pk})
    assert response.status_code == 201
    assert world.published.evidence.count() == 2

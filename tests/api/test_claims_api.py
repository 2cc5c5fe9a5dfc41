"""GET/POST /claims/ and GET/PATCH /claims/{id}/: fields, filters, ordering, pagination,
ETags and the PATCH preconditions."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.models import Claim, ClaimEvent, EventKind, VerdictChange
from claims.services.claims import claim_create, claim_set_verdict
from claims.services.evidence import evidence_add
from sources.models import Publisher
from tests.api.conftest import API, World, make_claim
from tests.conftest import on_postgresql
from tests.factories import PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "id",
    "slug",
    "text",
    "status",
    "firmness",
    "needs_review",
    "updated_at",
    "url",
    "api_url",
}
DETAIL_FIELDS = LIST_FIELDS | {
    "context",
    "tags",
    "claimant",
    "first_seen",
    "expected_by",
    "published",
    "review_reasons",
    "version",
    "evidence",
    "history",
}


def detail(client: APIClient, claim: Claim):
    return client.get(f"{API}/claims/{claim.pk}/")


def patch(client: APIClient, claim: Claim, body: dict, etag: str | None = None):
    url = f"{API}/claims/{claim.pk}/"
    if etag is None:
        return client.patch(url, body, format="json")
    return client.patch(url, body, format="json", HTTP_IF_MATCH=etag)


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def test_it_creates_a_claim_and_answers_201_with_its_body_and_etag(editor_token_client):
    body = {
        "text": "  Gamma   will merge with Delta ",
        "tags": ["Energy", "Jobs"],
        "claimant": "Gamma plc",
        "first_seen": "2025-04-01",
        "published": True,
    }
    response = editor_token_client.post(f"{API}/claims/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    claim = Claim.objects.get(pk=data["id"])
    assert data["text"] == claim.text == "Gamma will merge with Delta"
    assert sorted(data["tags"]) == ["Energy", "Jobs"]
    assert (data["claimant"], data["first_seen"], data["published"]) == (
        "Gamma plc",
        "2025-04-01",
        True,
    )
    assert set(data) == DETAIL_FIELDS
    assert response["ETag"] == claim.etag
    assert ClaimEvent.objects.filter(claim=claim, kind=EventKind.CREATED).exists()


def test_list_items_have_exactly_the_documented_fields(api_client, world: World):
    item = api_client.get(f"{API}/claims/").json()["results"][0]
    assert set(item) == LIST_FIELDS
    assert set(item["firmness"]) == {"score", "level"}
    assert item["status"] == "unconfirmed"
    assert item["url"] == f"{settings.SITE_URL}/claims/{world.published.slug}/"
    assert item["api_url"].endswith(f"/api/v1/claims/{world.published.pk}/")


def test_detail_has_the_documented_fields_evidence_and_history(api_client, world: World):
    response = detail(api_client, world.published)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == DETAIL_FIELDS
    assert data["tags"] == ["Energy"]
    assert set(data["firmness"]) == {"score", "level", "explanation"}
    [evidence] = data["evidence"]
    assert evidence["id"] == world.published_evidence.pk
    assert evidence["source"]["publisher"] == "Public Gazette"
    [change] = data["history"]
    assert (change["previous"], change["verdict"]) == ("unverified", "unconfirmed")
    assert change["evidence"] == [world.published_evidence.pk]
    assert change["changed_by"] == world.editor.username
    assert response["ETag"] == fresh(world.published).etag


def test_it_answers_304_to_a_matching_if_none_match(api_client, world: World):
    etag = detail(api_client, world.published)["ETag"]
    response = api_client.get(f"{API}/claims/{world.published.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    stale = api_client.get(f"{API}/claims/{world.published.pk}/", HTTP_IF_NONE_MATCH='"0-0-0"')
    assert stale.status_code == 200


def test_a_304_is_one_query_that_never_reads_the_claim_itself(api_client, world: World):
    url = f"{API}/claims/{world.published.pk}/"
    etag = detail(api_client, world.published)["ETag"]
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    [query] = captured
    assert "text" not in query["sql"] and "firmness_explanation" not in query["sql"]


def test_an_unpublished_claims_etag_earns_a_reader_a_404_and_an_editor_a_304(
    api_client, editor_token_client, world: World
):
    url = f"{API}/claims/{world.unpublished.pk}/"
    etag = editor_token_client.get(url)["ETag"]
    assert editor_token_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


@pytest.mark.parametrize("pk", ["²", "99999999999999999999999", "1.0"])
def test_an_odd_id_with_if_none_match_is_a_404(api_client, world: World, pk):
    assert api_client.get(f"{API}/claims/{pk}/", HTTP_IF_NONE_MATCH='"1-1-0"').status_code == 404


@pytest.fixture
def cited(db) -> Publisher:
    return PublisherFactory.create(name="Cited Daily")


@pytest.fixture
def catalogue(editor, cited) -> dict[str, Claim]:
    """Three claims that each filter tells apart."""
    wind = make_claim(
        user=editor, text="Acme will build a wind turbine plant", tags=["Energy"], evidence=1
    )
    evidence_add(claim=wind, user=editor, source=SourceFactory.create(publisher=cited))
    claim_set_verdict(claim=wind, verdict="confirmed", note="The plant opened.", user=editor)
    depot = make_claim(user=editor, text="Beta Ltd will close the Hull depot", tags=["Jobs"])
    claim_set_verdict(claim=depot, verdict="false", note="Beta denies it.", user=editor)
    strike = make_claim(
        user=editor, text="Dock workers will strike in May", context="Union leaders said so."
    )
    rows = [
        (wind, 80, "corroborated", False, "2025-01-10"),
        (depot, 5, "refuted", False, "2025-06-10"),
        (strike, 30, "reported", True, "2026-01-10"),
    ]
    for claim, score, level, review, updated in rows:
        stamp = datetime.datetime.fromisoformat(f"{updated}T12:00:00+00:00")
        Claim.objects.filter(pk=claim.pk).update(
            firmness_score=score, firmness_level=level, needs_review=review, updated_at=stamp
        )
    return {"wind": wind, "depot": depot, "strike": strike}


FILTERS = [
    ("status=confirmed", {"wind"}),
    ("status=confirmed&status=false", {"wind", "depot"}),
    ("level=corroborated", {"wind"}),
    ("level=reported&level=refuted", {"depot", "strike"}),
    ("tag=energy", {"wind"}),
    ("tag=JOBS", {"depot"}),
    ("needs_review=true", {"strike"}),
    ("needs_review=false", {"wind", "depot"}),
    ("updated_since=2025-05-01T00:00:00Z", {"depot", "strike"}),
    ("min_score=50", {"wind"}),
    ("max_score=30", {"depot", "strike"}),
    ("min_score=10&max_score=50", {"strike"}),
    ("q=turbine", {"wind"}),
    ("q=Hull depot", {"depot"}),
    ("q=union", {"strike"}),
    ("q=turbine&status=false", set()),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_each_filter_selects_the_claims_it_names(editor_token_client, catalogue, query, expected):
    response = editor_token_client.get(f"{API}/claims/?{query}")
    assert response.status_code == 200
    found = {item["id"] for item in response.json()["results"]}
    assert found == {catalogue[name].pk for name in expected}


def test_the_publisher_filter_selects_claims_citing_it(editor_token_client, catalogue, cited):
    response = editor_token_client.get(f"{API}/claims/?publisher={cited.pk}")
    assert [item["id"] for item in response.json()["results"]] == [catalogue["wind"].pk]


@pytest.mark.skipif(not on_postgresql(), reason="stemming is PostgreSQL's full-text search")
def test_q_matches_other_forms_of_a_word_on_postgresql(editor_token_client, catalogue):
    response = editor_token_client.get(f"{API}/claims/?q=turbines")
    assert [item["id"] for item in response.json()["results"]] == [catalogue["wind"].pk]


@pytest.mark.parametrize(
    ("ordering", "names"),
    [
        ("firmness_score", ["depot", "strike", "wind"]),
        ("-firmness_score", ["wind", "strike", "depot"]),
        ("updated_at", ["wind", "depot", "strike"]),
        ("-id", ["strike", "depot", "wind"]),
    ],
)
def test_it_orders_by_the_field_asked_for(editor_token_client, catalogue, ordering, names):
    response = editor_token_client.get(f"{API}/claims/?ordering={ordering}")
    assert [item["id"] for item in response.json()["results"]] == [
        catalogue[name].pk for name in names
    ]


def test_it_refuses_to_order_by_a_field_it_does_not_offer(editor_token_client, catalogue):
    response = editor_token_client.get(f"{API}/claims/?ordering=text")
    assert response.status_code == 400
    assert "ordering" in response.json()


@pytest.mark.parametrize("ordering", ["", "&ordering=firmness_score", "&ordering=-id"])
def test_cursor_pagination_walks_every_claim_once(api_client, ordering):
    claims = [make_claim(text=f"Claim number {n} will happen") for n in range(23)]
    Claim.objects.filter(pk__in=[c.pk for c in claims[:10]]).update(firmness_score=40)
    url: str | None = f"{API}/claims/?page_size=5{ordering}"
    seen: list[int] = []
    pages = 0
    while url:
        page = api_client.get(url).json()
        assert len(page["results"]) <= 5
        seen += [item["id"] for item in page["results"]]
        url, pages = page["next"], pages + 1
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == {c.pk for c in claims}


def test_patch_without_if_match_answers_428_and_changes_nothing(editor_token_client, world):
    response = patch(editor_token_client, world.published, {"text": "Changed"})
    assert response.status_code == 428
    assert fresh(world.published).text == world.published.text


def test_it_answers_412_to_a_stale_etag_and_changes_nothing(editor_token_client, world):
    stale = fresh(world.published).etag
    first = patch(editor_token_client, world.published, {"context": "First edit."}, stale)
    assert first.status_code == 200
    before = fresh(world.published)
    second = patch(editor_token_client, world.published, {"text": "Second edit"}, stale)
    assert second.status_code == 412
    after = fresh(world.published)
    assert (after.text, after.version, after.etag) == (before.text, before.version, before.etag)


def test_an_edit_answers_the_new_body_and_a_new_etag(editor_token_client, world):
    before = fresh(world.published)
    response = patch(editor_token_client, before, {"claimant": "Acme Group"}, before.etag)
    assert response.status_code == 200
    after = fresh(world.published)
    assert response.json()["claimant"] == after.claimant == "Acme Group"
    assert after.version == before.version + 1
    assert response["ETag"] == after.etag != before.etag


def test_a_change_of_status_without_a_note_is_refused(editor_token_client, world):
    claim = fresh(world.published)
    response = patch(editor_token_client, claim, {"status": "confirmed"}, claim.etag)
    assert response.status_code == 400
    assert response.json()["note"]
    assert fresh(claim).verdict == "unconfirmed"


def test_a_note_without_a_change_of_status_is_refused(editor_token_client, world):
    claim = fresh(world.published)
    response = patch(editor_token_client, claim, {"note": "Why not"}, claim.etag)
    assert response.status_code == 400
    assert "status" in response.json()


def test_a_change_of_status_with_a_note_records_history_with_its_evidence(
    editor_token_client, world
):
    claim = fresh(world.published)
    body = {
        "status": "confirmed",
        "note": "The council approved the plans.",
        "evidence": [world.published_evidence.pk],
    }
    response = patch(editor_token_client, claim, body, claim.etag)
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    change = VerdictChange.objects.filter(claim=claim).first()
    assert change is not None
    assert (change.previous, change.verdict, change.note) == (
        "unconfirmed",
        "confirmed",
        "The council approved the plans.",
    )
    assert [e.pk for e in change.evidence.all()] == [world.published_evidence.pk]
    newest = response.json()["history"][0]
    assert newest["evidence"] == [world.published_evidence.pk]
    assert newest["note"] == "The council approved the plans."


def test_evidence_of_another_claim_is_refused_with_a_field_message(editor_token_client, world):
    claim = fresh(world.published)
    foreign = world.unpublished_evidence.pk
    body = {"status": "false", "note": "Wrong evidence.", "evidence": [foreign]}
    response = patch(editor_token_client, claim, body, claim.etag)
    assert response.status_code == 400
    assert str(foreign) in " ".join(response.json()["evidence"])
    assert fresh(claim).verdict == "unconfirmed"
    assert fresh(claim).version == claim.version


def test_the_list_is_fresh_after_an_edit(editor_token_client, world):
    claim = fresh(world.published)
    patch(editor_token_client, claim, {"text": "Acme will open two factories"}, claim.etag)
    texts = [i["text"] for i in editor_token_client.get(f"{API}/claims/").json()["results"]]
    assert "Acme will open two factories" in texts


def test_it_accepts_if_match_star_and_a_list_holding_the_current_etag(editor_token_client):
    claim = claim_create(text="The ferry will run all winter", published=True)
    url = f"/api/v1/claims/{claim.pk}/"
    etag = editor_token_client.get(url)["ETag"]
    listed = editor_token_client.patch(
        url, {"claimant": "Harbour board"}, format="json", HTTP_IF_MATCH=f'"0-0-0", {etag}'
    )
    assert listed.status_code == 200
    star = editor_token_client.patch(
        url, {"claimant": "Ferry company"}, format="json", HTTP_IF_MATCH="*"
    )
    assert star.status_code == 200
    assert star.json()["claimant"] == "Ferry company"


def test_it_keeps_tags_written_in_other_scripts(editor_token_client):
    response = editor_token_client.post(
        "/api/v1/claims/",
        {"text": "A new line opens in Osaka", "tags": ["日本", "鉄道"]},
        format="json",
    )
    assert response.status_code == 201
    assert sorted(response.json()["tags"]) == ["日本", "鉄道"]


def test_a_claim_in_another_script_gets_a_working_public_url(api_client):
    claim = claim_create(text="大阪で新しい路線が開業する", published=True)
    item = api_client.get("/api/v1/claims/").json()["results"][0]
    assert item["slug"] == claim.slug
    assert item["url"].endswith(f"/claims/{quote(claim.slug)}/")
    assert api_client.get(f"/claims/{quote(claim.slug)}/").status_code == 200

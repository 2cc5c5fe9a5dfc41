"""GET /sources/, their snapshots and diffs, and GET/PATCH /publishers/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims.models import Claim
from sources.models import Publisher, Source
from sources.services import source_add_snapshot
from tests.api.conftest import API, World

pytestmark = pytest.mark.django_db


def ids(client: APIClient, path: str) -> set[int]:
    response = client.get(f"{API}{path}")
    assert response.status_code == 200
    return {item["id"] for item in response.json()["results"]}


def diff(client: APIClient, world: World, number: int | str, query: str = ""):
    return client.get(f"{API}/sources/{world.public_source.pk}/snapshots/{number}/diff/{query}")


def test_the_public_sees_only_sources_a_published_claim_cites(api_client, world: World):
    assert ids(api_client, "/sources/") == {world.public_source.pk}
    hidden = api_client.get(f"{API}/sources/{world.private_source.pk}/")
    assert hidden.status_code == 404


def test_editors_see_every_source(editor_token_client, world: World):
    assert ids(editor_token_client, "/sources/") == {
        world.public_source.pk,
        world.private_source.pk,
    }


def test_a_source_is_public_once_a_published_claim_cites_it(api_client, world: World):
    Claim.objects.filter(pk=world.unpublished.pk).update(published=True)
    assert world.private_source.pk in ids(api_client, "/sources/")


def test_source_detail_counts_its_snapshots_and_names_its_publisher(api_client, world: World):
    data = api_client.get(f"{API}/sources/{world.public_source.pk}/").json()
    assert data["snapshot_count"] == 2
    assert data["publisher"]["name"] == "Public Gazette"
    assert data["archive_url"] == ""


def test_source_detail_shows_how_its_checks_have_gone(api_client, world: World):
    Source.objects.filter(pk=world.public_source.pk).update(
        consecutive_errors=2, alert_after_errors=4
    )
    data = api_client.get(f"{API}/sources/{world.public_source.pk}/").json()
    assert (data["consecutive_errors"], data["alert_after_errors"]) == (2, 4)
    assert "last_ok_at" in data


def test_the_sources_list_filters_by_health(editor_token_client, world: World):
    Source.objects.filter(pk=world.private_source.pk).update(health="dead")
    assert ids(editor_token_client, "/sources/?health=dead") == {world.private_source.pk}
    assert ids(editor_token_client, "/sources/?health=ok") == {world.public_source.pk}
    both = ids(editor_token_client, "/sources/?health=ok&health=dead")
    assert both == {world.public_source.pk, world.private_source.pk}


def test_snapshots_come_newest_first(api_client, world: World):
    response = api_client.get(f"{API}/sources/{world.public_source.pk}/snapshots/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [s["number"] for s in results] == [2, 1]
    assert results[0]["text"].endswith("Jobs: 300.")


def test_a_diff_is_against_the_previous_snapshot_by_default(api_client, world: World):
    response = diff(api_client, world, 2)
    assert response.status_code == 200
    data = response.json()
    assert (data["source"], data["against"], data["number"], data["unit"]) == (
        world.public_source.pk,
        1,
        2,
        "word",
    )
    assert {"op": "replace", "old": "Leeds.", "new": "Bradford. Jobs: 300."} in data["changes"]
    assert data["added_sentences"] == ["It will be in Bradford. Jobs: 300."]


def test_a_diff_may_name_the_older_snapshot(api_client, world: World):
    source_add_snapshot(source=world.public_source, text="Acme drops its factory plans.")
    data = diff(api_client, world, 3, "?against=1").json()
    assert (data["against"], data["number"]) == (1, 3)
    assert data["changes"][-1]["new"].endswith("plans.")


def test_a_diff_by_sentence_compares_whole_sentences(api_client, world: World):
    data = diff(api_client, world, 2, "?unit=sentence").json()
    assert data["unit"] == "sentence"
    assert data["changes"] == [
        {"op": "equal", "old": "Acme plans a factory.", "new": "Acme plans a factory."},
        {
            "op": "replace",
            "old": "It will be in Leeds.",
            "new": "It will be in Bradford. Jobs: 300.",
        },
    ]


@pytest.mark.parametrize(
    ("number", "query", "field"),
    [
        (2, "?against=x", "against"),
        (2, "?against=0", "against"),
        (2, "?against=-1", "against"),
        (2, "?unit=paragraph", "unit"),
        (1, "", "against"),
    ],
)
def test_a_diff_that_cannot_be_made_is_refused_with_a_field_message(
    api_client, world: World, number, query, field
):
    response = diff(api_client, world, number, query)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(("number", "query"), [(9, ""), (2, "?against=7")])
def test_a_diff_with_an_unknown_snapshot_is_404(api_client, world: World, number, query):
    assert diff(api_client, world, number, query).status_code == 404


def test_the_public_sees_only_publishers_of_public_sources(api_client, world: World):
    assert ids(api_client, "/publishers/") == {world.public_publisher.pk}
    hidden = api_client.get(f"{API}/publishers/{world.private_publisher.pk}/")
    assert hidden.status_code == 404


def test_editors_see_every_publisher_with_its_domains(editor_token_client, world: World):
    response = editor_token_client.get(f"{API}/publishers/{world.private_publisher.pk}/")
    assert response.status_code == 200
    assert response.json()["domains"] == [f"example{world.private_publisher.pk}.org"]
    assert ids(editor_token_client, "/publishers/") >= {
        world.public_publisher.pk,
        world.private_publisher.pk,
    }


def test_a_publisher_shows_its_track_record_with_both_reliabilities(api_client, world: World):
    from claims.services.track_record import publishers_recompute_track_record

    Claim.objects.filter(pk=world.published.pk).update(verdict="false")
    publishers_recompute_track_record()
    response = api_client.get(f"{API}/publishers/{world.public_publisher.pk}/")
    record = response.json()["track_record"]
    publisher = Publisher.objects.get(pk=world.public_publisher.pk)
    assert record["prior_reliability"] == publisher.reliability
    assert record["learned_reliability"] == publisher.learned_reliability
    assert set(record["counts"]) == {
        f"{side}_{outcome}"
        for side in ("supported", "refuted")
        for outcome in ("held", "fell", "unsettled")
    }
    assert sum(record["counts"].values()) >= 1
    assert record["computed_at"] is not None


def test_the_schema_describes_the_track_record(api_client):
    schema = api_client.get(f"{API}/schema/?format=json").json()
    record = schema["components"]["schemas"]["TrackRecord"]["properties"]
    assert {"counts", "prior_reliability", "learned_reliability"} <= set(record)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reliability": 1.5}, "reliability"),
        ({"reliability": -0.1}, "reliability"),
        ({"reliability": "high"}, "reliability"),
        ({"kind": "tabloid"}, "kind"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_a_publisher_change_out_of_bounds_is_refused(
    editor_token_client, world: World, body, field
):
    url = f"{API}/publishers/{world.public_publisher.pk}/"
    response = editor_token_client.patch(url, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    publisher = Publisher.objects.get(pk=world.public_publisher.pk)
    assert (publisher.reliability, publisher.kind, publisher.name) == (
        0.7,
        "news",
        "Public Gazette",
    )


def test_a_new_reliability_recomputes_the_firmness_of_claims_citing_the_publisher(
    editor_token_client, world: World
):
    before = Claim.objects.get(pk=world.published.pk)
    url = f"{API}/publishers/{world.public_publisher.pk}/"
    response = editor_token_client.patch(url, {"reliability": 0.2}, format="json")
    assert response.status_code == 200
    assert response.json()["reliability"] == 0.2
    after = Claim.objects.get(pk=world.published.pk)
    assert after.firmness_score < before.firmness_score
    assert after.firmness_computed_at and before.firmness_computed_at
    assert after.firmness_computed_at > before.firmness_computed_at
    untouched = Claim.objects.get(pk=world.unpublished.pk)
    assert untouched.firmness_computed_at == world.unpublished.firmness_computed_at


def test_editors_may_change_a_publishers_kind(editor_token_client, world: World):
    url = f"{API}/publishers/{world.public_publisher.pk}/"
    response = editor_token_client.patch(url, {"kind": "wire"}, format="json")
    assert response.status_code == 200
    assert Publisher.objects.get(pk=world.public_publisher.pk).kind == "wire"

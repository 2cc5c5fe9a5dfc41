"""Each kind of event is recorded when its change happens, and its `data` is the whole
representation the API serves for the claim, evidence or source it is about."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from claims.models import LabelledBy
from claims.services.claims import claim_create, claim_update
from claims.services.evidence import evidence_add
from sources.checking import source_check
from sources.fetch import robots
from sources.models import Health, Source
from sources.services import SourceChange, source_add_snapshot
from sources.signals import source_tell
from tests.factories import PublisherFactory, SourceFactory
from tests.sources.conftest import fast_fetch  # noqa: F401  (a fixture)
from tests.sources.httpserver import Reply, TestServer, redirect
from tests.webhooks.conftest import subscribe
from webhooks.models import EventType, WebhookEvent
from webhooks.sending import subscription_send_due

pytestmark = pytest.mark.django_db

HOOK = "http://127.0.0.1:9/hook"
SITE = "127.0.0.1:8000"  # SITE_URL's host: asked for there, the API's links are the payload's

CLAIM = "Chery will build cars at Jaguar Land Rover's Halewood plant"
EXPLORING = (
    "Chery is reportedly exploring the use of Jaguar Land Rover's plants in Britain, people "
    "close to the talks say; no terms have been agreed."
)
CONFIRMED = (
    "Chery has confirmed it will build cars at Halewood, Jaguar Land Rover's plant on "
    "Merseyside. The first models will come from its Omoda range."
)
DENIED = CONFIRMED + " A spokesperson has since denied the report."


def bodies(event_type: str) -> list[dict[str, Any]]:
    events = WebhookEvent.objects.filter(type=event_type).order_by("id")
    return [json.loads(event.body) for event in events]


def served(client: Any, path: str) -> dict[str, Any]:
    answer = client.get(path, HTTP_HOST=SITE)
    assert answer.status_code == 200, answer.content
    return answer.json()


def page(text: str, title: str = "The pier") -> str:
    return (
        f"<html lang='en'><head><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )


def fresh(source: Source) -> Source:
    return Source.objects.get(pk=source.pk)


# --- Claims ------------------------------------------------------------------------------


def test_a_claim_recorded_is_a_claim_created_event_carrying_the_claim(
    editor_client: Any, quick_webhooks: Any
) -> None:
    subscribe(HOOK, events=(EventType.CLAIM_CREATED, EventType.CLAIM_PUBLISHED))
    claim = claim_create(text="The pier will reopen in June", tags=["Coast"])
    [body] = bodies(EventType.CLAIM_CREATED)
    assert body["event"] == "claim.created"
    assert body["data"] == served(editor_client, f"/api/v1/claims/{claim.pk}/")
    assert body["data"]["published"] is False
    assert bodies(EventType.CLAIM_PUBLISHED) == []


def test_publishing_a_claim_is_a_claim_published_event_carrying_the_claim(
    editor_client: Any, quick_webhooks: Any
) -> None:
    claim = claim_create(text="The pier will reopen in June")
    subscribe(HOOK, events=(EventType.CLAIM_CREATED, EventType.CLAIM_PUBLISHED))
    claim_update(claim=claim, published=True)
    [body] = bodies(EventType.CLAIM_PUBLISHED)
    assert body["event"] == "claim.published"
    assert body["data"]["published"] is True
    assert body["data"] == served(editor_client, f"/api/v1/claims/{claim.pk}/")
    assert bodies(EventType.CLAIM_CREATED) == []


def test_a_claim_recorded_as_published_is_created_then_published(quick_webhooks: Any) -> None:
    subscribe(HOOK, events=(EventType.CLAIM_CREATED, EventType.CLAIM_PUBLISHED))
    claim = claim_create(text="The pier will reopen in June", published=True)
    order = WebhookEvent.objects.order_by("id").values_list("type", flat=True)
    assert list(order) == [EventType.CLAIM_CREATED, EventType.CLAIM_PUBLISHED]
    assert [b["data"]["id"] for b in bodies(EventType.CLAIM_PUBLISHED)] == [claim.pk]


# --- Evidence ----------------------------------------------------------------------------


@pytest.fixture
def chery_source() -> Source:
    publisher = PublisherFactory.create(name="Merseyside Motor Desk", reliability=0.8)
    source = SourceFactory.create(publisher=publisher, title="Chery and the Halewood plant")
    source_add_snapshot(source=source, text=EXPLORING)
    return source


def test_evidence_added_carries_what_the_api_serves_for_it(
    editor_client: Any, quick_webhooks: Any, chery_source: Source
) -> None:
    claim = claim_create(text=CLAIM, published=True)
    subscribe(HOOK, events=(EventType.EVIDENCE_ADDED,))
    evidence = evidence_add(claim=claim, source=chery_source, stance="supports", quote="plants")
    [body] = bodies(EventType.EVIDENCE_ADDED)
    assert body["data"]["id"] == evidence.pk
    assert body["data"] == served(editor_client, f"/api/v1/evidence/{evidence.pk}/")


def test_a_new_version_that_reads_otherwise_relabels_automatic_evidence(
    editor_client: Any, quick_webhooks: Any, chery_source: Source
) -> None:
    claim = claim_create(text=CLAIM, published=True)
    evidence = evidence_add(claim=claim, source=chery_source)  # labels left to the assessor
    subscribe(HOOK, events=(EventType.EVIDENCE_RELABELLED,))
    source_add_snapshot(source=chery_source, text=CONFIRMED)
    [body] = bodies(EventType.EVIDENCE_RELABELLED)
    data = body["data"]
    assert data["id"] == evidence.pk and data["labelled_by"] == LabelledBy.AUTOMATIC
    assert (data["stance"], data["certainty"]) == ("supports", "certain")
    assert data["suggestion"]["snapshot"] == 2
    assert data == served(editor_client, f"/api/v1/evidence/{evidence.pk}/")


def test_a_new_version_that_reads_the_same_relabels_nothing(
    quick_webhooks: Any, chery_source: Source
) -> None:
    claim = claim_create(text=CLAIM, published=True)
    evidence_add(claim=claim, source=chery_source)
    subscribe(HOOK, events=(EventType.EVIDENCE_RELABELLED,))
    source_add_snapshot(source=chery_source, text=EXPLORING + " Shares closed unchanged.")
    assert bodies(EventType.EVIDENCE_RELABELLED) == []


def test_a_new_version_never_relabels_an_editors_labels(
    quick_webhooks: Any, chery_source: Source
) -> None:
    claim = claim_create(text=CLAIM, published=True)
    evidence_add(claim=claim, source=chery_source, stance="supports", certainty="possible")
    subscribe(HOOK, events=(EventType.EVIDENCE_RELABELLED,))
    source_add_snapshot(source=chery_source, text=DENIED)
    assert bodies(EventType.EVIDENCE_RELABELLED) == []


# --- Sources, through real checks of a local server ---------------------------------------


def cited(url: str, **fields: Any) -> Source:
    source = SourceFactory.create(url=url, title="", **fields)
    source_add_snapshot(source=source, text="The pier will reopen in June.")
    evidence_add(claim=claim_create(text="The pier will reopen in June"), source=source)
    return fresh(source)


SOURCE_EVENTS = (EventType.SOURCE_CHANGED, EventType.SOURCE_DEAD, EventType.SOURCE_BACK)


@pytest.fixture
def news_site(request: pytest.FixtureRequest) -> Iterator[TestServer]:
    """A local site whose pages the sources are; it has no robots.txt (a 404)."""
    request.getfixturevalue("fast_fetch")
    running = TestServer().start()
    try:
        yield running
    finally:
        running.stop()
        robots.forget(running.url())


def test_a_source_that_moves_is_a_source_changed_event_with_its_new_address(
    news_site: TestServer, editor_client: Any
) -> None:
    news_site.route("/old", redirect(301, "/new"))
    news_site.route("/new", Reply(200, page("The pier will reopen in June.")))
    source = cited(news_site.url("/old"), health=Health.OK)
    subscribe(HOOK, events=SOURCE_EVENTS)
    assert source_check(source=source).changes[-1:] == [SourceChange.MOVED]
    moved = bodies(EventType.SOURCE_CHANGED)[-1]["data"]
    assert (moved["moved_to"], moved["health"]) == (news_site.url("/new"), Health.MOVED)
    assert moved == served(editor_client, f"/api/v1/sources/{source.pk}/")


def test_a_new_version_found_by_a_check_carries_the_source_as_the_api_serves_it(
    news_site: TestServer, editor_client: Any
) -> None:
    news_site.route("/pier", Reply(200, page("The pier will reopen in July, the council says.")))
    source = cited(news_site.url("/pier"), health=Health.OK)
    subscribe(HOOK, events=SOURCE_EVENTS)
    assert source_check(source=source).snapshot == 2
    [body] = bodies(EventType.SOURCE_CHANGED)
    assert body["data"]["snapshot_count"] == 2 and body["data"]["health"] == Health.CHANGED
    assert body["data"] == served(editor_client, f"/api/v1/sources/{source.pk}/")


def test_a_dead_source_that_answers_again_is_a_source_back_event(
    news_site: TestServer, editor_client: Any
) -> None:
    news_site.route("/pier", Reply(200, page("The pier will reopen in June.")))
    source = cited(news_site.url("/pier"), health=Health.DEAD, consecutive_failures=3)
    subscribe(HOOK, events=SOURCE_EVENTS)
    assert SourceChange.ALIVE in source_check(source=source).changes
    [body] = bodies(EventType.SOURCE_BACK)
    assert body["event"] == "source.back"
    assert body["data"]["id"] == source.pk and body["data"]["health"] != Health.DEAD
    assert body["data"] == served(editor_client, f"/api/v1/sources/{source.pk}/")


def test_a_failing_source_that_answers_again_is_no_source_back_event(
    news_site: TestServer,
) -> None:
    news_site.route("/pier", Reply(200, page("The pier will reopen in June.")))
    source = cited(news_site.url("/pier"), health=Health.ERROR, consecutive_errors=5)
    subscribe(HOOK, events=SOURCE_EVENTS)
    assert source_check(source=source).health != Health.ERROR
    assert bodies(EventType.SOURCE_BACK) == []


def test_a_dead_source_carries_the_source_as_the_api_serves_it(
    editor_client: Any, quick_webhooks: Any
) -> None:
    source = cited("https://pier.example.org/news", health=Health.DEAD)
    subscribe(HOOK, events=SOURCE_EVENTS)
    source_tell(source=source, change=SourceChange.DEAD, detail="Gone for three days.")
    [body] = bodies(EventType.SOURCE_DEAD)
    assert body["data"] == served(editor_client, f"/api/v1/sources/{source.pk}/")


# --- Delivered as recorded ----------------------------------------------------------------


def test_created_published_and_back_are_delivered_as_recorded(
    receiver: TestServer,
) -> None:
    receiver.route("/hook", Reply(204, ""))
    source = cited("https://pier.example.org/news", health=Health.DEAD)
    subscription = subscribe(
        receiver.url("/hook"),
        events=(EventType.CLAIM_CREATED, EventType.CLAIM_PUBLISHED, EventType.SOURCE_BACK),
    )
    claim = claim_create(text="The ferry will run all winter")
    claim_update(claim=claim, published=True)
    Source.objects.filter(pk=source.pk).update(health=Health.OK)
    source_tell(source=fresh(source), change=SourceChange.ALIVE)
    assert subscription_send_due(subscription_id=subscription.pk).sent == 3
    arrived = [json.loads(seen.body) for seen in receiver.hits("/hook")]
    recorded = [json.loads(e.body) for e in WebhookEvent.objects.order_by("id")]
    assert arrived == recorded
    assert [(b["event"], b["data"]["id"]) for b in arrived] == [
        ("claim.created", claim.pk),
        ("claim.published", claim.pk),
        ("source.back", source.pk),
    ]
    headers = [seen.headers["x-factcheck-event"] for seen in receiver.hits("/hook")]
    assert headers == ["claim.created", "claim.published", "source.back"]

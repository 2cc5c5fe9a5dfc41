"""Events become rows in the sender's transaction (the outbox); nothing is sent meanwhile."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.services.claims import claim_apply_changes, claim_create, claim_set_verdict
from claims.services.evidence import evidence_add, evidence_relabel
from sources.services import SourceChange, source_add_snapshot
from sources.signals import source_tell
from tests.factories import SourceFactory
from tests.webhooks.conftest import LOOPBACK_ONLY, subscribe
from webhooks.models import Delivery, EventType, WebhookEvent

pytestmark = pytest.mark.django_db

HOOK = "http://127.0.0.1:9/hook"


@pytest.fixture(autouse=True)
def nothing_sent(monkeypatch):
    """The outbox is written; any attempt to POST in these tests fails them."""

    def refuse(*args, **kwargs):
        raise AssertionError("a webhook was sent during the request")

    monkeypatch.setattr("webhooks.delivery.Poster.post", refuse)


@pytest.fixture
def loopback(settings):
    settings.FACTCHECK_FETCH_ALLOWED_NETS = [LOOPBACK_ONLY]


def bodies(event_type: str) -> list[dict]:
    events = WebhookEvent.objects.filter(type=event_type).order_by("id")
    return [json.loads(event.body) for event in events]


def test_a_verdict_change_writes_one_event_and_a_pending_delivery(loopback):
    claim = claim_create(text="The pier will reopen in June", published=True)
    subscription = subscribe(HOOK, events=(EventType.CLAIM_VERDICT_CHANGED,))
    claim_set_verdict(claim=claim, verdict="confirmed", note="The council said so.")
    [body] = bodies(EventType.CLAIM_VERDICT_CHANGED)
    assert body["event"] == "claim.verdict_changed"
    assert body["data"]["id"] == claim.pk and body["data"]["status"] == "confirmed"
    assert body["data"]["api_url"].startswith("http://127.0.0.1:8000/api/v1/claims/")
    assert set(body) == {"id", "event", "created_at", "data"}
    delivery = Delivery.objects.get()
    assert (delivery.subscription, delivery.state, delivery.attempts) == (
        subscription,
        "pending",
        0,
    )


def test_the_data_is_what_the_api_serves_for_the_claim(loopback, editor_client):
    claim = claim_create(text="The pier will reopen in June", published=True, tags=["Coast"])
    subscribe(HOOK, events=(EventType.CLAIM_VERDICT_CHANGED,))
    claim_set_verdict(claim=claim, verdict="disputed", note="Two accounts differ.")
    # Asked for at SITE_URL's host, the API's links are the ones the payload carries.
    served = editor_client.get(f"/api/v1/claims/{claim.pk}/", HTTP_HOST="127.0.0.1:8000").json()
    [body] = bodies(EventType.CLAIM_VERDICT_CHANGED)
    assert body["data"] == served


def test_a_rolled_back_change_leaves_no_delivery(loopback):
    claim = claim_create(text="The pier will reopen in June", published=True)
    subscribe(HOOK)
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_set_verdict(claim=claim, verdict="confirmed", note="Said so.")
        raise RuntimeError("the request failed after the change")
    assert not WebhookEvent.objects.filter(type=EventType.CLAIM_VERDICT_CHANGED).exists()


def test_a_change_of_firmness_level_is_an_event_a_move_of_the_score_is_not(loopback):
    claim = claim_create(text="The pier will reopen in June", published=True)
    subscribe(HOOK, events=(EventType.CLAIM_LEVEL_CHANGED,))
    evidence_add(
        claim=claim, source=SourceFactory.create(), stance="supports", certainty="possible"
    )
    levels = [(b["data"]["firmness"]["level"]) for b in bodies(EventType.CLAIM_LEVEL_CHANGED)]
    assert levels == [Claim.objects.get(pk=claim.pk).firmness_level]
    before = WebhookEvent.objects.count()
    evidence_add(
        claim=claim, source=SourceFactory.create(), stance="supports", certainty="possible"
    )
    claim.refresh_from_db()
    still = [b["data"]["firmness"]["level"] for b in bodies(EventType.CLAIM_LEVEL_CHANGED)]
    assert len(still) == before or still[-1] != still[-2]


def test_evidence_events_carry_the_evidence(loopback):
    claim = claim_create(text="The pier will reopen in June", published=True)
    subscribe(HOOK, events=(EventType.EVIDENCE_ADDED, EventType.EVIDENCE_RELABELLED))
    evidence = evidence_add(claim=claim, source=SourceFactory.create(), stance="supports")
    evidence_relabel(evidence=evidence, stance="refutes")
    [added] = bodies(EventType.EVIDENCE_ADDED)
    [relabelled] = bodies(EventType.EVIDENCE_RELABELLED)
    assert added["data"]["id"] == evidence.pk and added["data"]["stance"] == "supports"
    assert relabelled["data"]["stance"] == "refutes"


def test_a_claim_filter_and_a_tag_filter_choose_their_claims(loopback):
    coast = claim_create(text="The pier will reopen in June", tags=["Coast"])
    inland = claim_create(text="The canal will be dredged", tags=["Canals"])
    by_claim = subscribe(HOOK, events=(EventType.CLAIM_VERDICT_CHANGED,), claim=coast)
    by_tag = subscribe(HOOK, events=(EventType.CLAIM_VERDICT_CHANGED,), tag=inland.tags.get())
    everything = subscribe(HOOK, events=(EventType.CLAIM_VERDICT_CHANGED,))
    claim_set_verdict(claim=coast, verdict="confirmed", note="Said so.")
    claim_set_verdict(claim=inland, verdict="denied", note="Denied.")
    reached = {
        s.pk: sorted(Delivery.objects.filter(subscription=s).values_list("event__body", flat=True))
        for s in (by_claim, by_tag, everything)
    }
    assert len(reached[by_claim.pk]) == 1 and f'"id":{coast.pk},' in reached[by_claim.pk][0]
    assert len(reached[by_tag.pk]) == 1 and f'"id":{inland.pk},' in reached[by_tag.pk][0]
    assert len(reached[everything.pk]) == 2


def test_a_source_event_is_sent_once_per_source_not_once_per_claim(loopback):
    source = SourceFactory.create()
    for text in ("The pier will reopen in June", "The pier will cost more"):
        evidence_add(claim=claim_create(text=text), source=source, stance="supports")
    subscription = subscribe(HOOK, events=(EventType.SOURCE_DEAD, EventType.SOURCE_CHANGED))
    source_tell(source=source, change=SourceChange.DEAD)
    [body] = bodies(EventType.SOURCE_DEAD)
    assert body["data"]["id"] == source.pk and body["data"]["url"] == source.url
    assert Delivery.objects.filter(subscription=subscription).count() == 1


def test_a_sources_first_version_is_not_a_change_but_its_second_is(loopback):
    source = SourceFactory.create()
    evidence_add(claim=claim_create(text="The pier will reopen"), source=source)
    subscribe(HOOK, events=(EventType.SOURCE_CHANGED,))
    source_add_snapshot(source=source, text="The pier will reopen in June.")
    assert bodies(EventType.SOURCE_CHANGED) == []
    source_add_snapshot(source=source, text="The pier will reopen in July.")
    assert [b["data"]["id"] for b in bodies(EventType.SOURCE_CHANGED)] == [source.pk]


def test_a_source_event_reaches_a_filtered_subscription_only_through_a_citing_claim(loopback):
    cited, other = SourceFactory.create(), SourceFactory.create()
    claim = claim_create(text="The pier will reopen", tags=["Coast"])
    evidence_add(claim=claim, source=cited)
    subscription = subscribe(HOOK, events=(EventType.SOURCE_DEAD,), tag=claim.tags.get())
    source_tell(source=other, change=SourceChange.DEAD)
    source_tell(source=cited, change=SourceChange.DEAD)
    assert [d.event.body.count(cited.url) > 0 for d in subscription.deliveries.all()] == [True]


def test_a_source_change_is_heard_before_the_review_flag_it_causes(loopback):
    source = SourceFactory.create()
    evidence_add(claim=claim_create(text="The pier will reopen"), source=source)
    subscribe(HOOK, events=(EventType.SOURCE_DEAD, EventType.CLAIM_NEEDS_REVIEW))
    source_tell(source=source, change=SourceChange.DEAD)
    order = list(Delivery.objects.order_by("id").values_list("event__type", flat=True))
    assert order == [EventType.SOURCE_DEAD, EventType.CLAIM_NEEDS_REVIEW]


def test_eighty_subscribers_cost_the_editors_request_no_more_queries_than_one(loopback):
    """The deliveries go in one INSERT (SQLite splits one of more than 90 rows in two)."""
    claims = [claim_create(text=f"Claim {i} will come true", published=True) for i in range(2)]
    subscribe(HOOK, events=(EventType.CLAIM_VERDICT_CHANGED,))

    def queries_for(claim: Claim) -> int:
        with CaptureQueriesContext(connection) as seen:
            claim_apply_changes(claim=claim, status="confirmed", note="Said so.")
        return len(seen)

    one = queries_for(claims[0])
    for _ in range(79):
        subscribe(HOOK, events=(EventType.CLAIM_VERDICT_CHANGED,))
    eighty = queries_for(claims[1])
    assert eighty == one
    assert Delivery.objects.filter(event__type=EventType.CLAIM_VERDICT_CHANGED).count() == 81

"""/api/v1/webhooks/: editors manage subscriptions, read the delivery log, ping and redeliver;
nobody else sees any of it. Bad input is a 400 with field messages."""

from __future__ import annotations

import ipaddress

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.services.claims import claim_create
from tests.api.conftest import API, token_client
from tests.factories import EditorFactory
from webhooks.models import Delivery, Subscription, WebhookEvent
from webhooks.services import subscription_create, subscription_ping

pytestmark = pytest.mark.django_db

HOOKS = f"{API}/webhooks/"


@pytest.fixture
def desk(settings) -> APIClient:
    settings.FACTCHECK_FETCH_ALLOWED_NETS = [ipaddress.ip_network("127.0.0.1/32")]
    return token_client(EditorFactory.create())


def create(desk: APIClient, **fields) -> dict:
    body = {"url": "http://127.0.0.1:9/hook", "events": ["claim.verdict_changed"]} | fields
    response = desk.post(HOOKS, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_an_editor_subscribes_and_sees_the_secret_once(desk):
    made = create(desk, events=["claim.verdict_changed", "source.dead"])
    assert made["secret"].startswith("whsec_")
    assert made["events"] == ["claim.verdict_changed", "source.dead"]
    assert made["active"] is True and made["created_by"]
    shown = desk.get(f"{HOOKS}{made['id']}/").json()
    assert "secret" not in shown
    assert made["secret"] not in str(desk.get(HOOKS).json())


def test_a_subscription_can_follow_one_claim_or_one_tag(desk):
    claim = claim_create(text="The pier will reopen", tags=["Coast Towns"])
    assert create(desk, claim=claim.pk)["claim"] == claim.pk
    assert create(desk, tag="coast-towns")["tag"] == "coast-towns"
    both = desk.post(
        HOOKS,
        {
            "url": "http://127.0.0.1:9/",
            "events": ["claim.created"],
            "claim": claim.pk,
            "tag": "coast-towns",
        },
        format="json",
    )
    assert both.status_code == 400 and "tag" in both.json()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.2/hook", "http://10.0.0.7/hook", "http://169.254.169.254/", "http://[::1]/"],
)
def test_a_subscription_to_a_refused_address_is_a_400(desk, url):
    response = desk.post(HOOKS, {"url": url, "events": ["claim.created"]}, format="json")
    assert response.status_code == 400
    assert "FACTCHECK_FETCH_ALLOWED_NETS" in str(response.json()["url"])
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "ftp://127.0.0.1/", "events": ["claim.created"]}, "url"),
        ({"url": 12, "events": ["claim.created"]}, "url"),
        ({"url": "http://127.0.0.1/", "events": []}, "events"),
        ({"url": "http://127.0.0.1/", "events": ["claim.deleted"]}, "events"),
        ({"url": "http://127.0.0.1/", "events": ["ping"]}, "events"),
        ({"url": "http://127.0.0.1/", "events": ["claim.created"], "claim": 999999}, "claim"),
        ({"url": "http://127.0.0.1/", "events": ["claim.created"], "tag": "nope"}, "tag"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(desk, body, field):
    response = desk.post(HOOKS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_readers_and_strangers_see_nothing(desk, reader_token_client, api_client):
    made = create(desk)
    for client, status in ((reader_token_client, 403), (api_client, 401)):
        assert client.get(HOOKS).status_code == status
        assert client.get(f"{HOOKS}{made['id']}/deliveries/").status_code == status
        body = {"url": "http://127.0.0.1:9/", "events": ["claim.created"]}
        assert client.post(HOOKS, body, format="json").status_code == status


def test_a_ping_is_queued_and_shows_in_the_delivery_log(desk):
    made = create(desk)
    response = desk.post(f"{HOOKS}{made['id']}/ping/")
    assert response.status_code == 202
    ping = response.json()
    assert ping["event"] == "ping" and ping["state"] == "pending"
    assert ping["payload"]["data"]["subscription"] == made["id"]
    log = desk.get(f"{HOOKS}{made['id']}/deliveries/").json()["results"]
    assert [entry["id"] for entry in log] == [ping["id"]]
    assert log[0]["attempt_log"] == []


def test_a_redelivery_is_a_new_delivery_of_the_same_event(desk):
    made = create(desk)
    first = desk.post(f"{HOOKS}{made['id']}/ping/").json()
    response = desk.post(f"{HOOKS}{made['id']}/deliveries/{first['id']}/redeliver/")
    assert response.status_code == 202
    again = response.json()
    assert again["id"] != first["id"] and again["event_id"] == first["event_id"]
    assert again["redelivery_of"] == first["id"]
    assert again["payload"] == first["payload"]


def test_a_delivery_of_another_subscription_is_not_found(desk):
    mine, other = create(desk), create(desk)
    theirs = desk.post(f"{HOOKS}{other['id']}/ping/").json()
    assert desk.get(f"{HOOKS}{mine['id']}/deliveries/{theirs['id']}/").status_code == 404
    assert desk.get(f"{HOOKS}999999/deliveries/").status_code == 404


def test_a_disabled_subscription_says_why_and_is_enabled_again(desk):
    made = create(desk)
    Subscription.objects.filter(pk=made["id"]).update(
        active=False, consecutive_failures=15, disabled_reason="Disabled after 15 failed attempts"
    )
    Subscription.objects.filter(pk=made["id"]).update(disabled_at="2026-01-01T00:00:00Z")
    shown = desk.get(f"{HOOKS}{made['id']}/").json()
    assert shown["active"] is False and "15 failed attempts" in shown["disabled_reason"]
    assert desk.post(f"{HOOKS}{made['id']}/ping/").status_code == 409
    enabled = desk.patch(f"{HOOKS}{made['id']}/", {"active": True}, format="json").json()
    assert enabled["active"] is True
    assert (enabled["consecutive_failures"], enabled["disabled_reason"]) == (0, "")


def test_a_patch_to_a_refused_address_is_a_400(desk):
    made = create(desk)
    response = desk.patch(f"{HOOKS}{made['id']}/", {"url": "http://10.1.2.3/"}, format="json")
    assert response.status_code == 400 and "url" in response.json()
    assert Subscription.objects.get(pk=made["id"]).url == "http://127.0.0.1:9/hook"


def test_a_new_secret_is_shown_once(desk):
    made = create(desk)
    response = desk.post(f"{HOOKS}{made['id']}/rotate-secret/")
    assert response.status_code == 200
    assert response.json()["secret"].startswith("whsec_")
    assert response.json()["secret"] != made["secret"]


def test_deleting_a_subscription_takes_its_log_with_it(desk):
    made = create(desk)
    desk.post(f"{HOOKS}{made['id']}/ping/")
    assert desk.delete(f"{HOOKS}{made['id']}/").status_code == 204
    assert not Delivery.objects.exists()


def test_the_delivery_log_runs_the_same_queries_for_2_and_40_deliveries(
    desk, django_assert_num_queries
):
    subscription, _ = subscription_create(url="http://127.0.0.1:9/", events=["claim.created"])
    for _ in range(2):
        subscription_ping(subscription=subscription)
    with CaptureQueriesContext(connection) as few:
        desk.get(f"{HOOKS}{subscription.pk}/deliveries/?page_size=100")
    for _ in range(38):
        subscription_ping(subscription=subscription)
    with django_assert_num_queries(len(few)):
        response = desk.get(f"{HOOKS}{subscription.pk}/deliveries/?page_size=100")
    assert len(response.json()["results"]) == 40
    assert WebhookEvent.objects.count() == 40

"""Webhooks on the desk: a subscription made there shows its secret once, and a disabled one
says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.webhooks.conftest import LOOPBACK_ONLY, subscribe
from webhooks.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback(settings):
    settings.FACTCHECK_FETCH_ALLOWED_NETS = [LOOPBACK_ONLY]


def test_an_editor_adds_a_subscription_and_sees_its_secret_once(editor_client, loopback):
    form = {
        "url": "http://127.0.0.1:9/hook",
        "events": ["claim.created", "source.dead"],
        "active": "on",
    }
    response = editor_client.post(reverse("admin:webhooks_subscription_add"), form, follow=True)
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.events == ["claim.created", "source.dead"]
    shown = [str(m) for m in response.context["messages"]]
    assert any("shown this once: whsec_" in m for m in shown), shown
    page = editor_client.get(reverse("admin:webhooks_subscription_change", args=[subscription.pk]))
    assert b"whsec_" not in page.content


def test_a_refused_address_is_refused_on_the_desk_too(editor_client, loopback):
    form = {"url": "http://10.0.0.7/hook", "events": ["claim.created"], "active": "on"}
    response = editor_client.post(reverse("admin:webhooks_subscription_add"), form)
    assert response.status_code == 200  # the form again, with the error
    assert b"FACTCHECK_FETCH_ALLOWED_NETS" in response.content
    assert not Subscription.objects.exists()


def test_a_disabled_subscription_says_why_on_the_desk(editor_client, loopback):
    subscription = subscribe("http://127.0.0.1:9/hook")
    reason = "Disabled after 15 failed attempts in a row; the last: HTTP 500 Internal Server Error"
    Subscription.objects.filter(pk=subscription.pk).update(active=False, disabled_reason=reason)
    listing = editor_client.get(reverse("admin:webhooks_subscription_changelist"))
    assert reason.encode() in listing.content
    page = editor_client.get(reverse("admin:webhooks_subscription_change", args=[subscription.pk]))
    assert reason.encode() in page.content

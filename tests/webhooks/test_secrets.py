"""Secrets at rest: encrypted, readable across a SECRET_KEY rotation with a fallback, and
never used wrongly when they cannot be read."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tests.sources.httpserver import Reply, TestServer
from tests.webhooks.conftest import subscribe
from webhooks import encryption
from webhooks.models import Subscription
from webhooks.sending import subscription_send_due
from webhooks.services import subscription_new_secret, subscription_ping

pytestmark = pytest.mark.django_db

OLD_KEY = "the-old-secret-key-" + "o" * 40
NEW_KEY = "the-new-secret-key-" + "n" * 40


def stored_row(subscription: Subscription) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret_encrypted FROM webhooks_subscription WHERE id = %s", [subscription.pk]
        )
        return str(cursor.fetchone()[0])


def test_the_database_holds_no_secret_in_plain_text(settings):
    subscription = subscribe("https://hooks.example.org/a")
    secret = subscription.plain_secret  # type: ignore[attr-defined]
    stored = stored_row(subscription)
    assert secret not in stored and secret.removeprefix("whsec_") not in stored
    assert encryption.decrypt(stored) == secret


def test_a_secret_survives_a_rotation_with_the_old_key_as_fallback(settings):
    settings.SECRET_KEY = OLD_KEY
    subscription = subscribe("https://hooks.example.org/a")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert encryption.decrypt(stored_row(subscription)) == subscription.plain_secret  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("rotate_webhook_secrets", stdout=out)
    assert "1 secrets re-encrypted" in out.getvalue()
    settings.SECRET_KEY_FALLBACKS = []
    assert encryption.decrypt(stored_row(subscription)) == subscription.plain_secret  # type: ignore[attr-defined]


def test_without_the_old_key_nothing_is_sent_and_the_desk_is_told(settings, receiver: TestServer):
    receiver.route("/hook", Reply(200, "ok"))
    settings.SECRET_KEY = OLD_KEY
    subscription = subscribe(receiver.url("/hook"))
    subscription_ping(subscription=subscription)
    settings.SECRET_KEY = NEW_KEY
    subscription_send_due(subscription_id=subscription.pk)
    assert receiver.requests == []
    disabled = Subscription.objects.get(pk=subscription.pk)
    assert not disabled.active
    assert "SECRET_KEY_FALLBACKS" in disabled.disabled_reason


def test_a_new_secret_replaces_the_old_one(settings):
    subscription = subscribe("https://hooks.example.org/a")
    secret = subscription_new_secret(subscription=subscription)
    assert secret != subscription.plain_secret  # type: ignore[attr-defined]
    assert encryption.decrypt(stored_row(subscription)) == secret

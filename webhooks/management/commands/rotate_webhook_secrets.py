"""Re-encrypt every webhook secret under the current SECRET_KEY, after a rotation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from webhooks.services import subscriptions_reencrypt_secrets


class Command(BaseCommand):
    help = (
        "Re-encrypt webhook secrets under the current SECRET_KEY (run it after moving the old "
        "key to SECRET_KEY_FALLBACKS; then the old key can go)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done, unreadable = subscriptions_reencrypt_secrets()
        self.stdout.write(f"{done} secrets re-encrypted under the current key.")
        for subscription_id in unreadable:
            self.stderr.write(
                f"subscription {subscription_id}: its secret cannot be read with any configured "
                "key; set a new one (POST /api/v1/webhooks/{id}/rotate-secret/)."
            )

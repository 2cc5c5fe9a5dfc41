from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Tasks that must not be lost, written in the same transaction as the change that needs
    them, and published to the broker by a relay (docs/operations.md)."""

    name = "outbox"
    verbose_name = "Outbox"
    default_auto_field = "django.db.models.BigAutoField"

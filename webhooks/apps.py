from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from claims.signals import claim_event_recorded
        from sources.signals import source_changed
        from webhooks import receivers

        claim_event_recorded.connect(
            receivers.on_claim_event, dispatch_uid="webhooks.claim_event_recorded"
        )
        source_changed.connect(receivers.on_source_changed, dispatch_uid="webhooks.source_changed")

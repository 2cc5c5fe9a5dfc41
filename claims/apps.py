from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from claims import receivers
        from claims.permissions import ensure_editors_group
        from claims.selectors import sources_cited_by_published_claims
        from sources.selectors import register_public_sources
        from sources.signals import publisher_changed, source_changed

        source_changed.connect(receivers.on_source_changed, dispatch_uid="claims.source_changed")
        publisher_changed.connect(
            receivers.on_publisher_changed, dispatch_uid="claims.publisher_changed"
        )
        register_public_sources(sources_cited_by_published_claims)
        post_migrate.connect(ensure_editors_group, sender=self, dispatch_uid="claims.editors_group")

from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The read-only site for readers: claim pages, lists, tag pages and feeds. No models."""

    name = "public"
    verbose_name = "Public pages"

"""System checks for configuration mistakes that would otherwise surface at 3 a.m."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from analysis.matching.embedding import missing_packages
from factcheck import environment

SUPPORTED_BROKERS = {"filesystem", "redis", "rediss", "sqla+sqlite", "sqla+postgresql", "memory"}
SUPPORTED_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


@register(Tags.compatibility)
def check_database(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in SUPPORTED_ENGINES:
        return [
            Error(
                f"DATABASE_URL selects {engine}; factcheck runs on SQLite or PostgreSQL.",
                hint="Use a postgres:// URL, or leave DATABASE_URL unset for SQLite.",
                id="factcheck.E001",
            )
        ]
    return []


@register(Tags.compatibility)
def check_broker(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    scheme = urlsplit(settings.CELERY_BROKER_URL).scheme
    if scheme not in SUPPORTED_BROKERS:
        return [
            Error(
                f"CELERY_BROKER_URL uses {scheme!r}, which factcheck does not support.",
                hint="Use redis://host:6379/0, or leave it unset for the embedded broker.",
                id="factcheck.E002",
            )
        ]
    if (
        scheme == "filesystem"
        and not settings.DEBUG
        and settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    ):
        return [
            Warning(
                "PostgreSQL with the embedded filesystem broker: workers on other hosts "
                "will not see the queue.",
                hint="Set CELERY_BROKER_URL to your Redis.",
                id="factcheck.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_site(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if urlsplit(settings.SITE_URL).scheme != "https":
        problems.append(
            Warning(
                "SITE_URL is not https: public links, feeds and ClaimReview will point to http.",
                id="factcheck.W002",
            )
        )
    if "://" not in settings.FACTCHECK_USER_AGENT:
        problems.append(
            Error(
                "FACTCHECK_USER_AGENT must carry a contact URL, so publishers can reach us.",
                id="factcheck.E003",
            )
        )
    return problems


@register(Tags.compatibility)
def check_match_method(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    if settings.FACTCHECK_MATCH_METHOD != "embedding":
        return []
    # Looked for without importing them: the check must not load torch.
    missing = missing_packages()
    if not missing:
        return []
    return [
        Error(
            "FACTCHECK_MATCH_METHOD is 'embedding' but "
            f"{' and '.join(missing)} cannot be imported.",
            hint="Install the optional extra with `pip install '.[ml]'`, or unset "
            "FACTCHECK_MATCH_METHOD to match claims lexically.",
            id="factcheck.E004",
        )
    ]


@register(Tags.compatibility)
def check_assess_method(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    from analysis.assessment.learned import MODEL_FILE

    if settings.FACTCHECK_ASSESS_METHOD != "model" or MODEL_FILE.exists():
        return []
    return [
        Error(
            f"FACTCHECK_ASSESS_METHOD is 'model' but there are no weights at {MODEL_FILE}.",
            hint="Run `manage.py train_stance`, or unset FACTCHECK_ASSESS_METHOD to use the rules.",
            id="factcheck.E005",
        )
    ]


@register(Tags.compatibility)
def check_environment_listed(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Every variable settings.py reads is in factcheck/environment.py, and nothing else is:
    the README's configuration tables come from that list."""
    read, listed = set(settings.FACTCHECK_ENVIRONMENT_READ), set(environment.BY_NAME)
    problems = []
    for name in sorted(read - listed):
        problems.append(
            Error(
                f"settings.py reads {name}, which factcheck/environment.py does not list.",
                hint="Add it there with what it means; the README's table comes from that list.",
                id="factcheck.E006",
            )
        )
    for name in sorted(listed - read):
        problems.append(
            Error(
                f"factcheck/environment.py lists {name}, which settings.py never reads.",
                hint="Remove it from the list, or read it in settings.py.",
                id="factcheck.E006",
            )
        )
    return problems

"""Shared fixtures. Tests run on whatever DATABASE_URL and CELERY_BROKER_URL name:
SQLite and the embedded broker on a fresh machine, the real PostgreSQL and Redis in CI."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.factories import EditorFactory

REQUIRE_SERVICES = os.environ.get("FACTCHECK_REQUIRE_SERVICES") == "1"


def on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def on_redis() -> bool:
    return settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `services` need the real servers: skipped on a laptop; CI refuses to start
    without them (pytest_sessionstart), so there they always run."""
    if on_postgresql() and on_redis():
        return
    skip = pytest.mark.skip(
        reason="needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…"
    )
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_SERVICES and not (on_postgresql() and on_redis()):
        raise pytest.UsageError(
            "FACTCHECK_REQUIRE_SERVICES=1 but DATABASE_URL/CELERY_BROKER_URL do not name "
            "PostgreSQL and Redis"
        )


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client

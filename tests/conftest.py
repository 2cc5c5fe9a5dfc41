"""Shared fixtures. Tests run on whatever DATABASE_URL and CELERY_BROKER_URL name:
SQLite and the embedded broker on a fresh machine, the real PostgreSQL and Redis in CI.
Tests marked `ml` need the optional `.[ml]` extra, installed only in .venv-ml (`make test-ml`)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from analysis.matching.embedding import missing_packages
from claims.services.matching import claim_index_forget
from tests.factories import EditorFactory

REQUIRE_SERVICES = os.environ.get("FACTCHECK_REQUIRE_SERVICES") == "1"
CHROMIUM = Path("/usr/bin/chromium")
NO_BROWSER = "needs Chromium at /usr/bin/chromium: install it with `make browser`"
REQUIRE_ML = os.environ.get("FACTCHECK_REQUIRE_ML") == "1"


def on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def on_redis() -> bool:
    return settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ml: needs the optional .[ml] extra, as in .venv-ml (set FACTCHECK_REQUIRE_ML=1 to fail "
        "rather than skip)",
    )


# Fixtures that start a socket server, a browser's live server or a worker: their tests are
# slow (`make test-fast` leaves them out), as are those marked by hand (subprocesses,
# schemathesis).
SLOW_FIXTURES = frozenset(
    {"server", "tls_server", "site", "live_server", "worker", "receiver", "webhook_worker"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `services` need the real servers: skipped on a laptop; CI refuses to start
    without them (pytest_sessionstart), so there they always run. Tests marked `ml` likewise
    need the `.[ml]` extra. Tests using a slow fixture are marked `slow`."""
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    skips: dict[str, pytest.MarkDecorator] = {}
    if not (on_postgresql() and on_redis()):
        skips["services"] = pytest.mark.skip(
            reason="needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…"
        )
    if missing_packages():
        skips["ml"] = pytest.mark.skip(reason="needs the .[ml] extra (make test-ml)")
    if not CHROMIUM.exists():
        skips["browser"] = pytest.mark.skip(reason=NO_BROWSER)
    for item in items:
        for marker, skip in skips.items():
            if marker in item.keywords:
                item.add_marker(skip)


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_SERVICES and not (on_postgresql() and on_redis()):
        raise pytest.UsageError(
            "FACTCHECK_REQUIRE_SERVICES=1 but DATABASE_URL/CELERY_BROKER_URL do not name "
            "PostgreSQL and Redis"
        )
    if REQUIRE_SERVICES and not CHROMIUM.exists():
        raise pytest.UsageError(f"FACTCHECK_REQUIRE_SERVICES=1 but the browser tests {NO_BROWSER}")
    if REQUIRE_ML and missing_packages():
        raise pytest.UsageError(
            f"FACTCHECK_REQUIRE_ML=1 but {', '.join(missing_packages())} cannot be imported: "
            "install the .[ml] extra (make test-ml)"
        )


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Browser tests skipped for want of Chromium are said loudly, not lost among the dots."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if NO_BROWSER in str(getattr(report, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} BROWSER TEST(S) SKIPPED", red=True)
        terminalreporter.write_line(
            "The public pages were not checked in a real browser: Chromium is not at "
            f"{CHROMIUM}. Install it with `make browser`, then run `make test` again."
        )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The factories give every user a password; the real hasher takes a quarter of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_claim_index():
    """Each test matches against its own claims: the process-wide index starts empty."""
    claim_index_forget()
    yield
    claim_index_forget()


@pytest.fixture(autouse=True)
def pages_read_afresh():
    """Each test reads its pages itself: none is taken from what an earlier test read."""
    from sources.fetch.extraction import readings

    readings.clear()
    yield
    readings.clear()


@pytest.fixture(autouse=True)
def broker_trusted_again():
    """A test that makes a publish fail must not leave the next test's publishes skipped."""
    from outbox.broker import broker_failed

    broker_failed.reset()
    yield
    broker_failed.reset()


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


class Queued:
    """Stands in for the broker: records the checks that would have been sent to it,
    straight (check_source.delay) or through the outbox (a task sent by name)."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def delay(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))

    def connection_for_write(self, **options: Any) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()

    def send_task(self, name: str, args: Any = (), kwargs: Any = None, **options: Any) -> None:
        if name == "sources.tasks.check_source":
            published = {k: v for k, v in (kwargs or {}).items() if k != "lease" or v}
            self.calls.append((tuple(args), published))


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Queued:
    """Every place that queues checks sends them here instead."""
    from outbox import services as outbox
    from sources import tasks

    fake = Queued()
    monkeypatch.setattr(tasks, "check_source", fake)
    monkeypatch.setattr(outbox, "current_app", fake)
    return fake

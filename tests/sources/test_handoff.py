"""A page the fetch worker read travels to the reader as JSON and arrives whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from factcheck.celery import app
from sources.fetch.archive import ArchivedCopy
from sources.fetch.client import FetchResult, Outcome
from sources.handoff import Fetched
from tests.conftest import on_redis

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def a_page(archive: ArchivedCopy | None = None) -> Fetched:
    result = FetchResult(
        url="https://news.test/a",
        outcome=Outcome.MOVED,
        final_url="https://news.test/b",
        status=200,
        headers={"etag": '"v2"'},
        etag='"v2"',
        content_type="text/html; charset=latin-1",
        encoding="latin-1",
        body="<p>Caf\u00e9 opens</p>".encode("latin-1"),
        moved_to="https://news.test/b",
        redirects=[(301, "https://news.test/b")],
        elapsed=0.25,
    )
    return Fetched(source_id=7, now=NOW, seen_checked_at=None, result=result, archive=archive)


def test_a_fetched_page_survives_the_broker_as_json() -> None:
    page = a_page()
    message = json.loads(json.dumps(page.as_message()))
    assert Fetched.from_message(message) == page


def test_the_body_travels_compressed() -> None:
    page = a_page()
    page.result.body = b"tram " * 10_000
    assert len(json.dumps(page.as_message())) < 5_000
    assert Fetched.from_message(page.as_message()).result.body == b"tram " * 10_000


def test_a_page_with_an_archived_copy_is_not_handed_over() -> None:
    with pytest.raises(ValueError):
        a_page(archive=ArchivedCopy("https://web.test/a", NOW)).as_message()


@pytest.mark.skipif(not on_redis(), reason="priorities are the Redis broker's")
def test_a_page_waiting_to_be_recorded_goes_before_a_reading_queued_earlier() -> None:
    """The reader records every page the fetch worker handed it before it reads new
    versions against the claims, so a change is on record as soon as it can be."""
    with app.connection_for_write() as connection:
        channel = cast(Any, connection.default_channel)
        channel.queue_purge("assess")
        try:
            app.send_task("claims.tasks.read_source_version", args=[1, 2])
            app.send_task("sources.tasks.read_fetched_page", args=[{}])
            taken = [channel.basic_get("assess", no_ack=True) for _ in range(2)]
        finally:
            channel.queue_purge("assess")
    assert [message.headers["task"] for message in taken] == [
        "sources.tasks.read_fetched_page",
        "claims.tasks.read_source_version",
    ]

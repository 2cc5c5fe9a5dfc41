"""A page the fetch worker read travels to the reader as JSON and arrives whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sources.fetch.archive import ArchivedCopy
from sources.fetch.client import FetchResult, Outcome
from sources.handoff import Fetched

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

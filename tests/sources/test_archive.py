"""The Wayback availability API client, against a local stand-in for the archive."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sources.fetch.archive import ArchivedCopy, archive_lookup, closest_copy
from tests.sources.httpserver import Reply, TestServer

NEAR = datetime.datetime(2024, 3, 5, 14, 30, 15, tzinfo=datetime.UTC)
PAGE = "https://news.example.org/story/1"


def closest(**fields: Any) -> str:
    entry = {
        "available": True,
        "url": "http://web.archive.org/web/20240305000000/https://news.example.org/story/1",
        "timestamp": "20240305000000",
        "status": "200",
    } | fields
    return json.dumps({"archived_snapshots": {"closest": entry}})


@pytest.fixture
def archive(server: TestServer, settings: Any) -> TestServer:
    settings.FACTCHECK_ARCHIVE_URL = server.url("/wayback/available")
    return server


def answer(server: TestServer, body: str, status: int = 200, **kwargs: Any) -> None:
    server.route(
        "/wayback/available",
        Reply(status, body, content_type=kwargs.get("content_type", "application/json")),
    )


def test_the_copy_closest_to_the_last_good_fetch_is_found(archive: TestServer) -> None:
    answer(archive, closest())
    copy = archive_lookup(url=PAGE, near=NEAR)
    assert copy == ArchivedCopy(
        url="https://web.archive.org/web/20240305000000/https://news.example.org/story/1",
        taken_at=datetime.datetime(2024, 3, 5, tzinfo=datetime.UTC),
    )
    asked = parse_qs(urlsplit(archive.hits("/wayback/available")[0].path).query)
    assert asked == {"url": [PAGE], "timestamp": ["20240305143015"]}


@pytest.mark.parametrize(
    "body",
    [
        '{"archived_snapshots": {}}',
        closest(available=False),
        closest(status="404"),
        closest(status="302"),
        closest(url="javascript:alert(1)"),
        "not json at all",
        "[1, 2]",
    ],
    ids=["none", "unavailable", "archived-404", "archived-redirect", "odd-url", "junk", "list"],
)
def test_no_usable_copy_is_none(archive: TestServer, body: str) -> None:
    answer(archive, body)
    assert archive_lookup(url=PAGE, near=NEAR) is None


def test_an_archive_that_fails_is_no_copy(archive: TestServer) -> None:
    answer(archive, "down", status=503)
    assert archive_lookup(url=PAGE, near=NEAR) is None


def test_an_answer_that_is_not_json_by_type_is_refused(archive: TestServer) -> None:
    answer(archive, closest(), content_type="text/html")
    assert archive_lookup(url=PAGE, near=NEAR) is None


def test_the_archive_is_held_to_the_address_checks(archive: TestServer, settings: Any) -> None:
    """A FACTCHECK_ARCHIVE_URL pointing inside the network is refused like any source."""
    answer(archive, closest())
    settings.FACTCHECK_FETCH_ALLOWED_NETS = []
    assert archive_lookup(url=PAGE, near=NEAR) is None
    assert archive.requests == []


def test_no_archive_configured_asks_nobody(archive: TestServer, settings: Any) -> None:
    settings.FACTCHECK_ARCHIVE_URL = ""
    assert archive_lookup(url=PAGE, near=NEAR) is None
    assert archive.requests == []


def test_copies_not_on_the_wayback_machine_keep_their_scheme() -> None:
    body = closest(url="http://archive.example/web/1/x").encode()
    copy = closest_copy(body)
    assert copy is not None and copy.url == "http://archive.example/web/1/x"


def test_an_odd_timestamp_leaves_the_date_unknown() -> None:
    copy = closest_copy(closest(timestamp="soon").encode())
    assert copy is not None and copy.taken_at is None

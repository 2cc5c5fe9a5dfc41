"""Checks that start together on one host ask for its robots.txt once: the first fetches it,
the others wait for that answer (sources.fetch.locks). On the embedded broker a file lock,
with Redis Redis's own."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sources.fetch import locks
from sources.fetch.fetching import fetch
from tests.sources.httpserver import Reply, TestServer

ROBOTS = Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain", delay=0.5)
PAGE = Reply(200, "<html><body><article><p>A page of the site.</p></article></body></html>")


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def fetch_together(server: TestServer, paths: list[str]) -> list[Any]:
    """Fetch every path from its own thread, all starting at once."""
    start = threading.Barrier(len(paths))
    results: list[Any] = [None] * len(paths)

    def one(i: int, path: str) -> None:
        start.wait()
        results[i] = fetch(server.url(path))

    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def serve_site(server: TestServer, paths: list[str]) -> None:
    server.route("/robots.txt", ROBOTS)
    for path in paths:
        server.route(path, PAGE)


def test_four_checks_at_once_ask_for_robots_txt_once(server: TestServer) -> None:
    paths = ["/a", "/b", "/c", "/d"]
    serve_site(server, paths)
    results = fetch_together(server, paths)
    assert all(result is not None and result.ok for result in results)
    assert len(server.hits("/robots.txt")) == 1
    assert [len(server.hits(p)) for p in paths] == [1, 1, 1, 1]


@pytest.mark.services
def test_with_redis_four_checks_at_once_ask_for_robots_txt_once(
    server: TestServer, settings: Any
) -> None:
    settings.FACTCHECK_POLITENESS_REDIS_URL = settings.CELERY_BROKER_URL
    paths = ["/a", "/b", "/c", "/d"]
    serve_site(server, paths)
    results = fetch_together(server, paths)
    assert all(result is not None and result.ok for result in results)
    assert len(server.hits("/robots.txt")) == 1


def test_a_lock_held_elsewhere_is_waited_for_then_gone_on_without(settings: Any) -> None:
    settings.FACTCHECK_POLITENESS_REDIS_URL = ""
    with locks.held("robots:https://busy.example", expires=5, wait=1) as first:
        assert first
        started = time.monotonic()
        with locks.held("robots:https://busy.example", expires=5, wait=0.3) as second:
            assert not second  # not taken within its wait: the caller goes on without it
        assert 0.25 <= time.monotonic() - started < 2
        with locks.held("robots:https://other.example", expires=5, wait=0.3) as other:
            assert other  # another name is another lock
    with locks.held("robots:https://busy.example", expires=5, wait=0.3) as again:
        assert again  # released when the holder was done

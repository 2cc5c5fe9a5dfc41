"""robots.txt and per-host politeness, in this process and through the real Redis."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from sources.fetch import client, politeness, robots
from sources.fetch.client import FetchResult, Outcome
from sources.fetch.fetching import fetch
from sources.fetch.politeness import HostBusy, defer_host, wait_turn
from tests.sources.conftest import FakeDNS
from tests.sources.httpserver import Reply, Responder, Seen, TestServer, redirect

HTML = "<html><body><p>A page.</p></body></html>"
TEXT = "text/plain"


def robots_txt(server: TestServer, *replies: Responder) -> None:
    server.route("/robots.txt", *replies)


def test_robots_disallow_is_obeyed_without_requesting_the_page(server: TestServer) -> None:
    robots_txt(server, Reply(200, "User-agent: *\nDisallow: /private\n", content_type=TEXT))
    server.route("/private/a", Reply(200, HTML))
    server.route("/public", Reply(200, HTML))
    blocked = fetch(server.url("/private/a"))
    assert (blocked.outcome, blocked.reason) == (Outcome.BLOCKED, "robots")
    assert fetch(server.url("/public")).ok
    assert server.hits("/private/a") == []
    assert len(server.hits("/robots.txt")) == 1  # read once, then cached
    assert server.hits("/robots.txt")[0].headers["user-agent"].startswith("factcheck-test/")


def test_the_group_for_our_user_agent_wins(server: TestServer) -> None:
    rules = "User-agent: factcheck-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    robots_txt(server, Reply(200, rules, content_type=TEXT))
    assert robots.allowed(server.url("/a")) is False
    assert robots.allowed(server.url("/a"), "otherbot/2.0") is True


def test_robots_served_as_html_is_still_read(server: TestServer) -> None:
    robots_txt(server, Reply(200, "User-agent: *\nDisallow: /x\n"))
    assert robots.allowed(server.url("/x/1")) is False


def test_an_overlong_robots_txt_is_read_up_to_the_limit(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_ROBOTS_MAX_BYTES = 2000
    body = "User-agent: *\nDisallow: /x\n" + "# padding\n" * 1000
    robots_txt(server, Reply(200, body, content_type=TEXT))
    assert robots.allowed(server.url("/x")) is False
    assert robots.allowed(server.url("/y")) is True


@pytest.mark.parametrize("status", [404, 410, 400])
def test_a_missing_robots_txt_allows_everything(server: TestServer, status: int) -> None:
    robots_txt(server, Reply(status, "none"))
    server.route("/a", Reply(200, HTML))
    assert fetch(server.url("/a")).ok
    assert fetch(server.url("/a")).ok
    assert len(server.hits("/robots.txt")) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_a_forbidden_robots_txt_disallows_everything(server: TestServer, status: int) -> None:
    robots_txt(server, Reply(status, "no"))
    server.route("/a", Reply(200, HTML))
    result = fetch(server.url("/a"))
    assert (result.outcome, result.reason) == (Outcome.BLOCKED, "robots")
    assert "refuses all access" in result.error
    assert server.hits("/a") == []


def test_a_failing_robots_txt_holds_fetching_back_for_a_while(server: TestServer) -> None:
    robots_txt(server, Reply(500, "oops"), Reply(200, "User-agent: *\nAllow: /\n"))
    server.route("/a", Reply(200, HTML))
    first = fetch(server.url("/a"))
    assert (first.outcome, first.reason) == (Outcome.ERROR, "robots_unavailable")
    assert fetch(server.url("/a")).reason == "robots_unavailable"  # not asked again yet
    assert len(server.hits("/robots.txt")) == 1 and server.hits("/a") == []
    robots.forget(server.url("/"))
    assert fetch(server.url("/a")).ok


def test_a_robots_txt_that_times_out_is_unavailable(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_FETCH_READ_TIMEOUT = 0.2
    robots_txt(server, Reply(200, "User-agent: *\n", delay=1.0))
    answer = robots.check(server.url("/a"))
    assert answer.allowed is None and "cannot be read now" in answer.detail


def test_a_rate_limited_robots_txt_defers_the_fetch(server: TestServer) -> None:
    robots_txt(server, Reply(429, "slow", headers={"Retry-After": "60"}))
    result = fetch(server.url("/a"))
    assert (result.outcome, result.reason) == (Outcome.DEFERRED, "robots_unavailable")
    assert result.retry_after == 60.0


def test_a_robots_txt_redirected_to_a_refused_address_disallows(server: TestServer) -> None:
    robots_txt(server, redirect(302, "http://169.254.169.254/robots.txt"))
    assert robots.check(server.url("/a")).allowed is False


def test_robots_txt_is_read_for_each_host_of_a_redirect_chain(
    server: TestServer, fake_dns: FakeDNS
) -> None:
    fake_dns.set("open.test", ["127.0.0.1"])
    fake_dns.set("closed.test", ["127.0.0.1"])

    def by_host(seen: Seen) -> Reply:
        closed = seen.headers["host"].startswith("closed.test")
        return Reply(200, "User-agent: *\nDisallow: /\n" if closed else "", content_type=TEXT)

    robots_txt(server, by_host)
    server.route("/a", redirect(302, server.url("/b", host="closed.test")))
    result = fetch(server.url("/a", host="open.test"))
    assert (result.outcome, result.reason) == (Outcome.BLOCKED, "robots")
    assert server.hits("/b") == []


def test_crawl_delay_spaces_requests(server: TestServer) -> None:
    robots_txt(server, Reply(200, "User-agent: *\nCrawl-delay: 0.4\n", content_type=TEXT))
    server.route("/a", Reply(200, HTML))
    assert robots.crawl_delay(server.url("/a")) == 0.4
    assert fetch(server.url("/a")).ok and fetch(server.url("/a")).ok
    first, second = (seen.at for seen in server.hits("/a"))
    assert second - first >= 0.38


def test_request_rate_counts_as_a_delay(server: TestServer) -> None:
    robots_txt(server, Reply(200, "User-agent: *\nRequest-rate: 1/5s\n", content_type=TEXT))
    assert robots.crawl_delay(server.url("/a")) == 5.0


def test_robots_txt_of_a_site_that_does_not_answer_is_not_cached() -> None:
    result = FetchResult(url="x", outcome=Outcome.GONE, reason="dns")
    entry, seconds = robots.judge(result)
    assert entry.mode == robots.ALLOW_ALL and seconds == 0.0
    entry, seconds = robots.judge(FetchResult(url="x", outcome=Outcome.GONE, status=404))
    assert entry.mode == robots.ALLOW_ALL and seconds > 0


# --- politeness in this process -------------------------------------------------------


@pytest.fixture
def host() -> str:
    return f"host-{uuid.uuid4().hex[:10]}.test"


def _turns(host: str, count: int, interval: float) -> list[float]:
    """Take `count` turns from as many threads at once; the times they were granted."""
    times: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        wait_turn(host, interval, max_wait=10)
        with lock:
            times.append(time.time())

    threads = [threading.Thread(target=take) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(times)


def _spaced(times: list[float], interval: float) -> bool:
    return all(b - a >= interval - 0.02 for a, b in itertools.pairwise(times))


def test_threads_take_turns_one_interval_apart(fast_fetch: Any, host: str) -> None:
    assert _spaced(_turns(host, 4, 0.15), 0.15)


def test_a_turn_too_far_off_is_refused_without_reserving(fast_fetch: Any, host: str) -> None:
    assert wait_turn(host, 10.0, max_wait=1) == 0.0
    for _ in range(2):
        with pytest.raises(HostBusy) as busy:
            wait_turn(host.upper(), 10.0, max_wait=1)
        assert 9 < busy.value.retry_after <= 10  # the refused call reserved nothing


def test_defer_host_pushes_the_next_turn_and_never_shortens_it(fast_fetch: Any, host: str) -> None:
    defer_host(host, 5)
    defer_host(host, 1)
    with pytest.raises(HostBusy) as busy:
        wait_turn(host, 0.0, max_wait=1)
    assert 4 < busy.value.retry_after <= 5
    politeness.forget(host)
    assert wait_turn(host, 0.0, max_wait=1) == 0.0


def test_a_redis_outage_falls_back_to_this_process(
    fast_fetch: Any, host: str, caplog: pytest.LogCaptureFixture
) -> None:
    fast_fetch.FACTCHECK_POLITENESS_REDIS_URL = "redis://127.0.0.1:1/0"  # nobody listens
    assert wait_turn(host, 5.0, max_wait=1) == 0.0
    with pytest.raises(HostBusy):
        wait_turn(host, 5.0, max_wait=1)
    assert "Redis unavailable" in caplog.text


# --- politeness through the real Redis (CI; locally with the services' variables) ------


@pytest.fixture
def shared(fast_fetch: Any) -> Iterator[redis.Redis]:
    fast_fetch.FACTCHECK_POLITENESS_REDIS_URL = fast_fetch.CELERY_BROKER_URL
    client = redis.Redis.from_url(fast_fetch.CELERY_BROKER_URL)
    yield client
    client.close()


@pytest.mark.services
def test_redis_spaces_turns_across_threads(shared: redis.Redis, host: str) -> None:
    assert _spaced(_turns(host, 4, 0.15), 0.15)


@pytest.mark.services
def test_redis_keeps_the_next_turn_for_every_worker(shared: redis.Redis, host: str) -> None:
    assert wait_turn(host, 5.0, max_wait=1) == 0.0
    assert 0 < int(shared.pttl(politeness.KEY_PREFIX + host)) <= 6000
    politeness.reset_local()  # nothing is kept in this process…
    politeness._client_for.cache_clear()  # …nor in its connection
    with pytest.raises(HostBusy) as busy:
        wait_turn(host, 5.0, max_wait=1)
    assert 4 < busy.value.retry_after <= 5


@pytest.mark.services
def test_redis_defer_host(shared: redis.Redis, host: str) -> None:
    defer_host(host, 3)
    defer_host(host, 1)
    with pytest.raises(HostBusy) as busy:
        wait_turn(host, 0.0, max_wait=0.5)
    assert 2 < busy.value.retry_after <= 3
    politeness.forget(host)
    assert shared.exists(politeness.KEY_PREFIX + host) == 0


CHILD = """
import time, django
django.setup()
from sources.fetch.politeness import wait_turn
for _ in range(2):
    wait_turn({host!r}, 0.4, max_wait=10)
    print(time.time(), flush=True)
"""


@pytest.mark.slow
@pytest.mark.services
def test_redis_spaces_turns_across_processes(shared: redis.Redis, host: str, settings: Any) -> None:
    """Two worker processes, one host: four turns, each at least the interval apart."""
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "factcheck.settings", "DEBUG": "1"}
    env["FACTCHECK_POLITENESS_REDIS_URL"] = settings.FACTCHECK_POLITENESS_REDIS_URL
    code = CHILD.format(host=host)
    workers = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=30)[0] for worker in workers]
    times = sorted(float(line) for out in outputs for line in out.split())
    assert len(times) == 4 and _spaced(times, 0.4)


def test_fetch_result_helpers() -> None:
    result = client.FetchResult(url="u", outcome=Outcome.MOVED, body="é".encode())
    assert result.ok and result.text == "é"
    result.encoding = "x-nonsense"
    assert result.text == "é"

"""A worker killed (SIGKILL) in the middle of a check: the check is done again once the
source's short hold runs out, not when the queue's 30-minute lease does."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from sources.models import Source
from tests.factories import SourceFactory
from tests.faults.conftest import BIN, ROOT, OwnRedis, Service, service_env, wait_until
from tests.sources.httpserver import Reply, Seen, TestServer

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]

HOLD = 6  # seconds; 90 by default (bench/faults_bench.py measures the default)
PAGE = "<html><body><article><p>The council approved the new tram line.</p></article></body></html>"


class SlowFirst:
    """The first request hangs (the worker is killed during it); later ones answer."""

    def __init__(self) -> None:
        self.lock, self.count = threading.Lock(), 0

    def __call__(self, seen: Seen) -> Reply:
        with self.lock:
            self.count += 1
            first = self.count == 1
        return Reply(200, PAGE, delay=30 if first else 0)


def recheck(service: Service, *args: str) -> None:
    command = [str(BIN / "python"), "manage.py", "recheck", *args]
    subprocess.run(command, cwd=ROOT, env=service.env, check=True, capture_output=True, timeout=60)


def test_a_check_whose_worker_was_killed_is_done_again_within_its_hold(
    own_redis: OwnRedis, tmp_path: Path
) -> None:
    site = TestServer().start()
    page = SlowFirst()
    site.route("/slow", page)
    service = Service(
        own_redis, tmp_path, service_env(own_redis.url, tmp_path, FACTCHECK_CHECK_HOLD=str(HOLD))
    )
    try:
        service.start("worker")
        service.start("reader")  # the page's text is read and recorded there
        service.start("relay")
        source = SourceFactory.create(url=site.url("/slow"), health="unchecked")
        recheck(service, "--source", str(source.pk))
        assert wait_until(lambda: page.count == 1, timeout=60) is not None  # the check is fetching
        service.kill("worker")
        killed = time.monotonic()
        service.start("worker")
        # beat's part, each second: lease what is due and queue it
        redone = wait_until(lambda: lease_due_and_look(service, source), timeout=60)
        assert redone is not None, service.log("worker")[-3000:]
        took = time.monotonic() - killed
        assert took < HOLD + 20, took
        assert page.count >= 2
    finally:
        service.stop_all()
        site.stop()


def lease_due_and_look(service: Service, source: Source) -> bool:
    """Beat's part (lease what is due, queue its check), then: has the source been checked?"""
    recheck(service, "--all-due")
    return Source.objects.get(pk=source.pk).last_checked_at is not None

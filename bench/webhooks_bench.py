"""Webhook benchmark: deliveries per second through ONE real Celery worker (`-Q webhooks`)
to a local receiver, against a bare httpx POST loop to the same receiver at the same
concurrency (the limit); and what 100 subscribers cost an editor's verdict change.

    .venv/bin/python bench/webhooks_bench.py [--subscriptions 20] [--events 25]
                                             [--concurrency 8] [--delay 0.0]

Everything runs on this machine: the receiver is the local threaded server of
tests/sources/httpserver.py (204 to every POST, after `--delay` seconds), the database a
throwaway SQLite file in a temporary FACTCHECK_VAR_DIR (or BENCH_DATABASE_URL), the broker
Redis (BENCH_BROKER_URL, by default database 15 of 127.0.0.1:6379, purged first).

The worker's path is the real one: each event's `dispatch_event` fans out one
`send_deliveries` per subscription, which takes the subscription's lease, signs and POSTs
its due deliveries in order through the SSRF guard, and records every attempt. The limit is
the same number of POSTs of the same bodies from as many threads as the worker has, with
the clients made before the clock starts: no database, no broker, no signing, no guard.

Results are printed and written to bench/results/webhooks.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/15")


def bench_env(var_dir: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DEBUG": "1",
        "FACTCHECK_VAR_DIR": var_dir,
        "CELERY_BROKER_URL": BROKER,
        "FACTCHECK_FETCH_ALLOWED_NETS": "127.0.0.1/32",
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    return env


def setup_django(var_dir: str) -> None:
    os.environ.update(bench_env(var_dir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def worker(var_dir: str, concurrency: int) -> Iterator[int]:
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "factcheck",
        "worker",
        "--queues=webhooks",
        "--pool=threads",
        f"--concurrency={concurrency}",
        "--loglevel=WARNING",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
    ]
    env = {**os.environ, **bench_env(var_dir)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        yield process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def purge() -> None:
    from factcheck.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("webhooks")  # type: ignore[attr-defined]


def make_outbox(url: str, subscriptions: int, events: int) -> list[int]:
    """Subscriptions and events written as the receivers write them, without sending."""
    from unittest import mock

    from webhooks.models import Subscription
    from webhooks.services import subscription_create, webhook_event_record

    made = [
        subscription_create(url=url, events=["claim.verdict_changed"])[0]
        for _ in range(subscriptions)
    ]
    data = {
        "id": 1,
        "text": "The ferry will run all winter",
        "status": "confirmed",
        "pad": "x" * 3000,
    }
    event_ids = []
    with mock.patch("webhooks.services.event_queue_dispatch"):
        for n in range(events):
            event = webhook_event_record(
                event_type="claim.verdict_changed", data=data | {"n": n}, subscriptions=made
            )
            assert event is not None
            event_ids.append(event.pk)
    assert Subscription.objects.count() >= subscriptions
    return event_ids


def run_worker(event_ids: list[int], expected: int, timeout: float = 600.0) -> float:
    """Queue every event's fan-out and wait until every delivery is delivered."""
    from webhooks.models import Delivery, DeliveryState
    from webhooks.tasks import dispatch_event

    started = time.perf_counter()
    for event_id in event_ids:
        dispatch_event.delay(event_id)
    done = Delivery.objects.filter(event_id__in=event_ids, state=DeliveryState.DELIVERED)
    while done.count() < expected:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"only {done.count()} of {expected} delivered in {timeout} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def httpx_loop(url: str, bodies: list[bytes], concurrency: int) -> float:
    import httpx

    clients: queue.SimpleQueue[httpx.Client] = queue.SimpleQueue()
    for _ in range(concurrency):
        clients.put(httpx.Client(trust_env=False))

    def post(body: bytes) -> int:
        client = clients.get()
        try:
            headers = {"Content-Type": "application/json"}
            return client.post(url, content=body, headers=headers).status_code
        finally:
            clients.put(client)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(time.sleep, [0.01] * concurrency))  # threads made before the clock
        started = time.perf_counter()
        statuses = list(pool.map(post, bodies))
        elapsed = time.perf_counter() - started
    assert set(statuses) == {204}, set(statuses)
    while not clients.empty():
        clients.get().close()
    return elapsed


def editor_request_ms(subscribers: int, rounds: int = 15) -> float:
    """Median milliseconds of one verdict change through the service (what the API's PATCH
    runs), with `subscribers` subscriptions to claim.verdict_changed; nothing is sent."""
    from unittest import mock

    from claims.services.claims import claim_apply_changes, claim_create
    from webhooks.models import Subscription
    from webhooks.services import subscription_create

    Subscription.objects.all().delete()
    for _ in range(subscribers):
        subscription_create(url="http://127.0.0.1:9/", events=["claim.verdict_changed"])
    claim = claim_create(text=f"The ferry will run all winter ({subscribers})", published=True)
    times = []
    with mock.patch("webhooks.tasks.dispatch_event.delay"):  # the broker's part is one message
        for n in range(rounds):
            started = time.perf_counter()
            claim = claim_apply_changes(
                claim=claim, status=("confirmed", "disputed")[n % 2], note="Why."
            )
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def measure(args: argparse.Namespace, var_dir: str) -> dict[str, Any]:
    from tests.sources.httpserver import Reply, TestServer
    from webhooks.models import WebhookEvent

    server = TestServer().start()
    server.route("/hook", Reply(204, "", delay=args.delay))
    url = server.url("/hook")
    expected = args.subscriptions * args.events
    try:
        warm = make_outbox(url, args.concurrency, 2)
        purge()
        with worker(var_dir, args.concurrency):
            run_worker(warm, 2 * args.concurrency, timeout=120)  # the worker is up and warm
            event_ids = make_outbox(url, args.subscriptions, args.events)
            worker_s = run_worker(event_ids, expected)
        bodies = [e.body.encode() for e in WebhookEvent.objects.filter(pk__in=event_ids)]
        limit_s = httpx_loop(url, bodies * args.subscriptions, args.concurrency)
    finally:
        server.stop()
    worker_rate, limit_rate = expected / worker_s, expected / limit_s
    return {
        "deliveries": expected,
        "subscriptions": args.subscriptions,
        "concurrency": args.concurrency,
        "delay_s": args.delay,
        "worker_per_s": round(worker_rate, 1),
        "httpx_per_s": round(limit_rate, 1),
        "ratio": round(worker_rate / limit_rate, 3),
        "verdict_change_ms_0_subscribers": editor_request_ms(0),
        "verdict_change_ms_100_subscribers": editor_request_ms(100),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscriptions", type=int, default=20)
    parser.add_argument("--events", type=int, default=25)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds each answer waits")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as var_dir:
        setup_django(var_dir)
        result = measure(args, var_dir)
    print(
        f"\n{result['deliveries']} deliveries ({args.subscriptions} subscriptions × {args.events}"
        f" events), one worker (threads × {args.concurrency}), {args.delay} s receiver latency"
    )
    print(f"  worker: {result['worker_per_s']} deliveries/s")
    print(f"  httpx:  {result['httpx_per_s']} POSTs/s (the limit)")
    print(f"  ratio:  {result['ratio']}")
    print(
        f"  a verdict change: {result['verdict_change_ms_0_subscribers']} ms with no subscriber,"
        f" {result['verdict_change_ms_100_subscribers']} ms with 100"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "database": "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite",
        "broker": BROKER,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "run": result,
    }
    (RESULTS / "webhooks.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {RESULTS / 'webhooks.json'}")


if __name__ == "__main__":
    main()

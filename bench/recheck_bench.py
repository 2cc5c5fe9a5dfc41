"""Recheck benchmark: checks per second through ONE real Celery worker, for N pages that are
unchanged (a 304 to the conditional request) and N that changed (200, new text, a new
snapshot), against a plain httpx loop over the same URLs at the same concurrency (the limit).

    .venv/bin/python bench/recheck_bench.py [--pages 200] [--pool threads] [--pool prefork]
                                            [--concurrency 8]

Everything runs on this machine: the pages on a local threaded server (tests/sources/
httpserver.py), a throwaway SQLite database in a temporary FACTCHECK_VAR_DIR (or
BENCH_DATABASE_URL), Redis as the broker and for politeness (BENCH_BROKER_URL, by default
database 15 of 127.0.0.1:6379, purged first). All pages are on one host, so
FACTCHECK_HOST_MIN_INTERVAL is 0 here: with the default of one second between requests to
a host the benchmark would measure the politeness delay, not the checks.

Results are printed and written to bench/results/recheck.json (not committed).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/15")
PARAGRAPH = (
    "The council said on {day} that the tram line through the northern districts would "
    "open in stages, the first of them next spring, and that the cost had risen by a "
    "tenth since the plan was approved. Officials pointed to the price of steel. "
)


def bench_env(var_dir: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DEBUG": "1",
        "FACTCHECK_VAR_DIR": var_dir,
        "CELERY_BROKER_URL": BROKER,
        "FACTCHECK_FETCH_ALLOWED_NETS": "127.0.0.1/32",
        "FACTCHECK_HOST_MIN_INTERVAL": "0",
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    return env


class Pages:
    """Article pages /p?i=N, each with an ETag; `version` moves on to change them all."""

    def __init__(self, delay: float = 0.0) -> None:
        self.version = 1
        self.delay = delay  # seconds before each answer: a far-away server's latency
        self._lock = threading.Lock()

    def body(self, i: int, version: int) -> str:
        text = "".join(
            f"<p>{PARAGRAPH.format(day=f'day {version}.{i}.{k}')}</p>" for k in range(12)
        )
        return (
            f"<html lang='en'><head><title>Tram story {i}</title></head><body>"
            f"<nav>Home · News · Sport</nav><article><h1>Tram story {i}</h1>{text}</article>"
            "<footer>© The Example Gazette</footer></body></html>"
        )

    def __call__(self, seen: Any) -> Any:
        from tests.sources.httpserver import Reply

        i = int(parse_qs(urlsplit(seen.path).query)["i"][0])
        with self._lock:
            version = self.version
        etag = f'"v{version}-{i}"'
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag}, content_type=None, delay=self.delay)
        return Reply(200, self.body(i, version), headers={"ETag": etag}, delay=self.delay)

    def change_all(self) -> None:
        with self._lock:
            self.version += 1


def setup_django(var_dir: str) -> None:
    os.environ.update(bench_env(var_dir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_sources(urls: list[str]) -> list[int]:
    from django.utils import timezone

    from sources.models import Publisher, Source

    publisher = Publisher.objects.create(name=f"Bench {time.time()}")
    later = timezone.now() + datetime.timedelta(days=365)  # never claimed by a beat
    rows = [Source(url=url, publisher=publisher, next_check_at=later) for url in urls]
    Source.objects.bulk_create(rows)
    return list(Source.objects.filter(url__in=urls).order_by("pk").values_list("pk", flat=True))


def purge_fetch_queue() -> None:
    from factcheck.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("fetch")  # type: ignore[attr-defined]


@contextmanager
def worker(var_dir: str, pool: str, concurrency: int) -> Iterator[int]:
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "factcheck",
        "worker",
        "--queues=fetch",
        f"--pool={pool}",
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


def group_rss_mb(pid: int) -> float:
    """Resident memory of the worker and its children (the prefork pool), in MB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
            group = os.getpgid(int(status.parent.name))
        except (OSError, ValueError):
            continue
        if group == pid and "VmRSS" in fields:
            total += int(fields["VmRSS"].split()[0])
    return round(total / 1024, 1)


def run_checks(ids: list[int], timeout: float = 600.0) -> float:
    """Queue a check of every source and wait until each is recorded; the seconds taken."""
    from django.utils import timezone

    from sources.models import Source
    from sources.tasks import check_source

    mark = timezone.now()
    started = time.perf_counter()
    for source_id in ids:
        check_source.delay(source_id, force=True)
    done = Source.objects.filter(pk__in=ids, last_checked_at__gte=mark)
    while done.count() < len(ids):
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"only {done.count()} of {len(ids)} checks done in {timeout} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def httpx_loop(urls: list[str], etags: dict[str, str], concurrency: int) -> float:
    """The limit: the same requests from a thread pool of plain httpx clients, made before
    the clock starts, and nothing else: no robots.txt, no politeness, no parsing, no database."""
    import httpx

    clients: queue.SimpleQueue[httpx.Client] = queue.SimpleQueue()
    for _ in range(concurrency):
        clients.put(httpx.Client(trust_env=False))

    def get(url: str) -> int:
        client = clients.get()
        try:
            headers = {"If-None-Match": etags[url]} if url in etags else {}
            response = client.get(url, headers=headers)
            etags[url] = response.headers.get("etag", "")
            return response.status_code
        finally:
            clients.put(client)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(time.sleep, [0.01] * concurrency))  # threads made before the clock
        started = time.perf_counter()
        statuses = list(pool.map(get, urls))
        elapsed = time.perf_counter() - started
    assert set(statuses) <= {200, 304}, set(statuses)
    while not clients.empty():
        clients.get().close()
    return elapsed


def measure_pool(
    pool: str, args: argparse.Namespace, var_dir: str, server: Any, pages: Pages
) -> dict[str, Any]:
    from sources.models import SourceSnapshot

    path = f"/{pool}{args.concurrency}"
    urls = [server.url(f"{path}?i={i}") for i in range(args.pages)]
    server.route(path, pages)
    ids = make_sources(urls)
    warm = make_sources([server.url(f"{path}?i={args.pages + k}") for k in range(args.concurrency)])
    purge_fetch_queue()
    results: dict[str, Any] = {
        "pool": pool,
        "concurrency": args.concurrency,
        "delay_s": pages.delay,
    }
    with worker(var_dir, pool, args.concurrency) as pid:
        run_checks(warm, timeout=120)  # the worker is up, its threads or children warm
        results["first_s"] = run_checks(ids)
        results["unchanged_s"] = run_checks(ids)
        assert SourceSnapshot.objects.filter(source_id__in=ids).count() == len(ids)
        pages.change_all()
        results["changed_s"] = run_checks(ids)
        assert SourceSnapshot.objects.filter(source_id__in=ids).count() == 2 * len(ids)
        results["worker_rss_mb"] = group_rss_mb(pid)
    etags: dict[str, str] = {}
    httpx_loop(urls, etags, args.concurrency)  # the first read, to learn the ETags
    results["limit_unchanged_s"] = httpx_loop(urls, etags, args.concurrency)
    pages.change_all()
    results["limit_changed_s"] = httpx_loop(urls, etags, args.concurrency)
    return results


def rates(result: dict[str, Any], pages: int) -> dict[str, Any]:
    out = dict(result)
    for kind in ("first", "unchanged", "changed"):
        out[f"{kind}_per_s"] = round(pages / result[f"{kind}_s"], 1)
    for kind in ("unchanged", "changed"):
        out[f"limit_{kind}_per_s"] = round(pages / result[f"limit_{kind}_s"], 1)
        out[f"{kind}_ratio"] = round(out[f"{kind}_per_s"] / out[f"limit_{kind}_per_s"], 3)
    return out


def print_table(rows: list[dict[str, Any]], pages: int) -> None:
    delay = rows[0]["delay_s"] if rows else 0.0
    print(f"\n{pages} pages, one worker, {delay} s server latency: checks per second")
    print("(the limit: plain httpx from as many threads as the worker has)")
    head = f"{'pool':<12}{'pages':<11}{'worker/s':>10}{'httpx/s':>10}{'ratio':>8}{'RSS MB':>9}"
    print(head)
    print("-" * len(head))
    for row in rows:
        label = f"{row['pool']}×{row['concurrency']}"
        for kind in ("unchanged", "changed"):
            print(
                f"{label:<12}{kind:<11}{row[f'{kind}_per_s']:>10}"
                f"{row[f'limit_{kind}_per_s']:>10}{row[f'{kind}_ratio']:>8}"
            )
        first = f"{label:<12}{'first read':<11}{row['first_per_s']:>10}"
        print(f"{first}{'':>18}{row['worker_rss_mb']:>9}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--pool", action="append", choices=["threads", "prefork", "gevent"])
    parser.add_argument(
        "--delay", type=float, default=0.0, help="seconds each answer waits (remote latency)"
    )
    args = parser.parse_args(argv)
    pools = args.pool or ["threads"]
    from tests.sources.httpserver import TestServer

    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as var_dir:
        setup_django(var_dir)
        server = TestServer().start()
        pages = Pages(args.delay)
        try:
            rows = [rates(measure_pool(p, args, var_dir, server, pages), args.pages) for p in pools]
        finally:
            server.stop()
    print_table(rows, args.pages)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "pages": args.pages,
        "database": "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite",
        "broker": BROKER,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "runs": rows,
    }
    (RESULTS / "recheck.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {RESULTS / 'recheck.json'}")


if __name__ == "__main__":
    main()

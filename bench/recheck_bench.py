"""Recheck benchmark: checks per second through ONE real Celery worker, for N pages that are
unchanged (a 304 to the conditional request) and N that changed (200, new text, a new
snapshot), against a plain httpx loop over the same URLs at the same concurrency (the limit),
and beside changedetection.io on the same pages with as many fetch workers (bench/cdio.py:
installed by the bench in a throwaway venv; `--no-cdio` leaves it out).

    .venv/bin/python bench/recheck_bench.py [--pages 200] [--pool threads] [--pool prefork]
                                            [--concurrency 8] [--delay 0.05] [--no-cdio]

Beside our fetch worker runs the reader (a worker on the `assess` queue, as the Procfile's),
which extracts and records the pages the fetch worker read, then reads each new version
against the claims. Rounds are also timed as the page server saw them: from the first
request of the round to the last.

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

from bench.cdio import CDIO_VERSION  # noqa: E402

READER_CONCURRENCY = 2  # the Procfile's reader: `-Q assess --pool=prefork --concurrency=2`

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
        for queue_name in ("fetch", "assess"):
            connection.default_channel.queue_purge(queue_name)  # type: ignore[attr-defined]


@contextmanager
def worker(var_dir: str, pool: str, concurrency: int, queue: str = "fetch") -> Iterator[int]:
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "factcheck",
        "worker",
        f"--queues={queue}",
        f"--hostname={queue}@%h",
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


def request_spread(server: Any, path: str, since: float, expected: int) -> float:
    """Seconds from the first request for a page under `path` after `since` to the last."""
    times = [seen.at for seen in server.hits(path) if seen.at >= since]
    assert len(times) == expected, (len(times), expected)
    return max(times) - min(times)


def machine_cpu_s() -> float:
    """CPU-seconds the whole machine has spent (every process and the kernel), from
    /proc/stat; 0.0 where there is none."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(n) for n in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    busy = sum(ticks[:3]) + sum(ticks[5:8])  # user nice system, irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


def timed_round(ids: list[int], server: Any, path: str) -> tuple[float, float, float]:
    """A check of every source: (first to last request, until every check is recorded,
    the machine's CPU-seconds until then)."""
    since, cpu = time.monotonic(), machine_cpu_s()
    recorded = run_checks(ids)
    cpu = machine_cpu_s() - cpu
    spread = request_spread(server, path, since, len(ids))
    reader_idle()
    return spread, recorded, cpu


def reader_idle(timeout: float = 300.0) -> None:
    """Wait for the reader to finish what the round gave it (the versions read against the
    claims), so that the next round starts on a quiet machine, as changedetection.io's do."""
    from factcheck.celery import app

    deadline = time.monotonic() + timeout
    with app.connection_for_write() as connection:
        client = connection.default_channel.client  # type: ignore[attr-defined]
        while client.llen("assess") and time.monotonic() < deadline:
            time.sleep(0.1)
    time.sleep(1.0)  # its last tasks are still running


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
    reader = worker(var_dir, args.reader_pool, READER_CONCURRENCY, "assess")
    with worker(var_dir, pool, args.concurrency) as pid, reader as reader_pid:
        run_checks(warm, timeout=120)  # the worker is up, its threads or children warm
        results["first_s"] = run_checks(ids)
        reader_idle()
        results["unchanged_spread_s"], results["unchanged_s"], _ = timed_round(ids, server, path)
        assert SourceSnapshot.objects.filter(source_id__in=ids).count() == len(ids)
        pages.change_all()
        changed = timed_round(ids, server, path)
        results["changed_spread_s"], results["changed_s"], results["changed_cpu_s"] = changed
        assert SourceSnapshot.objects.filter(source_id__in=ids).count() == 2 * len(ids)
        results["worker_rss_mb"] = group_rss_mb(pid)
        results["reader_rss_mb"] = group_rss_mb(reader_pid)
        results["reader"] = f"{args.reader_pool}×{READER_CONCURRENCY}"
    etags: dict[str, str] = {}
    httpx_loop(urls, etags, args.concurrency)  # the first read, to learn the ETags
    results["limit_unchanged_s"] = httpx_loop(urls, etags, args.concurrency)
    pages.change_all()
    results["limit_changed_s"] = httpx_loop(urls, etags, args.concurrency)
    return results


def measure_cdio(args: argparse.Namespace, server: Any, folder: Path) -> dict[str, Any]:
    """changedetection.io's rounds on pages of its own (/cdio), the same in every other way;
    {"unavailable": why} when it cannot be installed or run here."""
    from bench.cdio import CdioUnavailable, cdio_install, cdio_running, wait_until

    path, pages = "/cdio", Pages(args.delay)
    server.route(path, pages)
    urls = [server.url(f"{path}?i={i}") for i in range(args.pages)]
    try:
        program = cdio_install()
        with cdio_running(
            program, urls, workers=args.concurrency, port=free_port(), folder=folder
        ) as cdio:
            wait_until(lambda: len(server.hits(path)) >= len(urls), 300, "its first reads")
            wait_until(cdio.queue_empty, 60, "its first reads to end")
            time.sleep(1.0)  # the last ones are still being compared
            unchanged, _, _ = cdio_round(cdio, server, path, len(urls))
            pages.change_all()
            changed, recorded, cpu = cdio_round(cdio, server, path, len(urls), changed=True)
    except CdioUnavailable as exc:
        return {"unavailable": str(exc)}
    return {
        "unchanged_spread_s": unchanged,
        "changed_spread_s": changed,
        "changed_s": recorded,
        "changed_cpu_s": cpu,
    }


def cdio_round(
    cdio: Any, server: Any, path: str, pages: int, changed: bool = False
) -> tuple[float, float | None, float | None]:
    """Recheck all: (first to last request, until every change is recorded when `changed`,
    the machine's CPU-seconds until then)."""
    from bench.cdio import wait_until

    since, epoch, started = time.monotonic(), time.time(), time.perf_counter()
    cpu_at_start = machine_cpu_s()
    cdio.recheck_all()

    def asked() -> bool:
        return sum(1 for seen in server.hits(path) if seen.at >= since) >= pages

    wait_until(asked, 300, "a round of its requests")
    spread = request_spread(server, path, since, pages)
    recorded = cpu = None
    if changed:  # its record of a change has whole seconds: so has this figure's start
        wait_until(lambda: cdio.changed_since(epoch) >= pages, 120, "its changes recorded")
        recorded = time.perf_counter() - started
        cpu = machine_cpu_s() - cpu_at_start
    wait_until(cdio.queue_empty, 60, "its round to end")
    time.sleep(1.0)
    return spread, recorded, cpu


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rates(result: dict[str, Any], pages: int) -> dict[str, Any]:
    out = dict(result)
    for kind in ("first", "unchanged", "changed"):
        out[f"{kind}_per_s"] = round(pages / result[f"{kind}_s"], 1)
    for kind in ("unchanged", "changed"):
        out[f"limit_{kind}_per_s"] = round(pages / result[f"limit_{kind}_s"], 1)
        out[f"{kind}_ratio"] = round(out[f"{kind}_per_s"] / out[f"limit_{kind}_per_s"], 3)
    return out


def print_beside_cdio(rows: list[dict[str, Any]], cdio: dict[str, Any], args: Any) -> None:
    print(
        f"\nBeside changedetection.io {CDIO_VERSION}, {args.pages} pages, {args.concurrency} "
        f"fetchers each, {args.delay} s latency: seconds from a round's first request to its last"
    )
    if "unavailable" in cdio:
        print(f"changedetection.io NOT MEASURED: {cdio['unavailable']}")
    head = f"{'ours':<12}{'pages':<38}{'ours s':>8}{'cdio s':>8}{'cdio/ours':>11}"
    print(head)
    print("-" * len(head))
    for row in rows:
        label = f"{row['pool']}×{row['concurrency']}"
        for kind, key in [
            ("unchanged", "unchanged_spread_s"),
            ("changed", "changed_spread_s"),
            ("changed, until all recorded", "changed_s"),
            ("changed, machine CPU-s until recorded", "changed_cpu_s"),
        ]:
            print(f"{label:<12}{kind:<38}" + beside(row[key], cdio.get(key)))


def beside(ours: float, theirs: float | None) -> str:
    """Our figure, changedetection.io's and theirs over ours ("-" when it has none)."""
    if not theirs:
        return f"{ours:>8.2f}{'-':>8}{'-':>11}"
    return f"{ours:>8.2f}{theirs:>8.2f}{theirs / ours:>11.2f}"


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
    parser.add_argument(
        "--reader-pool",
        choices=["prefork", "threads"],
        default="prefork",
        help="the reader's pool (the Procfile's: prefork)",
    )
    parser.add_argument("--no-cdio", action="store_true", help="leave changedetection.io out")
    args = parser.parse_args(argv)
    pools = args.pool or ["threads"]
    from tests.sources.httpserver import TestServer

    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as var_dir:
        setup_django(var_dir)
        server = TestServer().start()
        pages = Pages(args.delay)
        try:
            rows = [rates(measure_pool(p, args, var_dir, server, pages), args.pages) for p in pools]
            cdio = {"unavailable": "left out (--no-cdio)"}
            if not args.no_cdio:
                cdio = measure_cdio(args, server, Path(var_dir))
        finally:
            server.stop()
    print_table(rows, args.pages)
    print_beside_cdio(rows, cdio, args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "pages": args.pages,
        "database": "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite",
        "broker": BROKER,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "runs": rows,
        "changedetection.io": {"version": CDIO_VERSION, **cdio},
        "load_average": os.getloadavg(),
    }
    (RESULTS / "recheck.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {RESULTS / 'recheck.json'}")


if __name__ == "__main__":
    main()

"""Scale benchmark: every list, search, filter, detail and 304 of the public pages and the
API under gunicorn on PostgreSQL with (by default) a million claims, beside the bare views
(bench/bareviews.py) in the same run; then EXPLAIN (ANALYZE, BUFFERS) of each list's queries.

    .venv/bin/python bench/scale_bench.py [--claims 1000000] [--requests 200] [--workers 2]

A sequential client on one keep-alive connection times each request (p50, p95); throughput
is requests over the time they took. The data set lives in `factcheck_scale`
(BENCH_DATABASE_URL) and is made once by generate_data. Results: bench/results/scale.json
and bench/results/scale_explain.txt.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_scale")
os.environ.setdefault("BENCH_PORT", "18915")
os.environ.setdefault("BENCH_BROKER_URL", "redis://127.0.0.1:6379/8")
# Throttle counters in Redis, as in production (one read a request is part of the cost).
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/8")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import api_bench
from bench.api_bench import PORT, RESULTS, ensure_claims, ensure_database

_service_env = api_bench.service_env


def service_env() -> dict[str, str]:
    """api_bench's, on the service's settings (see bench/wsgi.py)."""
    return {**_service_env(), "DJANGO_SETTINGS_MODULE": "factcheck.settings"}


api_bench.service_env = service_env


def start_gunicorn(workers: int) -> subprocess.Popen[bytes]:
    return api_bench.start_gunicorn(workers, app="bench.wsgi", ready="/bench/claims/")


COMMON, RARE, ABSENT, PREFIX, MISSPELT = "plant", "zeppelin", "zebra", "zepp", "zeppelim"


def endpoints(claim: str, slug: str) -> dict[str, str]:
    return {
        "bare list": "/bench/claims/",
        "bare detail": f"/bench/claims/{claim}/",
        "public /claims/": "/claims/",
        "public /claims/?page=5": "/claims/?page=5",
        f"public ?q={COMMON} (common)": f"/claims/?q={COMMON}",
        f"public ?q={RARE} (rare)": f"/claims/?q={RARE}",
        f"public ?q={ABSENT} (absent)": f"/claims/?q={ABSENT}",
        f"public ?q={MISSPELT} (misspelt)": f"/claims/?q={MISSPELT}",
        "public ?verdict=false&level=refuted": "/claims/?verdict=false&level=refuted",
        "public /tags/energy/": "/tags/energy/",
        "public claim page": f"/claims/{slug}/",
        "API list": "/api/v1/claims/",
        "API detail": f"/api/v1/claims/{claim}/",
        f"API ?q={COMMON}": f"/api/v1/claims/?q={COMMON}",
        f"API ?q={RARE}": f"/api/v1/claims/?q={RARE}",
        f"API ?q={ABSENT}": f"/api/v1/claims/?q={ABSENT}",
        f"API ?q={PREFIX} (prefix)": f"/api/v1/claims/?q={PREFIX}",
        "API ?level=confirmed&status=false": "/api/v1/claims/?level=confirmed&status=false",
        "API ?status=false&status=denied&level=refuted": (
            "/api/v1/claims/?status=false&status=denied&level=refuted"
        ),
        "API ?tag=energy&status=unverified": "/api/v1/claims/?tag=energy&status=unverified",
        "API ?needs_review=false&min_score=60": "/api/v1/claims/?needs_review=false&min_score=60",
    }


SLOW_MS = 300
CONDITIONAL = ["/claims/", f"/claims/?q={COMMON}", "/tags/energy/", "claim page", "API detail"]


def timed(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple:
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    took = (time.perf_counter() - started) * 1000
    return took, response.status, dict(response.getheaders()), body


def measure(path: str, count: int, headers: dict[str, str] | None = None) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Host": "127.0.0.1", **(headers or {})}
    status, warm = 0, 0.0
    for _ in range(5):  # warm the worker's caches and the connection
        warm, status, _, _ = timed(conn, path, headers)
    if warm > SLOW_MS:  # a slow one is measured, not waited on for minutes
        count = min(count, 10)
    times = []
    for _ in range(count):
        took, status, _, _ = timed(conn, path, headers)
        times.append(took)
    conn.close()
    times.sort()
    return {
        "status": status,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "rps": round(len(times) / (sum(times) / 1000), 1),
    }


def etag_of(path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    _, _, headers, _ = timed(conn, path, {"Host": "127.0.0.1"})
    conn.close()
    return headers.get("ETag", "")


def sample() -> tuple[str, str]:
    code = (
        "from claims.models import Claim; c = Claim.objects.filter(published=True, "
        "evidence__isnull=False).order_by('-updated_at').values('id','slug').first(); "
        "print(c['id'], c['slug'])"
    )
    claim, slug = api_bench.manage("shell", "--no-imports", "-c", code).split()
    return claim, slug


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ensure_database()
    total = ensure_claims(args.claims)
    claim, slug = sample()
    paths = endpoints(claim, slug)
    server = start_gunicorn(args.workers)
    try:
        results = {name: measure(path, args.requests) for name, path in paths.items()}
        for name in CONDITIONAL:
            path = paths.get(name) or paths.get(f"public {name}") or name
            tag = etag_of(path)
            results[f"304 {name}"] = measure(path, args.requests, {"If-None-Match": tag})
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    report(results, total, args)
    explain(paths)


def report(results: dict[str, dict], total: int, args: argparse.Namespace) -> None:
    bare_list, bare_detail = results["bare list"], results["bare detail"]
    print(
        f"\n{total:,} claims on PostgreSQL; gunicorn {args.workers} workers; one sequential "
        f"client, {args.requests} requests each\n"
    )
    print("| request | status | p50 ms | p95 ms | req/s | × bare req/s |")
    print("|---|---|---|---|---|---|")
    for name, row in results.items():
        bare = bare_detail if "detail" in name or "page" in name else bare_list
        row["vs_bare"] = round(row["rps"] / bare["rps"], 2)
        print(
            f"| {name} | {row['status']} | {row['p50_ms']} | {row['p95_ms']} | {row['rps']} "
            f"| {row['vs_bare']} |"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps({"claims": total, "results": results}, indent=2))


def explain(paths: dict[str, str]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query on claims_claim that each list sends."""
    os.environ.update(service_env())
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out, summary = [], []
    client = Client()
    for name, path in paths.items():
        if "bare" in name or "detail" in name or "page" in name:
            continue
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        with connection.cursor() as cursor:
            for query in captured:
                if "claims_claim" not in query["sql"]:
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                plan = [row[0] for row in cursor.fetchall()]
                summary.append(plan_summary(name, plan))
                body = "\n".join(plan)
                out.append(f"### {name}: {path}\n\n```\n{query['sql']}\n\n{body}\n```\n")
    text = "\n".join(out)
    (RESULTS / "scale_explain.txt").write_text(text)
    scans = text.count("Seq Scan on claims_claim ")
    print(f"\nEXPLAIN of {len(out)} list queries: {scans} sequential scans of claims_claim\n")
    print("| request | how claims_claim is read | buffers | execution ms |\n|---|---|---|---|")
    print("\n".join(summary))


def plan_summary(name: str, plan: list[str]) -> str:
    """One row of the plan: how claims_claim is read, the pages touched and the time."""
    reads = sorted(
        {
            re.sub(r"\s+\(cost=.*|^\s*->\s*", "", line).strip()
            for line in plan
            if re.search(r"on claims_claim\b", line)
        }
    )
    buffers = next((line.split(":", 1)[1].strip() for line in plan if "Buffers:" in line), "")
    took = next((line.split(":")[1].strip() for line in plan if "Execution Time" in line), "")
    return f"| {name} | {'; '.join(reads) or '(no read of the table)'} | {buffers} | {took} |"


if __name__ == "__main__":
    main()

"""API benchmark: claim list and claim detail under gunicorn on PostgreSQL with N claims,
against bare Django views that return the same rows as JSON (the limit), in one run.

    .venv/bin/python bench/api_bench.py [--claims 100000] [--seconds 10] [--connections 8]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and wrk (apt-get install wrk). The data
set lives in the database `factcheck_bench` and is reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_bench"
)
PORT = int(os.environ.get("BENCH_PORT", "18900"))
RESULTS = ROOT / "bench" / "results"


def service_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "FACTCHECK_API_ANON_RATE": "100000000/s",
        "FACTCHECK_API_USER_RATE": "100000000/s",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/0"),
    }


def manage(*args: str) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=service_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def ensure_database() -> None:
    name = DATABASE_URL.rsplit("/", 1)[-1]
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
    )
    if exists.stdout.strip() != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def ensure_claims(wanted: int) -> int:
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    count = int(
        manage(
            "shell",
            "--no-imports",
            "-c",
            "from claims.models import Claim; print(Claim.objects.count())",
        ).strip()
    )
    if count < wanted:
        print(f"generating {wanted - count:,} claims (once; reused by later runs)…", flush=True)
        print(manage("generate_data", "--claims", str(wanted - count)).strip(), flush=True)
        manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )
    return max(count, wanted)


def start_gunicorn(
    workers: int, app: str = "factcheck.wsgi", ready: str = "/healthz"
) -> subprocess.Popen[bytes]:
    """gunicorn serving `app`, once `ready` answers."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        app,
        f"--bind=127.0.0.1:{PORT}",
        f"--workers={workers}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=service_env(), start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}{ready}", timeout=5)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit("gunicorn did not start")


def wrk(path: str, seconds: int, connections: int) -> dict[str, float]:
    url = f"http://127.0.0.1:{PORT}{path}"
    status = urllib.request.urlopen(url, timeout=10).status
    if status != 200:
        sys.exit(f"{url} answered {status}")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        sys.exit(f"{url} answered errors under load:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": latency(out, "50%"),
        "p99_ms": latency(out, "99%"),
    }


def latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def sample_claim_id() -> str:
    code = (
        "from django.db.models import Count; from claims.models import Claim; "
        "print(Claim.objects.filter(published=True).annotate(n=Count('evidence'))"
        ".filter(n__gte=4).order_by('id').values_list('id', flat=True).first())"
    )
    return manage("shell", "--no-imports", "-c", code).strip()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    ensure_database()
    total = ensure_claims(args.claims)
    claim_id = sample_claim_id()
    server = start_gunicorn(args.workers)
    try:
        pairs = {
            "claim list": ("/api/v1/claims/", "/bench/claims/"),
            "claim detail": (f"/api/v1/claims/{claim_id}/", f"/bench/claims/{claim_id}/"),
        }
        results = {}
        for name, (api, bare) in pairs.items():
            results[name] = {
                "api": wrk(api, args.seconds, args.connections),
                "bare": wrk(bare, args.seconds, args.connections),
            }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report(results, total, args)


def report(
    results: dict[str, dict[str, dict[str, float]]], total: int, args: argparse.Namespace
) -> None:
    print(
        f"\n{total:,} claims on PostgreSQL; gunicorn {args.workers} workers; wrk 2 threads, "
        f"{args.connections} connections, {args.seconds} s each"
    )
    header = ("endpoint", "API req/s", "bare req/s", "ratio", "API p50/p99 ms", "bare p50/p99 ms")
    print("{:<14}{:>11}{:>12}{:>8}{:>18}{:>18}".format(*header))
    for name, pair in results.items():
        api, bare = pair["api"], pair["bare"]
        pair["ratio"] = {"rps": round(api["rps"] / bare["rps"], 3)}
        print(
            f"{name:<14}{api['rps']:>11.0f}{bare['rps']:>12.0f}{api['rps'] / bare['rps']:>8.2f}"
            f"{api['p50_ms']:>9.1f}/{api['p99_ms']:<8.1f}{bare['p50_ms']:>9.1f}/{bare['p99_ms']:<8.1f}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api.json").write_text(json.dumps({"claims": total, "results": results}, indent=2))


if __name__ == "__main__":
    main()

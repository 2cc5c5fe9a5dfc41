"""What each layer of the API list costs: the same page of claims through the bare view and
through DRF with its layers added one at a time, in one process, in the same run.

    .venv/bin/python bench/api_layers_bench.py [--requests 300] [--rounds 3]

Each variant is the service's own ClaimViewSet with later layers taken away (the last row is
the whole request, middleware included, through Django's test client); the views are called
with RequestFactory requests, so the HTTP server and the socket are left out of every row
alike. Rounds alternate the variants, so that a machine busy with other work slows them
evenly; the figure is the median of all the timings of a variant. The database is
`factcheck_scale` (BENCH_DATABASE_URL), made by generate_data; throttle counters are in
Redis (CACHE_URL, database 8 by default), as in production.

Results are printed and written to bench/results/api_layers.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault(
    "DATABASE_URL",
    os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_scale"),
)
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/8")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
os.environ.update(
    DEBUG="0",
    SECRET_KEY="benchmark-only-" + "k" * 50,
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
    FACTCHECK_API_ANON_RATE="100000000/s",
    FACTCHECK_API_USER_RATE="100000000/s",
    LOG_LEVEL="WARNING",
)

import django  # noqa: E402

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.throttling import SimpleRateThrottle  # noqa: E402

from bench import bareviews  # noqa: E402
from claims.api.rows import LIST_COLUMNS, claim_list_rows  # noqa: E402
from claims.api.views import ClaimViewSet  # noqa: E402
from claims.models import Claim  # noqa: E402
from factcheck.api.throttling import CallerThrottle  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PATH = "/api/v1/claims/"


class Rows(ClaimViewSet):
    """DRF's view, request and renderer around the bare view's query and rows: no
    authentication, permissions, throttle, filters or pagination."""

    authentication_classes: Any = []
    permission_classes: Any = []
    throttle_classes: Any = []
    filter_backends: Any = []

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        claims = Claim.objects.filter(published=True).order_by("-updated_at", "-id")
        return Response({"results": claim_list_rows(claims.values(*LIST_COLUMNS)[:25], request)})


class Paginated(Rows):
    """… and the cursor pagination (next, previous, the page size)."""

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return ClaimViewSet.list(self, request, *args, **kwargs)


class Filtered(Paginated):
    """… and the filter backends (a list asked for without a query string skips them)."""

    filter_backends = ClaimViewSet.filter_backends


class Authenticated(Filtered):
    """… and authentication and permissions (the settings' classes)."""

    authentication_classes = ClaimViewSet.authentication_classes
    permission_classes = ClaimViewSet.permission_classes


class Throttled(Authenticated):
    """… and the throttle: the service's view, every layer."""

    throttle_classes = ClaimViewSet.throttle_classes


class ReadThenWrite(CallerThrottle):
    """The same counters kept as DRF keeps them: the history read, then written back."""

    def allow_request(self, request: Any, view: Any) -> bool:
        self.choose_rate(request)
        return bool(SimpleRateThrottle.allow_request(self, request, view))


class ThrottledTwice(Authenticated):
    """The service's view with DRF's own throttle, for comparison."""

    throttle_classes = [ReadThenWrite]


def variants() -> dict[str, Callable[[], Any]]:
    factory = RequestFactory()
    client = Client()

    def call(view: Callable[..., Any]) -> Callable[[], HttpResponse]:
        def run() -> HttpResponse:
            response = view(factory.get(PATH))
            response.render()
            return response

        return run

    return {
        "bare view (the limit)": lambda: bareviews.claim_list(factory.get("/bench/claims/")),
        "DRF view, request, renderer": call(Rows.as_view({"get": "list"})),
        "+ cursor pagination": call(Paginated.as_view({"get": "list"})),
        "+ filter backends": call(Filtered.as_view({"get": "list"})),
        "+ authentication, permissions": call(Authenticated.as_view({"get": "list"})),
        "+ throttle (Redis): the API's view": call(Throttled.as_view({"get": "list"})),
        "+ middleware: the whole request": lambda: client.get(PATH),
        "(the API's view with DRF's throttle: two round trips)": call(
            ThrottledTwice.as_view({"get": "list"})
        ),
    }


def measure(runs: dict[str, Callable[[], Any]], count: int, rounds: int) -> dict:
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():  # warm each
        for _ in range(20):
            assert run().status_code == 200
    for _ in range(rounds):
        for name, run in runs.items():
            for _ in range(count):
                started = time.perf_counter()
                run()
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: sorted(taken) for name, taken in times.items()}


def report(times: dict[str, list[float]]) -> list[dict[str, Any]]:
    bare = statistics.median(times["bare view (the limit)"])
    rows, before = [], bare
    for name, taken in times.items():
        p50 = statistics.median(taken)
        if name.startswith("("):  # beside the list, not a layer on top of the row before
            before = statistics.median(times["+ authentication, permissions"])
        rows.append(
            {
                "layer": name,
                "p50_ms": round(p50, 3),
                "p95_ms": round(taken[int(len(taken) * 0.95) - 1], 3),
                "adds_ms": round(p50 - before, 3),
                "x_bare_throughput": round(bare / p50, 2),
            }
        )
        before = p50
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="per variant and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows = report(measure(variants(), args.requests, args.rounds))
    claims = Claim.objects.count()
    print(f"\n{claims:,} claims; {args.rounds} rounds of {args.requests} requests a variant\n")
    print("| layer | p50 ms | p95 ms | adds ms | × bare throughput |\n|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['layer']} | {row['p50_ms']} | {row['p95_ms']} | {row['adds_ms']:+} "
            f"| {row['x_bare_throughput']} |"
        )
    RESULTS.mkdir(exist_ok=True)
    out = {"claims": claims, "rows": rows, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ")}
    (RESULTS / "api_layers.json").write_text(json.dumps(out, indent=2))
    print(f"\nwritten to {RESULTS / 'api_layers.json'}")


if __name__ == "__main__":
    main()

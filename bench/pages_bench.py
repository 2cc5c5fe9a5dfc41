"""Public pages benchmark: a claim page with 50 pieces of evidence and the claim list,
against bare views that read the same rows and write them into an HTML string with no
template (the limit), in one run, through Django's test Client and the full middleware.

    .venv/bin/python bench/pages_bench.py [--requests 200]

It builds a throwaway SQLite database in a temporary FACTCHECK_VAR_DIR (nothing else is
touched), runs with DEBUG off (cached templates, as in production) and writes
bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
EVIDENCE = 50
LIST_CLAIMS = 30


def configure(var_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "FACTCHECK_VAR_DIR": var_dir,
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-" + "k" * 50,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
            "CELERY_TASK_ALWAYS_EAGER": "1",
        }
    )
    import django

    django.setup()


def build_data() -> str:
    """One claim with 50 pieces of evidence and a history; 30 more published claims."""
    from claims.services.claims import claim_create, claim_set_verdict
    from claims.services.evidence import evidence_add
    from sources.services import publisher_create, source_get_or_create, source_set_schedule

    stances = ("supports", "refutes", "discusses", "unrelated")
    publishers = [
        publisher_create(name=f"Publisher {n}", domains=[f"pub{n}.example"], reliability=0.7)
        for n in range(10)
    ]
    claim = claim_create(text="A claim with fifty sources", tags=["bench", "big"], published=True)
    for n in range(EVIDENCE):
        source, _ = source_get_or_create(url=f"https://pub{n % 10}.example/story/{n}")
        source_set_schedule(source=source, paused=True)
        evidence_add(
            claim=claim,
            source=source,
            stance=stances[n % 4],
            certainty="probable",
            kind="secondary",
            quote=f"Quoted words number {n} from {publishers[n % 10].name}",
        )
        if n % 10 == 9:
            verdict = "disputed" if n % 20 == 9 else "unconfirmed"
            claim_set_verdict(claim=claim, verdict=verdict, note=f"After {n + 1} sources.")
    for n in range(LIST_CLAIMS):
        claim_create(text=f"Listed claim number {n}", tags=["bench"], published=True)
    return claim.slug


def bare_claim(request: Any, slug: str) -> Any:
    """The limit for the claim page: the same rows, escaped into a string, no template."""
    from django.http import Http404, HttpResponse
    from django.utils.html import escape

    from claims.models import Claim, ClaimEvent, Evidence, FirmnessPoint

    claim = Claim.objects.filter(published=True, slug=slug).values().first()
    if claim is None:
        raise Http404
    evidence = Evidence.objects.filter(claim_id=claim["id"]).values(
        "stance", "quote", "source__url", "source__title", "source__publisher__name"
    )
    events = ClaimEvent.objects.filter(claim_id=claim["id"]).values("kind", "summary", "at")
    points = FirmnessPoint.objects.filter(claim_id=claim["id"]).values("score", "at")
    parts = [f"<h1>{escape(claim['text'])}</h1><p>{claim['verdict']} {claim['firmness_score']}</p>"]
    parts += [
        f"<li>{escape(e['source__publisher__name'])} {e['stance']} "
        f'<a href="{escape(e["source__url"])}">{escape(e["source__title"])}</a>'
        f"<q>{escape(e['quote'])}</q></li>"
        for e in evidence
    ]
    parts += [f"<li>{e['at']:%d %b %Y} {escape(e['summary'])}</li>" for e in events]
    parts += [f"<i>{p['score']}</i>" for p in points]
    return HttpResponse("".join(parts))


def bare_list(request: Any) -> Any:
    from django.http import HttpResponse
    from django.utils.html import escape

    from claims.models import Claim
    from public.listing import PAGE_SIZE

    rows = Claim.objects.filter(published=True).order_by("-updated_at", "-id")
    fields = ("slug", "text", "verdict", "firmness_score", "firmness_level", "updated_at")
    html = "".join(
        f'<li><a href="/claims/{escape(r["slug"])}/">{escape(r["text"])}</a> {r["verdict"]} '
        f"{r['firmness_score']} {r['firmness_level']} {r['updated_at']:%d %b %Y}</li>"
        for r in rows.values(*fields)[:PAGE_SIZE]
    )
    return HttpResponse(f"<ol>{html}</ol>")


def urlconf() -> str:
    """The service's URLs plus the bare views, as a module made here (bench code only)."""
    from django.urls import include, path

    module = types.ModuleType("pages_bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bare/claims/", bare_list),
        path("bare/claims/<str:slug>/", bare_claim),
        path("", include("factcheck.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def timed(client: Any, path: str, requests: int, **headers: str) -> dict[str, float]:
    expected = 304 if headers else 200
    for _ in range(max(requests // 10, 5)):  # warm up: templates compiled, caches filled
        assert client.get(path, **headers).status_code == expected, path
    took = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path, **headers)
        took.append(time.perf_counter() - start)
        assert response.status_code == expected, path
    mean = statistics.fmean(took)
    return {
        "requests": requests,
        "mean_ms": round(mean * 1000, 3),
        # The mean carries the odd garbage-collection pause; the median and p95 show them.
        "median_ms": round(statistics.median(took) * 1000, 3),
        "p95_ms": round(sorted(took)[int(len(took) * 0.95) - 1] * 1000, 3),
        "rps": round(1 / mean, 1),
    }


def run(requests: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", "--noinput", verbosity=0)
    slug = build_data()
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # No collectstatic in a throwaway run: plain static URLs cost the same to render.
    with override_settings(ROOT_URLCONF=urlconf(), STORAGES=plain_static):
        client = Client()
        etag = client.get(f"/claims/{slug}/")["ETag"]
        results: dict[str, dict[str, Any]] = {
            "claim page": {
                "page": timed(client, f"/claims/{slug}/", requests),
                "bare": timed(client, f"/bare/claims/{slug}/", requests),
            },
            "claim list": {
                "page": timed(client, "/claims/", requests),
                "bare": timed(client, "/bare/claims/", requests),
            },
            "claim page, 304": {
                "page": timed(client, f"/claims/{slug}/", requests, HTTP_IF_NONE_MATCH=etag),
                "bare": timed(client, f"/bare/claims/{slug}/", requests),
            },
        }
    for pair in results.values():
        pair["ratio"] = round(pair["page"]["mean_ms"] / pair["bare"]["mean_ms"], 2)
    return results


def report(results: dict[str, Any], requests: int) -> None:
    print(
        f"\nSQLite, DEBUG off, Django test Client through the full middleware; "
        f"{requests} requests each; claim page with {EVIDENCE} pieces of evidence"
    )
    header = ("page", "mean ms", "median", "req/s", "bare ms", "median", "req/s", "ratio")
    print("{:<17}{:>9}{:>8}{:>7}{:>9}{:>8}{:>7}{:>8}".format(*header))
    for name, pair in results.items():
        page, bare = pair["page"], pair["bare"]
        print(
            f"{name:<17}{page['mean_ms']:>9.2f}{page['median_ms']:>8.2f}{page['rps']:>7.0f}"
            f"{bare['mean_ms']:>9.2f}{bare['median_ms']:>8.2f}{bare['rps']:>7.0f}"
            f"{pair['ratio']:>7.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="factcheck-pages-bench-") as var_dir:
        configure(var_dir)
        results = run(args.requests)
    report(results, args.requests)
    RESULTS.mkdir(parents=True, exist_ok=True)
    body = {"requests": args.requests, "evidence": EVIDENCE, "results": results}
    (RESULTS / "pages.json").write_text(json.dumps(body, indent=2) + "\n")
    print(f"\nwritten to {RESULTS / 'pages.json'}")


if __name__ == "__main__":
    main()

"""Where a changed page's check spends its time: cProfile around `source_check` of pages
that changed since the last check, in this process, one after another, with claims citing
each page (so that re-assessment and the claims' reactions run as they do in service).

    .venv/bin/python bench/recheck_profile.py [--pages 50] [--claims 200] [--citing 3]

The pages are the recheck bench's (bench/recheck_bench.py) on the local test server; the
database is a throwaway SQLite file (or BENCH_DATABASE_URL). Prints the milliseconds per
check spent in each part, cumulative (a part includes what it calls), and the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recheck_bench import Pages, make_sources, setup_django  # noqa: E402

# (label, file suffix, function name): cumulative time of these calls, per check.
PARTS = [
    ("the whole check, both halves", "sources/checking.py", "source_check"),
    ("fetch half (the fetch worker)", "sources/checking.py", "source_fetch"),
    ("  fetch (network and HTTP)", "sources/fetch/fetching.py", "fetch"),
    ("reading half (the reader)", "sources/checking.py", "source_record_fetched"),
    ("  extraction, all of it", "sources/fetch/extraction.py", "extract"),
    ("    trafilatura.bare_extraction", "trafilatura/core.py", "bare_extraction"),
    ("    htmldate (our own call)", "sources/fetch/extraction.py", "find_date"),
    ("  recording (one transaction)", "sources/checking.py", "_record"),
    ("    snapshot write", "sources/services.py", "source_add_snapshot_locked"),
    ("      hashing (normalise + sha256)", "sources/models.py", "text_hash"),
    ("    claims told (timeline, review)", "claims/receivers.py", "on_source_changed"),
    ("      reading promised (outbox row)", "outbox/services.py", "outbox_add"),
    ("    webhooks told", "webhooks/receivers.py", "on_source_changed"),
    ("  after commit: the promise published", "outbox/services.py", "_send"),
    ("the queued reading of the version", "claims/tasks.py", "read_source_version"),
    ("  re-assessment of evidence", "claims/services/suggestions.py", "source_reassess"),
    ("  link offers (matching)", "claims/services/link_offers.py", "source_offer_links"),
]

CLAIM_TEXTS = [
    "The tram line through the northern districts will open next spring",
    "The cost of the tram line has risen by a tenth",
    "Officials blamed the price of steel for the tram's cost",
    "The council approved the tram plan",
]


def make_claims(source_ids: list[int], claims: int, citing: int) -> None:
    from claims.services.claims import claim_create
    from claims.services.evidence import evidence_add
    from sources.models import Source

    made = [
        claim_create(text=f"{CLAIM_TEXTS[k % len(CLAIM_TEXTS)]} (case {k})", published=True)
        for k in range(claims)
    ]
    for n, source in enumerate(Source.objects.filter(pk__in=source_ids).order_by("pk")):
        for k in range(citing):
            evidence_add(claim=made[(n * citing + k) % len(made)], source=source)


def part_times(stats: pstats.Stats, checks: int) -> list[tuple[str, float]]:
    table = stats.stats  # type: ignore[attr-defined]
    out = []
    for label, suffix, name in PARTS:
        seconds = sum(
            row[3]
            for (filename, _, function), row in table.items()
            if function == name and filename.endswith(suffix)
        )
        out.append((label, 1000 * seconds / checks))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--claims", type=int, default=200, help="claims in the database")
    parser.add_argument("--citing", type=int, default=3, help="claims citing each page")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    from tests.sources.httpserver import TestServer

    with tempfile.TemporaryDirectory(prefix="factcheck-profile-") as var_dir:
        setup_django(var_dir)
        from claims.tasks import read_source_version
        from sources.checking import source_check
        from sources.models import Source

        server = TestServer().start()
        pages = Pages()
        server.route("/p", pages)
        try:
            ids = make_sources([server.url(f"/p?i={i}") for i in range(args.pages)])
            make_claims(ids, args.claims, args.citing)
            sources = list(Source.objects.filter(pk__in=ids).order_by("pk"))
            for source in sources:
                source_check(source=source)  # the first read
            pages.change_all()
            profile = cProfile.Profile()
            started = time.perf_counter()
            profile.enable()
            for source in sources:
                report = source_check(source=source)
                assert report.snapshot == 2, report
            for source in sources:  # what the reader does next: the promised readings
                read_source_version(source.pk, 2)
            profile.disable()
            elapsed = time.perf_counter() - started
        finally:
            server.stop()
    stats = pstats.Stats(profile)
    print(f"\n{args.pages} changed pages, {args.citing} of {args.claims} claims citing each:")
    print(f"{1000 * elapsed / args.pages:.1f} ms per check and its reading (wall, profiled)\n")
    for label, ms in part_times(stats, args.pages):
        print(f"{label:<40}{ms:>8.2f} ms")
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(args.top)
    print(text.getvalue())


if __name__ == "__main__":
    main()

from __future__ import annotations

import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from claims.demo.bulk import generate_by_copy
from claims.demo.generate import Generated, generate

MAX_CLAIMS = 5_000_000
# From this many claims, the plain indexes, foreign keys and tag-count trigger are set aside
# during the load and put back after it (claims.demo.loading).
BULK_FROM = 50_000


class Command(BaseCommand):
    help = (
        "Add a realistic data set of N claims (with sources, evidence and firmness) for benchmarks."
        f" On PostgreSQL, from {BULK_FROM:,} claims the tables' plain indexes, foreign keys and"
        " tag-count trigger are set aside during the load: not for a database in use."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, required=True, help="How many claims to add.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--batch", type=int, default=2000, help="Rows per INSERT (SQLite; PostgreSQL copies)."
        )

    def handle(self, *args: Any, claims: int, seed: int, batch: int, **options: Any) -> None:
        if not 1 <= claims <= MAX_CLAIMS:
            raise CommandError(f"--claims must be between 1 and {MAX_CLAIMS:,}; got {claims}")
        if not 1 <= batch <= 10_000:
            raise CommandError(f"--batch must be between 1 and 10,000; got {batch}")
        started = time.monotonic()
        if connection.vendor == "postgresql":
            made = self.copied(claims, seed)
        else:
            made = generate(claims=claims, seed=seed, batch=batch)
        took = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.stdout.write(
            f"Added {made.claims:,} claims, {made.evidence:,} evidence, {made.sources:,} sources "
            f"and {made.publishers:,} publishers in {took:.1f} s "
            f"({made.claims / took:,.0f} claims/s, peak memory {peak:,.0f} MiB)."
        )

    def copied(self, claims: int, seed: int) -> Generated:
        return generate_by_copy(
            claims=claims, seed=seed, bulk=claims >= BULK_FROM, say=self.stdout.write
        )

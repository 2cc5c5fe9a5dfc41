from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.demo.generate import generate

MAX_CLAIMS = 5_000_000


class Command(BaseCommand):
    help = (
        "Add a realistic data set of N claims (with sources, evidence and firmness) for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, required=True, help="How many claims to add.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )
        parser.add_argument("--batch", type=int, default=2000, help="Rows per INSERT.")

    def handle(self, *args: Any, claims: int, seed: int, batch: int, **options: Any) -> None:
        if not 1 <= claims <= MAX_CLAIMS:
            raise CommandError(f"--claims must be between 1 and {MAX_CLAIMS:,}; got {claims}")
        if not 1 <= batch <= 10_000:
            raise CommandError(f"--batch must be between 1 and 10,000; got {batch}")
        started = time.monotonic()
        made = generate(claims=claims, seed=seed, batch=batch)
        self.stdout.write(
            f"Added {made.claims:,} claims, {made.evidence:,} evidence, {made.sources:,} sources "
            f"and {made.publishers:,} publishers in {time.monotonic() - started:.1f} s."
        )

"""`python manage.py outbox_relay [--once] [--interval SECONDS]`: publish promised tasks.

Runs as a process of its own beside the workers (Procfile, Procfile.dev): every interval it
sends the tasks written to the outbox that the broker has not taken yet, so that a task
promised while the broker was down runs as soon as it is back.
"""

from __future__ import annotations

import signal
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from outbox.services import outbox_prune, outbox_relay

PRUNE_EVERY = 3600.0


class Command(BaseCommand):
    help = "Publish the tasks written to the outbox that the broker has not taken yet."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between passes (default 2)."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            self.stdout.write(f"{outbox_relay()} task(s) published.")
            return
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        self.stdout.write(f"outbox relay: publishing every {interval:g} s")
        pruned_at = 0.0
        while self.running:
            pruned_at = self._pass(pruned_at)
            time.sleep(interval)

    def _pass(self, pruned_at: float) -> float:
        close_old_connections()  # a database that went away comes back on the next pass
        try:
            sent = outbox_relay()
            if sent:
                self.stdout.write(f"outbox relay: {sent} task(s) published")
            if time.monotonic() - pruned_at > PRUNE_EVERY:
                outbox_prune()
                pruned_at = time.monotonic()
        except DatabaseError as exc:
            self.stderr.write(f"outbox relay: database unavailable ({exc}); trying again")
        return pruned_at

    def _stop(self, *args: Any) -> None:
        self.running = False

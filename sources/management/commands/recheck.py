"""Check sources now, instead of waiting for the beat task.

    python manage.py recheck --source 12 40      # these two (even when paused)
    python manage.py recheck --all-due           # every source whose next check has come
    python manage.py recheck --all-due --sync    # …checked here, printing each result

Without --sync the checks are queued for the workers on the `fetch` queue.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sources.checking import source_check
from sources.models import Source
from sources.scheduling import sources_lease_due
from sources.tasks import queue_check


class Command(BaseCommand):
    help = "Check sources now: those named with --source, or all due ones with --all-due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            dest="sources",
            type=int,
            nargs="+",
            action="extend",
            default=[],
            metavar="ID",
            help="Sources to check, by id (paused ones too).",
        )
        parser.add_argument(
            "--all-due", action="store_true", help="Every unpaused source whose time has come."
        )
        parser.add_argument(
            "--sync", action="store_true", help="Check here, one by one, printing each result."
        )

    def handle(self, *args: Any, sources: list[int], all_due: bool, sync: bool, **_: Any) -> None:
        if not sources and not all_due:
            raise CommandError("Name sources with --source ID [ID …], or give --all-due.")
        known = set(Source.objects.filter(pk__in=sources).values_list("pk", flat=True))
        unknown = sorted(set(sources) - known)
        if unknown:
            raise CommandError(f"No source with id {', '.join(map(str, unknown))}.")
        count = 0
        for source_id, lease in self.jobs(list(dict.fromkeys(sources)), all_due):
            if sync:
                self.stdout.write(str(source_check(source=Source(pk=source_id))))
            else:
                queue_check(source_id=source_id, lease=lease, force=lease is None)
            count += 1
        done = "checked" if sync else "queued for the workers"
        self.stdout.write(self.style.SUCCESS(f"{count} source(s) {done}."))

    def jobs(self, named: list[int], all_due: bool) -> Iterator[tuple[int, str | None]]:
        """(source id, lease) pairs: named sources need no lease; due ones are leased a
        batch at a time, so that a beat run at the same moment cannot take them too."""
        yield from ((source_id, None) for source_id in named)
        if not all_due:
            return
        now = timezone.now()  # fixed: a source rescheduled soon by its check is not due again
        while True:
            due = sources_lease_due(limit=settings.FACTCHECK_RECHECK_BATCH, now=now)
            lease = due.lease.isoformat()
            yield from ((source_id, lease) for source_id in due.source_ids)
            if len(due.source_ids) < settings.FACTCHECK_RECHECK_BATCH:
                return

"""`python manage.py import_claims FILE [--fetch] [--dry-run]`: a desk's archive comes in.

FILE has one JSON object per line (`-` reads standard input); docs/import.md gives the
format. Each line is imported in its own transaction: a bad line stops the import with
`line N: why` and a non-zero exit, the lines before it kept. Importing a file twice
changes nothing.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError

from claims.services.imports import ImportLineError, ImportReport, claims_import


def read_lines(path: str) -> Iterator[str]:
    if path == "-":
        yield from sys.stdin
        return
    try:
        with Path(path).open(encoding="utf-8") as stream:
            yield from _lines(stream, path)
    except FileNotFoundError:
        raise CommandError(f"No such file: {path}") from None
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None


def _lines(stream: IO[str], path: str) -> Iterator[str]:
    try:
        yield from stream
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text") from None


class Command(BaseCommand):
    help = "Import claims with their evidence and verdicts from a JSON-lines archive."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="One JSON object per line; - for standard input.")
        parser.add_argument(
            "--fetch", action="store_true", help="Queue the first check of every new source."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what the import would do, and keep nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = ImportReport()
        lines = claims_import(
            lines=read_lines(options["file"]), fetch=options["fetch"], dry_run=options["dry_run"]
        )
        try:
            for line in lines:
                report.lines.append(line)
                if options["verbosity"] > 1:
                    self.stdout.write(f"line {line.number}: {line.outcome} claim {line.claim_id}")
        except ImportLineError as exc:
            self.stdout.write(report.summary())
            raise CommandError(str(exc)) from None
        for skipped in report.skipped:
            self.stdout.write(f"skipped {skipped}")
        prefix = "Dry run, nothing kept: " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))

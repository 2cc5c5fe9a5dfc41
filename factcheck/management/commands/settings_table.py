"""`python manage.py settings_table [--write FILE | --check FILE]`: the configuration tables.

Prints the markdown tables of every environment variable (factcheck/environment.py, with the
defaults settings.py reads them with); --write puts them between the marks in FILE (the
README), and --check exits non-zero when FILE's tables differ from them.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck import environment


class Command(BaseCommand):
    help = "Print, write or check the README's tables of environment variables."

    def add_arguments(self, parser: ArgumentParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", metavar="FILE", help="Replace the tables in FILE.")
        group.add_argument("--check", metavar="FILE", help="Fail when FILE's tables differ.")

    def handle(self, *args: Any, **options: Any) -> None:
        tables = environment.markdown_tables(settings.FACTCHECK_ENVIRONMENT_READ)
        path = options["write"] or options["check"]
        if path is None:
            self.stdout.write(tables)
            return
        try:
            document = Path(path).read_text(encoding="utf-8")
            updated = environment.replace_tables(document, tables)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        if options["check"]:
            if updated != document:
                raise CommandError(f"{path}: the settings tables are out of date; run --write")
            self.stdout.write(f"{path}: the settings tables are up to date.")
            return
        Path(path).write_text(updated, encoding="utf-8")
        self.stdout.write(f"{path}: settings tables written.")

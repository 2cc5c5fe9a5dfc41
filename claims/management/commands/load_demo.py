"""`python manage.py load_demo [--editor]`: a few stories, so a new user meets a living service."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from claims.demo.load import DEMO_EDITOR, DEMO_PASSWORD, describe, ensure_demo_editor, load_demo


class Command(BaseCommand):
    help = (
        "Load demo publishers, sources and claims (every verdict and firmness level). "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--editor",
            action="store_true",
            help=f"Also create the demo editor account {DEMO_EDITOR!r} (local demos only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(describe(load_demo()))
        if not options["editor"]:
            return
        _, created = ensure_demo_editor()
        if created:
            self.stdout.write(
                f"Created the demo editor {DEMO_EDITOR!r} with password {DEMO_PASSWORD!r}. "
                "That password is public: use this account for local demos only."
            )
        else:
            self.stdout.write(f"The user {DEMO_EDITOR!r} already exists; left unchanged.")

"""`python manage.py firmness --jsonl IN`: judge claims without storing anything.

IN has one JSON object a line, `{"text": ..., "evidence": [...]}` in the import's evidence
shape (`-` reads standard input). One line of JSON is written for each:
`{"score", "level", "support", "refutation", "lines": [...]}`. A bad line stops the run
with `line N: why` and a non-zero exit.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from claims.management.commands.import_claims import read_lines
from claims.services.judging import JudgeLineError, claims_judge


class Command(BaseCommand):
    help = "Judge claims from a JSON-lines file and write their firmness, storing nothing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--jsonl", required=True, help="One claim a line; - for standard input."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            for judged in claims_judge(lines=read_lines(options["jsonl"])):
                self.stdout.write(json.dumps(judged, ensure_ascii=False))
        except JudgeLineError as exc:
            raise CommandError(str(exc)) from None

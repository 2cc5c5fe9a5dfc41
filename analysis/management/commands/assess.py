"""`python manage.py assess "CLAIM" FILE` and `python manage.py assess --jsonl IN`

The first prints one JSON object for the claim against the text in FILE (`-` reads
standard input; an HTML file is reduced to its article text first). The second reads
lines `{"claim": …, "text": …}` and writes one JSON object per line, in order.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import trafilatura
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.assessment import METHODS, assess
from analysis.assessment.evaluation import json_object


def read_document(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"No such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from None
    if raw.lstrip()[:1] == "<":
        # The article's text, as a fetched page's is (sources.fetch.extraction, which this
        # app may not import): trafilatura on the markup, nothing else.
        return trafilatura.extract(raw, url=f"file://{Path(path).resolve()}") or ""
    return raw


def pairs(stream: IO[str]) -> Iterator[tuple[int, str, str]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = json_object(line, f"line {number}")
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        claim, text = item.get("claim"), item.get("text")
        if not isinstance(claim, str) or not claim.strip() or not isinstance(text, str):
            raise CommandError(f"line {number}: needs a non-empty string claim and a string text")
        yield number, claim, text


class Command(BaseCommand):
    help = "Judge what a text says about a claim: stance, certainty, confidence, passage, cues."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("claim", nargs="?", help="The claim, as one sentence.")
        parser.add_argument("file", nargs="?", help="The text to read; - for standard input.")
        parser.add_argument(
            "--jsonl", metavar="IN", help="Read {claim, text} lines from IN (- for stdin)."
        )
        parser.add_argument(
            "--method",
            choices=METHODS,
            help="How to read (default: FACTCHECK_ASSESS_METHOD, as the service reads).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.method = options["method"] or settings.FACTCHECK_ASSESS_METHOD
        if options["jsonl"]:
            if options["claim"] or options["file"]:
                raise CommandError("Give either CLAIM FILE or --jsonl IN, not both.")
            self._many(options["jsonl"])
            return
        claim, path = options["claim"], options["file"]
        if not claim or not claim.strip() or not path:
            raise CommandError('Give a claim and a file: assess "CLAIM" FILE (or --jsonl IN).')
        result = assess(claim, read_document(path), method=self.method)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))

    def _many(self, path: str) -> None:
        if path == "-":
            self._write_all(sys.stdin)
            return
        try:
            with open(path, encoding="utf-8") as stream:
                self._write_all(stream)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None

    def _write_all(self, stream: IO[str]) -> None:
        for _, claim, text in pairs(stream):
            reading = assess(claim, text, method=self.method)
            self.stdout.write(json.dumps(reading.as_dict(), ensure_ascii=False))

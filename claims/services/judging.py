"""Judging claims without storing anything (`manage.py firmness --jsonl`).

Each line is a claim's text and its evidence, in the import's evidence shape
(claims/services/imports.py). Publishers are matched to known ones by domain, so their
prior and track record count; an unknown domain counts at the default reliability. Labels
that are missing are read by the assessor from the evidence's text, as an import does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings

from claims.firmness import EvidenceInput, Firmness, firmness_of
from claims.services.imports import ClaimRecord, EvidenceRecord, claim_record
from claims.services.scoring import Reliability, reliability_of
from claims.services.suggestions import read_text
from factcheck.errors import BadInput
from sources.addresses import domain_of
from sources.models import Publisher
from sources.selectors import publisher_by_domain


class JudgeLineError(BadInput):
    """A line that cannot be judged; the message is `line N: why`."""

    def __init__(self, number: int, why: str) -> None:
        super().__init__(f"line {number}: {why}")
        self.number = number


def _labels(claim: str, item: EvidenceRecord) -> tuple[str, str, bool]:
    """(stance, certainty, read automatically): the archive's, else the assessor's. A label
    counts as read automatically when its stance was (as in claims/evaluation.py): a
    certainty read from the words of a stance the archive gives does not make it unchecked."""
    if item.stance and item.certainty:
        return item.stance, item.certainty, False
    reading = read_text(claim, item.text or item.title) if (item.text or item.title) else None
    stance = item.stance or (reading.stance if reading else "discusses")
    certainty = item.certainty or (reading.certainty if reading else "unknown")
    return stance, certainty, not item.stance and reading is not None


def _publisher(url: str, named: str, cache: dict[str, Publisher | None]) -> tuple[str, Any]:
    """(group key, publisher or None) for the domain the archive names, else the URL's."""
    domain = (named or domain_of(url)).strip().lower().removeprefix("www.")
    if domain not in cache:
        cache[domain] = publisher_by_domain(domain) if domain else None
    publisher = cache[domain]
    return (f"publisher:{publisher.pk}" if publisher else f"domain:{domain}"), publisher


def _input(claim: str, position: int, item: EvidenceRecord, cache: dict) -> EvidenceInput:
    group, publisher = _publisher(item.url, item.publisher, cache)
    speaker = group
    name = publisher.name if publisher else (item.publisher or domain_of(item.url))
    if item.derived_from:
        group, origin = _publisher(item.derived_from, "", cache)
        origin_name = origin.name if origin else domain_of(item.derived_from)
    else:
        origin_name = name
    reliability = (
        reliability_of(publisher)
        if publisher
        else Reliability(settings.FACTCHECK_DEFAULT_RELIABILITY)
    )
    stance, certainty, automatic = _labels(claim, item)
    return EvidenceInput(
        id=position,
        stance=stance,
        certainty=certainty,
        kind=item.kind or "secondary",
        reliability=reliability.value,
        track=reliability.track,
        group=group,
        group_label=origin_name,
        publisher=name,
        source_url=item.url,
        automatic=automatic,
        derived=bool(item.derived_from),
        speaker=speaker,
        text=item.text or item.title,
        published_at=item.published_at.timestamp() if item.published_at else None,
    )


def claim_judge(*, record: ClaimRecord, cache: dict | None = None) -> Firmness:
    cache = {} if cache is None else cache
    items = [_input(record.text, i, e, cache) for i, e in enumerate(record.evidence, 1)]
    return firmness_of(items)


def judged_as_dict(result: Firmness) -> dict[str, Any]:
    lines = [
        {
            "publisher": line.publisher,
            "stance": line.stance,
            "certainty": line.certainty,
            "weight": line.weight,
            "counted": line.counted,
            "text": line.text,
        }
        for line in result.lines
    ]
    return {
        "score": result.score,
        "level": result.level,
        "support": result.support,
        "refutation": result.refutation,
        "lines": lines,
    }


def claims_judge(*, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One judgement a non-blank line; a bad line raises JudgeLineError."""
    cache: dict[str, Publisher | None] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = claim_record(json.loads(line))
        except json.JSONDecodeError as exc:
            raise JudgeLineError(number, f"not JSON ({exc.msg})") from None
        except RecursionError:
            raise JudgeLineError(number, "nested too deeply") from None
        except ValueError as exc:
            raise JudgeLineError(number, str(exc)) from None
        yield judged_as_dict(claim_judge(record=record, cache=cache))

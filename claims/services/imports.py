"""A desk's archive coming in: one claim a line, with its evidence, verdict and tags.

Each line is its own transaction, so a bad line stops the import with the lines before it
kept. Importing the same file again changes nothing: a claim is found again by its `id`
(kept as `external_id`), else by its text; a source already linked, a verdict already
given and a text already kept are left as they are. Evidence that cannot be taken (an
address we refuse) is skipped, counted and named in the report, never dropped silently.

Sources are created without touching the network: no fetch and no DNS look-up (the fetch
guard checks every address again when a source is fetched). With `fetch`, each new source's
first check is queued; without it, new sources wait unscheduled until an editor asks.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from claims.models import Certainty, Claim, EvidenceKind, Stance, Tag, Verdict
from claims.services.claims import claim_create, claim_set_verdict, claim_update
from claims.services.evidence import EvidenceAlreadyLinked, evidence_add
from claims.services.suggestions import read_text
from factcheck.errors import BadInput
from sources.addresses import InvalidSourceURL
from sources.models import Source
from sources.services import SnapshotTextInvalid, source_add_snapshot, source_get_or_create

IMPORT_NOTE = "Imported from the desk's archive."
MAX_TAGS = 20


class ImportLineError(BadInput):
    """A line that cannot be imported; the message is `line N: why`."""

    def __init__(self, number: int, why: str) -> None:
        super().__init__(f"line {number}: {why}")
        self.number = number


@dataclass(frozen=True)
class EvidenceRecord:
    url: str
    publisher: str = ""
    title: str = ""
    text: str = ""
    stance: str = ""
    certainty: str = ""
    kind: str = ""
    derived_from: str = ""
    published_at: datetime.datetime | None = None


@dataclass(frozen=True)
class ClaimRecord:
    text: str
    external_id: str = ""
    verdict: str = ""
    note: str = ""
    published: bool | None = None
    tags: tuple[str, ...] = ()
    evidence: tuple[EvidenceRecord, ...] = ()


@dataclass
class LineReport:
    """What one line did: `created`, `updated` or `unchanged`, and what it skipped."""

    number: int
    claim_id: int
    outcome: str
    text: str
    evidence_added: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    lines: list[LineReport] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def evidence_added(self) -> int:
        return sum(line.evidence_added for line in self.lines)

    @property
    def skipped(self) -> list[str]:
        return [f"line {line.number}: {why}" for line in self.lines for why in line.skipped]

    def summary(self) -> str:
        return (
            f"{len(self.lines)} line(s): {self.count('created')} claim(s) created, "
            f"{self.count('updated')} updated, {self.count('unchanged')} unchanged; "
            f"{self.evidence_added} piece(s) of evidence added, {len(self.skipped)} skipped."
        )


# --- Reading a line ------------------------------------------------------------------


def _text(item: dict[str, Any], name: str, limit: int | None = None) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    value = value.strip()
    if limit is not None and len(value) > limit:
        raise ValueError(f"{name} may have at most {limit} characters")
    return value


def _choice(item: dict[str, Any], name: str, choices: Iterable[str]) -> str:
    value = _text(item, name)
    if value and value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _moment(item: dict[str, Any], name: str) -> datetime.datetime | None:
    raw = _text(item, name)
    if not raw:
        return None
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        moment = datetime.datetime.combine(day, datetime.time()) if day else None
    if moment is None:
        raise ValueError(f"{name} must be an ISO 8601 date or time, not {raw!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def evidence_record(item: Any, position: int) -> EvidenceRecord:
    if not isinstance(item, dict):
        raise ValueError(f"evidence {position} must be an object")
    try:
        url = _text(item, "url", Source.URL_MAX)
        if not url:
            raise ValueError("url is required")
        return EvidenceRecord(
            url=url,
            publisher=_text(item, "publisher"),
            title=_text(item, "title"),
            text=_text(item, "text"),
            stance=_choice(item, "stance", Stance.values),
            certainty=_choice(item, "certainty", Certainty.values),
            kind=_choice(item, "kind", EvidenceKind.values),
            derived_from=_text(item, "derived_from", Source.URL_MAX),
            published_at=_moment(item, "published_at"),
        )
    except ValueError as exc:
        raise ValueError(f"evidence {position}: {exc}") from None


def claim_record(item: Any) -> ClaimRecord:
    """The line's object, checked; ValueError says what is wrong, in words."""
    if not isinstance(item, dict):
        raise ValueError("a line must be a JSON object")
    text = " ".join(_text(item, "text", Claim.TEXT_MAX).split())
    if not text:
        raise ValueError("text is required")
    raw_id = item.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | None):
        raise ValueError("id must be a string or a whole number")
    published = item.get("published")
    if published is not None and not isinstance(published, bool):
        raise ValueError("published must be true or false")
    return ClaimRecord(
        text=text,
        external_id=str(raw_id).strip()[: Claim.EXTERNAL_ID_MAX] if raw_id is not None else "",
        verdict=_choice(item, "verdict", Verdict.values),
        note=_text(item, "note"),
        published=published,
        tags=_tags(item.get("tags")),
        evidence=tuple(evidence_record(e, i) for i, e in enumerate(_list(item, "evidence"), 1)),
    )


def _list(item: dict[str, Any], name: str) -> list[Any]:
    value = item.get(name) or []
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list")
    return value


def _tags(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise ValueError("tags must be a list of strings")
    if len(raw) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags")
    if any(len(t.strip()) > Tag.NAME_MAX for t in raw):
        raise ValueError(f"a tag may have at most {Tag.NAME_MAX} characters")
    return tuple(t for t in raw if t.strip())


# --- Importing -------------------------------------------------------------------------


def _existing(record: ClaimRecord) -> Claim | None:
    if record.external_id:
        found = Claim.objects.filter(external_id=record.external_id).first()
        if found is not None:
            return found
    same_text = Claim.objects.filter(text=record.text)
    if record.external_id:  # another archive's claim with the same words is not this one
        same_text = same_text.filter(external_id__isnull=True)
    return same_text.order_by("pk").first()


def _claim_for(record: ClaimRecord, user: Any) -> tuple[Claim, str]:
    claim = _existing(record)
    if claim is None:
        claim = claim_create(
            text=record.text, user=user, tags=record.tags, published=bool(record.published)
        )
        Claim.objects.filter(pk=claim.pk).update(external_id=record.external_id or None)
        return Claim.objects.get(pk=claim.pk), "created"
    changes: dict[str, Any] = {}
    if record.published is not None and record.published != claim.published:
        changes["published"] = record.published
    known = set(claim.tags.values_list("name", flat=True))
    if record.tags and not set(record.tags) <= known:
        changes["tags"] = sorted(known | set(record.tags))
    if changes:
        claim = claim_update(claim=claim, user=user, **changes)
    if record.external_id and not claim.external_id:
        Claim.objects.filter(pk=claim.pk).update(external_id=record.external_id)
    return claim, "updated" if changes else "unchanged"


def _source(url: str, publisher: str, fetch: bool) -> Source:
    source, _ = source_get_or_create(
        url=url, publisher_domain=publisher or None, resolve=False, schedule=fetch
    )
    return source


def _with_text(source: Source, item: EvidenceRecord, user: Any) -> None:
    """What the archive knows of the page: its title, date and words (a version by hand)."""
    changed: list[str] = []
    if item.title and not source.title:
        source.title, changed = item.title[: Source.TITLE_MAX], [*changed, "title"]
    if item.published_at and not source.published_at:
        source.published_at, changed = item.published_at, [*changed, "published_at"]
    if changed:
        source.save(update_fields=[*changed, "updated_at"])
    if item.text:
        source_add_snapshot(source=source, text=item.text, title=item.title, note=IMPORT_NOTE)


def _labels(claim: Claim, item: EvidenceRecord) -> dict[str, Any]:
    """The archive's labels; one of stance and certainty missing is read from the text (with
    both missing, evidence_add reads them and marks them automatic)."""
    given = {name: getattr(item, name) for name in ("stance", "certainty", "kind")}
    labels: dict[str, Any] = {name: value for name, value in given.items() if value}
    if bool(item.stance) != bool(item.certainty) and item.text:
        reading = read_text(claim.text, item.text)
        if reading is not None:
            labels.setdefault("stance", reading.stance)
            labels.setdefault("certainty", reading.certainty)
    return labels


def _add_evidence(
    claim: Claim, item: EvidenceRecord, user: Any, fetch: bool, report: LineReport
) -> Source | None:
    """Link one piece of evidence; the source it names (None when it was skipped)."""
    try:
        source = _source(item.url, item.publisher, fetch)
        origin = _source(item.derived_from, "", fetch) if item.derived_from else None
        _with_text(source, item, user)
        evidence_add(
            claim=claim,
            source=source,
            derived_from=origin,
            user=user,
            queue_check=fetch,
            **_labels(claim, item),
        )
    except EvidenceAlreadyLinked as exc:
        return exc.existing.source  # imported before, or linked by an editor: as it is
    except (InvalidSourceURL, SnapshotTextInvalid) as exc:
        report.skipped.append(f"evidence {item.url}: {exc}")
        return None
    except ValidationError as exc:
        report.skipped.append(f"evidence {item.url}: {' '.join(exc.messages)}")
        return None
    report.evidence_added += 1
    return source


@transaction.atomic
def claim_import(
    *, record: ClaimRecord, number: int = 0, user: Any = None, fetch: bool = False
) -> LineReport:
    """One claim of an archive, with its evidence and verdict, in one transaction."""
    claim, outcome = _claim_for(record, user)
    report = LineReport(number=number, claim_id=claim.pk, outcome=outcome, text=record.text)
    seen: dict[int, str] = {}
    for item in record.evidence:
        source = _add_evidence(claim, item, user, fetch, report)
        if source is not None and source.pk in seen:
            report.skipped.append(f"evidence {item.url}: the same source as {seen[source.pk]}")
        elif source is not None:
            seen[source.pk] = item.url
    claim = Claim.objects.get(pk=claim.pk)
    if record.verdict and record.verdict != claim.verdict:
        claim_set_verdict(
            claim=claim, verdict=record.verdict, note=record.note or IMPORT_NOTE, user=user
        )
        report.outcome = "created" if outcome == "created" else "updated"
    if report.outcome == "unchanged" and report.evidence_added:
        report.outcome = "updated"
    return report


def claims_import(
    *, lines: Iterable[str], user: Any = None, fetch: bool = False, dry_run: bool = False
) -> Iterator[LineReport]:
    """Import line after line, each atomic; a bad line raises ImportLineError, the lines
    before it kept. With `dry_run`, each line is imported and rolled back: the reports say
    what an import would do, and nothing is kept."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record = _parse(line, number)
        try:
            yield _import_one(record, number, user, fetch, dry_run)
        except (ValidationError, ValueError) as exc:
            why = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise ImportLineError(number, why) from None


def _parse(line: str, number: int) -> ClaimRecord:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportLineError(number, f"not JSON ({exc.msg})") from None
    except RecursionError:
        raise ImportLineError(number, "nested too deeply") from None
    try:
        return claim_record(item)
    except ValueError as exc:
        raise ImportLineError(number, str(exc)) from None


def _import_one(
    record: ClaimRecord, number: int, user: Any, fetch: bool, dry_run: bool
) -> LineReport:
    with transaction.atomic():
        report = claim_import(record=record, number=number, user=user, fetch=fetch)
        if dry_run:
            transaction.set_rollback(True)
    return report

"""Checking one source: fetch it, keep any new version, and say what happened to it.

The slow part (the fetch, the extraction, an archive look-up for a dying source) runs with no
transaction open; the result is then recorded in one short transaction on the locked row.
What each outcome does to the source's health and counters, when it is dead, and when the
claims are told: docs/rechecking.md ("What a check records").
"""

from __future__ import annotations

import functools
import logging
import ssl
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sources.addresses import InvalidSourceURL, normalise_url
from sources.fetch import fetching
from sources.fetch.archive import ArchivedCopy, archive_lookup
from sources.fetch.client import FetchOptions, FetchResult, Outcome
from sources.fetch.extraction import Extracted, extract
from sources.handoff import Fetched
from sources.models import Health, SnapshotMethod, Source, SourceSnapshot
from sources.scheduling import CheckResult, plan_next_check
from sources.services import (
    SnapshotTextInvalid,
    SourceChange,
    publisher_name_from_page,
    source_add_snapshot_locked,
)
from sources.signals import source_tell

logger = logging.getLogger(__name__)

SKIPPED = "skipped"
STATE_FIELDS = [
    "health",
    "last_checked_at",
    "next_check_at",
    "check_interval",
    "http_status",
    "etag",
    "last_modified",
    "content_hash",
    "title",
    "author",
    "published_at",
    "modified_at",
    "language",
    "last_ok_at",
    "consecutive_failures",
    "first_failure_at",
    "consecutive_errors",
    "last_error",
    "moved_to",
    "archive_url",
    "updated_at",
]


@dataclass
class CheckReport:
    """What one check found and did, for the task's log and `manage.py recheck --sync`."""

    source_id: int
    url: str
    outcome: str  # the fetch's outcome, or "skipped"
    health: str
    snapshot: int | None = None  # the number of the version kept by this check
    changes: list[str] = field(default_factory=list)  # what the claims were told (SourceChange)
    told: list[str] = field(default_factory=list)  # what the rest of the service did, in words
    next_check_at: datetime | None = None
    detail: str = ""

    def __str__(self) -> str:
        parts = [f"source {self.source_id} {self.url}: {self.in_words()}", *self.told]
        if self.next_check_at is not None:
            parts.append(f"next check {self.next_check_at:%Y-%m-%d %H:%M} UTC")
        return "; ".join(parts)

    def in_words(self) -> str:
        """What happened to the page, as an editor would say it."""
        if self.snapshot == 1:
            return "read for the first time: version 1 stored"
        if self.snapshot is not None:
            return f"text changed: version {self.snapshot} stored"
        said = {
            "ok": "read; the text is unchanged",
            "not_modified": "unchanged (the server said so: 304)",
            "moved": "read at its new address; the text is unchanged",
            SKIPPED: "skipped",
            "deferred": "not fetched yet: the host's turn has not come",
            "gone": "not found",
            "blocked": "blocked",
        }.get(self.outcome, "could not be read")
        if "dead" in self.changes:
            said = "dead"
        elif "alive" in self.changes:
            said = "back: it answers again"
        return f"{said}: {self.detail}" if self.detail else said


@dataclass(frozen=True)
class _Observed:
    """What the network side of a check found, handed to the recording side."""

    now: datetime
    seen_checked_at: datetime | None  # the row's last_checked_at before fetching
    result: FetchResult
    page: Extracted | None
    archive: ArchivedCopy | None


def source_check(*, source: Source, now: datetime | None = None) -> CheckReport:
    """Check `source` now: fetch, keep, classify, tell, and schedule the next check."""
    return source_record_fetched(fetched=source_fetch(source=source, now=now))


def source_fetch(*, source: Source, now: datetime | None = None, reload: bool = True) -> Fetched:
    """The network half of a check: the page (and, for a dying source, its archived copy).
    Nothing is recorded: `source_record_fetched` does that, here or in the reader. Without
    `reload`, the caller's copy of the source is trusted to be fresh."""
    now = now or timezone.now()
    if reload:  # the caller's copy may be out of date
        source = Source.objects.get(pk=source.pk)
    result = fetching.fetch(
        source.url, etag=source.etag, last_modified=source.last_modified, options=_options()
    )
    archive = _find_archive(source, result, now)
    return Fetched(source.pk, now, source.last_checked_at, result, archive)


def source_record_fetched(*, fetched: Fetched) -> CheckReport:
    """The reading half of a check: the page's text extracted, then everything recorded."""
    page = _extract(fetched.result) if fetched.result.ok else None
    seen = _Observed(fetched.now, fetched.seen_checked_at, fetched.result, page, fetched.archive)
    return _record(fetched.source_id, seen)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs more CPU (~17 ms) than the rest of a check: once per process.
    # One context serves every thread: OpenSSL contexts are safe to share for connecting.
    return httpx.create_ssl_context(trust_env=False)


def _options() -> FetchOptions:
    return FetchOptions.from_settings(ssl_context=_tls_context())


def _extract(result: FetchResult) -> Extracted | None:
    try:
        return extract(
            result.body,
            result.final_url,
            content_type=result.content_type or "text/html",
            encoding=result.encoding,
        )
    except Exception:  # parsers on untrusted markup: one bad page must not stop the checks
        logger.exception("extraction failed for %s", result.final_url)
        return None


def is_dead_by_rule(*, failures: int, first_failure_at: datetime | None, now: datetime) -> bool:
    """Dead: enough failures of the dead kind, the first and last far enough apart."""
    if failures < settings.FACTCHECK_DEAD_AFTER_FAILURES or first_failure_at is None:
        return False
    return (now - first_failure_at).total_seconds() >= settings.FACTCHECK_DEAD_MIN_SPAN


def _find_archive(source: Source, result: FetchResult, now: datetime) -> ArchivedCopy | None:
    """Ask the archive (before the transaction: it is a request) when this failure kills
    the source, or when a dead source still has no archived copy."""
    if result.outcome is not Outcome.GONE or source.archive_url:
        return None
    dying = is_dead_by_rule(
        failures=source.consecutive_failures + 1,
        first_failure_at=source.first_failure_at or now,
        now=now,
    )
    if not (dying or source.is_dead):
        return None
    return archive_lookup(url=source.url, near=source.last_ok_at or source.created_at)


@transaction.atomic
def _record(source_id: int, seen: _Observed) -> CheckReport:
    source = Source.objects.select_for_update().get(pk=source_id)
    if source.last_checked_at != seen.seen_checked_at:
        detail = "Another check of this source was recorded meanwhile; this one is dropped."
        return _report(source, SKIPPED, detail=detail)
    outcome = seen.result.outcome
    if outcome is Outcome.DEFERRED:
        return _defer(source, seen)
    source.last_checked_at, source.http_status = seen.now, seen.result.status
    snapshot: SourceSnapshot | None = None
    told: list[str] = []
    if seen.result.ok or outcome is Outcome.NOT_MODIFIED:
        changes, check_result, snapshot = _record_success(source, seen)
    else:
        changes, check_result = _record_trouble(source, seen)
    retry_after = None if seen.result.ok else seen.result.retry_after
    source.check_interval, source.next_check_at = plan_next_check(
        source, result=check_result, now=seen.now, retry_after=retry_after
    )
    source.save(update_fields=STATE_FIELDS)
    if snapshot is not None:  # told only now, so that receivers read the check's state too
        told += source_tell(source=source, change=SourceChange.SNAPSHOT, snapshot=snapshot)
    for change, detail in changes:
        told += source_tell(source=source, change=change, detail=detail)
    report = _report(
        source,
        outcome,
        snapshot=snapshot.number if snapshot is not None else None,
        changes=[change for change, _ in changes],
        detail=source.last_error,
    )
    report.told = told
    return report


def _report(
    source: Source,
    outcome: str,
    *,
    snapshot: int | None = None,
    changes: list[str] | None = None,
    detail: str = "",
) -> CheckReport:
    return CheckReport(
        source_id=source.pk,
        url=source.url,
        outcome=str(outcome),
        health=source.health,
        snapshot=snapshot,
        changes=changes or [],
        next_check_at=source.next_check_at,
        detail=detail,
    )


def _defer(source: Source, seen: _Observed) -> CheckReport:
    _, source.next_check_at = plan_next_check(
        source, result=CheckResult.DEFERRED, now=seen.now, retry_after=seen.result.retry_after
    )
    source.save(update_fields=["next_check_at", "updated_at"])
    return _report(source, Outcome.DEFERRED, detail=seen.result.error)


Changes = list[tuple[str, str]]  # (a SourceChange, the detail for the claims)


# --- The page was read (or was not modified) ------------------------------------------


def _record_success(
    source: Source, seen: _Observed
) -> tuple[Changes, CheckResult, SourceSnapshot | None]:
    changes: Changes = [(SourceChange.ALIVE, "")] if source.is_dead else []
    first_read = source.last_ok_at is None
    previous = source.health
    source.consecutive_failures, source.first_failure_at = 0, None
    source.consecutive_errors, source.last_ok_at, source.last_error = 0, seen.now, ""
    snapshot = _keep_text(source, seen)
    moved = _note_move(source, seen.result)
    if moved:
        changes.append((SourceChange.MOVED, ""))
    new_version = snapshot is not None and snapshot.number > 1
    source.health = _health_after_success(previous, source, moved=moved, new_version=new_version)
    check_result = (
        CheckResult.CHANGED if (new_version or moved or first_read) else CheckResult.UNCHANGED
    )
    return changes, check_result, snapshot


def _health_after_success(previous: str, source: Source, *, moved: bool, new_version: bool) -> str:
    if moved:
        return Health.MOVED
    if new_version:
        return Health.CHANGED
    if previous == Health.MOVED and source.moved_to:
        return Health.MOVED  # still moved, and not known to be seen
    if previous == Health.CHANGED:
        return Health.CHANGED
    return Health.OK


def _keep_text(source: Source, seen: _Observed) -> SourceSnapshot | None:
    """Keep the extracted text as a new version when it changed; None otherwise."""
    result, page = seen.result, seen.page
    if result.outcome is Outcome.NOT_MODIFIED:
        return None
    if page is None or not page.text:
        source.last_error = "The page was read, but no main text was found in it."
        return None
    _take_metadata(source, page)
    # Validators only with text kept: a 304 must never stand for text we do not have.
    source.etag, source.last_modified = (
        result.etag[: Source.ETAG_MAX],
        result.last_modified[: Source.LAST_MODIFIED_MAX],
    )
    try:
        return source_add_snapshot_locked(
            source=source,
            text=page.text,
            title=page.title,
            method=SnapshotMethod.FETCHED,
            http_status=result.status,
        )  # _record saves the source and tells, once the whole check is in
    except SnapshotTextInvalid as exc:
        source.last_error = str(exc)[: Source.ERROR_MAX]
        return None


def _take_metadata(source: Source, page: Extracted) -> None:
    """What the page says of itself; a value the page stops giving is kept, not erased."""
    source.title = source.title or page.title[: Source.TITLE_MAX]
    source.author = page.author[: Source.AUTHOR_MAX] or source.author
    source.published_at = page.published_at or source.published_at
    source.modified_at = page.modified_at or source.modified_at
    source.language = page.language[: Source.LANGUAGE_MAX] or source.language
    if page.site_name:
        publisher_name_from_page(publisher=source.publisher, site_name=page.site_name)


def _note_move(source: Source, result: FetchResult) -> bool:
    """Record where the page moved to; True when that is news. A page that answers at its
    own address again is no longer moved."""
    target = result.moved_to if result.outcome is Outcome.MOVED else ""
    if target and (len(target) > Source.URL_MAX or is_trivial_move(source.url, target)):
        target = ""
    if target == source.moved_to:
        return False
    source.moved_to = target
    return bool(target)


def is_trivial_move(old: str, new: str) -> bool:
    """http→https, or adding or dropping `www.`: the same article, nothing to tell."""

    def key(url: str) -> str:
        try:
            normal = normalise_url(url)
        except InvalidSourceURL:
            return url
        rest = normal.split("://", 1)[1]
        return rest.removeprefix("www.")

    return key(old) == key(new)


# --- The page could not be read ---------------------------------------------------------


def _record_trouble(source: Source, seen: _Observed) -> tuple[Changes, CheckResult]:
    result = seen.result
    source.consecutive_errors += 1
    source.last_error = result.error[: Source.ERROR_MAX]
    was_dead = source.is_dead
    if result.outcome is Outcome.GONE:
        changes, check_result = _record_failure(source, seen)
    elif was_dead:
        changes, check_result = [], CheckResult.DEAD  # dead stays dead until the page answers
    else:
        source.health = Health.BLOCKED if result.outcome is Outcome.BLOCKED else Health.ERROR
        changes, check_result = [], CheckResult.ERROR
    threshold = source.alert_after_errors or settings.FACTCHECK_ALERT_AFTER_ERRORS
    never_read = source.last_ok_at is None and not source.content_hash
    if never_read and source.consecutive_errors == 1 and not source.is_dead:
        # A source nobody has read yet counts for nothing: the desk hears of it at once.
        changes.append((SourceChange.FIRST_READ_FAILED, result.in_plain_words()))
    elif source.consecutive_errors == threshold and not source.is_dead:
        changes.append((SourceChange.FAILING, source.last_error))
    return changes, check_result


def _record_failure(source: Source, seen: _Observed) -> tuple[Changes, CheckResult]:
    """A failure of the dead kind: count it, and declare death when the rule is met."""
    if source.consecutive_failures == 0 or source.first_failure_at is None:
        source.first_failure_at = seen.now
    source.consecutive_failures += 1
    if source.is_dead:
        if _take_archive(source, seen.archive):  # found on a later check: worth telling
            return [(SourceChange.DEAD, "An archived copy has been found.")], CheckResult.DEAD
        return [], CheckResult.DEAD
    failures, first = source.consecutive_failures, source.first_failure_at
    if not is_dead_by_rule(failures=failures, first_failure_at=first, now=seen.now):
        source.health = Health.ERROR
        return [], CheckResult.FAILURE
    source.health = Health.DEAD
    _take_archive(source, seen.archive)
    since = f"{source.first_failure_at:%Y-%m-%d %H:%M} UTC"
    detail = f"{source.consecutive_failures} failures since {since}; the last: {source.last_error}"
    return [(SourceChange.DEAD, detail)], CheckResult.DEAD


def _take_archive(source: Source, copy: ArchivedCopy | None) -> bool:
    if copy is None or source.archive_url or len(copy.url) > Source.URL_MAX:
        return False
    source.archive_url = copy.url
    return True


@transaction.atomic
def source_record_check_error(*, source_id: int, error: str, now: datetime | None = None) -> None:
    """Our side failed (database, broker, time limit): say so on the source and try again
    after the error delay, rather than when the claim's lease runs out. The page's own
    health and counters are left alone: nothing was learnt about it."""
    now = now or timezone.now()
    source = Source.objects.select_for_update().filter(pk=source_id).first()
    if source is None:
        return
    source.last_error = error[: Source.ERROR_MAX]
    _, source.next_check_at = plan_next_check(source, result=CheckResult.ERROR, now=now)
    source.save(update_fields=["last_error", "next_check_at", "updated_at"])

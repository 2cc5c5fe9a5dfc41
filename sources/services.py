"""Work on publishers, sources and snapshots that spans models or tells others."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from factcheck.errors import BadInput
from factcheck.users import signed_in
from sources.addresses import InvalidSourceURL, domain_of, normalise_url, parent_domains
from sources.fetch.guard import RefusedURL, validate_fetchable
from sources.models import (
    Health,
    Publisher,
    PublisherDomain,
    SnapshotMethod,
    Source,
    SourceSnapshot,
    normalise_text,
    text_hash,
)
from sources.signals import publisher_changed, source_tell

MAX_SNAPSHOT_CHARS = 2_000_000
UserLike = Any


class SnapshotTextInvalid(BadInput):
    """Supplied text cannot become a snapshot."""


class SourceChange:
    """What happened to a source, as told through `source_changed`."""

    SNAPSHOT = "snapshot"
    MOVED = "moved"
    DEAD = "dead"
    ALIVE = "alive"
    FAILING = "failing"
    FIRST_READ_FAILED = "first_read_failed"  # the first attempt to read it failed


def publisher_for_domain(domain: str) -> Publisher:
    """The publisher that owns `domain` or a parent of it; a new one when none does."""
    candidates = parent_domains(domain)
    rows = PublisherDomain.objects.select_related("publisher").filter(domain__in=candidates)
    known = {row.domain: row.publisher for row in rows}
    for candidate in candidates:
        if candidate in known:
            return known[candidate]
    name_max = Publisher._meta.get_field("name").max_length or len(domain)
    publisher = Publisher.objects.create(name=domain[:name_max])
    PublisherDomain.objects.create(publisher=publisher, domain=domain)
    return publisher


@transaction.atomic
def publisher_create(*, name: str, domains: list[str], **fields: Any) -> Publisher:
    publisher = Publisher(name=name, **fields)
    publisher.full_clean()
    publisher.save()
    for domain in domains:
        PublisherDomain.objects.create(
            publisher=publisher, domain=domain.lower().removeprefix("www.")
        )
    return publisher


@transaction.atomic
def publisher_update(*, publisher: Publisher, **fields: Any) -> Publisher:
    changed = [name for name, value in fields.items() if getattr(publisher, name) != value]
    for name, value in fields.items():
        setattr(publisher, name, value)
    publisher.full_clean()
    publisher.save()
    if changed:
        publisher_changed.send(sender=Publisher, publisher=publisher, fields=changed)
    return publisher


@transaction.atomic
def publisher_name_from_page(*, publisher: Publisher, site_name: str) -> Publisher:
    """A publisher still named after its domain (as made when its first source came in)
    takes the name its pages give; a name an editor chose is never replaced."""
    name = " ".join(site_name.split())[: Publisher.NAME_MAX]
    if not name or name == publisher.name:
        return publisher
    if not publisher.domains.filter(domain=publisher.name).exists():
        return publisher  # named by an editor, or from a page already
    return publisher_update(publisher=publisher, name=name)


@transaction.atomic
def source_get_or_create(
    *,
    url: str,
    publisher_domain: str | None = None,
    resolve: bool = True,
    schedule: bool = True,
) -> tuple[Source, bool]:
    """The source at `url` once normalised; created (with its publisher) when new.

    A new source whose address we would refuse to fetch (a private or loopback address, or
    a name resolving to one) is refused here, so that nothing can ask the fetcher for it;
    without `resolve`, only what the URL itself shows is checked (no DNS look-up: an import
    of thousands of sources must not wait on the resolver), and the fetch checks the rest.
    A new source is due at once, or, without `schedule`, waits until someone asks. Its
    publisher is the one of `publisher_domain` when given (an archive says who published
    it), else of the URL's domain.
    """
    normal = normalise_url(url)
    existing = Source.objects.filter(url=normal).first()
    if existing is not None:
        return existing, False
    try:
        validate_fetchable(normal, resolve=resolve)
    except RefusedURL as exc:
        raise InvalidSourceURL(str(exc)) from None
    publisher = publisher_for_domain(_publisher_domain(publisher_domain) or domain_of(normal))
    try:
        with transaction.atomic():
            source = Source.objects.create(
                url=normal, publisher=publisher, next_check_at=timezone.now() if schedule else None
            )
    except IntegrityError:
        # Another request created it between our look-up and insert.
        return Source.objects.get(url=normal), False
    return source, True


def _publisher_domain(given: str | None) -> str:
    """A publisher named by its domain (`example.com`, `www.example.com`); "" otherwise."""
    domain = (given or "").strip().lower().removeprefix("www.").rstrip(".")
    if not domain or " " in domain or "." not in domain:
        return ""
    return domain[: PublisherDomain.DOMAIN_MAX]


@transaction.atomic
def source_add_snapshot(
    *,
    source: Source,
    text: str,
    title: str = "",
    method: str = SnapshotMethod.MANUAL,
    http_status: int | None = None,
    user: UserLike = None,
    note: str = "",
) -> SourceSnapshot | None:
    """Keep `text` as the source's newest version and tell the claims; None when it did
    not change."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    snapshot = source_add_snapshot_locked(
        source=source,
        text=text,
        title=title,
        method=method,
        http_status=http_status,
        user=user,
        note=note,
    )
    if snapshot is not None:
        source.save(update_fields=["content_hash", "title", "health", "updated_at"])
        source_tell(source=source, change=SourceChange.SNAPSHOT, snapshot=snapshot, detail=note)
    return snapshot


def source_add_snapshot_locked(
    *,
    source: Source,
    text: str,
    title: str = "",
    method: str = SnapshotMethod.MANUAL,
    http_status: int | None = None,
    user: UserLike = None,
    note: str = "",
) -> SourceSnapshot | None:
    """`source_add_snapshot` for a caller that holds the source's row lock in its own
    transaction (a check's recording): the version is written, and the source's
    `content_hash`, `title` and `health` are set but not saved, nor anyone told, so that
    the caller saves and tells once, with the rest of what it learnt."""
    text = normalise_text(text)
    if not text:
        raise SnapshotTextInvalid("The text is empty.")
    if len(text) > MAX_SNAPSHOT_CHARS:
        raise SnapshotTextInvalid(f"The text is longer than {MAX_SNAPSHOT_CHARS:,} characters.")
    # Not the latest version itself: its text can be megabytes, and only these are needed.
    latest = source.snapshots.order_by("-number").values_list("number", "content_hash").first()
    digest = text_hash(text)
    if latest is not None and latest[1] == digest:
        return None
    snapshot = SourceSnapshot.objects.create(
        source=source,
        number=(latest[0] + 1) if latest else 1,
        method=method,
        content_hash=digest,
        title=title[: Source.TITLE_MAX],
        text=text,
        http_status=http_status,
        added_by=signed_in(user),
        note=note[: SourceSnapshot.NOTE_MAX],
    )
    source.content_hash = digest
    if title and not source.title:
        source.title = title[: Source.TITLE_MAX]
    if latest is not None and method == SnapshotMethod.FETCHED:
        # A fetched later version is news to editors. Text typed in by an editor has been
        # seen, and says nothing about whether the page is alive, so health stays as it was.
        source.health = Health.CHANGED
    return snapshot


UNSET: Any = object()
MIN_PINNED_INTERVAL = 300
MAX_PINNED_INTERVAL = 90 * 86_400


@transaction.atomic
def source_set_schedule(
    *, source: Source, paused: bool | None = None, pinned_interval: int | None = UNSET
) -> Source:
    """An editor pins how often a source is checked (None: adaptive again) or pauses it."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    if pinned_interval is not UNSET:
        if pinned_interval is not None and not (
            MIN_PINNED_INTERVAL <= pinned_interval <= MAX_PINNED_INTERVAL
        ):
            raise ValidationError(
                {
                    "pinned_interval": f"Give seconds from {MIN_PINNED_INTERVAL} "
                    f"to {MAX_PINNED_INTERVAL:,}, or nothing for the adaptive schedule."
                }
            )
        source.pinned_interval = pinned_interval
    if paused is not None:
        source.paused = paused
    source.save(update_fields=["paused", "pinned_interval", "updated_at"])
    return source

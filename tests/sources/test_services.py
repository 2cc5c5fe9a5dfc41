"""Source services: finding sources by address, keeping their versions, publishers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sources.addresses import InvalidSourceURL
from sources.models import Publisher, PublisherDomain, Source, SourceSnapshot, text_hash
from sources.services import (
    MAX_SNAPSHOT_CHARS,
    SnapshotTextInvalid,
    SourceChange,
    publisher_create,
    publisher_update,
    source_add_snapshot,
    source_get_or_create,
)
from sources.signals import publisher_changed, source_changed
from tests.factories import PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher_signals() -> Iterator[list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []

    def record(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    publisher_changed.connect(record, dispatch_uid="test.publisher_changed")
    yield sent
    publisher_changed.disconnect(dispatch_uid="test.publisher_changed")


@pytest.fixture
def source_signals() -> Iterator[list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []

    def record(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    source_changed.connect(record, dispatch_uid="test.source_changed")
    yield sent
    source_changed.disconnect(dispatch_uid="test.source_changed")


# --- source_get_or_create ---------------------------------------------------


def test_one_article_linked_with_different_tracking_is_one_source():
    first, created = source_get_or_create(url="https://news.example/a?utm_source=tw&id=1")
    again, created_again = source_get_or_create(url="https://NEWS.example:443/a?id=1&fbclid=x#c")
    assert (created, created_again) == (True, False)
    assert again == first
    assert first.url == "https://news.example/a?id=1"
    assert Source.objects.count() == 1
    assert first.next_check_at is not None


def test_a_sub_domain_finds_the_publisher_owning_its_parent_domain():
    owner = PublisherFactory.create(name="Example News", domain="example.com")
    source, _ = source_get_or_create(url="https://uk.example.com/story")
    assert source.publisher == owner
    assert Publisher.objects.count() == 1


def test_the_closest_domain_wins_over_a_parent():
    PublisherFactory.create(name="Example News", domain="example.com")
    regional = PublisherFactory.create(name="Example UK", domain="uk.example.com")
    source, _ = source_get_or_create(url="https://sport.uk.example.com/story")
    assert source.publisher == regional


def test_an_unknown_domain_gets_a_new_publisher_named_after_it(settings):
    settings.FACTCHECK_DEFAULT_RELIABILITY = 0.55
    source, _ = source_get_or_create(url="https://www.Unknown-Paper.example/a")
    publisher = source.publisher
    assert publisher.name == "unknown-paper.example"
    assert publisher.reliability == 0.55
    assert list(publisher.domains.values_list("domain", flat=True)) == ["unknown-paper.example"]
    other, _ = source_get_or_create(url="https://unknown-paper.example/b")
    assert other.publisher == publisher


def test_an_address_that_cannot_be_a_source_creates_nothing():
    with pytest.raises(InvalidSourceURL):
        source_get_or_create(url="ftp://news.example/a")
    assert not Source.objects.exists()
    assert not Publisher.objects.exists()


# --- source_add_snapshot ----------------------------------------------------


def test_snapshots_are_numbered_in_order_and_the_source_keeps_the_latest_hash():
    source = SourceFactory.create()
    numbers = [source_add_snapshot(source=source, text=f"Version {n}") for n in range(3)]
    assert [s.number for s in numbers if s] == [1, 2, 3]
    source.refresh_from_db()
    assert source.content_hash == text_hash("Version 2")
    assert source.latest_snapshot() == numbers[-1]


def test_a_change_of_spacing_alone_is_no_new_version(source_signals):
    source = SourceFactory.create()
    source_add_snapshot(source=source, text="Acme will open a plant.")
    assert source_add_snapshot(source=source, text="  Acme  will\n\topen a plant. ") is None
    assert SourceSnapshot.objects.filter(source=source).count() == 1
    assert len(source_signals) == 1


def test_the_snapshot_text_is_kept_with_its_spacing_tidied():
    snapshot = source_add_snapshot(source=SourceFactory.create(), text=" Acme\n\nopens  a plant ")
    assert snapshot is not None
    assert snapshot.text == "Acme opens a plant"
    assert snapshot.content_hash == text_hash("Acme opens a plant")


@pytest.mark.parametrize("text", ["", "  \n\t "])
def test_empty_text_cannot_be_a_snapshot(text):
    source = SourceFactory.create()
    with pytest.raises(SnapshotTextInvalid, match="empty"):
        source_add_snapshot(source=source, text=text)
    assert not SourceSnapshot.objects.exists()


def test_text_longer_than_the_limit_cannot_be_a_snapshot():
    with pytest.raises(SnapshotTextInvalid, match="longer"):
        source_add_snapshot(source=SourceFactory.create(), text="a" * (MAX_SNAPSHOT_CHARS + 1))


def test_only_a_later_fetched_version_marks_the_source_changed(source_signals):
    source = SourceFactory.create(health="ok", title="")
    first = source_add_snapshot(source=source, text="One", title="Acme plans", method="fetched")
    source.refresh_from_db()
    assert (source.health, source.title) == ("ok", "Acme plans")
    second = source_add_snapshot(
        source=source, text="Two", title="Acme changes plans", method="fetched"
    )
    source.refresh_from_db()
    assert (source.health, source.title) == ("changed", "Acme plans")
    assert [(s["change"], s["snapshot"]) for s in source_signals] == [
        (SourceChange.SNAPSHOT, first),
        (SourceChange.SNAPSHOT, second),
    ]


def test_a_snapshot_remembers_who_supplied_it(editor):
    snapshot = source_add_snapshot(
        source=SourceFactory.create(), text="One", user=editor, note="PDF"
    )
    assert snapshot is not None
    assert (snapshot.added_by, snapshot.note, snapshot.method) == (editor, "PDF", "manual")


# --- publishers -------------------------------------------------------------


def test_publisher_create_keeps_its_domains_lower_case_without_www():
    publisher = publisher_create(
        name="Example News", domains=["WWW.Example.com", "example.co.uk"], reliability=0.8
    )
    assert sorted(publisher.domains.values_list("domain", flat=True)) == [
        "example.co.uk",
        "example.com",
    ]
    assert publisher.reliability == 0.8


def test_publisher_create_refuses_a_reliability_above_one():
    with pytest.raises(ValidationError) as error:
        publisher_create(name="Example News", domains=["example.com"], reliability=1.5)
    assert "reliability" in error.value.message_dict
    assert not Publisher.objects.exists()
    assert not PublisherDomain.objects.exists()


@pytest.mark.parametrize("reliability", [1.5, -0.1])
def test_publisher_update_refuses_a_reliability_outside_zero_to_one(reliability, publisher_signals):
    publisher = PublisherFactory.create(reliability=0.7)
    with pytest.raises(ValidationError) as error:
        publisher_update(publisher=publisher, reliability=reliability)
    assert "reliability" in error.value.message_dict
    assert Publisher.objects.get(pk=publisher.pk).reliability == 0.7
    assert publisher_signals == []


def test_publisher_update_tells_others_what_changed(publisher_signals):
    publisher = PublisherFactory.create(name="Example", reliability=0.7)
    publisher_update(publisher=publisher, name="Example News", reliability=0.4, notes="")
    assert Publisher.objects.get(pk=publisher.pk).reliability == 0.4
    assert len(publisher_signals) == 1
    assert publisher_signals[0]["publisher"] == publisher
    assert sorted(publisher_signals[0]["fields"]) == ["name", "reliability"]


def test_publisher_update_that_changes_nothing_tells_no_one(publisher_signals):
    publisher = PublisherFactory.create(name="Example", reliability=0.7)
    publisher_update(publisher=publisher, name="Example", reliability=0.7)
    assert publisher_signals == []


def test_a_publisher_made_from_a_very_long_domain_gets_a_name_that_fits():
    host = ".".join(["a" * 60, "b" * 60, "c" * 60, "d" * 60, "example"])
    source, _ = source_get_or_create(url=f"https://{host}/story")
    assert source.publisher.name == host[:200]
    assert source.publisher.domains.get().domain == host


def test_text_typed_in_by_an_editor_leaves_a_dead_sources_health_alone():
    source = SourceFactory.create(health="dead", archive_url="https://archive.example/x")
    source_add_snapshot(source=source, text="First version", method="fetched")
    source_add_snapshot(source=source, text="Read out at the press conference", method="manual")
    source.refresh_from_db()
    assert source.health == "dead"
    assert source.snapshots.count() == 2

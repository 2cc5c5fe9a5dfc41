"""Publishers, sources and snapshots on the editors' desk."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sources.models import Health, Publisher, PublisherDomain, SnapshotMethod, Source
from sources.services import source_add_snapshot
from sources.signals import publisher_changed
from tests.factories import PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db


def a_source(**fields: Any) -> Source:
    return SourceFactory.create(**fields)


def a_publisher(**fields: Any) -> Publisher:
    return PublisherFactory.create(**fields)


def url(name: str, *args: Any) -> str:
    return reverse(f"admin:{name}", args=args)


def publisher_form(publisher: Publisher | None = None, /, **fields: Any) -> dict[str, Any]:
    """The publisher form with its domains inline, as the browser posts it."""
    domains = list(publisher.domains.all()) if publisher else []
    data: dict[str, Any] = {
        "name": publisher.name if publisher else "",
        "kind": publisher.kind if publisher else "news",
        "reliability": publisher.reliability if publisher else 0.6,
        "notes": publisher.notes if publisher else "",
        "domains-TOTAL_FORMS": len(domains) + 1,
        "domains-INITIAL_FORMS": len(domains),
        "domains-MIN_NUM_FORMS": 0,
        "domains-MAX_NUM_FORMS": 1000,
        "domains-0-domain": "",
    }
    for i, domain in enumerate(domains):
        data[f"domains-{i}-id"] = domain.pk
        data[f"domains-{i}-domain"] = domain.domain
        data[f"domains-{i}-publisher"] = publisher.pk if publisher else ""
    data.update(fields)
    return data


@pytest.fixture
def source(editor: Any) -> Source:
    found = a_source(title="Council report", health=Health.CHANGED)
    source_add_snapshot(source=found, text="First text.", title="Council report", user=editor)
    source_add_snapshot(source=found, text="Second text.", user=editor)
    return found


def test_publisher_and_source_pages_answer_200_for_an_editor(
    editor_client: Client, source: Source
) -> None:
    snapshot = source.latest_snapshot()
    assert snapshot is not None
    pages = [
        url("sources_publisher_changelist") + "?q=example",
        url("sources_publisher_add"),
        url("sources_publisher_change", source.publisher.pk),
        url("sources_source_changelist") + "?health__exact=changed&q=council",
        url("sources_source_changelist") + f"?publisher__id__exact={source.publisher.pk}",
        url("sources_source_add"),
        url("sources_source_change", source.pk),
        url("sources_source_add_text", source.pk),
        url("sources_sourcesnapshot_changelist"),
        url("sources_sourcesnapshot_change", snapshot.pk),
    ]
    for page in pages:
        assert editor_client.get(page).status_code == 200, page


# --- Publishers ---------------------------------------------------------------------------


def test_adding_a_publisher_saves_it_with_its_domains(editor_client: Client) -> None:
    data = publisher_form(
        name="Example Times", reliability=0.9, **{"domains-0-domain": "WWW.Times.Example"}
    )
    response = editor_client.post(url("sources_publisher_add"), data)
    assert response.status_code == 302
    publisher = Publisher.objects.get(name="Example Times")
    assert publisher.reliability == 0.9
    assert list(publisher.domains.values_list("domain", flat=True)) == ["times.example"]


@pytest.mark.parametrize("reliability", ["1.5", "-0.1", "nan", "high"])
def test_publisher_reliability_outside_0_to_1_is_a_form_error(
    editor_client: Client, reliability: str
) -> None:
    publisher = a_publisher(reliability=0.7)
    data = publisher_form(publisher, reliability=reliability)
    response = editor_client.post(url("sources_publisher_change", publisher.pk), data)
    assert response.status_code == 200
    assert "reliability" in response.context["adminform"].form.errors
    publisher.refresh_from_db()
    assert publisher.reliability == 0.7


def test_changing_reliability_tells_the_rest_of_the_service(editor_client: Client) -> None:
    publisher = a_publisher(reliability=0.7)
    heard: list[list[str]] = []

    def listen(sender: Any, *, publisher: Publisher, fields: list[str], **kwargs: Any) -> None:
        heard.append(fields)

    publisher_changed.connect(listen)
    try:
        data = publisher_form(publisher, reliability=0.3)
        response = editor_client.post(url("sources_publisher_change", publisher.pk), data)
    finally:
        publisher_changed.disconnect(listen)
    assert response.status_code == 302
    assert heard == [["reliability"]]
    publisher.refresh_from_db()
    assert publisher.reliability == 0.3


def test_a_domain_of_another_publisher_is_a_form_error(editor_client: Client) -> None:
    a_publisher(domain="taken.example")
    data = publisher_form(name="Newcomer", **{"domains-0-domain": "https://www.taken.example/x"})
    response = editor_client.post(url("sources_publisher_add"), data)
    assert response.status_code == 200
    assert "already belongs to" in response.content.decode()
    assert not Publisher.objects.filter(name="Newcomer").exists()


def test_a_domain_that_is_not_a_domain_is_a_form_error(editor_client: Client) -> None:
    data = publisher_form(name="Odd", **{"domains-0-domain": "not a domain"})
    response = editor_client.post(url("sources_publisher_add"), data)
    assert response.status_code == 200
    assert not PublisherDomain.objects.exists()


# --- Sources -------------------------------------------------------------------------------


def test_adding_a_source_by_url_normalises_it_and_finds_its_publisher(
    editor_client: Client,
) -> None:
    publisher = a_publisher(domain="example.com")
    address = "HTTPS://news.Example.com/story?utm_source=feed#top"
    response = editor_client.post(url("sources_source_add"), {"address": address})
    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("sources_source_change", source.pk)
    assert source.url == "https://news.example.com/story"
    assert source.publisher == publisher


@pytest.mark.parametrize("address", ["", "ftp://example.org/", "https://user:pw@example.org/"])
def test_an_invalid_source_url_is_a_form_error(editor_client: Client, address: str) -> None:
    response = editor_client.post(url("sources_source_add"), {"address": address})
    assert response.status_code == 200
    assert "address" in response.context["adminform"].form.errors
    assert not Source.objects.exists()


def test_a_known_source_url_is_a_form_error_that_links_to_it(editor_client: Client) -> None:
    known = a_source(url="https://example.org/a")
    response = editor_client.post(url("sources_source_add"), {"address": "https://example.org/a"})
    assert response.status_code == 200
    assert url("sources_source_change", known.pk) in response.content.decode()
    assert Source.objects.count() == 1


def test_the_source_page_shows_snapshots_and_keeps_fetch_state_read_only(
    editor_client: Client, source: Source
) -> None:
    response = editor_client.get(url("sources_source_change", source.pk))
    page = response.content.decode()
    assert source.latest_snapshot().content_hash[:12] in page  # type: ignore[union-attr]
    assert url("sources_source_add_text", source.pk) in page
    form = response.context["adminform"].form
    assert "health" not in form.fields and "archive_url" not in form.fields
    assert "paused" in form.fields


def test_an_editor_can_pause_a_source(editor_client: Client, source: Source) -> None:
    data = {
        "title": source.title,
        "paused": "on",
        "snapshots-TOTAL_FORMS": 2,
        "snapshots-INITIAL_FORMS": 2,
        "snapshots-MIN_NUM_FORMS": 0,
        "snapshots-MAX_NUM_FORMS": 1000,
        "health": Health.OK,  # read-only: ignored
    }
    response = editor_client.post(url("sources_source_change", source.pk), data)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.paused and source.health == Health.CHANGED


def test_adding_text_by_hand_keeps_a_manual_snapshot_once(
    editor_client: Client, editor: Any, source: Source
) -> None:
    page = url("sources_source_add_text", source.pk)
    data = {"title": "Council report", "text": "The council  said yes.", "note": "From the PDF"}
    first = editor_client.post(page, data)
    second = editor_client.post(page, data)
    assert first.status_code == second.status_code == 302
    snapshots = list(source.snapshots.order_by("number"))
    assert len(snapshots) == 3
    manual = snapshots[-1]
    assert (manual.method, manual.added_by, manual.note) == (
        SnapshotMethod.MANUAL,
        editor,
        "From the PDF",
    )
    assert manual.text == "The council said yes."


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_by_hand_is_a_form_error(
    editor_client: Client, source: Source, text: str
) -> None:
    response = editor_client.post(url("sources_source_add_text", source.pk), {"text": text})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert source.snapshots.count() == 2


def test_nothing_here_deletes_publishers_sources_or_snapshots(
    editor_client: Client, source: Source
) -> None:
    snapshot = source.latest_snapshot()
    assert snapshot is not None
    for page in (
        url("sources_publisher_delete", source.publisher.pk),
        url("sources_source_delete", source.pk),
        url("sources_sourcesnapshot_delete", snapshot.pk),
    ):
        assert editor_client.post(page, {"post": "yes"}).status_code == 403, page
    assert editor_client.get(url("sources_sourcesnapshot_add")).status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, source: Source) -> None:
    for page in (url("sources_source_changelist"), url("sources_source_add_text", source.pk)):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(url("login"))

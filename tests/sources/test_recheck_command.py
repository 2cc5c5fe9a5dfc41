"""`manage.py recheck`: named or due sources, queued for the workers or checked here."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from sources.models import Health, Source
from tests.conftest import Queued
from tests.factories import SourceFactory
from tests.sources.httpserver import Reply, TestServer

pytestmark = pytest.mark.django_db

PAGE = "<html><body><article><p>The council approved the budget.</p></article></body></html>"


def a_source(server: TestServer, path: str, **fields: Any) -> Source:
    defaults: dict[str, Any] = {"health": Health.UNCHECKED, "title": ""}
    return SourceFactory.create(url=server.url(path), **(defaults | fields))


def run(*args: str) -> str:
    out = StringIO()
    call_command("recheck", *args, stdout=out)
    return out.getvalue()


def past(hours: float = 1) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def test_it_needs_to_be_told_what_to_check() -> None:
    with pytest.raises(CommandError, match="--source ID"):
        run()


def test_an_unknown_source_is_an_error_before_anything_runs(queued: Queued) -> None:
    known = SourceFactory.create()
    with pytest.raises(CommandError, match="No source with id 424242"):
        run("--source", str(known.pk), "424242")
    assert queued.calls == []


def test_sync_checks_the_named_sources_here_and_prints_each_result(server: TestServer) -> None:
    server.route("/a", Reply(200, PAGE))
    server.route("/b", Reply(404))
    first, second = a_source(server, "/a", paused=True), a_source(server, "/b")
    out = run("--source", str(first.pk), str(second.pk), "--sync")
    lines = out.splitlines()
    assert lines[0].startswith(
        f"source {first.pk} {first.url}: read for the first time: version 1 stored; next check"
    )
    assert lines[1].startswith(f"source {second.pk} {second.url}: not found: HTTP 404")
    assert lines[2] == "2 source(s) checked."
    assert Source.objects.get(pk=first.pk).snapshots.count() == 1


def test_all_due_sync_checks_only_the_due_unpaused_sources(server: TestServer) -> None:
    for path in ("/due", "/later", "/paused"):
        server.route(path, Reply(200, PAGE))
    due = a_source(server, "/due", next_check_at=past())
    a_source(server, "/later", next_check_at=timezone.now() + datetime.timedelta(hours=2))
    a_source(server, "/paused", next_check_at=past(), paused=True)
    out = run("--all-due", "--sync")
    assert f"source {due.pk} " in out and out.endswith("1 source(s) checked.\n")
    assert [len(server.hits(p)) for p in ("/due", "/later", "/paused")] == [1, 0, 0]
    due.refresh_from_db()
    assert due.next_check_at is not None and due.next_check_at > timezone.now()


def test_all_due_goes_through_every_batch(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_RECHECK_BATCH = 2
    server.route("/p", Reply(200, PAGE))
    for i in range(5):
        a_source(server, f"/p?i={i}", next_check_at=past())
    out = run("--all-due", "--sync")
    assert out.endswith("5 source(s) checked.\n") and len(server.hits("/p")) == 5


def test_without_sync_the_checks_are_queued(
    queued: Queued, django_capture_on_commit_callbacks: Any
) -> None:
    named = SourceFactory.create(paused=True)
    due = SourceFactory.create(next_check_at=past())
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--source", str(named.pk), "--all-due")
    assert out == "2 source(s) queued for the workers.\n"
    (named_call, due_call) = queued.calls
    assert named_call == ((named.pk,), {"force": True})
    assert due_call[0] == (due.pk,) and due_call[1]["force"] is False
    due.refresh_from_db()
    assert due.next_check_at is not None
    assert due_call[1]["lease"] == due.next_check_at.isoformat()


def test_sync_says_in_words_what_a_new_version_did_to_the_claims(server: TestServer) -> None:
    server.route("/a", Reply(200, PAGE), Reply(200, PAGE.replace("</p>", " It has changed.</p>")))
    source = a_source(server, "/a")
    claim = claim_create(text="Harbour Rail will close the night train to Inverness")
    evidence_add(claim=claim, source=source, stance="supports", certainty="probable")
    run("--source", str(source.pk), "--sync")
    [line, _] = run("--source", str(source.pk), "--sync").splitlines()
    assert (
        f"{source.url}: text changed: version 2 stored; claim {claim.pk} flagged for review" in line
    )

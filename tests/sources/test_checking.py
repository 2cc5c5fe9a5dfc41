"""source_check against the local server: what each kind of answer does to a source."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimEvent, EventKind
from sources import checking
from sources.checking import is_trivial_move, source_check
from sources.fetch import politeness
from sources.models import Health, SnapshotMethod, Source, SourceSnapshot
from sources.services import SourceChange, source_add_snapshot, source_get_or_create
from sources.signals import source_changed
from tests.factories import EvidenceFactory, SourceFactory
from tests.sources.conftest import FakeDNS
from tests.sources.httpserver import Reply, TestServer, conditional, redirect

pytestmark = pytest.mark.django_db

HOUR = 3600


def page(text: str, title: str = "A story") -> str:
    return (
        f"<html lang='en'><head><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )


def a_source(server: TestServer, path: str, **fields: Any) -> Source:
    defaults: dict[str, Any] = {"health": Health.UNCHECKED, "title": ""}
    return SourceFactory.create(url=server.url(path), **(defaults | fields))


def fresh(source: Source) -> Source:
    return Source.objects.get(pk=source.pk)


@pytest.fixture
def told() -> Iterator[list[dict[str, Any]]]:
    """Every source_changed sent, in order."""
    sent: list[dict[str, Any]] = []

    def record(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    source_changed.connect(record, dispatch_uid="test.checking.told")
    yield sent
    source_changed.disconnect(dispatch_uid="test.checking.told")


def kinds(sent: list[dict[str, Any]]) -> list[str]:
    return [s["change"] for s in sent]


@pytest.fixture
def archive(server: TestServer, settings: Any) -> TestServer:
    """A stand-in for the Wayback availability API on the local server."""
    settings.FACTCHECK_ARCHIVE_URL = server.url("/wayback/available")
    answer = {
        "archived_snapshots": {
            "closest": {
                "available": True,
                "url": "http://web.archive.org/web/20240301000000/http://example.org/story",
                "timestamp": "20240301000000",
                "status": "200",
            }
        }
    }
    server.route(
        "/wayback/available", Reply(200, json.dumps(answer), content_type="application/json")
    )
    return server


@pytest.fixture
def dead_rule(settings: Any) -> Any:
    settings.FACTCHECK_DEAD_AFTER_FAILURES = 3
    settings.FACTCHECK_DEAD_MIN_SPAN = 72 * HOUR
    return settings


# --- Reading a page ---------------------------------------------------------------------


def test_the_first_check_keeps_the_text_and_what_the_page_says_of_itself(
    server: TestServer, told: list[dict[str, Any]]
) -> None:
    server.route("/a", Reply(200, page("The bridge opens in March."), headers={"ETag": '"1"'}))
    source = a_source(server, "/a")
    before = timezone.now()
    report = source_check(source=source)
    source = fresh(source)
    snapshot = source.snapshots.get()
    assert (snapshot.number, snapshot.method, snapshot.http_status) == (1, "fetched", 200)
    assert "The bridge opens in March." in snapshot.text
    assert (source.health, source.title, source.language, source.etag) == (
        "ok",
        "A story",
        "en",
        '"1"',
    )
    assert source.last_ok_at is not None and source.last_ok_at >= before
    assert source.content_hash == snapshot.content_hash
    assert (report.outcome, report.snapshot, report.changes) == ("ok", 1, [])
    assert kinds(told) == [SourceChange.SNAPSHOT]
    # The first version is news to nobody: the next check comes after the shortest interval.
    assert source.check_interval == HOUR
    assert source.next_check_at is not None
    assert 0.85 * HOUR <= (source.next_check_at - before).total_seconds() <= 1.15 * HOUR


def test_an_unchanged_page_answers_304_and_the_interval_doubles(server: TestServer) -> None:
    server.route("/a", conditional('"v1"', page("Same words."), "Tue, 05 Mar 2024 10:00:00 GMT"))
    source = a_source(server, "/a")
    source_check(source=source)
    report = source_check(source=source)
    source = fresh(source)
    assert report.outcome == "not_modified" and report.snapshot is None
    assert server.hits("/a")[-1].headers["if-none-match"] == '"v1"'
    assert source.snapshots.count() == 1
    assert (source.health, source.http_status, source.check_interval) == ("ok", 304, 2 * HOUR)


def test_the_same_text_without_validators_makes_no_new_version(server: TestServer) -> None:
    server.route("/a", Reply(200, page("Same words.")))
    source = a_source(server, "/a")
    for _ in range(3):
        source_check(source=source)
    source = fresh(source)
    assert source.snapshots.count() == 1
    assert source.check_interval == 4 * HOUR


def test_the_interval_stops_at_the_maximum(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_RECHECK_MAX_INTERVAL = 3 * HOUR
    server.route("/a", Reply(200, page("Same words.")))
    source = a_source(server, "/a")
    intervals = [source_check(source=source) and fresh(source).check_interval for _ in range(4)]
    assert intervals == [HOUR, 2 * HOUR, 3 * HOUR, 3 * HOUR]


def test_a_changed_page_is_a_new_version_and_the_interval_shrinks(
    server: TestServer, told: list[dict[str, Any]]
) -> None:
    server.route("/a", Reply(200, page("First words.")), Reply(200, page("Corrected words.")))
    source = a_source(server, "/a")
    source_check(source=source)
    source_check(source=source)
    source = fresh(source)
    assert [s.number for s in source.snapshots.all()] == [1, 2]
    assert "Corrected words." in source.latest_snapshot().text  # type: ignore[union-attr]
    assert source.health == Health.CHANGED
    assert source.check_interval == HOUR
    assert kinds(told) == [SourceChange.SNAPSHOT, SourceChange.SNAPSHOT]


def test_changed_stays_until_a_later_state_replaces_it(server: TestServer) -> None:
    server.route(
        "/a",
        Reply(200, page("First words.")),
        Reply(200, page("Corrected words.")),
        Reply(200, page("Corrected words.")),
        Reply(500, "oops"),
        Reply(200, page("Corrected words.")),
    )
    source = a_source(server, "/a")
    healths = []
    for _ in range(5):
        healths.append(source_check(source=source).health)
    assert healths == ["ok", "changed", "changed", "error", "ok"]


def test_a_page_with_no_main_text_is_read_but_keeps_no_version(server: TestServer) -> None:
    server.route("/empty", Reply(200, "<html><body>   </body></html>"))
    source = a_source(server, "/empty")
    report = source_check(source=source)
    source = fresh(source)
    assert report.outcome == "ok" and source.snapshots.count() == 0
    assert "no main text" in source.last_error
    assert source.etag == "" and source.health == Health.OK


def test_a_fetched_page_after_a_version_typed_by_hand_is_a_new_version(server: TestServer) -> None:
    server.route("/a", Reply(200, page("The words on the page.")))
    source = a_source(server, "/a")
    source_add_snapshot(
        source=source, text="What an editor typed in.", method=SnapshotMethod.MANUAL
    )
    report = source_check(source=source)
    assert report.snapshot == 2 and report.health == Health.CHANGED


# --- Moves --------------------------------------------------------------------------------


def test_a_permanent_redirect_records_the_new_address_and_keeps_the_old(
    server: TestServer, told: list[dict[str, Any]]
) -> None:
    server.route("/old", redirect(301, "/new"))
    server.route("/new", Reply(200, page("Moved words.")))
    source = a_source(server, "/old")
    source_add_snapshot(source=source, text="Old words.", method=SnapshotMethod.MANUAL)
    told.clear()
    report = source_check(source=source)
    source = fresh(source)
    assert source.url == server.url("/old") and source.moved_to == server.url("/new")
    assert source.health == Health.MOVED and report.changes == [SourceChange.MOVED]
    assert "Moved words." in source.latest_snapshot().text  # type: ignore[union-attr]
    assert kinds(told) == [SourceChange.SNAPSHOT, SourceChange.MOVED]
    told.clear()
    again = source_check(source=source)
    assert again.changes == [] and kinds(told) == []
    assert fresh(source).health == Health.MOVED


def test_a_chain_of_permanent_redirects_moves_to_its_end(server: TestServer) -> None:
    server.route("/a", redirect(301, "/b"))
    server.route("/b", redirect(308, "/c"))
    server.route("/c", Reply(200, page("At the end of the chain.")))
    source = a_source(server, "/a")
    source_check(source=source)
    assert fresh(source).moved_to == server.url("/c")


def test_a_temporary_redirect_is_no_move(server: TestServer) -> None:
    server.route("/a", redirect(302, "/b"))
    server.route("/b", Reply(200, page("Somewhere for now.")))
    source = a_source(server, "/a")
    report = source_check(source=source)
    assert report.health == Health.OK and fresh(source).moved_to == ""


def test_a_page_that_answers_at_its_own_address_again_is_no_longer_moved(
    server: TestServer,
) -> None:
    server.route("/a", redirect(301, "/b"), Reply(200, page("Back home.")))
    server.route("/b", Reply(200, page("Back home.")))
    source = a_source(server, "/a")
    assert source_check(source=source).health == Health.MOVED
    assert source_check(source=source).health == Health.OK
    assert fresh(source).moved_to == ""


@pytest.mark.parametrize(
    ("old", "new", "trivial"),
    [
        ("http://example.org/a", "https://example.org/a", True),
        ("https://example.org/a", "https://www.example.org/a", True),
        ("https://example.org/a", "https://example.org/b", False),
        ("https://example.org/a", "https://other.example/a", False),
    ],
)
def test_which_moves_are_too_trivial_to_tell(old: str, new: str, trivial: bool) -> None:
    assert is_trivial_move(old, new) is trivial


def test_a_redirect_to_a_refused_address_is_blocked(server: TestServer) -> None:
    server.route("/a", redirect(302, "http://10.0.0.7/admin"))
    source = a_source(server, "/a")
    report = source_check(source=source)
    source = fresh(source)
    assert report.outcome == "blocked" and source.health == Health.BLOCKED
    assert source.consecutive_errors == 1 and source.consecutive_failures == 0
    assert "10.0.0.7" in source.last_error


# --- Errors and alerts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "outcome", "health", "words"),
    [
        (Reply(500, "oops"), "error", Health.ERROR, "HTTP 500"),
        (Reply(403, "no"), "blocked", Health.BLOCKED, "HTTP 403"),
        (Reply(200, page("slow " * 400), drip=0.5, chunk=100), "error", Health.ERROR, "No answer"),
        (Reply(200, "x" * 200_000), "error", Health.ERROR, "limit"),
        (Reply(200, b"%PDF-1.4", content_type="application/pdf"), "error", Health.ERROR, "pdf"),
    ],
    ids=["500", "403", "drips-slowly", "too-large", "content-type"],
)
def test_pages_that_cannot_be_read_are_errors_not_deaths(
    server: TestServer, reply: Reply, outcome: str, health: str, words: str
) -> None:
    server.route("/a", reply)
    source = a_source(server, "/a")
    report = source_check(source=source)
    source = fresh(source)
    assert (report.outcome, source.health) == (outcome, health)
    assert (source.consecutive_errors, source.consecutive_failures) == (1, 0)
    assert words in source.last_error and source.snapshots.count() == 0


def test_robots_txt_disallowing_the_page_blocks_it(server: TestServer) -> None:
    server.route(
        "/robots.txt", Reply(200, "User-agent: *\nDisallow: /private", content_type="text/plain")
    )
    server.route("/private/a", Reply(200, page("Secret.")))
    source = a_source(server, "/private/a")
    report = source_check(source=source)
    assert report.outcome == "blocked" and "robots.txt" in report.detail
    assert server.hits("/private/a") == []


def test_errors_back_off_and_recover(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_RECHECK_ERROR_DELAY = 600
    settings.FACTCHECK_RECHECK_JITTER = 0.0
    server.route("/a", Reply(500), Reply(500), Reply(200, page("Fine again.")))
    source = a_source(server, "/a", check_interval=8 * HOUR)
    now = timezone.now()
    delays = []
    for step in range(3):
        at = now + datetime.timedelta(minutes=step)
        report = source_check(source=source, now=at)
        assert report.next_check_at is not None
        delays.append((report.next_check_at - at).total_seconds())
    assert delays == [600, 1200, HOUR]
    source = fresh(source)
    assert (source.health, source.consecutive_errors, source.last_error) == ("ok", 0, "")


def test_a_429_with_retry_after_is_not_asked_again_before_it_says(server: TestServer) -> None:
    server.route("/a", Reply(429, "slow down", headers={"Retry-After": "7200"}))
    source = a_source(server, "/a", pinned_interval=600)
    now = timezone.now()
    report = source_check(source=source, now=now)
    assert report.outcome == "blocked" and report.next_check_at is not None
    assert (report.next_check_at - now).total_seconds() >= 7200


def test_the_claims_are_told_once_when_errors_reach_the_threshold(
    server: TestServer, settings: Any, told: list[dict[str, Any]]
) -> None:
    settings.FACTCHECK_ALERT_AFTER_ERRORS = 3
    server.route("/a", Reply(503))
    source = a_source(server, "/a")
    reports = [source_check(source=source) for _ in range(5)]
    assert [r.changes for r in reports] == [[], [], [SourceChange.FAILING], [], []]
    assert kinds(told) == [SourceChange.FAILING]
    assert "HTTP 503" in told[0]["detail"]


def test_a_source_can_alert_sooner_than_the_desk_default(
    server: TestServer, settings: Any, told: list[dict[str, Any]]
) -> None:
    settings.FACTCHECK_ALERT_AFTER_ERRORS = 5
    server.route("/a", Reply(500))
    source = a_source(server, "/a", alert_after_errors=1)
    assert source_check(source=source).changes == [SourceChange.FAILING]


def test_a_new_streak_of_errors_alerts_again(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_ALERT_AFTER_ERRORS = 2
    server.route("/a", Reply(500), Reply(500), Reply(200, page("Up.")), Reply(500), Reply(500))
    source = a_source(server, "/a")
    changes = [source_check(source=source).changes for _ in range(5)]
    assert changes == [[], [SourceChange.FAILING], [], [], [SourceChange.FAILING]]


def test_a_busy_host_defers_the_check_without_touching_the_source(server: TestServer) -> None:
    server.route("/a", Reply(200, page("Words.")))
    source = a_source(server, "/a")
    politeness.defer_host("127.0.0.1", 120)
    now = timezone.now()
    report = source_check(source=source, now=now)
    source = fresh(source)
    assert report.outcome == "deferred" and server.hits("/a") == []
    assert source.last_checked_at is None and source.health == Health.UNCHECKED
    assert source.next_check_at is not None
    assert (source.next_check_at - now).total_seconds() >= 115


# --- Death, archive and coming back ---------------------------------------------------------


def check_at(source: Source, start: datetime.datetime, *hours: float) -> list[Any]:
    return [source_check(source=source, now=start + datetime.timedelta(hours=h)) for h in hours]


def test_a_404_then_200_is_not_dead_and_the_counters_reset(
    server: TestServer, dead_rule: Any
) -> None:
    server.route("/a", Reply(404), Reply(200, page("Here after all.")))
    source = a_source(server, "/a")
    first = source_check(source=source)
    failing = fresh(source)
    assert first.outcome == "gone" and failing.health == Health.ERROR
    assert (failing.consecutive_failures, failing.consecutive_errors) == (1, 1)
    assert failing.first_failure_at is not None
    source_check(source=source)
    back = fresh(source)
    assert back.health == Health.OK and back.first_failure_at is None
    assert (back.consecutive_failures, back.consecutive_errors) == (0, 0)


def test_enough_failures_close_together_are_not_yet_death(
    server: TestServer, dead_rule: Any
) -> None:
    server.route("/a", Reply(410))
    source = a_source(server, "/a")
    reports = check_at(source, timezone.now(), 0, 1, 2, 3)
    assert [r.health for r in reports] == ["error"] * 4
    assert fresh(source).consecutive_failures == 4


def test_failures_spread_over_the_span_are_death(
    server: TestServer, dead_rule: Any, archive: TestServer, told: list[dict[str, Any]]
) -> None:
    server.route("/a", Reply(410))
    last_good = timezone.now() - datetime.timedelta(days=10)
    source = a_source(server, "/a", last_ok_at=last_good, health=Health.OK)
    reports = check_at(source, timezone.now(), 0, 36, 71.9, 72)
    assert [r.health for r in reports] == ["error", "error", "error", "dead"]
    assert [r.changes for r in reports][-1] == [SourceChange.DEAD]
    source = fresh(source)
    assert source.archive_url == (
        "https://web.archive.org/web/20240301000000/http://example.org/story"
    )
    asked = parse_qs(urlsplit(archive.hits("/wayback/available")[0].path).query)
    assert asked == {"url": [source.url], "timestamp": [f"{last_good:%Y%m%d%H%M%S}"]}
    assert len(archive.hits("/wayback/available")) == 1  # asked only when death came
    # The third failure in a row reached the alert threshold; the fourth was death.
    assert kinds(told) == [SourceChange.FAILING, SourceChange.DEAD]
    assert "4 failures since" in told[1]["detail"]


def test_death_is_announced_once(server: TestServer, settings: Any, told: list[Any]) -> None:
    settings.FACTCHECK_DEAD_AFTER_FAILURES, settings.FACTCHECK_DEAD_MIN_SPAN = 2, 0
    settings.FACTCHECK_ARCHIVE_URL = ""
    server.route("/a", Reply(404))
    source = a_source(server, "/a")
    reports = [source_check(source=source) for _ in range(4)]
    assert [r.health for r in reports] == ["error", "dead", "dead", "dead"]
    assert kinds(told) == [SourceChange.DEAD]
    assert fresh(source).archive_url == ""


def test_an_archived_copy_found_after_death_is_told(
    server: TestServer, settings: Any, told: list[Any]
) -> None:
    settings.FACTCHECK_DEAD_AFTER_FAILURES, settings.FACTCHECK_DEAD_MIN_SPAN = 1, 0
    settings.FACTCHECK_ARCHIVE_URL = server.url("/wayback/available")
    found = {
        "archived_snapshots": {
            "closest": {
                "available": True,
                "status": "200",
                "url": "https://archive.example/a",
                "timestamp": "20240101000000",
            }
        }
    }
    server.route(
        "/wayback/available",
        Reply(200, '{"archived_snapshots": {}}', content_type="application/json"),
        Reply(200, json.dumps(found), content_type="application/json"),
    )
    server.route("/a", Reply(404))
    source = a_source(server, "/a")
    source_check(source=source)
    assert fresh(source).is_dead and fresh(source).archive_url == ""
    later = source_check(source=source)
    assert later.changes == [SourceChange.DEAD]
    assert fresh(source).archive_url == "https://archive.example/a"
    assert "archived copy has been found" in told[-1]["detail"]


def test_a_dead_source_that_answers_again_is_alive(
    server: TestServer, settings: Any, told: list[Any]
) -> None:
    settings.FACTCHECK_DEAD_AFTER_FAILURES, settings.FACTCHECK_DEAD_MIN_SPAN = 1, 0
    settings.FACTCHECK_ARCHIVE_URL = ""
    server.route("/a", Reply(404), Reply(500), Reply(200, page("Resurrected.")))
    source = a_source(server, "/a")
    assert [source_check(source=source).health for _ in range(2)] == ["dead", "dead"]
    report = source_check(source=source)
    source = fresh(source)
    assert report.changes == [SourceChange.ALIVE] and source.health == Health.OK
    assert (source.consecutive_failures, source.consecutive_errors) == (0, 0)
    assert kinds(told) == [SourceChange.DEAD, SourceChange.SNAPSHOT, SourceChange.ALIVE]


def test_failures_are_spaced_so_the_span_can_be_met(server: TestServer, dead_rule: Any) -> None:
    server.route("/a", Reply(404))
    source = a_source(server, "/a")
    start = timezone.now()
    first = source_check(source=source, now=start)
    assert first.next_check_at is not None
    assert 36 * HOUR <= (first.next_check_at - start).total_seconds() <= 36 * HOUR * 1.1
    # Two failures early on: the deciding third is not due before the span is over.
    second = source_check(source=source, now=start + datetime.timedelta(hours=1))
    assert second.next_check_at is not None
    assert second.next_check_at >= start + datetime.timedelta(hours=72)


# --- Checks at once -------------------------------------------------------------------------


def test_a_check_overlapping_another_records_nothing(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one check is fetching, another runs and records: the first then drops its result."""
    server.route("/a", Reply(200, page("One text.")))
    source = a_source(server, "/a")
    real_fetch = checking.fetching.fetch
    inner: list[Any] = []

    def fetch_while_another_check_runs(url: str, **kwargs: Any) -> Any:
        if not inner:
            inner.append(None)
            inner[0] = source_check(source=source)
        return real_fetch(url, **kwargs)

    monkeypatch.setattr(checking.fetching, "fetch", fetch_while_another_check_runs)
    outer = source_check(source=source)
    assert inner[0].outcome == "ok" and inner[0].snapshot == 1
    assert outer.outcome == "skipped" and outer.snapshot is None
    assert SourceSnapshot.objects.filter(source=source).count() == 1


# --- What the claims see --------------------------------------------------------------------


def test_a_new_version_flags_the_claims_and_notes_a_lost_quote(server: TestServer) -> None:
    server.route(
        "/a",
        Reply(200, page("The factory will open in 2027, the company said.")),
        Reply(200, page("The company has no plans for a factory.")),
    )
    source = a_source(server, "/a")
    evidence = EvidenceFactory.create(source=source, quote="will open in 2027")
    claim = evidence.claim
    source_check(source=source)
    claim.refresh_from_db()
    # The first version is no news of the page; only its reading against the editor's
    # labels may flag the claim (claims.services.suggestions), under a code of its own.
    assert f"source:{source.pk}" not in claim.review_reason_codes()
    source_check(source=source)
    claim.refresh_from_db()
    assert claim.needs_review
    assert claim.review_reasons[0]["code"] == f"source:{source.pk}"
    event = ClaimEvent.objects.get(claim=claim, kind=EventKind.SOURCE_CHANGED)
    assert event.data["quotes_lost"] == ["will open in 2027"] and event.data["snapshot"] == 2


def test_a_death_flags_the_claims_with_the_archived_copy(
    server: TestServer, settings: Any, archive: TestServer
) -> None:
    settings.FACTCHECK_DEAD_AFTER_FAILURES, settings.FACTCHECK_DEAD_MIN_SPAN = 1, 0
    server.route("/a", Reply(410))
    source = a_source(server, "/a")
    claim = EvidenceFactory.create(source=source).claim
    source_check(source=source)
    claim.refresh_from_db()
    event = ClaimEvent.objects.get(claim=claim, kind=EventKind.SOURCE_DEAD)
    assert "Archived copy: https://web.archive.org/web/20240301000000" in event.summary
    assert claim.needs_review


def test_repeated_errors_flag_the_claims_with_the_count(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_ALERT_AFTER_ERRORS = 2
    server.route("/a", Reply(502))
    source = a_source(server, "/a")
    claim = EvidenceFactory.create(source=source).claim
    for _ in range(2):
        source_check(source=source)
    event = ClaimEvent.objects.get(claim=claim, kind=EventKind.SOURCE_FAILING)
    assert "could not be read 2 times in a row" in event.summary
    assert "HTTP 502" in event.summary


def test_a_publisher_named_after_its_domain_takes_the_name_its_page_gives(
    server: TestServer,
) -> None:
    named = page("The bridge opens in March.", title="Bridge opens | The Highland Courier")
    server.route("/a", Reply(200, named))
    source, _ = source_get_or_create(url=server.url("/a"))
    auto_named = source.publisher.name
    assert source.publisher.domains.filter(domain=auto_named).exists()  # named after its domain
    source_check(source=source)
    assert fresh(source).publisher.name == "The Highland Courier"


def test_a_name_an_editor_gave_a_publisher_is_kept(server: TestServer) -> None:
    named = page("The bridge opens in March.", title="Bridge opens | The Highland Courier")
    server.route("/a", Reply(200, named))
    source = a_source(server, "/a")  # its publisher was named by an editor (the factory)
    before = source.publisher.name
    source_check(source=source)
    assert fresh(source).publisher.name == before


# --- A source never read ----------------------------------------------------------------


def cited_unread(url: str) -> tuple[Source, Claim]:
    source = SourceFactory.create(url=url, content_hash="", health=Health.UNCHECKED, title="")
    claim = EvidenceFactory.create(source=source).claim
    return source, claim


def test_a_first_fetch_that_fails_flags_the_claims_at_once_in_plain_words(
    server: TestServer,
) -> None:
    server.route("/stroy", Reply(404))
    source, claim = cited_unread(server.url("/stroy"))
    source_check(source=source)
    claim.refresh_from_db()
    assert claim.needs_review
    [reason] = [r for r in claim.review_reasons if r["code"] == f"source:{source.pk}"]
    assert "could not be read, and has never been" in reason["message"]
    assert "The page was not found (HTTP 404): is the URL right?" in reason["message"]


def test_a_mistyped_host_is_said_to_not_exist(fake_dns: FakeDNS, fast_fetch: Any) -> None:
    source, claim = cited_unread("https://typo-news.example/story")
    source_check(source=source)
    claim.refresh_from_db()
    [reason] = claim.review_reasons
    assert "The address does not exist" in reason["message"]


def test_only_the_first_failure_of_a_source_never_read_flags_at_once(server: TestServer) -> None:
    server.route("/stroy", Reply(503))
    source, claim = cited_unread(server.url("/stroy"))
    source_check(source=source)
    flagged = ClaimEvent.objects.filter(claim=claim, kind=EventKind.REVIEW_FLAGGED).count()
    source_check(source=source)  # a second error: not yet the alert threshold (3)
    assert ClaimEvent.objects.filter(claim=claim, kind=EventKind.REVIEW_FLAGGED).count() == flagged
    assert flagged == 1

"""`manage.py load_demo`: a living service on first run, and nothing more on the next."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Model
from django.utils import timezone

from claims.demo.load import DEMO_EDITOR, DEMO_PASSWORD
from claims.models import (
    Claim,
    ClaimEvent,
    EventKind,
    Evidence,
    FirmnessPoint,
    Level,
    Tag,
    Verdict,
    VerdictChange,
)
from claims.permissions import EDITORS_GROUP
from claims.services.claims import claims_flag_overdue
from sources.models import Publisher, PublisherDomain, Source, SourceSnapshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COUNTED: tuple[type[Model], ...] = (
    Publisher,
    PublisherDomain,
    Source,
    SourceSnapshot,
    Claim,
    Evidence,
    VerdictChange,
    ClaimEvent,
    FirmnessPoint,
    Tag,
    get_user_model(),
)


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in COUNTED}


def claim_states() -> dict[str, tuple[object, ...]]:
    return {
        c.slug: (c.version, c.updated_at, c.firmness_score, c.firmness_level, c.needs_review)
        for c in Claim.objects.all()
    }


def test_it_changes_nothing_when_run_twice() -> None:
    first = load("--editor")
    counts, states = row_counts(), claim_states()

    second = load("--editor")

    assert "Loaded demo data: 14 publishers" in first
    assert "demo data already loaded; nothing changed" in second
    assert row_counts() == counts
    assert claim_states() == states


def test_it_records_every_verdict_and_every_firmness_level() -> None:
    load()
    claims = Claim.objects.all()
    assert 6 <= claims.count() <= 10
    assert {c.verdict for c in claims} == set(Verdict.values)
    assert {c.firmness_level for c in claims} == set(Level.values)


def test_every_quote_stands_in_its_sources_latest_snapshot() -> None:
    load()
    quoted = Evidence.objects.exclude(quote="").select_related("source")
    assert quoted.count() == Evidence.objects.count()
    for evidence in quoted:
        snapshot = evidence.source.latest_snapshot()
        assert snapshot is not None
        assert evidence.quote_stands_in(snapshot.text), evidence.quote


def test_it_shows_deprecation_derivation_and_collapse() -> None:
    load()
    assert Evidence.objects.filter(deprecated=True).exclude(deprecated_reason="").exists()
    assert Evidence.objects.filter(derived_from__isnull=False).exists()
    lines = [line for claim in Claim.objects.all() for line in claim.firmness_explanation]
    collapsed = [line for line in lines if line["note"].startswith("Collapsed into")]
    assert any("Relies on an earlier report" in line["note"] for line in collapsed)
    assert any("Relies on an earlier report" not in line["note"] for line in collapsed)


def test_a_changed_source_shows_on_the_timeline_of_the_claims_it_backs() -> None:
    load()
    changed = Source.objects.annotate(n=Count("snapshots")).filter(n__gte=2)
    assert changed.exists()
    for source in changed:
        latest = source.latest_snapshot()
        assert latest is not None
        # Claims that cited the source when its text changed were told, on their own timeline.
        citing = Evidence.objects.filter(source=source, created_at__lt=latest.taken_at)
        claims = Claim.objects.filter(pk__in=citing.values("claim")).distinct()
        assert claims.exists(), source
        for claim in claims:
            told = ClaimEvent.objects.filter(
                claim=claim, kind=EventKind.SOURCE_CHANGED, data__source=source.pk
            )
            assert told.filter(data__snapshot=latest.number).exists(), (claim, source)


def test_it_has_forward_looking_claims_both_due_and_overdue_and_some_unpublished() -> None:
    load()
    assert Claim.objects.filter(expected_by__gt=timezone.localdate()).exists()
    assert Claim.objects.filter(published=False).count() >= 2
    assert Claim.objects.filter(published=True).count() > Claim.objects.count() // 2
    assert all(claim.tags.exists() for claim in Claim.objects.all())

    assert claims_flag_overdue() >= 1

    flagged = [c for c in Claim.objects.all() if "expected_by_passed" in c.review_reason_codes()]
    assert flagged
    assert all(claim.is_overdue for claim in flagged)


def test_demo_sources_are_paused_so_the_recheck_workers_never_fetch_them() -> None:
    load()
    assert not Source.objects.filter(paused=False).exists()


def test_the_editor_option_creates_an_editor_who_can_log_in(client) -> None:
    output = load("--editor")

    user = get_user_model().objects.get(username=DEMO_EDITOR)
    assert user.is_staff
    assert user.groups.filter(name=EDITORS_GROUP).exists()
    assert client.login(username=DEMO_EDITOR, password=DEMO_PASSWORD)
    assert "local demos only" in output


def test_without_the_editor_option_no_user_is_created() -> None:
    load()
    assert not get_user_model().objects.exists()


def test_an_existing_account_named_editor_is_left_unchanged(client) -> None:
    UserFactory(username=DEMO_EDITOR)

    output = load("--editor")

    user = get_user_model().objects.get(username=DEMO_EDITOR)
    assert not user.is_staff
    assert not user.groups.exists()
    assert not client.login(username=DEMO_EDITOR, password=DEMO_PASSWORD)
    assert "already exists" in output

"""A running check holds its source briefly, renewing the hold while it runs: if its worker
dies, the source is due again within FACTCHECK_CHECK_HOLD seconds, not when the queue's long
lease runs out."""

from __future__ import annotations

import datetime
import itertools
import time
from typing import Any

import pytest
from django.utils import timezone

from sources import tasks
from sources.checking import CheckReport
from sources.models import Source
from sources.scheduling import source_hold, source_lease_now
from sources.tasks import check_source
from tests.factories import SourceFactory


def report_for(source: Source) -> CheckReport:
    return CheckReport(source_id=source.pk, url=source.url, outcome="ok", health="ok")


@pytest.mark.django_db
def test_a_check_holds_its_source_briefly_while_it_runs(monkeypatch: Any, settings: Any) -> None:
    settings.FACTCHECK_CHECK_HOLD = 90
    source = SourceFactory.create()
    lease = source_lease_now(source=source)  # the queue's lease: 30 minutes
    seen: list[datetime.datetime | None] = []

    def check(*, source: Source) -> CheckReport:
        seen.append(Source.objects.get(pk=source.pk).next_check_at)
        return report_for(source)

    monkeypatch.setattr(tasks, "source_check", check)
    started = timezone.now()
    assert check_source.apply(args=(source.pk,), kwargs={"lease": lease.isoformat()}).get() == "ok"
    [held] = seen
    assert held is not None and held < lease
    assert 85 <= (held - started).total_seconds() <= 95


@pytest.mark.django_db
def test_a_message_whose_lease_moved_on_checks_nothing(monkeypatch: Any) -> None:
    source = SourceFactory.create()
    stale = source_lease_now(source=source)
    source_lease_now(source=source)  # leased again since: the first message is a duplicate
    monkeypatch.setattr(tasks, "source_check", lambda **_: pytest.fail("checked a stale lease"))
    assert check_source.apply(args=(source.pk,), kwargs={"lease": stale.isoformat()}).get() == (
        "stale"
    )


@pytest.mark.django_db
def test_holding_needs_the_lease_unless_the_check_was_forced() -> None:
    source = SourceFactory.create()
    lease = source_lease_now(source=source)
    assert source_hold(source_id=source.pk, lease=lease - datetime.timedelta(seconds=1)) is None
    assert source_hold(source_id=source.pk, lease=lease) is not None
    assert source_hold(source_id=source.pk, lease=None) is not None  # forced


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_hold_is_renewed_while_a_long_check_runs(monkeypatch: Any, settings: Any) -> None:
    settings.FACTCHECK_CHECK_HOLD = 3  # renewed every second
    source = SourceFactory.create()
    holds: list[datetime.datetime | None] = []

    def long_check(*, source: Source) -> CheckReport:
        for _ in range(4):
            time.sleep(1)
            holds.append(Source.objects.get(pk=source.pk).next_check_at)
        return report_for(source)

    monkeypatch.setattr(tasks, "source_check", long_check)
    check_source.apply(args=(source.pk,), kwargs={"force": True}).get()
    distinct = [h for h in dict.fromkeys(holds) if h is not None]
    assert len(distinct) >= 3  # renewed, again and again
    assert all(later > earlier for earlier, later in itertools.pairwise(distinct))
    assert (distinct[-1] - timezone.now()).total_seconds() <= 3.5

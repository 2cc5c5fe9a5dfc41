"""Death at exactly N failures, as a property: whatever the rule's N and span, and however the
failures are spaced, a source is dead at the first failure that is at least the N-th in a
row and at least the span after the first, never before, and stays dead.

test_checking.py shows the same rule on a real server at one setting; here the fetch is
replaced at its edge (the network) so that hypothesis can try many."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from sources import checking
from sources.checking import source_check
from sources.fetch.client import FetchResult, Outcome
from sources.models import Health, Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)


def gone(url: str, **_: Any) -> FetchResult:
    return FetchResult(url=url, outcome=Outcome.GONE, reason="http_404", error="HTTP 404")


@examples(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    needed=st.integers(min_value=1, max_value=5),
    span_hours=st.sampled_from([0, 1, 24, 72]),
    gaps=st.lists(st.floats(min_value=0.0, max_value=48.0), min_size=1, max_size=9),
)
def test_a_source_dies_at_exactly_the_failure_that_meets_the_rule(
    monkeypatch: pytest.MonkeyPatch, settings: Any, needed: int, span_hours: int, gaps: list
) -> None:
    settings.FACTCHECK_DEAD_AFTER_FAILURES = needed
    settings.FACTCHECK_DEAD_MIN_SPAN = span_hours * 3600
    settings.FACTCHECK_ARCHIVE_URL = ""  # no archive look-ups: nothing leaves the test
    monkeypatch.setattr(checking.fetching, "fetch", gone)
    source = SourceFactory.create(health=Health.OK)
    moments = [START]
    for gap in gaps:
        moments.append(moments[-1] + datetime.timedelta(hours=gap))
    healths = [source_check(source=source, now=when).health for when in moments]
    expected_death = next(
        (
            i
            for i, when in enumerate(moments)
            if i + 1 >= needed and (when - START).total_seconds() >= span_hours * 3600
        ),
        None,
    )
    if expected_death is None:
        assert Health.DEAD not in healths
    else:
        assert healths[:expected_death] == [Health.ERROR] * expected_death
        assert set(healths[expected_death:]) == {Health.DEAD}
    assert Source.objects.get(pk=source.pk).consecutive_failures == len(moments)

"""The process-wide claim index and searches as callers make them (claims.services.matching)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.services.claims import claim_create, claim_set_verdict, claim_update
from claims.services.matching import claim_index, claims_match
from tests.factories import EditorFactory

ARTICLE = (
    "Shares in the carmaker rose on Thursday. Corvid Motors said it would assemble "
    "electric vans at the Swindon plant from next spring, after months of talks with "
    "suppliers. The company also reported higher sales in Spain."
)
WEATHER = "Heavy rain is expected across the north on Friday, with gales along the coast."


def ids(found: list[Any]) -> list[int]:
    return [match.claim.pk for match in found]


@pytest.mark.django_db
def test_the_index_takes_in_a_claim_added_after_it_was_built():
    editor = EditorFactory.create()
    pool = claim_create(text="The city council will close the Eastgate swimming pool.")
    assert claims_match(text=ARTICLE, user=editor)[0] == []
    vans = claim_create(text="Corvid Motors will build electric vans at its Swindon factory.")
    found, _ = claims_match(text=ARTICLE, user=editor)
    assert ids(found) == [vans.pk]
    assert pool.pk not in ids(found)


@pytest.mark.django_db
def test_the_index_follows_an_edited_claim_text():
    editor = EditorFactory.create()
    claim = claim_create(text="The city council will close the Eastgate swimming pool.")
    claims_match(text=WEATHER, user=editor)
    claim_update(claim=claim, text="Corvid Motors will build electric vans in Swindon.")
    assert ids(claims_match(text=ARTICLE, user=editor)[0]) == [claim.pk]
    pool_news = "The Eastgate swimming pool will close, the city council said."
    assert claims_match(text=pool_news, user=editor)[0] == []


@pytest.mark.django_db
def test_the_index_is_kept_when_a_save_changes_no_claim_text():
    editor = EditorFactory.create()
    claim = claim_create(text="Corvid Motors will build electric vans at its Swindon factory.")
    built, _ = claim_index()
    claim_set_verdict(claim=claim, verdict="disputed", note="Two reports disagree.", user=editor)
    assert claim_index()[0] is built


@pytest.mark.django_db
def test_the_index_lets_go_of_a_removed_claim():
    vans = claim_create(text="Corvid Motors will build electric vans at its Swindon factory.")
    claim_create(text="Corvid Motors will make electric vans in Swindon.")
    assert vans.pk in [match.claim_id for match in claim_index()[0].search(ARTICLE)]
    Claim.objects.filter(pk=vans.pk).delete()
    assert vans.pk not in [match.claim_id for match in claim_index()[0].search(ARTICLE)]


@pytest.mark.django_db
def test_asking_whether_the_index_is_current_never_counts_the_claims():
    """One small read, however many claims there are (on PostgreSQL; SQLite counts)."""
    claim_create(text="Corvid Motors will build electric vans at its Swindon factory.")
    claim_index()
    with CaptureQueriesContext(connection) as queries:
        claim_index()
    assert len(queries) == 1
    if connection.vendor == "postgresql":
        assert "COUNT(" not in queries[0]["sql"].upper()


@pytest.mark.django_db
def test_callers_see_only_the_claims_they_may_see():
    published = claim_create(
        text="Corvid Motors will build electric vans at its Swindon factory.", published=True
    )
    hidden = claim_create(text="Corvid Motors will make electric vans in Swindon.")
    anonymous, _ = claims_match(text=ARTICLE, user=None)
    desk, _ = claims_match(text=ARTICLE, user=EditorFactory.create())
    assert ids(anonymous) == [published.pk]
    assert set(ids(desk)) == {published.pk, hidden.pk}


@pytest.mark.django_db
def test_enough_visible_claims_are_found_behind_many_hidden_ones():
    for n in range(12):
        claim_create(text=f"Corvid Motors will build electric vans in Swindon, plan {n}.")
    shown = claim_create(text="Corvid Motors will build vans in Swindon.", published=True)
    found, _ = claims_match(text=ARTICLE, user=None, limit=1, min_score=0.1)
    assert ids(found) == [shown.pk]


@pytest.mark.django_db
def test_the_settings_override_the_methods_thresholds(settings):
    settings.FACTCHECK_MATCH_SUGGEST_AT = 0.05
    settings.FACTCHECK_MATCH_STRONG_AT = 0.99
    claim = claim_create(text="Corvid Motors will cut 400 jobs in Coventry.", published=True)
    found, limits = claims_match(text=ARTICLE, user=None)
    assert (limits.method, limits.suggest_at, limits.strong_at) == ("lexical", 0.05, 0.99)
    assert ids(found) == [claim.pk]
    assert found[0].strong is False

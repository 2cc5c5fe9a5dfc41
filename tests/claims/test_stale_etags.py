"""If-Match's rule at the service, as a property: whatever changed a claim since an editor
read it (an edit, new or deprecated evidence, a relabel, a verdict), a change sent with the
ETag they read is refused and changes nothing; sent with the current ETag, it goes through.

tests/api/test_claims_api.py shows the same rule as a 412 for one kind of change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from claims.models import Claim
from claims.services.changes import ClaimVersionConflict
from claims.services.claims import (
    claim_apply_changes,
    claim_create,
    claim_set_verdict,
    claim_update,
)
from claims.services.evidence import evidence_add, evidence_deprecate, evidence_relabel
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def edit(claim: Claim) -> None:
    claim_update(claim=claim, context=f"Context, version {claim.version}.")


def link(claim: Claim) -> None:
    evidence_add(
        claim=claim, source=SourceFactory.create(), stance="supports", certainty="possible"
    )


def relabel(claim: Claim) -> None:
    evidence = claim.evidence.filter(deprecated=False).first()
    if evidence is None:
        return link(claim)
    new = "refutes" if evidence.stance == "supports" else "supports"
    evidence_relabel(evidence=evidence, stance=new)


def deprecate(claim: Claim) -> None:
    evidence = claim.evidence.filter(deprecated=False).first()
    if evidence is None:
        return link(claim)
    evidence_deprecate(evidence=evidence, reason="The page was withdrawn.")


def verdict(claim: Claim) -> None:
    current = Claim.objects.get(pk=claim.pk).verdict
    claim_set_verdict(
        claim=claim, verdict="disputed" if current != "disputed" else "unconfirmed", note="Why."
    )


CHANGES: dict[str, Callable[[Claim], None]] = {
    "edit": edit,
    "link": link,
    "relabel": relabel,
    "deprecate": deprecate,
    "verdict": verdict,
}


@examples(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(since=st.lists(st.sampled_from(sorted(CHANGES)), min_size=1, max_size=4))
def test_a_change_against_the_etag_read_before_any_change_is_refused(since: list[str]) -> None:
    claim = claim_create(text="Acme will open a plant in Leeds", published=True)
    read = Claim.objects.get(pk=claim.pk).etag
    for name in since:
        CHANGES[name](Claim.objects.get(pk=claim.pk))
    before = Claim.objects.get(pk=claim.pk)
    assert before.etag != read
    with pytest.raises(ClaimVersionConflict):
        claim_apply_changes(claim=before, expected_etags=[read], text="Acme will not open it")
    after = Claim.objects.get(pk=claim.pk)
    assert (after.text, after.version, after.etag) == (before.text, before.version, before.etag)
    done = claim_apply_changes(claim=after, expected_etags=[after.etag], text="Acme shuts it")
    assert done.text == "Acme shuts it" and done.version == after.version + 1

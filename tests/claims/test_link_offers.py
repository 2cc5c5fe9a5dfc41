"""Link offers: a source's new version offered to the other claims it strongly matches,
and the desk's decisions on them, through the services and the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from claims.models import (
    Claim,
    ClaimEvent,
    EventKind,
    Evidence,
    LabelledBy,
    LinkOffer,
    LinkOfferStatus,
)
from claims.services import matching
from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from claims.services.link_offers import LinkOfferDecided, link_offer_accept, link_offer_dismiss
from sources.models import Source
from sources.services import source_add_snapshot
from tests.factories import EditorFactory, SourceFactory

pytestmark = pytest.mark.django_db

REPORT = (
    "Corvid Motors will build electric vans at its Swindon factory from next spring, the "
    "company said on Tuesday. The carmaker also confirmed that it will cut 400 jobs in "
    "Coventry, where its old engine works is to close by the end of the year."
)
FOLLOW_UP = (
    "Unions said on Wednesday they would fight Corvid Motors' plan to cut 400 jobs in "
    "Coventry. The carmaker's new vans are to be built in Swindon."
)


@pytest.fixture
def vans() -> Claim:
    return claim_create(text="Corvid Motors will build electric vans at its Swindon factory.")


@pytest.fixture
def jobs() -> Claim:
    return claim_create(text="Corvid Motors will cut 400 jobs in Coventry.")


@pytest.fixture
def report(vans: Claim) -> Source:
    """A source cited by the vans claim, not yet read."""
    source = SourceFactory.create(title="Corvid's plans")
    evidence_add(claim=vans, source=source, stance="supports")
    return source


def offers_for(claim: Claim) -> list[LinkOffer]:
    return list(LinkOffer.objects.filter(claim=claim))


def test_a_new_version_is_offered_to_the_claim_it_strongly_matches_not_the_one_citing_it(
    vans, jobs, report
):
    snapshot = source_add_snapshot(source=report, text=REPORT)
    assert snapshot is not None
    assert offers_for(vans) == []
    [offer] = offers_for(jobs)
    assert (offer.source, offer.status, offer.method) == (report, LinkOfferStatus.OPEN, "lexical")
    assert offer.score >= matching.claim_index()[1].strong_at
    assert "cut 400 jobs in Coventry" in offer.passage
    event = ClaimEvent.objects.get(claim=jobs, kind=EventKind.LINK_OFFERED)
    assert event.data["offer"] == offer.pk and event.data["snapshot"] == snapshot.number
    assert not ClaimEvent.objects.public().filter(kind=EventKind.LINK_OFFERED).exists()


def test_a_claim_the_text_only_touches_is_not_offered_it(vans, report):
    pool = claim_create(text="The city council will close the Eastgate swimming pool.")
    source_add_snapshot(source=report, text=REPORT)
    assert offers_for(pool) == []


def test_a_later_version_updates_the_open_offer_without_a_second_one(jobs, report):
    source_add_snapshot(source=report, text=REPORT)
    first = LinkOffer.objects.get(claim=jobs)
    source_add_snapshot(source=report, text=FOLLOW_UP)
    [offer] = offers_for(jobs)
    assert offer.pk == first.pk and offer.status == LinkOfferStatus.OPEN
    assert offer.passage != first.passage
    assert ClaimEvent.objects.filter(claim=jobs, kind=EventKind.LINK_OFFERED).count() == 1


def test_a_dismissed_offer_stays_dismissed_through_later_versions(jobs, report, editor):
    source_add_snapshot(source=report, text=REPORT)
    offer = link_offer_dismiss(offer=LinkOffer.objects.get(claim=jobs), user=editor)
    assert (offer.status, offer.decided_by) == (LinkOfferStatus.DISMISSED, editor)
    source_add_snapshot(source=report, text=FOLLOW_UP)
    [kept] = offers_for(jobs)
    assert kept.status == LinkOfferStatus.DISMISSED and kept.passage == offer.passage


def test_accepting_links_the_source_as_evidence_labelled_by_the_assessor(jobs, report, editor):
    source_add_snapshot(source=report, text=REPORT)
    offer = link_offer_accept(offer=LinkOffer.objects.get(claim=jobs), user=editor)
    evidence = Evidence.objects.get(claim=jobs, source=report)
    assert (offer.status, offer.evidence, offer.decided_by) == (
        LinkOfferStatus.ACCEPTED,
        evidence,
        editor,
    )
    assert evidence.labelled_by == LabelledBy.AUTOMATIC
    assert ClaimEvent.objects.filter(claim=jobs, kind=EventKind.EVIDENCE_ADDED).exists()


def test_deciding_twice_the_same_way_changes_nothing_and_the_other_way_is_refused(
    jobs, report, editor
):
    source_add_snapshot(source=report, text=REPORT)
    offer = link_offer_accept(offer=LinkOffer.objects.get(claim=jobs), user=editor)
    again = link_offer_accept(offer=offer, user=EditorFactory.create())
    assert again.decided_by == editor and Evidence.objects.filter(claim=jobs).count() == 1
    with pytest.raises(LinkOfferDecided, match="already linked as evidence"):
        link_offer_dismiss(offer=offer, user=editor)


def test_accepting_a_source_an_editor_linked_meanwhile_points_at_that_evidence(
    jobs, report, editor
):
    source_add_snapshot(source=report, text=REPORT)
    offer = LinkOffer.objects.get(claim=jobs)
    by_hand = evidence_add(claim=jobs, source=report, user=editor, stance="supports")
    assert link_offer_accept(offer=offer, user=editor).evidence == by_hand


def test_no_offer_goes_to_a_claim_already_citing_the_source(jobs, report, editor):
    evidence_add(claim=jobs, source=report, user=editor, stance="supports")
    source_add_snapshot(source=report, text=REPORT)
    assert offers_for(jobs) == []


def test_a_failure_to_offer_does_not_lose_the_new_version(jobs, report, monkeypatch):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("matching is down")

    monkeypatch.setattr("claims.services.reading.source_offer_links", broken)
    snapshot = source_add_snapshot(source=report, text=REPORT)
    assert snapshot is not None and report.snapshots.count() == 1
    assert offers_for(jobs) == []


# --- The desk -------------------------------------------------------------------------


@pytest.fixture
def offered(jobs: Claim, report: Source) -> LinkOffer:
    source_add_snapshot(source=report, text=REPORT)
    return LinkOffer.objects.get(claim=jobs)


def test_the_desk_lists_offers_and_links_one_as_evidence(editor_client, offered):
    listing = editor_client.get(reverse("admin:claims_linkoffer_changelist"))
    assert listing.status_code == 200
    assert "Corvid Motors will cut 400 jobs" in listing.content.decode()
    response = editor_client.post(
        reverse("admin:claims_linkoffer_changelist"),
        {"action": "link_as_evidence", "_selected_action": [offered.pk]},
        follow=True,
    )
    assert response.status_code == 200
    offered.refresh_from_db()
    assert offered.status == LinkOfferStatus.ACCEPTED and offered.evidence is not None


def test_the_desk_dismisses_and_is_told_when_an_offer_was_decided_already(
    editor_client, offered, editor
):
    link_offer_accept(offer=offered, user=editor)
    response = editor_client.post(
        reverse("admin:claims_linkoffer_changelist"),
        {"action": "dismiss", "_selected_action": [offered.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "already linked as evidence" in page and "0 offer(s) dismissed" in page
    offered.refresh_from_db()
    assert offered.status == LinkOfferStatus.ACCEPTED


def test_offers_are_neither_added_nor_deleted_nor_edited_by_hand(editor_client, offered):
    assert editor_client.get(reverse("admin:claims_linkoffer_add")).status_code == 403
    page = editor_client.get(reverse("admin:claims_linkoffer_change", args=[offered.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    delete = reverse("admin:claims_linkoffer_delete", args=[offered.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert LinkOffer.objects.filter(pk=offered.pk).exists()


def test_the_claim_page_and_the_review_queue_show_open_offers(editor_client, offered):
    claim_page = editor_client.get(reverse("admin:claims_claim_change", args=[offered.claim_id]))
    assert "Sources on offer" in claim_page.content.decode()
    assert offered.passage[:40] in claim_page.content.decode()
    queue = editor_client.get(reverse("admin:claims_claim_review_queue")).content.decode()
    assert "1 source offered as evidence" in queue
    assert reverse("admin:claims_linkoffer_changelist") in queue


# Other claims about Corvid and Swindon make the vans claim's remaining words (electric,
# vans, factory) weigh most for matching, which weighs words by how few claims use them;
# the assessor weighs them by how rare they are in news, where the names count most.
ELSEWHERE = "Electric vans roll out of a new factory in Ohio, where Maple Trucks hired 300 workers."


@pytest.fixture
def crowded(vans: Claim, jobs: Claim) -> Claim:
    claim_create(text="Swindon council will open a new library.")
    claim_create(text="Corvid Motors will sponsor the Swindon marathon.")
    return vans


def test_a_page_the_assessor_reads_as_unrelated_is_not_offered(crowded):
    index, limits = matching.claim_index()
    [match] = index.search(ELSEWHERE, limit=1, min_score=limits.strong_at)
    assert match.claim_id == crowded.pk  # the words alone would make it a strong match
    source_add_snapshot(source=SourceFactory.create(), text=ELSEWHERE)
    assert offers_for(crowded) == []


def test_claims_match_never_calls_strong_what_the_assessor_reads_as_unrelated(crowded, editor):
    found, limits = matching.claims_match(text=ELSEWHERE, user=editor, limit=1)
    assert found[0].claim == crowded and found[0].score >= limits.strong_at
    assert found[0].strong is False
    assert matching.claims_like(text=ELSEWHERE) == []

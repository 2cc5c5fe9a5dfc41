"""What was read from a source, on the desk (shown, and accepted as an editor's labels) and
on the public claim page (automatic labels say so)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Evidence, LabelledBy
from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from sources.models import Source
from sources.services import source_add_snapshot
from tests.factories import PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db

CONFIRMING = "Chery has confirmed it will build cars at Halewood, the JLR plant on Merseyside."


@pytest.fixture
def claim() -> Claim:
    return claim_create(
        text="Chery will build cars at Jaguar Land Rover's Halewood plant", published=True
    )


@pytest.fixture
def source() -> Source:
    source = SourceFactory.create(publisher=PublisherFactory.create(name="Mersey Wire"))
    source_add_snapshot(source=source, text=CONFIRMING)
    return source


@pytest.fixture
def disputed(claim: Claim, source: Source) -> Evidence:
    """An editor said it refutes; the text reads as support."""
    return evidence_add(claim=claim, source=source, stance="refutes", certainty="possible")


def change_url(evidence: Evidence) -> str:
    return reverse("admin:claims_evidence_change", args=[evidence.pk])


def accept_url(evidence: Evidence) -> str:
    return reverse("admin:claims_evidence_accept_suggestion", args=[evidence.pk])


def test_the_evidence_page_shows_what_was_read_with_its_cues_and_a_way_to_accept_it(
    editor_client: Client, disputed: Evidence
) -> None:
    html = editor_client.get(change_url(disputed)).content.decode()
    assert "supports, certain (confidence 0.80, version #1)" in html
    assert CONFIRMING in html
    assert "confirmation: “confirmed”" in html
    assert accept_url(disputed) in html


def test_the_claims_evidence_table_shows_the_reading(
    editor_client: Client, claim: Claim, disputed: Evidence
) -> None:
    html = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content
    assert "Read from the source" in html.decode()
    assert "supports, certain (confidence" in html.decode()


def test_accepting_the_suggestion_asks_then_makes_it_the_editors_labels(
    editor_client: Client, editor: Any, disputed: Evidence
) -> None:
    asked = editor_client.get(accept_url(disputed))
    assert asked.status_code == 200 and "Label it supports, certain" in asked.content.decode()
    assert Evidence.objects.get(pk=disputed.pk).stance == "refutes"

    done = editor_client.post(accept_url(disputed))

    assert done.status_code == 302
    evidence = Evidence.objects.get(pk=disputed.pk)
    assert (evidence.stance, evidence.certainty) == ("supports", "certain")
    assert (evidence.labelled_by, evidence.labelled_by_user) == (LabelledBy.EDITOR, editor)


def test_the_accept_action_relabels_each_selected_piece_that_was_read(
    editor_client: Client, claim: Claim, disputed: Evidence
) -> None:
    unread = evidence_add(claim=claim, source=SourceFactory.create(), stance="refutes")
    changelist = reverse("admin:claims_evidence_changelist")
    response = editor_client.post(
        changelist, {"action": "accept_suggestions", "_selected_action": [disputed.pk, unread.pk]}
    )
    assert response.status_code == 302
    assert Evidence.objects.get(pk=disputed.pk).stance == "supports"
    assert Evidence.objects.get(pk=unread.pk).stance == "refutes"  # nothing read: untouched


def test_a_public_page_marks_evidence_read_automatically(
    client: Client, claim: Claim, source: Source
) -> None:
    evidence = evidence_add(claim=claim, source=source)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Read automatically" in html
    assert "One piece here was read automatically" in html
    assert evidence.suggested_passage and evidence.suggested_passage in html  # the words it read
    assert "The passage it was read from (version 1 of the source)" in html

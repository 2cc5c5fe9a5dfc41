"""Linking sources to claims as evidence, relabelling it and deprecating it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, Evidence, FirmnessPoint
from claims.services.changes import ClaimVersionConflict
from claims.services.claims import claim_create
from claims.services.evidence import (
    EvidenceAlreadyLinked,
    evidence_add,
    evidence_deprecate,
    evidence_relabel,
)
from sources.models import Publisher, PublisherDomain, Source
from sources.services import source_add_snapshot, source_get_or_create
from tests.factories import PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db

FIRM: dict[str, Any] = {"stance": "supports", "certainty": "certain", "kind": "primary"}


@pytest.fixture
def claim() -> Claim:
    return claim_create(text="Acme will open a plant in Leeds")


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def events(claim: Claim, kind: str) -> list[dict]:
    return [e.data for e in claim.events.filter(kind=kind).order_by("id")]


def points(claim: Claim) -> list[tuple[int, str]]:
    return list(FirmnessPoint.objects.filter(claim=claim).values_list("score", "level"))


def reliable_source(reliability: float = 0.9) -> Source:
    return SourceFactory.create(publisher=PublisherFactory.create(reliability=reliability))


# --- evidence_add -----------------------------------------------------------


def test_it_links_a_url_normalised_creating_the_source_and_its_publisher(claim, editor):
    url = "HTTPS://WWW.Leeds-News.example/Story?utm_source=tw&id=3#top"
    evidence = evidence_add(claim=claim, url=url, user=editor, stance="supports")
    source = evidence.source
    assert source.url == "https://www.leeds-news.example/Story?id=3"
    assert source.publisher.name == "leeds-news.example"
    assert PublisherDomain.objects.get(domain="leeds-news.example").publisher == source.publisher
    assert (evidence.labelled_by, evidence.labelled_by_user) == ("editor", editor)
    assert events(claim, "evidence_added") == [
        {"evidence": evidence.pk, "source": source.pk, "stance": "supports"}
    ]


def test_a_second_link_of_the_same_article_to_the_claim_is_refused(claim):
    first = evidence_add(claim=claim, url="https://news.example/a?utm_medium=x")
    with pytest.raises(EvidenceAlreadyLinked) as error:
        evidence_add(claim=claim, url="https://NEWS.example/a#comments")
    assert error.value.existing == first
    assert Evidence.objects.filter(claim=claim).count() == 1
    assert Source.objects.count() == 1


def test_the_same_article_may_be_evidence_of_two_claims(claim):
    other = claim_create(text="Acme will close a plant")
    one = evidence_add(claim=claim, url="https://news.example/a")
    two = evidence_add(claim=other, url="https://news.example/a")
    assert one.source == two.source


@pytest.mark.parametrize("url", ["ftp://news.example/a", "news.example/a", "https://"])
def test_it_refuses_an_address_that_cannot_be_a_source(claim, url):
    with pytest.raises(ValidationError) as error:
        evidence_add(claim=claim, url=url)
    assert error.value.message_dict["url"]
    assert not Evidence.objects.exists()
    assert not Source.objects.exists()


def test_it_asks_for_a_url_or_a_source(claim):
    with pytest.raises(ValidationError) as error:
        evidence_add(claim=claim)
    assert "url" in error.value.message_dict


def test_it_refuses_labels_outside_the_choices_and_links_nothing(claim):
    with pytest.raises(ValidationError) as error:
        evidence_add(claim=claim, url="https://news.example/a", stance="maybe")
    assert "stance" in error.value.message_dict
    assert not Evidence.objects.exists()
    assert fresh(claim).version == 1


def test_a_stale_version_refuses_the_link(claim):
    evidence_add(claim=claim, url="https://news.example/a")
    with pytest.raises(ClaimVersionConflict):
        evidence_add(claim=claim, url="https://news.example/b", expected_version=1)
    assert Evidence.objects.count() == 1


def test_it_records_what_the_evidence_relies_on(claim):
    evidence = evidence_add(
        claim=claim, url="https://relay.example/a", derived_from_url="https://ft.example/original"
    )
    assert evidence.derived_from is not None
    assert evidence.derived_from.url == "https://ft.example/original"
    assert evidence.derived_from.publisher.name == "ft.example"


def test_evidence_that_relies_on_itself_is_not_derived(claim):
    evidence = evidence_add(
        claim=claim, url="https://ft.example/a", derived_from_url="https://ft.example/a#x"
    )
    assert evidence.derived_from is None


def test_a_report_relying_on_another_counts_in_the_originals_group(claim):
    for url in ("https://ft.example/a", "https://relay.example/a"):
        source, _ = source_get_or_create(url=url)
        source_add_snapshot(source=source, text=f"The text at {url}.")  # read: it counts
    original = evidence_add(claim=claim, url="https://ft.example/a", **FIRM)
    relay = evidence_add(
        claim=claim, url="https://relay.example/a", derived_from=original.source, **FIRM
    )
    lines = {line["evidence_id"]: line for line in fresh(claim).firmness_explanation}
    assert lines[original.pk]["counted"] and not lines[relay.pk]["counted"]
    assert f"Collapsed into evidence #{original.pk}" in lines[relay.pk]["note"]
    assert lines[relay.pk]["publisher"] == "relay.example"
    assert "Relies on an earlier report by ft.example" in lines[relay.pk]["note"]


def test_new_evidence_recomputes_firmness_and_records_the_change(claim):
    evidence_add(claim=claim, source=reliable_source(), **FIRM)
    updated = fresh(claim)
    assert updated.firmness_level == "confirmed"
    assert updated.firmness_score >= 80
    assert updated.version == 2
    assert points(claim) == [(0, "no_evidence"), (updated.firmness_score, "confirmed")]
    (change,) = events(claim, "firmness_changed")
    assert change["previous_score"] == 0
    assert (change["score"], change["level"]) == (updated.firmness_score, "confirmed")


def test_evidence_that_moves_nothing_adds_no_firmness_point_or_event(claim):
    evidence_add(claim=claim, source=reliable_source(), stance="unrelated")
    assert fresh(claim).version == 2
    assert points(claim) == [(0, "no_evidence")]
    assert events(claim, "firmness_changed") == []


# --- evidence_relabel -------------------------------------------------------


def test_relabelling_sets_the_editor_and_recomputes_firmness(claim, editor):
    evidence = evidence_add(
        claim=claim, source=reliable_source(), labelled_by="automatic", stance="discusses"
    )
    before = fresh(claim)
    relabelled = evidence_relabel(evidence=evidence, user=editor, **FIRM)
    assert (relabelled.labelled_by, relabelled.labelled_by_user) == ("editor", editor)
    after = fresh(claim)
    assert after.firmness_score > before.firmness_score
    assert after.firmness_level == "confirmed"
    assert after.version == before.version + 1
    (event,) = events(claim, "evidence_relabelled")
    assert event == {"evidence": evidence.pk, "fields": ["certainty", "kind", "stance"]}


def test_confirming_an_automatic_label_unchanged_makes_it_the_editors(claim, editor):
    evidence = evidence_add(claim=claim, source=reliable_source(), labelled_by="automatic")
    evidence_relabel(evidence=evidence, user=editor, stance=evidence.stance)
    assert Evidence.objects.get(pk=evidence.pk).labelled_by == "editor"
    assert fresh(claim).firmness_explanation[0]["automatic"] is False
    assert events(claim, "evidence_relabelled")[0]["fields"] == []


def test_relabelling_an_editors_label_to_the_same_values_does_nothing(claim):
    evidence = evidence_add(claim=claim, source=reliable_source(), stance="supports")
    version = fresh(claim).version
    evidence_relabel(evidence=evidence, stance="supports")
    assert fresh(claim).version == version
    assert events(claim, "evidence_relabelled") == []


def test_relabelling_refuses_fields_that_are_not_labels(claim):
    evidence = evidence_add(claim=claim, source=reliable_source())
    with pytest.raises(TypeError, match="deprecated"):
        evidence_relabel(evidence=evidence, deprecated=True)


def test_relabelling_refuses_values_outside_the_choices(claim):
    evidence = evidence_add(claim=claim, source=reliable_source(), stance="supports")
    with pytest.raises(ValidationError):
        evidence_relabel(evidence=evidence, certainty="absolute")
    assert Evidence.objects.get(pk=evidence.pk).certainty == "unknown"


# --- evidence_deprecate -----------------------------------------------------


def test_deprecating_needs_a_reason(claim):
    evidence = evidence_add(claim=claim, source=reliable_source(), **FIRM)
    with pytest.raises(ValidationError) as error:
        evidence_deprecate(evidence=evidence, reason="  ")
    assert "reason" in error.value.message_dict
    assert not Evidence.objects.get(pk=evidence.pk).deprecated


def test_deprecated_evidence_stays_on_record_but_out_of_the_firmness(claim, editor):
    evidence = evidence_add(claim=claim, source=reliable_source(), **FIRM)
    evidence_deprecate(evidence=evidence, reason=" Wrong article ", user=editor)
    row = Evidence.objects.get(pk=evidence.pk)
    assert (row.deprecated, row.deprecated_reason) == (True, "Wrong article")
    assert row.deprecated_at is not None
    updated = fresh(claim)
    assert (updated.firmness_score, updated.firmness_level) == (0, "no_evidence")
    assert updated.firmness_explanation[0]["note"] == "Deprecated: not counted."
    assert events(claim, "evidence_deprecated") == [
        {"evidence": evidence.pk, "reason": "Wrong article"}
    ]


def test_deprecating_twice_changes_nothing_the_second_time(claim):
    evidence = evidence_add(claim=claim, source=reliable_source(), **FIRM)
    evidence_deprecate(evidence=evidence, reason="Wrong article")
    version = fresh(claim).version
    evidence_deprecate(evidence=evidence, reason="Another reason")
    assert Evidence.objects.get(pk=evidence.pk).deprecated_reason == "Wrong article"
    assert fresh(claim).version == version
    assert len(events(claim, "evidence_deprecated")) == 1


def test_a_deprecated_source_may_be_linked_again(claim):
    first = evidence_add(claim=claim, url="https://news.example/a")
    evidence_deprecate(evidence=first, reason="Mislabelled")
    second = evidence_add(claim=claim, url="https://news.example/a", stance="supports")
    assert second.pk != first.pk
    assert Evidence.objects.filter(claim=claim).count() == 2


# --- Evidence.quote_stands_in ----------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "text", "found"),
    [
        ("we will open", "Acme said: “We  will\nopen a plant.”", True),
        ("it’s “final”", 'It\'s "final", said Acme.', True),
        ("we will open", "Acme said it may open a plant.", False),
        ("", "anything", True),
    ],
)
def test_a_quote_is_found_ignoring_case_spacing_and_quote_marks(quote, text, found):
    assert Evidence(quote=quote).quote_stands_in(text) is found


def test_publishers_are_reused_not_duplicated_for_a_known_domain(claim):
    publisher = PublisherFactory.create(domain="ft.example")
    evidence = evidence_add(claim=claim, url="https://www.ft.example/a")
    assert evidence.source.publisher == publisher
    assert Publisher.objects.count() == 1


def test_evidence_from_a_source_never_read_counts_for_nothing_until_it_is(claim):
    evidence = evidence_add(claim=claim, url="https://typo.example/stroy", **FIRM)
    claim = fresh(claim)
    [line] = claim.firmness_explanation
    assert (line["counted"], line["weight"], claim.firmness_score) == (False, 0.0, 0)
    assert claim.firmness_level == "no_evidence"
    assert "Not read yet" in line["note"]
    source_add_snapshot(source=evidence.source, text="Acme will open a plant in Leeds.")
    claim = fresh(claim)
    assert claim.firmness_explanation[0]["counted"] and claim.firmness_score > 0

"""The editors' desk for claims: every page answers, and every write goes through a service."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token, TokenProxy

from claims.models import (
    Claim,
    ClaimEvent,
    EventKind,
    Evidence,
    LabelledBy,
    Tag,
    Verdict,
    VerdictChange,
)
from claims.services.claims import claim_create, claim_set_verdict, claim_update
from claims.services.evidence import evidence_add, evidence_deprecate
from claims.services.timeline import claim_flag_for_review
from sources.models import Publisher, Source
from sources.services import source_add_snapshot
from tests.factories import EditorFactory, PublisherFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def a_source(**fields: Any) -> Source:
    return SourceFactory.create(**fields)


def a_publisher(**fields: Any) -> Publisher:
    return PublisherFactory.create(**fields)


def a_user(**fields: Any) -> User:
    return UserFactory.create(**fields)


def an_editor() -> User:
    return EditorFactory.create()


def url(name: str, *args: Any) -> str:
    return reverse(f"admin:{name}", args=args)


@pytest.fixture
def desk(editor: Any) -> SimpleNamespace:
    """A claim with live and deprecated evidence, a verdict change, a review flag and events."""
    wire = a_publisher(name="Example Wire", reliability=0.8)
    report = a_source(publisher=wire, title="Factory planned")
    source_add_snapshot(source=report, text="The company will open a factory.", user=editor)
    denial = a_source(title="Company denies")
    withdrawn = a_source(title="Withdrawn story")
    claim = claim_create(
        text="Example company will open a factory in Leeds",
        user=editor,
        tags=["industry"],
        claimant="The company's chief executive",
    )
    supports = evidence_add(claim=claim, source=report, user=editor, stance="supports")
    refutes = evidence_add(claim=claim, source=denial, user=editor, stance="refutes")
    old = evidence_add(claim=claim, source=withdrawn, user=editor, stance="supports")
    evidence_deprecate(evidence=old, reason="The story was withdrawn.", user=editor)
    claim_set_verdict(
        claim=claim,
        verdict=Verdict.DISPUTED,
        note="Reports disagree.",
        evidence=[supports],
        user=editor,
    )
    claim.refresh_from_db()
    claim_flag_for_review(claim=claim, code=f"source:{report.pk}", message="The report changed.")
    calm = claim_create(text="Example town hall will reopen", user=editor, tags=["civic"])
    Token.objects.create(user=editor)
    return SimpleNamespace(
        claim=Claim.objects.get(pk=claim.pk),
        calm=calm,
        supports=supports,
        refutes=refutes,
        deprecated=old,
        wire=wire,
        report=report,
    )


def claim_form(claim: Claim, **changes: Any) -> dict[str, Any]:
    """What the claim change form posts back unchanged, plus `changes`."""
    data: dict[str, Any] = {
        "text": claim.text,
        "context": claim.context,
        "tag_names": ", ".join(tag.name for tag in claim.tags.all()),
        "claimant": claim.claimant,
        "first_seen": claim.first_seen or "",
        "expected_by": claim.expected_by or "",
        "expected_version": claim.version,
    }
    if claim.published:
        data["published"] = "on"
    data.update(changes)
    return data


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


# --- Every page answers ----------------------------------------------------------------


def pages_for(model: Any, model_admin: Any, user: Any) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    if not model_admin.has_view_or_change_permission(request):
        return []
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    pages = [url(f"{info}_changelist")]
    if model_admin.has_add_permission(request):
        pages.append(url(f"{info}_add"))
    obj = model_admin.get_queryset(request).first()
    if obj is not None:
        # The token admin addresses a token by its user.
        pages.append(url(f"{info}_change", obj.user_id if model is TokenProxy else obj.pk))
    return pages


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_every_changelist_add_and_change_page_answers_200(
    client: Client, editor: Any, desk: SimpleNamespace, who: str
) -> None:
    user = editor if who == "editor" else a_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    seen, failures = set(), []
    for model, model_admin in admin.site._registry.items():
        for page in pages_for(model, model_admin, user):
            seen.add(model._meta.label)
            status = client.get(page).status_code
            if status != 200:
                failures.append((page, status))
    assert failures == []
    assert seen >= {
        "claims.Claim",
        "claims.Evidence",
        "claims.Tag",
        "claims.ClaimEvent",
        "claims.VerdictChange",
        "sources.Publisher",
        "sources.Source",
        "sources.SourceSnapshot",
        "authtoken.TokenProxy",
    }


def test_the_desk_pages_of_a_claim_answer_200_for_an_editor(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    claim = desk.claim
    pages = [
        url("index"),
        url("claims_claim_review_queue"),
        url("claims_claim_verdict", claim.pk),
        url("claims_claim_add_evidence", claim.pk),
        url("claims_claim_reviewed", claim.pk),
        url("claims_evidence_deprecate", desk.supports.pk),
        url("claims_evidence_change", desk.deprecated.pk),
        url("claims_claimevent_changelist") + f"?claim__id__exact={claim.pk}",
    ]
    for page in pages:
        assert editor_client.get(page).status_code == 200, page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=Leeds", {"claim"}),
        ("q=town+hall", {"calm"}),
        ("q=chief+executive", {"claim"}),  # the claimant is searched too
        ("q=no-such-words", set()),
        ("verdict__exact=disputed", {"claim"}),
        ("verdict__exact=unverified", {"calm"}),
        ("firmness_level__exact=no_evidence", {"calm"}),
        ("firmness_level__exact={claim_level}", {"claim"}),
        ("needs_review__exact=1", {"claim"}),
        ("needs_review__exact=0", {"calm"}),
        ("tags__id__exact={industry}", {"claim"}),
        ("tags__id__exact={civic}", {"calm"}),
        ("published__exact=0", {"claim", "calm"}),
        ("published__exact=1", set()),
        ("publisher={wire}", {"claim"}),
        ("publisher=not-a-number", set()),
        ("publisher=" + "9" * 30, set()),
    ],
)
def test_the_claims_list_searches_and_filters(
    editor_client: Client, desk: SimpleNamespace, query: str, expected: set[str]
) -> None:
    query = query.format(
        claim_level=desk.claim.firmness_level,
        industry=Tag.objects.get(name="industry").pk,
        civic=Tag.objects.get(name="civic").pk,
        wire=desk.wire.pk,
    )
    response = editor_client.get(url("claims_claim_changelist") + "?" + query)
    assert response.status_code == 200
    shown = {claim.pk for claim in response.context["cl"].result_list}
    assert shown == {getattr(desk, name).pk for name in expected}


def test_the_publisher_filter_keeps_claims_with_evidence_from_that_publisher(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    response = editor_client.get(url("claims_claim_changelist") + f"?publisher={desk.wire.pk}")
    assert list(response.context["cl"].result_list) == [desk.claim]


def test_the_claims_list_puts_claims_needing_review_first(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    claim_update(claim=desk.calm, context="Edited last, but not waiting for review.")
    response = editor_client.get(url("claims_claim_changelist"))
    assert list(response.context["cl"].result_list)[:2] == [desk.claim, desk.calm]


def test_the_claim_page_shows_evidence_firmness_reasons_verdicts_and_events(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    page = editor_client.get(url("claims_claim_change", desk.claim.pk)).content.decode()
    assert "Factory planned" in page and "Company denies" in page
    assert "The story was withdrawn." in page
    assert "The report changed." in page
    assert "Reports disagree." in page
    assert desk.claim.firmness_explanation[0]["text"] in page
    assert "Evidence added" in page
    assert url("claims_claim_verdict", desk.claim.pk) in page


# --- Claims are created and edited through the services --------------------------------


def test_adding_a_claim_records_it_through_the_service(editor_client: Client, editor: Any) -> None:
    data = {"text": "  A new   claim  ", "context": "", "tag_names": "energy, Energy, wind"}
    response = editor_client.post(url("claims_claim_add"), {**data, "claimant": "A minister"})
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert claim.text == "A new claim" and claim.slug == "a-new-claim"
    assert claim.created_by == editor
    assert sorted(claim.tags.values_list("name", flat=True)) == ["energy", "wind"]
    assert claim.events.filter(kind=EventKind.CREATED).exists()


def test_editing_a_claim_raises_its_version_and_records_who_edited(
    editor_client: Client, editor: Any, desk: SimpleNamespace
) -> None:
    before = desk.claim.version
    data = claim_form(desk.claim, claimant="The mayor", tag_names="industry, jobs")
    response = editor_client.post(url("claims_claim_change", desk.claim.pk), data)
    claim = fresh(desk.claim)
    assert response.status_code == 302
    assert claim.claimant == "The mayor" and claim.version == before + 1
    assert set(claim.tags.values_list("name", flat=True)) == {"industry", "jobs"}
    edit = claim.events.filter(kind=EventKind.EDITED).get()
    assert edit.actor == editor


def test_a_stale_version_on_claim_edit_is_a_form_error_and_changes_nothing(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    data = claim_form(desk.claim, claimant="Editor B's change")
    claim_update(claim=desk.claim, claimant="Editor A's change")  # saved while B was typing
    response = editor_client.post(url("claims_claim_change", desk.claim.pk), data)
    assert response.status_code == 200
    assert "has changed since you read it" in str(response.context["adminform"].form.errors)
    assert fresh(desk.claim).claimant == "Editor A's change"


def test_a_claim_form_that_lost_its_version_is_refused(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    data = claim_form(desk.claim, claimant="Someone", expected_version="")
    response = editor_client.post(url("claims_claim_change", desk.claim.pk), data)
    assert response.status_code == 200
    assert fresh(desk.claim).claimant == desk.claim.claimant


def test_the_verdict_cannot_be_changed_on_the_claim_form(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    data = claim_form(desk.claim, verdict=Verdict.FALSE)
    editor_client.post(url("claims_claim_change", desk.claim.pk), data)
    assert fresh(desk.claim).verdict == Verdict.DISPUTED


def test_a_tag_the_service_refuses_is_a_form_error_on_the_tags(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    data = claim_form(desk.claim, tag_names="x" * 61)
    response = editor_client.post(url("claims_claim_change", desk.claim.pk), data)
    assert response.status_code == 200
    assert "at most 60 characters" in str(response.context["adminform"].form.errors["tag_names"])


def test_an_empty_claim_text_is_a_form_error(editor_client: Client) -> None:
    response = editor_client.post(url("claims_claim_add"), {"text": "   "})
    assert response.status_code == 200
    assert "text" in response.context["adminform"].form.errors
    assert not Claim.objects.exists()


# --- Verdicts -----------------------------------------------------------------------------


def test_changing_the_verdict_records_the_note_and_the_evidence_it_rests_on(
    editor_client: Client, editor: Any, desk: SimpleNamespace
) -> None:
    data = {
        "verdict": Verdict.CONFIRMED,
        "note": "The company confirmed it.",
        "evidence": [desk.supports.pk],
        "expected_version": desk.claim.version,
    }
    response = editor_client.post(url("claims_claim_verdict", desk.claim.pk), data)
    assert response.status_code == 302
    change = VerdictChange.objects.filter(claim=desk.claim).first()
    assert change is not None
    assert (change.previous, change.verdict) == (Verdict.DISPUTED, Verdict.CONFIRMED)
    assert change.note == "The company confirmed it." and change.changed_by == editor
    assert list(change.evidence.all()) == [desk.supports]
    assert fresh(desk.claim).verdict == Verdict.CONFIRMED


@pytest.mark.parametrize("note", ["", "   "])
def test_it_requires_a_note_to_change_the_verdict(
    editor_client: Client, desk: SimpleNamespace, note: str
) -> None:
    data = {"verdict": Verdict.FALSE, "note": note, "expected_version": desk.claim.version}
    response = editor_client.post(url("claims_claim_verdict", desk.claim.pk), data)
    assert response.status_code == 200
    assert "a note is required" in str(response.context["form"].errors["note"])
    assert fresh(desk.claim).verdict == Verdict.DISPUTED
    assert VerdictChange.objects.filter(claim=desk.claim).count() == 1


def test_the_verdict_cannot_rest_on_evidence_of_another_claim(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    elsewhere = evidence_add(claim=desk.calm, source=a_source(), stance="supports")
    data = {
        "verdict": Verdict.FALSE,
        "note": "Wrong evidence.",
        "evidence": [elsewhere.pk],
        "expected_version": desk.claim.version,
    }
    response = editor_client.post(url("claims_claim_verdict", desk.claim.pk), data)
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert fresh(desk.claim).verdict == Verdict.DISPUTED


def test_a_verdict_change_on_a_stale_claim_is_a_form_error(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    data = {"verdict": Verdict.FALSE, "note": "Late.", "expected_version": desk.claim.version - 1}
    response = editor_client.post(url("claims_claim_verdict", desk.claim.pk), data)
    assert response.status_code == 200
    assert "has changed since you read it" in str(response.context["form"].non_field_errors())
    assert fresh(desk.claim).verdict == Verdict.DISPUTED


# --- Evidence -----------------------------------------------------------------------------


def evidence_form(claim: Claim, **fields: Any) -> dict[str, Any]:
    base = {"stance": "supports", "certainty": "certain", "kind": "primary"}
    return {**base, "expected_version": claim.version, **fields}


def test_adding_evidence_by_url_creates_the_source_and_links_it(
    editor_client: Client, editor: Any, desk: SimpleNamespace
) -> None:
    data = evidence_form(desk.claim, url="https://WWW.Example.com/news/1?utm_source=x")
    response = editor_client.post(url("claims_claim_add_evidence", desk.claim.pk), data)
    assert response.status_code == 302
    evidence = Evidence.objects.filter(claim=desk.claim).latest("id")
    assert evidence.source.url == "https://www.example.com/news/1"
    assert (evidence.stance, evidence.labelled_by_user) == ("supports", editor)


def test_evidence_added_without_labels_is_read_from_the_source(
    editor_client: Client, editor: Any, desk: SimpleNamespace
) -> None:
    known = a_source()
    source_add_snapshot(
        source=known, text="The company denied that it will open a factory.", user=editor
    )
    data = evidence_form(desk.claim, source=known.pk, stance="", certainty="")
    response = editor_client.post(url("claims_claim_add_evidence", desk.claim.pk), data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=desk.claim, source=known)
    assert evidence.labelled_by == LabelledBy.AUTOMATIC
    assert evidence.labelled_by_user is None
    assert (evidence.stance, evidence.suggested_stance) == ("refutes", "refutes")
    assert "denied" in evidence.suggested_passage


def test_adding_evidence_from_a_known_source_links_it(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    known = a_source()
    data = evidence_form(desk.claim, source=known.pk, derived_from=desk.report.pk)
    response = editor_client.post(url("claims_claim_add_evidence", desk.claim.pk), data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=desk.claim, source=known)
    assert evidence.derived_from == desk.report


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "ftp://example.org/file"}, "url"),
        ({"url": "not a url"}, "url"),
        ({}, "url"),
        ({"url": "https://example.org/a", "derived_from_url": "javascript:x"}, "derived_from_url"),
    ],
)
def test_a_bad_evidence_url_is_a_form_error(
    editor_client: Client, desk: SimpleNamespace, fields: dict[str, str], field: str
) -> None:
    before = Evidence.objects.count()
    data = evidence_form(desk.claim, **fields)
    response = editor_client.post(url("claims_claim_add_evidence", desk.claim.pk), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Evidence.objects.count() == before


def test_linking_a_source_that_is_already_evidence_is_a_form_error(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    data = evidence_form(desk.claim, url=desk.report.url)
    response = editor_client.post(url("claims_claim_add_evidence", desk.claim.pk), data)
    assert response.status_code == 200
    assert "already evidence" in str(response.context["form"].non_field_errors())


def test_relabelling_evidence_goes_through_the_service_and_marks_it_editor_labelled(
    editor_client: Client, editor: Any, desk: SimpleNamespace
) -> None:
    Evidence.objects.filter(pk=desk.refutes.pk).update(labelled_by=LabelledBy.AUTOMATIC)
    data = {"stance": "discusses", "certainty": "possible", "kind": "secondary", "quote": ""}
    response = editor_client.post(url("claims_evidence_change", desk.refutes.pk), data)
    assert response.status_code == 302
    evidence = fresh(desk.refutes)
    assert (evidence.stance, evidence.labelled_by) == ("discusses", LabelledBy.EDITOR)
    assert evidence.labelled_by_user == editor
    assert desk.claim.events.filter(kind=EventKind.EVIDENCE_RELABELLED).exists()


def test_deprecating_evidence_keeps_the_row_with_its_reason(
    editor_client: Client, editor: Any, desk: SimpleNamespace
) -> None:
    page = url("claims_evidence_deprecate", desk.supports.pk)
    response = editor_client.post(page, {"reason": "The report was corrected."})
    assert response.status_code == 302
    evidence = fresh(desk.supports)
    assert evidence.deprecated and evidence.deprecated_reason == "The report was corrected."
    event = desk.claim.events.get(kind=EventKind.EVIDENCE_DEPRECATED, data__evidence=evidence.pk)
    assert event.actor == editor


def test_deprecating_evidence_needs_a_reason(editor_client: Client, desk: SimpleNamespace) -> None:
    page = url("claims_evidence_deprecate", desk.supports.pk)
    response = editor_client.post(page, {"reason": "  "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not fresh(desk.supports).deprecated


def test_the_deprecate_action_asks_for_one_reason_then_deprecates_each(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    changelist = url("claims_evidence_changelist")
    selected = [desk.supports.pk, desk.refutes.pk]
    action = {"action": "deprecate_selected", "_selected_action": selected}
    asked = editor_client.post(changelist, {**action, "index": 0})
    assert asked.status_code == 200 and "reason" in asked.context["form"].fields
    done = editor_client.post(changelist, {**action, "apply": "1", "reason": "Both retracted."})
    assert done.status_code == 302
    assert Evidence.objects.filter(pk__in=selected, deprecated=True).count() == 2


def test_deprecated_evidence_is_shown_but_cannot_be_relabelled(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    page = url("claims_evidence_change", desk.deprecated.pk)
    assert editor_client.get(page).status_code == 200
    response = editor_client.post(page, {"stance": "refutes", "certainty": "certain"})
    assert response.status_code == 403
    assert fresh(desk.deprecated).stance == "supports"


def test_delete_is_not_offered_for_claims_or_evidence(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    for name, pk in (("claims_claim", desk.claim.pk), ("claims_evidence", desk.supports.pk)):
        assert editor_client.post(url(f"{name}_delete", pk), {"post": "yes"}).status_code == 403
        listing = editor_client.get(url(f"{name}_changelist"))
        assert "delete_selected" not in listing.content.decode()
        assert "deletelink" not in editor_client.get(url(f"{name}_change", pk)).content.decode()
    assert Claim.objects.filter(pk=desk.claim.pk).exists()
    assert Evidence.objects.filter(pk=desk.supports.pk).exists()


# --- The review queue -------------------------------------------------------------------


def test_the_review_queue_lists_claims_needing_review_with_their_reasons(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    response = editor_client.get(url("claims_claim_review_queue"))
    page = response.content.decode()
    assert [claim for claim, _ in response.context["rows"]] == [desk.claim]
    assert "The report changed." in page
    assert desk.calm.text not in page


def test_the_review_queue_is_linked_from_the_index_and_the_claims_list(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    queue = url("claims_claim_review_queue")
    assert queue in editor_client.get(url("index")).content.decode()
    listing = editor_client.get(url("claims_claim_changelist")).content.decode()
    assert queue in listing and "Review queue (1)" in listing


def test_marking_a_claim_reviewed_takes_it_off_the_queue(
    editor_client: Client, editor: Any, desk: SimpleNamespace
) -> None:
    queue = url("claims_claim_review_queue")
    page = url("claims_claim_reviewed", desk.claim.pk)
    response = editor_client.post(page, {"note": "Checked the new text.", "next": queue})
    assert response.status_code == 302 and response["Location"] == queue
    claim = fresh(desk.claim)
    assert not claim.needs_review and claim.review_reasons == []
    cleared = claim.events.get(kind=EventKind.REVIEW_CLEARED)
    assert cleared.actor == editor and "Checked the new text." in cleared.summary


def test_marking_reviewed_ignores_a_next_address_on_another_site(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    page = url("claims_claim_reviewed", desk.claim.pk)
    response = editor_client.post(page, {"next": "https://evil.example/"})
    assert response["Location"] == url("claims_claim_change", desk.claim.pk)


def test_the_mark_reviewed_action_clears_the_selected_claims(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    data = {"action": "mark_reviewed", "_selected_action": [desk.claim.pk], "index": 0}
    response = editor_client.post(url("claims_claim_changelist"), data)
    assert response.status_code == 302
    assert not fresh(desk.claim).needs_review


# --- Who may use the desk ---------------------------------------------------------------


def desk_pages(desk: SimpleNamespace) -> list[str]:
    claim = desk.claim
    return [
        url("claims_claim_changelist"),
        url("claims_claim_change", claim.pk),
        url("claims_claim_review_queue"),
        url("claims_claim_verdict", claim.pk),
        url("claims_claim_add_evidence", claim.pk),
        url("claims_evidence_deprecate", desk.supports.pk),
    ]


def test_anonymous_and_non_staff_users_are_sent_to_the_login_page(
    client: Client, desk: SimpleNamespace
) -> None:
    outsider = Client()
    outsider.force_login(a_user())
    for visitor in (client, outsider):
        for page in desk_pages(desk):
            response = visitor.get(page)
            assert response.status_code == 302, page
            assert response["Location"].startswith(url("login")), page


def test_staff_outside_the_editors_group_cannot_change_a_verdict(
    client: Client, desk: SimpleNamespace
) -> None:
    client.force_login(a_user(is_staff=True))
    data = {"verdict": "false", "note": "No.", "expected_version": desk.claim.version}
    assert client.post(url("claims_claim_verdict", desk.claim.pk), data).status_code == 403
    assert fresh(desk.claim).verdict == Verdict.DISPUTED


def test_an_editor_sees_only_their_own_api_token(
    editor_client: Client, editor: Any, desk: SimpleNamespace
) -> None:
    other = Token.objects.create(user=an_editor())
    page = editor_client.get(url("authtoken_tokenproxy_changelist")).content.decode()
    assert Token.objects.get(user=editor).key in page
    assert other.key not in page
    assert editor_client.get(url("authtoken_tokenproxy_change", other.user_id)).status_code == 302


def test_the_source_search_of_the_evidence_form_answers(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    query = "app_label=claims&model_name=evidence&field_name=source&term=Factory"
    response = editor_client.get(url("autocomplete") + "?" + query)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(desk.report.pk)]


def test_events_are_read_only(editor_client: Client, desk: SimpleNamespace) -> None:
    event = ClaimEvent.objects.filter(claim=desk.claim).first()
    assert event is not None
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    model_admin = admin.site._registry[ClaimEvent]
    assert not model_admin.has_add_permission(request)
    assert editor_client.post(url("claims_claimevent_change", event.pk), {}).status_code == 403


def test_adding_a_claim_already_recorded_warns_and_asks_to_confirm(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    form = {"text": desk.claim.text, "context": "", "tag_names": "", "claimant": ""}
    refused = editor_client.post(url("claims_claim_add"), form)
    assert refused.status_code == 200  # the form again, with the warning
    page = refused.content.decode()
    assert "This claim looks like one already recorded" in page
    assert f"#{desk.claim.pk}" in page and "Record it anyway" in page
    assert Claim.objects.filter(text=desk.claim.text).count() == 1
    done = editor_client.post(url("claims_claim_add"), {**form, "allow_duplicate": "on"})
    assert done.status_code == 302
    assert Claim.objects.filter(text=desk.claim.text).count() == 2


def test_the_claim_page_shows_evidence_as_a_compact_table(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    page = editor_client.get(url("claims_claim_change", desk.claim.pk)).content.decode()
    assert '<table class="evidence-table">' in page
    assert 'class="source-title"' in page and 'title="Factory planned — ' in page
    assert '<span class="label label-supports"' in page
    assert '<span class="label label-refutes"' in page
    assert '<tr class="is-withdrawn">' in page  # the deprecated piece, struck through
    assert 'label-withdrawn" title="The story was withdrawn."' in page
    assert "admin/claims/desk.css" in page


def test_a_long_review_reason_is_folded_to_its_start(
    editor_client: Client, desk: SimpleNamespace
) -> None:
    long = "The report changed in many places. " * 12
    claim_flag_for_review(claim=fresh(desk.claim), code="source:99", message=long.strip())
    page = editor_client.get(url("claims_claim_change", desk.claim.pk)).content.decode()
    assert '<details class="reason"><summary>The report changed in many places.' in page
    assert "The report changed." in page  # a short reason stays whole

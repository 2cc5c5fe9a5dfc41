"""A desk's archive comes in (claims.services.imports and `manage.py import_claims`)."""

from __future__ import annotations

import json
import socket
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, ClaimEvent, Evidence, LabelledBy, VerdictChange
from claims.services.claims import claim_create
from claims.services.imports import ImportLineError, ImportReport, claims_import
from sources.models import Source, SourceSnapshot
from tests.conftest import Queued

pytestmark = pytest.mark.django_db

EMERGENT = Path(__file__).resolve().parents[3] / "shared" / "emergent" / "train.jsonl"

HEDGED = "Harbour Rail is reportedly considering closing the night train to Inverness."
DENIED = "Harbour Rail denied that it will close the night train to Inverness."


def line(**fields: Any) -> str:
    return json.dumps(fields)


def night_train(**fields: Any) -> str:
    record = {
        "id": "hr-1",
        "text": "Harbour Rail will close the night train to Inverness",
        "verdict": "false",
        "note": "The operator denied it on the record.",
        "published": True,
        "tags": ["rail"],
        "evidence": [
            {"url": "https://courier.example/hr", "publisher": "courier.example", "text": HEDGED},
            {"url": "https://harbourrail.example/statement", "text": DENIED, "kind": "primary"},
        ],
    }
    return json.dumps({**record, **fields})


def run(*lines: str, **options: Any) -> ImportReport:
    report = ImportReport()
    report.lines.extend(claims_import(lines=list(lines), **options))
    return report


@pytest.fixture(autouse=True)
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """An import touches no network: a DNS look-up fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the import looked up {args[0]!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def counts() -> tuple[int, ...]:
    return (
        Claim.objects.count(),
        Evidence.objects.count(),
        Source.objects.count(),
        SourceSnapshot.objects.count(),
        VerdictChange.objects.count(),
        ClaimEvent.objects.count(),
    )


def test_a_line_becomes_a_claim_with_its_evidence_verdict_and_tags() -> None:
    report = run(night_train())
    claim = Claim.objects.get(external_id="hr-1")
    assert report.summary().startswith("1 line(s): 1 claim(s) created")
    assert (claim.verdict, claim.published) == ("false", True)
    assert list(claim.tags.values_list("name", flat=True)) == ["rail"]
    assert claim.verdict_changes.get().note == "The operator denied it on the record."
    statement = claim.evidence.get(source__url="https://harbourrail.example/statement")
    assert statement.kind == "primary"
    assert statement.source.snapshots.get().text == DENIED


def test_missing_labels_are_read_from_the_evidence_text() -> None:
    run(night_train())
    claim = Claim.objects.get(external_id="hr-1")
    hedged = claim.evidence.get(source__url="https://courier.example/hr")
    denied = claim.evidence.get(source__url="https://harbourrail.example/statement")
    assert hedged.labelled_by == LabelledBy.AUTOMATIC and hedged.certainty == "possible"
    assert denied.labelled_by == LabelledBy.AUTOMATIC and denied.stance == "refutes"


def test_a_missing_certainty_beside_a_given_stance_is_read_and_the_stance_kept() -> None:
    evidence = [{"url": "https://courier.example/hr", "text": HEDGED, "stance": "discusses"}]
    run(night_train(evidence=evidence))
    item = Evidence.objects.get()
    assert (item.stance, item.certainty, item.labelled_by) == ("discusses", "possible", "editor")


def test_evidence_without_text_or_labels_discusses_with_unknown_certainty() -> None:
    run(night_train(evidence=[{"url": "https://quiet.example/story"}]))
    item = Evidence.objects.get()
    assert (item.stance, item.certainty) == ("discusses", "unknown")
    assert item.source.snapshots.count() == 0


def test_the_publisher_named_by_its_domain_owns_the_source() -> None:
    evidence = [{"url": "https://cdn.example.net/a/1", "publisher": "www.courier.example"}]
    run(night_train(evidence=evidence))
    source = Source.objects.get()
    assert list(source.publisher.domains.values_list("domain", flat=True)) == ["courier.example"]


def test_importing_the_same_file_twice_changes_nothing() -> None:
    lines = [night_train(), line(text="Acme will open a plant in Leeds", verdict="confirmed")]
    first = run(*lines)
    before = counts()
    second = run(*lines)
    assert first.count("created") == 2
    assert (second.count("unchanged"), second.evidence_added) == (2, 0)
    assert counts() == before


def test_a_claim_is_found_again_by_its_text_when_it_has_no_id() -> None:
    existing = claim_create(text="Harbour Rail will close the night train to Inverness")
    report = run(night_train())
    assert Claim.objects.count() == 1
    assert report.lines[0].claim_id == existing.pk
    assert Claim.objects.get().external_id == "hr-1"


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("{not json", "line 2: not JSON"),
        ("[1, 2]", "line 2: a line must be a JSON object"),
        (line(verdict="true"), "line 2: text is required"),
        (line(text="x", verdict="maybe"), "line 2: verdict must be one of"),
        (line(text="x", evidence=[{"title": "no url"}]), "line 2: evidence 1: url is required"),
        (line(text="x", evidence=[{"url": "https://a.example", "published_at": "soon"}]), "ISO"),
        (line(text="x", tags="rail"), "line 2: tags must be a list of strings"),
        (line(text="x", published="yes"), "line 2: published must be true or false"),
        ("[" * 100_000 + "]" * 100_000, "line 2: nested too deeply"),
    ],
)
def test_a_bad_line_stops_the_import_naming_it_and_keeps_the_lines_before(
    bad: str, why: str
) -> None:
    with pytest.raises(ImportLineError, match=why.replace("(", r"\(")):
        run(night_train(), bad, line(text="Never reached"))
    assert list(Claim.objects.values_list("external_id", flat=True)) == ["hr-1"]


def test_a_line_that_fails_part_way_leaves_nothing_of_itself() -> None:
    too_long = "x" * 6000  # the verdict's note, refused after the evidence was linked
    with pytest.raises(ImportLineError, match="line 2: A note may have at most"):
        run(line(text="Acme will open a plant"), night_train(note=too_long))
    assert list(Claim.objects.values_list("text", flat=True)) == ["Acme will open a plant"]
    assert not Evidence.objects.exists() and not Source.objects.exists()


def test_evidence_that_cannot_be_taken_is_skipped_counted_and_named() -> None:
    evidence = [
        {"url": "http://10.1.2.3/internal"},
        {"url": "courier.example/no-scheme"},
        {"url": "https://courier.example/a"},
        {"url": "https://courier.example/a#comments"},
    ]
    report = run(night_train(evidence=evidence))
    assert report.evidence_added == 1
    assert len(report.skipped) == 3
    assert report.skipped[0].startswith("line 1: evidence http://10.1.2.3/internal: ")
    assert "private or reserved" in report.skipped[0]
    assert "Only http and https" in report.skipped[1]
    assert "the same source as https://courier.example/a" in report.skipped[2]


def test_new_sources_are_neither_fetched_nor_scheduled_unless_asked(queued: Queued) -> None:
    run(night_train())
    assert queued.calls == []
    assert set(Source.objects.values_list("next_check_at", flat=True)) == {None}


def test_fetch_queues_the_first_check_of_each_new_source(
    queued: Queued, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run(night_train(), fetch=True)
    ids = sorted(call[0][0] for call in queued.calls)
    assert ids == sorted(Source.objects.values_list("pk", flat=True))


def test_a_dry_run_reports_what_would_happen_and_keeps_nothing() -> None:
    report = run(night_train(), line(text="Acme will open a plant"), dry_run=True)
    assert report.count("created") == 2 and report.evidence_added == 2
    assert counts() == (0, 0, 0, 0, 0, 0)


# --- The command ------------------------------------------------------------------------


def command(*args: str) -> str:
    out = StringIO()
    call_command("import_claims", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_imports_a_file_and_says_what_it_did(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    archive.write_text(night_train() + "\n\n" + line(text="Acme will open a plant") + "\n")
    said = command(str(archive))
    assert "2 line(s): 2 claim(s) created, 0 updated, 0 unchanged" in said
    assert "2 piece(s) of evidence added, 0 skipped" in said


def test_the_command_stops_at_a_bad_line_with_one_line_saying_why(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    archive.write_text(night_train() + "\n" + "oops\n")
    with pytest.raises(CommandError, match=r"^line 2: not JSON"):
        command(str(archive))
    assert Claim.objects.count() == 1


def test_the_command_refuses_a_missing_file_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        command(str(tmp_path / "absent.jsonl"))


# --- A real archive ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not EMERGENT.exists(), reason=f"needs {EMERGENT}")
def test_the_emergent_archive_comes_in_whole_and_a_second_time_changes_nothing() -> None:
    lines = EMERGENT.read_text(encoding="utf-8").splitlines()
    given = sum(len(json.loads(text)["evidence"]) for text in lines)
    first = run(*lines)
    assert first.count("created") == len(lines) == Claim.objects.count()
    assert first.evidence_added + len(first.skipped) == given  # every headline accounted for
    assert first.evidence_added == Evidence.objects.count()
    settled = Claim.objects.exclude(verdict="unverified").count()
    assert settled == sum(1 for text in lines if json.loads(text).get("verdict"))
    before = counts()
    second = run(*lines[:40])
    assert second.count("unchanged") == 40 and counts() == before

"""The desk's import page: upload, a dry-run preview that keeps nothing, then the import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Evidence
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = "admin:claims_claim_import"


def archive(*records: dict[str, Any]) -> SimpleUploadedFile:
    body = "\n".join(json.dumps(record) for record in records).encode()
    return SimpleUploadedFile("archive.jsonl", body, content_type="application/x-ndjson")


RECORDS = (
    {
        "id": "a-1",
        "text": "Acme will open a plant in Leeds",
        "verdict": "confirmed",
        "evidence": [
            {"url": "https://acme.example/news", "stance": "supports", "certainty": "certain"}
        ],
    },
    {
        "id": "a-2",
        "text": "Acme will close its Derby depot",
        "evidence": [{"url": "http://10.0.0.9/leak"}],
    },
)


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_the_preview_shows_what_would_happen_and_keeps_nothing(editor_client: Client) -> None:
    response = editor_client.post(reverse(PAGE), {"archive": archive(*RECORDS)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: nothing has been imported yet" in page
    assert "2 line(s): 2 claim(s) created" in page and "1 skipped" in page
    assert "http://10.0.0.9/leak" in page  # the skipped evidence, named
    assert not Claim.objects.exists() and not Evidence.objects.exists()


def test_confirming_imports_the_previewed_file_and_deletes_it(
    editor_client: Client, var_dir: Path
) -> None:
    preview = editor_client.post(reverse(PAGE), {"archive": archive(*RECORDS)})
    token = preview.context["confirm"].initial["token"]
    assert (var_dir / "imports" / f"{token}.jsonl").is_file()
    done = editor_client.post(reverse(PAGE), {"token": token}, follow=True)
    assert [c.external_id for c in Claim.objects.order_by("external_id")] == ["a-1", "a-2"]
    assert Claim.objects.get(external_id="a-1").verdict == "confirmed"
    assert not (var_dir / "imports" / f"{token}.jsonl").exists()
    said = [str(m) for m in done.context["messages"]]
    assert any("2 claim(s) created" in m for m in said)
    assert any(m.startswith("Skipped line 2: evidence http://10.0.0.9/leak") for m in said)


def test_a_bad_line_is_shown_in_the_preview_with_its_number(editor_client: Client) -> None:
    bad = SimpleUploadedFile("archive.jsonl", json.dumps(RECORDS[0]).encode() + b"\n{oops\n")
    page = editor_client.post(reverse(PAGE), {"archive": bad}).content.decode()
    assert "The import would stop at line 2: not JSON" in page
    assert not Claim.objects.exists()


@pytest.mark.parametrize("token", ["../../etc/passwd", "0" * 32, "zz"])
def test_a_token_that_names_no_upload_imports_nothing(editor_client: Client, token: str) -> None:
    response = editor_client.post(reverse(PAGE), {"token": token}, follow=True)
    assert "That upload is gone" in response.content.decode()
    assert not Claim.objects.exists()


def test_only_those_who_may_add_claims_may_import(client: Client) -> None:
    client.force_login(UserFactory.create(is_staff=True))
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(PAGE), {"archive": archive(*RECORDS)}).status_code == 403
    assert not Claim.objects.exists()


def test_the_claim_list_links_the_import_page(editor_client: Client) -> None:
    page = editor_client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert reverse(PAGE) in page

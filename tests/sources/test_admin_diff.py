"""The editors' page showing what changed between two versions of a source."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sources.models import Source
from sources.services import source_add_snapshot
from tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    found = SourceFactory.create(title="Budget story")
    texts = [
        "The council will cut the budget. Schools are spared.",
        "The council will raise the budget. Schools are spared.",
        "The council will raise the budget. Schools are spared. Libraries close.",
    ]
    for text in texts:
        source_add_snapshot(source=found, text=text)
    return found


def diff_url(source: Source, number: int, query: str = "") -> str:
    return reverse("admin:sources_source_diff", args=[source.pk, number]) + query


def test_the_snapshot_list_links_each_version_to_what_changed(
    editor_client: Client, source: Source
) -> None:
    page = editor_client.get(reverse("admin:sources_source_change", args=[source.pk]))
    html = page.content.decode()
    assert diff_url(source, 2) in html and diff_url(source, 3) in html
    assert "what changed since 2" in html and "first version" in html


def test_by_word_against_the_previous_version(editor_client: Client, source: Source) -> None:
    response = editor_client.get(diff_url(source, 2))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>cut</del><ins>raise</ins>" in html
    assert response.context["older"].number == 1 and response.context["unit"] == "word"


def test_by_sentence_against_a_chosen_version(editor_client: Client, source: Source) -> None:
    response = editor_client.get(diff_url(source, 3, "?against=1&unit=sentence"))
    html = response.content.decode()
    assert response.context["older"].number == 1
    assert "<ins>Libraries close.</ins>" in html
    assert "<del>The council will cut the budget.</del>" in html
    assert response.context["added"] == ["The council will raise the budget.", "Libraries close."]


def test_the_first_version_has_nothing_to_compare(editor_client: Client, source: Source) -> None:
    response = editor_client.get(diff_url(source, 1))
    assert response.status_code == 200
    assert "nothing to compare it with" in response.content.decode()


def test_nonsense_choices_fall_back_to_the_defaults(editor_client: Client, source: Source) -> None:
    response = editor_client.get(diff_url(source, 3, "?against=77&unit=letter"))
    assert response.status_code == 200
    assert response.context["older"].number == 2 and response.context["unit"] == "word"


def test_a_missing_version_is_404(editor_client: Client, source: Source) -> None:
    assert editor_client.get(diff_url(source, 9)).status_code == 404


def test_the_page_escapes_the_text(editor_client: Client) -> None:
    found = SourceFactory.create()
    source_add_snapshot(source=found, text="Plain words.")
    source_add_snapshot(source=found, text="Plain <script>alert(1)</script> words.")
    html = editor_client.get(diff_url(found, 2)).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_staff_without_the_permission_may_not_look(client: Client, source: Source) -> None:
    someone: Any = UserFactory(is_staff=True)
    client.force_login(someone)
    assert client.get(diff_url(source, 2)).status_code == 403

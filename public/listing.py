"""The claim list behind /claims/ and /tags/<tag>/: its filters, rows and stamp."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet

from claims.marks import ChangeMarks
from claims.models import Claim, Level, Tag, Verdict
from claims.selectors import (
    SEARCH_MAX,
    claims_by_relevance,
    claims_filter,
    tags_in_use,
)
from public.caching import Stamp, latest

PAGE_SIZE = 20


class ClaimFilters(forms.Form):
    """The list's GET parameters. A value that is not one of the choices is an error that
    the reader is told about (400), never silently dropped."""

    q = forms.CharField(required=False, max_length=SEARCH_MAX, label="Search claims")
    verdict = forms.ChoiceField(
        required=False, choices=[("", "Any verdict"), *Verdict.choices], label="Verdict"
    )
    level = forms.ChoiceField(
        required=False, choices=[("", "Any firmness"), *Level.choices], label="Firmness"
    )
    tag = forms.SlugField(required=False, allow_unicode=True, max_length=Tag.NAME_MAX, label="Tag")

    def active(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("q", "verdict", "level", "tag"))

    def described(self) -> list[str]:
        """The filters in force, in words, for the results heading."""
        data = self.cleaned_data
        words = []
        if data.get("q"):
            words.append(f"matching “{data['q']}”")
        if data.get("verdict"):
            words.append(f"verdict {Verdict(data['verdict']).label}")
        if data.get("level"):
            words.append(f"firmness {Level(data['level']).label}")
        if data.get("tag"):
            words.append(f"tagged {data['tag']}")
        return words


def filtered_claims(claims: QuerySet[Claim], filters: dict[str, Any]) -> QuerySet[Claim]:
    """The reader's choices, one value each, through the same filters as the API's list."""
    return claims_filter(
        claims,
        verdicts=[filters["verdict"]] if filters.get("verdict") else [],
        levels=[filters["level"]] if filters.get("level") else [],
        tag=filters.get("tag") or "",
        q=filters.get("q") or "",
    )


# The columns a row of the list shows: never the explanation or the search document.
ROW_COLUMNS = (
    "id",
    "slug",
    "text",
    "claimant",
    "verdict",
    "published",
    "updated_at",
    "expected_by",
    "firmness_score",
    "firmness_level",
)
# Deeper pages are read by offset; past this one the list starts again at page 1.
MAX_PAGE = 1000


def list_rows(claims: QuerySet[Claim], words: str = "") -> QuerySet[Claim]:
    """Newest change first; most relevant first when the reader searched."""
    return claims_by_relevance(claims, words).only(*ROW_COLUMNS).prefetch_related("tags")


@dataclass(frozen=True)
class ListPage:
    """A page of rows and whether another follows, found by reading one row more than the
    page shows: the list is never counted. The total is known on the last page alone."""

    number: int
    object_list: list[Claim]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def total(self) -> int | None:
        return None if self.has_next else (self.number - 1) * PAGE_SIZE + len(self.object_list)


def list_page(rows: QuerySet[Claim], asked: str | None) -> ListPage:
    """The page asked for; page 1 when the number is not one, or is past the end."""
    number = page_number(asked)
    start = (number - 1) * PAGE_SIZE
    found = list(rows[start : start + PAGE_SIZE + 1])
    if not found and number > 1:
        return list_page(rows, None)
    return ListPage(number, found[:PAGE_SIZE], has_next=len(found) > PAGE_SIZE)


def page_number(asked: str | None) -> int:
    try:
        number = int(asked or "1")
    except ValueError:
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def list_stamp(query: str, editor: bool, marks: ChangeMarks) -> Stamp:
    """From values the database keeps (claims.marks), not from the list: any change to any
    claim moves them, and then every list's ETag changes (rarely needed, never wrong)."""
    changed, computed, removed = marks
    parts = (query, editor, changed, computed, removed)
    return Stamp(parts=parts, modified=latest(changed, computed))


def tag_choices(editor: bool) -> QuerySet[Tag]:
    """Tags that the reader's claims carry, for the filter."""
    return tags_in_use(published_only=not editor)

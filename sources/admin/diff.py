"""The editors' page showing what changed between two versions of a source's text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from sources import diffing
from sources.models import Source, SourceSnapshot


class SnapshotDiffForm(forms.Form):
    """Which older version to compare with, and by what unit; bad input falls back to the
    defaults (the previous version, by word) rather than failing the page."""

    against = forms.TypedChoiceField(coerce=int, required=False, label="Compare with version")
    unit = forms.ChoiceField(
        choices=[(unit, f"by {unit}") for unit in diffing.UNITS], required=False, label="Show"
    )

    def __init__(
        self, data: Any, *, versions: dict[int, SourceSnapshot], newer: SourceSnapshot
    ) -> None:
        super().__init__(data)
        self.versions, self.newer = versions, newer
        others = [n for n in sorted(versions, reverse=True) if n != newer.number]
        self.fields["against"].choices = [(n, f"version {n}") for n in others]  # type: ignore[attr-defined]
        self.default = newer.number - 1 if newer.number - 1 in versions else None
        self.fields["against"].initial = self.default

    def choice(self) -> tuple[SourceSnapshot | None, str]:
        against, unit = self.default, "word"
        if self.is_bound and self.is_valid():
            against = self.cleaned_data["against"] or against
            unit = self.cleaned_data["unit"] or unit
        return self.versions.get(against) if against is not None else None, unit


class SnapshotDiffMixin:
    """For SourceAdmin: `diff_view`, routed as `<source id>/diff/<number>/` by get_urls."""

    # ModelAdmin's, declared for the type checker only (no values: the MRO finds the real ones)
    admin_site: Any
    opts: Any
    has_view_permission: Callable[..., bool]

    def diff_view(self, request: HttpRequest, object_id: int, number: int) -> HttpResponse:
        """Version `number` against an older one (`?against=`, the previous by default), by
        word or by sentence (`?unit=`)."""
        source = get_object_or_404(Source, pk=object_id)
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        versions = {s.number: s for s in source.snapshots.all()}
        newer = versions.get(number)
        if newer is None:
            raise Http404("No such version.")
        form = SnapshotDiffForm(request.GET or None, versions=versions, newer=newer)
        older, unit = form.choice()
        changes = diffing.diff(older.text, newer.text, unit=unit) if older else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": source,
            "title": f"Version {newer.number}: what changed",
            "form": form,
            "newer": newer,
            "older": older,
            "unit": unit,
            "changes": changes,
            "added": diffing.changed_sentences(older.text, newer.text) if older else [],
        }
        return TemplateResponse(request, "admin/sources/source/snapshot_diff.html", context)

"""The desk's import page: upload an archive, see what it would do, then import it.

The upload is kept in a file of its own under FACTCHECK_VAR_DIR/imports/ between the preview
(a dry run: every line imported and rolled back) and the confirmation, which imports it
for real and deletes the file. The token naming the file is the only thing the form sends
back, so nobody can point the import at another file.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from claims.services.imports import ImportLineError, ImportReport, claims_import

IMPORT_TEMPLATE = "admin/claims/claim/import.html"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
TOKEN_BYTES = 16


class ImportUploadForm(forms.Form):
    archive = forms.FileField(
        label="Archive (JSON lines)",
        help_text="One claim a line, as `manage.py import_claims` reads it (docs/import.md).",
    )
    fetch = forms.BooleanField(required=False, label="Queue the first check of every new source")

    def clean_archive(self) -> Any:
        upload = self.cleaned_data["archive"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"An archive may be at most {MAX_UPLOAD_BYTES:,} bytes.")
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    fetch = forms.BooleanField(required=False, widget=forms.HiddenInput)


def uploads_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_import(upload: Path, *, user: Any, fetch: bool, dry_run: bool) -> tuple[ImportReport, str]:
    """The report, and the error that stopped the import ("" when none did)."""
    report = ImportReport()
    try:
        with upload.open(encoding="utf-8") as stream:
            for line in claims_import(lines=stream, user=user, fetch=fetch, dry_run=dry_run):
                report.lines.append(line)
    except ImportLineError as exc:
        return report, str(exc)
    except UnicodeDecodeError:
        return report, "The file is not UTF-8 text."
    return report, ""


class ClaimImportViews(admin.ModelAdmin):
    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="claims_claim_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            token = secrets.token_hex(TOKEN_BYTES)
            kept = uploads_dir() / f"{token}.jsonl"
            with kept.open("wb") as out:
                for chunk in form.cleaned_data["archive"].chunks():
                    out.write(chunk)
            fetch = form.cleaned_data["fetch"]
            report, error = run_import(kept, user=request.user, fetch=fetch, dry_run=True)
            confirm = ImportConfirmForm(initial={"token": token, "fetch": fetch})
            return self._page(request, form=form, report=report, error=error, confirm=confirm)
        return self._page(request, form=form)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        form = ImportConfirmForm(request.POST)
        kept = uploads_dir() / f"{form.data.get('token', '')}.jsonl"
        if not form.is_valid() or not kept.is_file():
            messages.error(request, "That upload is gone; upload the archive again.")
            return HttpResponseRedirect(reverse("admin:claims_claim_import"))
        fetch = form.cleaned_data["fetch"]
        report, error = run_import(kept, user=request.user, fetch=fetch, dry_run=False)
        kept.unlink(missing_ok=True)
        if error:
            messages.error(request, f"{report.summary()} Stopped at {error}")
        else:
            messages.success(request, report.summary())
        for skipped in report.skipped[:20]:
            messages.warning(request, f"Skipped {skipped}")
        return HttpResponseRedirect(reverse("admin:claims_claim_changelist"))

    def _page(self, request: HttpRequest, **context: Any) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import claims",
            **context,
        }
        return TemplateResponse(request, IMPORT_TEMPLATE, context)

"""Publishers, sources and snapshots on the editors' desk.

Publishers are saved through publisher_create / publisher_update (so claims recompute
their firmness), sources are added through source_get_or_create and text by hand
through source_add_snapshot. Nothing here imports claims.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sources.addresses import InvalidSourceURL, normalise_url
from sources.admin.diff import SnapshotDiffMixin
from sources.models import Publisher, PublisherDomain, SnapshotMethod, Source, SourceSnapshot
from sources.services import (
    SnapshotTextInvalid,
    publisher_create,
    publisher_update,
    source_add_snapshot,
    source_get_or_create,
)

PUBLISHER_FIELDS = ("name", "kind", "reliability", "notes")
DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
FETCH_STATE = (
    "health",
    "last_checked_at",
    "next_check_at",
    "http_status",
    "last_ok_at",
    "consecutive_errors",
    "consecutive_failures",
    "first_failure_at",
    "last_error",
    "moved_to",
    "archive_url",
    "check_interval",
    "etag",
    "last_modified",
    "content_hash",
)


def adopt(obj: Any, saved: Any) -> None:
    """Make the admin's unsaved object the row a service created, so that the admin's
    inline formsets, log entry and redirect refer to it."""
    vars(obj).update(vars(saved))


def admin_link(obj: Any, text: Any = None) -> SafeString:
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj if text is None else text)


# --- Publishers ----------------------------------------------------------------------


class PublisherForm(forms.ModelForm):
    reliability = forms.FloatField(
        min_value=0.0,
        max_value=1.0,
        help_text="From 0 to 1: how far this publisher's own word is trusted.",
    )

    class Meta:
        model = Publisher
        fields = list(PUBLISHER_FIELDS)


class PublisherDomainForm(forms.ModelForm):
    class Meta:
        model = PublisherDomain
        fields = ["domain"]

    def clean_domain(self) -> str:
        raw = self.cleaned_data["domain"].strip()
        host = (urlsplit(raw).hostname or "") if "://" in raw else raw
        try:
            domain = host.lower().rstrip(".").removeprefix("www.").encode("idna").decode()
        except UnicodeError:
            domain = ""
        if not DOMAIN.match(domain):
            raise forms.ValidationError(f"{raw!r} is not a domain such as example.org.")
        owner = PublisherDomain.objects.filter(domain=domain).exclude(pk=self.instance.pk).first()
        if owner is not None:
            raise forms.ValidationError(f"{domain} already belongs to {owner.publisher}.")
        return domain


class PublisherDomainInline(admin.TabularInline):
    model = PublisherDomain
    form = PublisherDomainForm
    extra = 1


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    form = PublisherForm
    inlines = [PublisherDomainInline]
    list_display = (
        "name",
        "kind",
        "reliability",
        "learned_reliability",
        "domain_list",
        "source_count",
    )
    list_filter = ("kind",)
    search_fields = ("name", "domains__domain")
    readonly_fields = (
        "track_record_summary",
        "learned_reliability",
        "track_record_computed_at",
        "created_at",
        "updated_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Publisher]:
        queryset = super().get_queryset(request).prefetch_related("domains")
        return queryset.annotate(source_count=Count("sources"))

    def save_model(self, request: HttpRequest, obj: Publisher, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in PUBLISHER_FIELDS}
        if change:
            # A fresh copy: the service compares it with the new values to tell claims.
            fresh = Publisher.objects.get(pk=obj.pk)
            adopt(obj, publisher_update(publisher=fresh, **fields))
        else:
            adopt(obj, publisher_create(domains=[], **fields))  # the inline adds the domains

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # sources and the evidence on them refer to it

    @admin.display(description="Track record")
    def track_record_summary(self, publisher: Publisher) -> str:
        counts = publisher.track_record or {}
        if not counts:
            return "Not computed yet."
        return "; ".join(
            f"{side} claims that {outcome}: {counts.get(f'{side}_{outcome}', 0)}"
            for side in ("supported", "refuted")
            for outcome in ("held", "fell", "unsettled")
        )

    @admin.display(description="Domains")
    def domain_list(self, publisher: Publisher) -> str:
        return ", ".join(d.domain for d in publisher.domains.all())

    @admin.display(description="Sources", ordering="source_count")
    def source_count(self, publisher: Any) -> int:
        return int(publisher.source_count)


# --- Sources and snapshots -----------------------------------------------------------


class SourceAddForm(forms.ModelForm):
    address = forms.CharField(
        label="URL",
        max_length=Source.URL_MAX,
        help_text="The page's address; its publisher is found.",
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def clean_address(self) -> str:
        try:
            url = normalise_url(self.cleaned_data["address"])
        except InvalidSourceURL as exc:
            raise forms.ValidationError(str(exc)) from None
        known = Source.objects.filter(url=url).first()
        if known is not None:
            raise forms.ValidationError(format_html("Already a source: {}", admin_link(known)))
        return url


class ManualSnapshotForm(forms.Form):
    title = forms.CharField(max_length=Source.TITLE_MAX, required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="The page's text as it stands, for pages that cannot be fetched.",
    )
    note = forms.CharField(
        max_length=SourceSnapshot.NOTE_MAX,
        required=False,
        help_text="Where the text comes from, for the record.",
    )


class SnapshotsAreRecords:
    """Snapshots are what a source said: never typed over or removed. New text by hand goes
    through "Add text by hand" on the source page (source_add_snapshot)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Hash")
    def hash_prefix(self, snapshot: SourceSnapshot) -> str:
        return snapshot.content_hash[:12]


class SnapshotInline(SnapshotsAreRecords, admin.TabularInline):
    model = SourceSnapshot
    fields = (
        "number",
        "taken_at",
        "method",
        "title",
        "hash_prefix",
        "http_status",
        "added_by",
        "note",
        "diff_link",
    )
    readonly_fields = fields
    ordering = ("-number",)
    extra = 0
    show_change_link = True

    @admin.display(description="Changes")
    def diff_link(self, snapshot: SourceSnapshot) -> str:
        if snapshot.number <= 1:
            return "first version"
        url = reverse("admin:sources_source_diff", args=[snapshot.source_id, snapshot.number])
        return format_html('<a href="{}">what changed since {}</a>', url, snapshot.number - 1)


@admin.register(Source)
class SourceAdmin(SnapshotDiffMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "publisher",
        "health",
        "last_checked_at",
        "next_check_at",
        "consecutive_failures",
        "archived",
    )
    list_filter = ("health", ("publisher", admin.RelatedOnlyFieldListFilter), "paused")
    list_select_related = ("publisher",)
    search_fields = ("url", "title")
    inlines = [SnapshotInline]
    readonly_fields = ("url_link", "publisher_link", *FETCH_STATE, "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("url_link", "publisher_link", "title", "author", "language")}),
        ("Dates", {"fields": ("published_at", "modified_at", "created_at", "updated_at")}),
        ("Checks", {"fields": ("paused", "pinned_interval", "alert_after_errors", *FETCH_STATE)}),
    )

    def get_urls(self) -> list[URLPattern]:
        add_text = self.admin_site.admin_view(self.add_text_view)
        diff = self.admin_site.admin_view(self.diff_view)
        return [
            path("<int:object_id>/add-text/", add_text, name="sources_source_add_text"),
            path("<int:object_id>/diff/<int:number>/", diff, name="sources_source_diff"),
            *super().get_urls(),
        ]

    def get_form(
        self, request: HttpRequest, obj: Source | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = SourceAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Source | None = None) -> Any:
        return self.fieldsets if obj is not None else [(None, {"fields": ["address"]})]

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def get_inlines(self, request: HttpRequest, obj: Source | None = None) -> Any:
        return self.inlines if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        if change:
            # Only descriptive and scheduling fields are editable; none of them moves a
            # claim's firmness, and sources.services has no update service for them.
            super().save_model(request, obj, form, change)
            return
        source, _ = source_get_or_create(url=form.cleaned_data["address"])
        adopt(obj, source)

    def response_post_save_add(self, request: HttpRequest, obj: Source) -> HttpResponseRedirect:
        # The new source's own page, where its text can be added by hand.
        return HttpResponseRedirect(reverse("admin:sources_source_change", args=[obj.pk]))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # evidence refers to it; a dead page keeps its snapshots and archive

    @admin.display(description="URL")
    def url_link(self, source: Source) -> SafeString:
        return format_html('<a href="{}" rel="noopener">{}</a>', source.url, source.url)

    @admin.display(description="Publisher")
    def publisher_link(self, source: Source) -> SafeString:
        return admin_link(source.publisher)

    @admin.display(description="Archived", boolean=True)
    def archived(self, source: Source) -> bool:
        return bool(source.archive_url)

    def add_text_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        source = get_object_or_404(Source, pk=object_id)
        if not request.user.has_perm("sources.add_sourcesnapshot"):
            raise PermissionDenied
        form = ManualSnapshotForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                snapshot = source_add_snapshot(
                    source=source,
                    method=SnapshotMethod.MANUAL,
                    user=request.user,
                    **form.cleaned_data,
                )
            except SnapshotTextInvalid as exc:
                form.add_error("text", str(exc))
            else:
                self.tell_snapshot_result(request, snapshot)
                return HttpResponseRedirect(
                    reverse("admin:sources_source_change", args=[source.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": source,
            "title": "Add text by hand",
            "form": form,
        }
        return TemplateResponse(request, "admin/sources/source/add_text.html", context)

    def tell_snapshot_result(self, request: HttpRequest, snapshot: SourceSnapshot | None) -> None:
        if snapshot is None:
            messages.info(request, "The text is the same as the latest version: nothing new kept.")
        else:
            messages.success(request, f"Kept as version {snapshot.number}.")


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(SnapshotsAreRecords, admin.ModelAdmin):
    """Versions of a source's text, as fetched or supplied by hand; never edited."""

    list_display = ("__str__", "taken_at", "method", "title", "hash_prefix", "added_by")
    list_filter = ("method",)
    list_select_related = ("source", "added_by")
    search_fields = ("source__url", "title")
    fields = (
        "source",
        "number",
        "taken_at",
        "method",
        "title",
        "content_hash",
        "http_status",
        "added_by",
        "note",
        "text",
    )
    readonly_fields = fields

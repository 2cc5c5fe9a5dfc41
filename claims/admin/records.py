"""Records the desk reads but does not write here: tags, timelines, verdict changes, tokens.

Tags are created from the claim form, events by the services, verdict changes on
the claim's "Change verdict" page; these admins only show them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from claims.admin.display import admin_link
from claims.models import ClaimEvent, Tag, VerdictChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "claim_count")
    search_fields = ("name", "slug")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(description="Claims", ordering="claim_count")
    def claim_count(self, tag: Any) -> int:
        return int(tag.claim_count)


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdmin):
    """The append-only timeline."""

    list_display = ("at", "kind", "claim_link", "summary", "actor")
    list_filter = ("kind",)
    list_select_related = ("claim", "actor")
    search_fields = ("summary", "claim__text")
    date_hierarchy = "at"
    fields = ("claim_link", "kind", "at", "actor", "summary", "data")
    readonly_fields = fields

    @admin.display(description="Claim", ordering="claim__text")
    def claim_link(self, event: ClaimEvent) -> SafeString:
        return admin_link(event.claim)


@admin.register(VerdictChange)
class VerdictChangeAdmin(ReadOnlyAdmin):
    list_display = ("changed_at", "claim_link", "previous", "verdict", "changed_by")
    list_filter = ("verdict", "previous")
    list_select_related = ("claim", "changed_by")
    search_fields = ("note", "claim__text")
    fields = ("claim_link", "previous", "verdict", "note", "resting_on", "changed_by", "changed_at")
    readonly_fields = fields

    @admin.display(description="Claim", ordering="claim__text")
    def claim_link(self, change: VerdictChange) -> SafeString:
        return admin_link(change.claim)

    @admin.display(description="Rests on")
    def resting_on(self, change: VerdictChange) -> str:
        return ", ".join(str(item) for item in change.evidence.all()) or "No evidence chosen."


class OwnTokenAdmin(TokenAdmin):
    """Editors may view tokens (claims.permissions), but a key is a password: each editor
    sees only their own; superusers see all."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        tokens = super().get_queryset(request)
        return tokens if request.user.is_superuser else tokens.filter(user=request.user.pk)


if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
admin.site.register(TokenProxy, OwnTokenAdmin)

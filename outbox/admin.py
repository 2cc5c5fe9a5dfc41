from django.contrib import admin

from outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: what the service has promised to run, and whether the broker has it."""

    list_display = ("task", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("task",)
    readonly_fields = (
        "task",
        "args",
        "kwargs",
        "created_at",
        "claimed_until",
        "sent_at",
        "attempts",
        "last_error",
    )

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

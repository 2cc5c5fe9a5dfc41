"""Webhooks on the editors' desk: subscriptions (saved through webhooks.services; the secret
is shown once, when it is made), why one was disabled, and the delivery log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from webhooks.models import SUBSCRIBABLE, Delivery, DeliveryAttempt, Subscription
from webhooks.services import (
    SubscriptionDisabled,
    checked_url,
    delivery_redeliver,
    subscription_create,
    subscription_update,
)


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=Subscription.URL_MAX, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=[(name, name) for name in SUBSCRIBABLE], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ["url", "events", "claim", "tag", "active"]

    def clean_url(self) -> str:
        try:
            return checked_url(self.cleaned_data["url"])
        except ValidationError as exc:  # {"url": …} from the service: the field's own message
            raise ValidationError(exc.message_dict["url"]) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("claim") and cleaned.get("tag"):
            raise ValidationError("Filter by a claim or by a tag, not both.")
        return cleaned


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["url", "active", "consecutive_failures", "disabled_reason", "created_by"]
    list_filter = ["active"]
    search_fields = ["url"]
    autocomplete_fields = ["claim", "tag"]
    readonly_fields = [
        "consecutive_failures",
        "disabled_reason",
        "disabled_at",
        "created_by",
        "delivery_log",
    ]

    @admin.display(description="delivery log")
    def delivery_log(self, subscription: Subscription) -> SafeString | str:
        if subscription.pk is None:
            return "—"
        url = (
            reverse("admin:webhooks_delivery_changelist")
            + f"?subscription__id__exact={subscription.pk}"
        )
        return format_html('<a href="{}">{} deliveries</a>', url, subscription.deliveries.count())

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in SubscriptionForm.Meta.fields}
        if change:
            saved = subscription_update(subscription=obj, **fields)
        else:
            saved, secret = subscription_create(user=request.user, **fields)
            messages.warning(request, f"The signing secret, shown this once: {secret}")
        vars(obj).update(vars(saved))


ATTEMPT_FIELDS = ("number", "at", "status_code", "error", "duration_ms", "response_excerpt")


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ATTEMPT_FIELDS
    readonly_fields = ATTEMPT_FIELDS
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["uuid", "event", "subscription", "state", "attempts", "next_attempt_at"]
    list_filter = ["state", "event__type", "subscription"]
    list_select_related = ["event", "subscription"]
    readonly_fields = [
        "uuid",
        "subscription",
        "event",
        "state",
        "attempts",
        "created_at",
        "first_attempt_at",
        "next_attempt_at",
        "finished_at",
        "last_error",
        "redelivery_of",
        "body",
    ]
    inlines = [AttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="body sent")
    def body(self, delivery: Delivery) -> str:
        return delivery.event.body

    @admin.action(description="Deliver again (a new delivery of the same event)")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        for delivery in queryset.select_related("subscription", "event"):
            try:
                delivery_redeliver(delivery=delivery)
            except SubscriptionDisabled as exc:
                messages.error(request, f"{delivery.uuid}: {exc}")
        messages.success(request, "Queued again.")

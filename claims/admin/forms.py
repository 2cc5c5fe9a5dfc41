"""Forms of the editors' desk (the Django admin).

The forms validate what a person typed; the writing is the services' business. A
service's ValidationError, version conflict or duplicate link is turned into a form
error by `service_errors_to`, so the editor sees what to fix instead of a 500.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from claims.models import NOTE_MAX, Certainty, Claim, Evidence, EvidenceKind, Stance, Verdict
from claims.services.changes import ClaimVersionConflict
from claims.services.claims import (
    EDITABLE_FIELDS,
    REVIEW_NOTE_MAX,
    ClaimLooksDuplicate,
    claim_create,
    claim_update,
)
from claims.services.evidence import LABEL_FIELDS, EvidenceAlreadyLinked, evidence_relabel
from sources.models import Source

# A claim's tags as typed, commas and all; each tag is held to Tag.NAME_MAX by the service.
TAG_LIST_MAX = 1000
RELOAD_HINT = " Reload the page to see the other change, then make yours again."


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's errors on the form fields they name; the rest above the form."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        field = aliases.get(key, key)
        form.add_error(field if field in form.fields else None, messages)


@contextmanager
def service_errors_to(
    form: forms.BaseForm, aliases: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Run a service call; what it refuses becomes an error on `form` (check form.errors)."""
    try:
        yield
    except ValidationError as exc:
        add_service_errors(form, exc, aliases)
    except ClaimVersionConflict as exc:
        form.add_error(None, str(exc) + RELOAD_HINT)
    except EvidenceAlreadyLinked as exc:
        form.add_error(None, f"{exc} Relabel it there instead of linking the source again.")
    except ClaimLooksDuplicate as exc:
        hint = " Tick “Record it anyway” if it is a different claim."
        form.add_error(
            "allow_duplicate" if "allow_duplicate" in form.fields else None, str(exc) + hint
        )


def split_tags(raw: str) -> list[str]:
    return [name.strip() for name in raw.split(",") if name.strip()]


def source_autocomplete(field_name: str) -> AutocompleteSelect:
    """The admin's search-as-you-type select over sources (SourceAdmin's search fields)."""
    return AutocompleteSelect(Evidence._meta.get_field(field_name), admin.site)


class ServiceModelForm(forms.ModelForm):
    """A model form that saves through a service as the last step of validation.

    The admin re-renders a form only for errors found by is_valid(), and a service
    validates as it writes (a version conflict can only be seen under its lock), so
    the service runs there; `saved` is what it returned. Use it only on admin pages
    without inline formsets, so that nothing can fail after the write.
    """

    user: Any = None
    saved: Any = None
    error_aliases: Mapping[str, str] = {}

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or self.errors:
            return
        with service_errors_to(self, self.error_aliases):
            self.saved = self.commit()

    def commit(self) -> Any:
        raise NotImplementedError


class ClaimAdminForm(ServiceModelForm):
    tag_names = forms.CharField(
        label="Tags",
        required=False,
        max_length=TAG_LIST_MAX,
        help_text="Separate tags with commas.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    allow_duplicate = forms.BooleanField(
        required=False,
        label="Record it anyway",
        help_text="Only asked when the text strongly matches a claim already recorded.",
    )
    error_aliases = {"tags": "tag_names"}

    class Meta:
        model = Claim
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
            self.fields["expected_version"].initial = self.instance.version
            del self.fields["allow_duplicate"]  # a new claim's question only

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None and cleaned.get("expected_version") is None:
            # Without the version we read, a conflicting edit would be silently overwritten.
            raise ValidationError("The form lost track of the claim's version." + RELOAD_HINT)
        return cleaned

    def commit(self) -> Claim:
        data = {
            name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data
        }
        tags = split_tags(self.cleaned_data["tag_names"])
        if self.instance.pk is None:
            allow = bool(self.cleaned_data.get("allow_duplicate"))
            return claim_create(user=self.user, tags=tags, allow_duplicate=allow, **data)
        return claim_update(
            claim=self.instance,
            user=self.user,
            expected_version=self.cleaned_data["expected_version"],
            tags=tags,
            **data,
        )


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        source = obj.source
        return (
            f"#{obj.pk} {source.publisher.name}: {source.title or source.url} "
            f"({obj.get_stance_display().lower()}, {obj.get_certainty_display().lower()})"
        )


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=Verdict.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NOTE_MAX,
        help_text="Why the verdict changes. Readers see this note in the claim's history.",
        error_messages={"required": "Say why the verdict changes: a note is required."},
    )
    evidence = EvidenceChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The evidence this verdict rests on.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, claim: Claim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        assert isinstance(field, EvidenceChoiceField)
        field.queryset = (
            Evidence.objects.live().filter(claim=claim).select_related("source__publisher")
        )
        self.fields["verdict"].initial = claim.verdict
        self.fields["expected_version"].initial = claim.version


READ_IT_FOR_ME = "— read it from the source —"


class EvidenceAddForm(forms.Form):
    url = forms.CharField(
        label="Source URL",
        required=False,
        max_length=Source.URL_MAX,
        help_text="Or pick a known source.",
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(), required=False, widget=source_autocomplete("source")
    )
    stance = forms.ChoiceField(
        choices=[("", READ_IT_FOR_ME), *Stance.choices],
        required=False,
        help_text="Leave both empty to label it automatically from the source's text.",
    )
    certainty = forms.ChoiceField(
        choices=[("", READ_IT_FOR_ME), *Certainty.choices], required=False
    )
    kind = forms.ChoiceField(choices=EvidenceKind.choices, initial=EvidenceKind.SECONDARY)
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX
    )
    derived_from_url = forms.CharField(
        label="Relies on (URL)",
        required=False,
        max_length=Source.URL_MAX,
        help_text="The source this one cites, such as 'according to the Financial Times'.",
    )
    derived_from = forms.ModelChoiceField(
        label="Relies on (known source)",
        queryset=Source.objects.all(),
        required=False,
        widget=source_autocomplete("derived_from"),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, claim: Claim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = claim.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for url, known in (("url", "source"), ("derived_from_url", "derived_from")):
            if cleaned.get(url) and cleaned.get(known):
                self.add_error(url, "Give a URL or pick a known source, not both.")
        return cleaned


class EvidenceRelabelForm(ServiceModelForm):
    class Meta:
        model = Evidence
        fields = ["stance", "certainty", "kind", "quote", "derived_from"]

    def commit(self) -> Evidence:
        labels = {
            name: self.cleaned_data[name] for name in LABEL_FIELDS if name in self.cleaned_data
        }
        return evidence_relabel(evidence=self.instance, user=self.user, **labels)


class DeprecateForm(forms.Form):
    reason = forms.CharField(
        max_length=Evidence.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this evidence no longer counts. It stays on the record with this reason.",
        error_messages={"required": "Say why this evidence no longer counts."},
    )


class ReviewDoneForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=REVIEW_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: what you checked. It goes on the claim's timeline.",
    )


__all__ = [
    "ClaimAdminForm",
    "DeprecateForm",
    "EvidenceAddForm",
    "EvidenceRelabelForm",
    "ReviewDoneForm",
    "VerdictForm",
    "add_service_errors",
    "service_errors_to",
]

"""Serializers for claims, evidence and their firmness: validation and representation only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    NOTE_MAX,
    Certainty,
    Claim,
    ClaimEvent,
    Evidence,
    EvidenceKind,
    FirmnessPoint,
    Level,
    Stance,
    Tag,
    Verdict,
    VerdictChange,
)
from claims.services.claims import REVIEW_NOTE_MAX
from factcheck.api.fields import MAX_ID, JSONBooleanField, TextField
from sources.addresses import MAX_URL_LENGTH, InvalidSourceURL, domain_of, normalise_url
from sources.models import Source

MAX_TAGS = 20
MAX_EVIDENCE_IDS = 200
MAX_HOST_LENGTH = 253  # DNS's limit


class FirmnessSummarySerializer(serializers.Serializer):
    score = serializers.IntegerField(source="firmness_score", min_value=0, max_value=100)
    level = serializers.ChoiceField(source="firmness_level", choices=Level.choices)


class ExplanationLineSerializer(serializers.Serializer):
    evidence_id = serializers.IntegerField()
    source_url = serializers.CharField()
    publisher = serializers.CharField()
    stance = serializers.ChoiceField(choices=Stance.choices)
    certainty = serializers.ChoiceField(choices=Certainty.choices)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    weight = serializers.FloatField()
    contribution = serializers.FloatField(help_text="Points of the score this line accounts for.")
    counted = serializers.BooleanField()
    automatic = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    text = serializers.CharField(help_text="The line in plain words.")


class FirmnessDetailSerializer(FirmnessSummarySerializer):
    explanation = ExplanationLineSerializer(source="firmness_explanation", many=True)


class FirmnessPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = FirmnessPoint
        fields = ["at", "score", "level"]


class FirmnessSerializer(FirmnessDetailSerializer):
    computed_at = serializers.DateTimeField(source="firmness_computed_at", allow_null=True)
    history = FirmnessPointSerializer(source="firmness_history", many=True)


class ClaimListSerializer(serializers.ModelSerializer):
    # A plain string: slugs may hold letters of any script, which an OpenAPI `\w` pattern
    # (ASCII in most validators) would wrongly reject.
    slug = serializers.CharField(read_only=True, help_text="The public page's path segment.")
    status = serializers.ChoiceField(source="verdict", choices=Verdict.choices, read_only=True)
    firmness = FirmnessSummarySerializer(source="*", read_only=True)
    url = serializers.SerializerMethodField(help_text="The claim's public page.")
    api_url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")

    class Meta:
        model = Claim
        fields = [
            "id",
            "slug",
            "text",
            "status",
            "firmness",
            "needs_review",
            "updated_at",
            "url",
            "api_url",
        ]
        read_only_fields = fields

    def get_url(self, claim: Claim) -> str:
        return claim.get_public_url()


class EvidenceSourceSerializer(serializers.ModelSerializer):
    publisher = serializers.CharField(source="publisher.name")
    archive_url = serializers.CharField(help_text="An archived copy; blank when there is none.")

    class Meta:
        model = Source
        fields = ["id", "url", "publisher", "health", "archive_url"]
        read_only_fields = fields


class SuggestionCueSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="hedge, attribution, confirmation, denial, …")
    text = serializers.CharField(help_text="The words as they stand in the passage.")
    effect = serializers.CharField(allow_blank=True, help_text="What the cue did.")


class EvidenceSuggestionSerializer(serializers.Serializer):
    """What the assessor read in the source's text, kept whoever set the labels."""

    stance = serializers.ChoiceField(source="suggested_stance", choices=Stance.choices)
    certainty = serializers.ChoiceField(source="suggested_certainty", choices=Certainty.choices)
    confidence = serializers.FloatField(
        source="suggestion_confidence", min_value=0, max_value=1, allow_null=True
    )
    passage = serializers.CharField(
        source="suggested_passage", allow_blank=True, help_text="The sentences it rests on."
    )
    cues = SuggestionCueSerializer(source="suggestion_cues", many=True)
    method = serializers.CharField(source="suggestion_method")
    snapshot = serializers.IntegerField(
        source="suggestion_snapshot", allow_null=True, help_text="The source version read."
    )
    at = serializers.DateTimeField(source="suggested_at")


class EvidenceSerializer(serializers.ModelSerializer):
    source = EvidenceSourceSerializer(read_only=True)  # type: ignore[assignment]
    suggestion = serializers.SerializerMethodField(
        help_text="What the source's text says of the claim, read automatically; null until "
        "the source has text. Labelled `automatic`, the evidence's stance and certainty "
        "follow it; an editor's labels never do."
    )
    api_url = serializers.HyperlinkedIdentityField(view_name="api:evidence-detail")

    class Meta:
        model = Evidence
        fields = [
            "id",
            "source",
            "stance",
            "certainty",
            "kind",
            "quote",
            "derived_from",
            "labelled_by",
            "suggestion",
            "deprecated",
            "deprecated_reason",
            "created_at",
            "api_url",
        ]
        read_only_fields = fields

    @extend_schema_field(EvidenceSuggestionSerializer(allow_null=True))
    def get_suggestion(self, evidence: Evidence) -> dict[str, Any] | None:
        if evidence.suggested_at is None:
            return None
        return dict(EvidenceSuggestionSerializer(evidence).data)


class VerdictChangeSerializer(serializers.ModelSerializer):
    changed_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Who changed the verdict; null when the account is gone.",
    )
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = VerdictChange
        fields = ["previous", "verdict", "note", "changed_by", "changed_at", "evidence"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_evidence(self, change: VerdictChange) -> list[int]:
        return [item.pk for item in change.evidence.all()]


class ClaimDetailSerializer(ClaimListSerializer):
    firmness = FirmnessDetailSerializer(source="*", read_only=True)
    tags = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)
    history = VerdictChangeSerializer(source="verdict_changes", many=True, read_only=True)

    class Meta(ClaimListSerializer.Meta):
        fields = [
            *ClaimListSerializer.Meta.fields,
            "context",
            "tags",
            "claimant",
            "first_seen",
            "expected_by",
            "published",
            "review_reasons",
            "version",
            "evidence",
            "history",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, claim: Claim) -> list[str]:
        return [tag.name for tag in claim.tags.all()]


class ClaimFieldsSerializer(serializers.Serializer):
    """What an editor may write about a claim, with every limit stated."""

    text = TextField(max_length=Claim.TEXT_MAX)
    context = TextField(max_length=NOTE_MAX, required=False, allow_blank=True)  # type: ignore[assignment]
    tags = serializers.ListField(
        child=TextField(max_length=Tag.NAME_MAX), max_length=MAX_TAGS, required=False
    )
    claimant = TextField(max_length=Claim.CLAIMANT_MAX, required=False, allow_blank=True)
    first_seen = serializers.DateField(required=False, allow_null=True)
    expected_by = serializers.DateField(required=False, allow_null=True)
    published = JSONBooleanField(required=False)


class ClaimCreateSerializer(ClaimFieldsSerializer):
    allow_duplicate = JSONBooleanField(
        default=False,
        help_text="Record the claim even though it strongly matches one already recorded.",
    )


class DuplicateClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField(help_text="The claim's public page.")
    api_url = serializers.CharField()
    score = serializers.FloatField(help_text="How strongly the new text matches it, 0 to 1.")


class DuplicateClaimsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicate_of = DuplicateClaimSerializer(many=True)


class ReviewDoneSerializer(serializers.Serializer):
    note = TextField(
        max_length=REVIEW_NOTE_MAX,
        required=False,
        allow_blank=True,
        help_text="What you checked; it goes on the claim's timeline.",
    )


class ClaimPatchSerializer(ClaimFieldsSerializer):
    text = TextField(max_length=Claim.TEXT_MAX, required=False)
    status = serializers.ChoiceField(choices=Verdict.choices, required=False)
    note = TextField(max_length=NOTE_MAX, required=False, allow_blank=True)
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_EVIDENCE_IDS,
        required=False,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "status" in attrs and not attrs.get("note", "").strip():
            raise serializers.ValidationError(
                {"note": ["A change of status needs a note saying why."]}
            )
        if "status" not in attrs and ("note" in attrs or "evidence" in attrs):
            raise serializers.ValidationError(
                {"status": ["`note` and `evidence` go with a change of status."]}
            )
        return attrs


def clean_source_url(raw: str) -> str:
    """The normalised http(s) URL, or a field error."""
    try:
        url = normalise_url(raw)
    except InvalidSourceURL as exc:
        raise serializers.ValidationError(str(exc)) from None
    except ValueError:  # e.g. a host name that IDNA cannot encode
        raise serializers.ValidationError("Not a valid URL.") from None
    if len(url) > MAX_URL_LENGTH:  # percent-encoding can lengthen it
        raise serializers.ValidationError(
            f"A URL may have at most {MAX_URL_LENGTH} characters once encoded."
        )
    if len(domain_of(url)) > MAX_HOST_LENGTH:
        raise serializers.ValidationError(
            f"A host name may have at most {MAX_HOST_LENGTH} characters."
        )
    return url


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "format": "uri"}],
        "nullable": True,
    }
)
class SourceReferenceField(serializers.Field):
    """A source given by its id or by a URL (found or created on save)."""

    default_error_messages = {
        "invalid": "Give a source id or an http(s) URL.",
        "missing": "There is no source {pk}.",
    }

    def to_internal_value(self, data: Any) -> Source | str:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        if isinstance(data, int) or (data.isascii() and data.isdigit()):
            pk = int(data) if isinstance(data, int) or len(data) <= 19 else -1
            source = Source.objects.filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
            if source is None:
                self.fail("missing", pk=data)
            return source
        return clean_source_url(data)

    def to_representation(self, value: Any) -> Any:
        return value.pk if isinstance(value, Source) else value


class EvidenceLabelsSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Stance.choices, required=False)
    certainty = serializers.ChoiceField(choices=Certainty.choices, required=False)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False)
    quote = TextField(max_length=NOTE_MAX, required=False, allow_blank=True)
    derived_from = SourceReferenceField(required=False, allow_null=True)


@extend_schema_field({"type": "string", "format": "uri", "maxLength": MAX_URL_LENGTH})
class SourceURLField(serializers.CharField):
    """An http(s) URL, normalised by the validator."""


class EvidenceCreateSerializer(EvidenceLabelsSerializer):
    stance = serializers.ChoiceField(
        choices=Stance.choices,
        required=False,
        help_text="Omit both stance and certainty to have them read from the source's text "
        "(labelled `automatic`); give either and the labels are the editor's.",
    )
    certainty = serializers.ChoiceField(
        choices=Certainty.choices,
        required=False,
        help_text="See `stance`: omitted with it, read from the source's text.",
    )
    url = SourceURLField(max_length=MAX_URL_LENGTH, required=False)
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all(), required=False)  # type: ignore[assignment]

    def validate_url(self, value: str) -> str:
        return clean_source_url(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("url" in attrs) == ("source" in attrs):
            raise serializers.ValidationError({"url": ["Give exactly one of `url` and `source`."]})
        return attrs


class EvidenceDeprecateSerializer(serializers.Serializer):
    reason = TextField(max_length=Evidence.REASON_MAX)


class ClaimEventSerializer(serializers.ModelSerializer):
    actor: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Who did it; null for the service itself.",
    )

    class Meta:
        model = ClaimEvent
        fields = ["id", "kind", "at", "summary", "actor", "data"]
        read_only_fields = fields

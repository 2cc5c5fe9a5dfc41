from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factcheck.api.fields import NumberField, TextField
from sources.models import Publisher, PublisherDomain, PublisherKind, Source, SourceSnapshot


class PublisherBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publisher
        fields = ["id", "name", "kind", "reliability"]


class TrackRecordCountsSerializer(serializers.Serializer):
    """How its word on claims turned out: reports that supported or refuted claims that
    held, fell, or are not settled yet (one report a claim: its latest)."""

    supported_held = serializers.IntegerField(min_value=0)
    supported_fell = serializers.IntegerField(min_value=0)
    supported_unsettled = serializers.IntegerField(min_value=0)
    refuted_held = serializers.IntegerField(min_value=0)
    refuted_fell = serializers.IntegerField(min_value=0)
    refuted_unsettled = serializers.IntegerField(min_value=0)


TRACK_COUNTS = tuple(TrackRecordCountsSerializer._declared_fields)


class TrackRecordSerializer(serializers.Serializer):
    counts = serializers.SerializerMethodField()
    prior_reliability = serializers.FloatField(
        source="reliability", help_text="The editors' prior reliability."
    )
    learned_reliability = serializers.FloatField(
        allow_null=True,
        help_text="The prior combined with the record (null until first computed).",
    )
    computed_at = serializers.DateTimeField(source="track_record_computed_at", allow_null=True)

    @extend_schema_field(TrackRecordCountsSerializer)
    def get_counts(self, publisher: Publisher) -> dict[str, int]:
        stored = publisher.track_record or {}
        return {name: int(stored.get(name, 0)) for name in TRACK_COUNTS}


class PublisherSerializer(serializers.ModelSerializer):
    domains: serializers.SlugRelatedField[PublisherDomain] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="domain"
    )
    api_url = serializers.HyperlinkedIdentityField(view_name="api:publisher-detail")
    track_record = TrackRecordSerializer(source="*", read_only=True)

    class Meta:
        model = Publisher
        fields = [
            "id",
            "name",
            "kind",
            "reliability",
            "domains",
            "notes",
            "track_record",
            "updated_at",
            "api_url",
        ]
        read_only_fields = ["id", "domains", "track_record", "updated_at", "api_url"]


class PublisherUpdateSerializer(serializers.Serializer):
    name = TextField(max_length=Publisher.NAME_MAX, required=False)
    kind = serializers.ChoiceField(choices=PublisherKind.choices, required=False)
    reliability = NumberField(min_value=0.0, max_value=1.0, required=False)
    notes = TextField(max_length=Publisher.NOTES_MAX, required=False, allow_blank=True)


class SourceSerializer(serializers.ModelSerializer):
    publisher = PublisherBriefSerializer(read_only=True)
    snapshot_count = serializers.IntegerField(read_only=True)
    # Blank when unknown, so not `format: uri` in the schema.
    moved_to = serializers.CharField(help_text="Where the page moved; blank if it has not.")
    archive_url = serializers.CharField(help_text="An archived copy; blank when there is none.")
    api_url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "publisher",
            "title",
            "author",
            "published_at",
            "modified_at",
            "language",
            "health",
            "http_status",
            "last_checked_at",
            "next_check_at",
            "consecutive_failures",
            "consecutive_errors",
            "alert_after_errors",
            "last_ok_at",
            "moved_to",
            "archive_url",
            "paused",
            "snapshot_count",
            "api_url",
        ]
        read_only_fields = fields


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceSnapshot
        fields = ["number", "taken_at", "method", "content_hash", "title", "http_status", "text"]
        read_only_fields = fields


class DiffChangeSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete", "replace"])
    old = serializers.CharField()
    new = serializers.CharField()


class SnapshotDiffSerializer(serializers.Serializer):
    source = serializers.IntegerField()  # type: ignore[assignment]
    against = serializers.IntegerField(help_text="The older snapshot's number.")
    number = serializers.IntegerField(help_text="The newer snapshot's number.")
    unit = serializers.ChoiceField(choices=["word", "sentence"])
    changes = DiffChangeSerializer(many=True)
    added_sentences = serializers.ListField(child=serializers.CharField())

"""The stored search document and the indexes that search reads, on PostgreSQL.

SQLite gets the column (always NULL) and no index: its search reads the words themselves.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import claims.search

INDEXES = {
    "claim_search_vector_gin": "USING gin (search_vector)",
    "claim_text_trgm": "USING gin (text gin_trgm_ops)",
    "claim_claimant_trgm": "USING gin (claimant gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, method in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON claims_claim {method}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_published_and_corrected_events"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=claims.search.ClaimSearchDocument(),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]

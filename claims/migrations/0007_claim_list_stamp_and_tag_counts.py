"""What the public list reads instead of scanning claims: a revision that removals and tag
renames move (edits move updated_at, which an index answers), and each tag's claim counts.

On PostgreSQL, statement-level triggers keep both, so every way of writing (the services,
the admin, bulk inserts, COPY) keeps them right at one UPDATE per statement. SQLite has no
triggers here: its list reads the claims themselves (claims.selectors).
"""

from django.db import migrations, models

TRIGGERS = """
CREATE FUNCTION claims_tag_counts_linked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO claims_tagcount AS counted (tag_id, claims, published_claims)
  SELECT link.tag_id, count(*), count(*) FILTER (WHERE claim.published)
  FROM added link JOIN claims_claim claim ON claim.id = link.claim_id
  GROUP BY link.tag_id
  ON CONFLICT (tag_id) DO UPDATE SET
    claims = counted.claims + EXCLUDED.claims,
    published_claims = counted.published_claims + EXCLUDED.published_claims;
  RETURN NULL;
END $$;

CREATE FUNCTION claims_tag_counts_unlinked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE claims_tagcount counted SET
    claims = greatest(counted.claims - gone.claims, 0),
    published_claims = greatest(counted.published_claims - gone.published_claims, 0)
  FROM (
    SELECT link.tag_id, count(*) AS claims,
           count(*) FILTER (WHERE claim.published) AS published_claims
    FROM removed link LEFT JOIN claims_claim claim ON claim.id = link.claim_id
    GROUP BY link.tag_id
  ) gone
  WHERE counted.tag_id = gone.tag_id;
  RETURN NULL;
END $$;

CREATE FUNCTION claims_tag_counts_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE claims_tagcount counted SET
    published_claims = greatest(counted.published_claims + moved.delta, 0)
  FROM (
    SELECT link.tag_id, sum(CASE WHEN now_row.published THEN 1 ELSE -1 END) AS delta
    FROM new_rows now_row
    JOIN old_rows was ON was.id = now_row.id AND was.published <> now_row.published
    JOIN claims_claim_tags link ON link.claim_id = now_row.id
    GROUP BY link.tag_id
  ) moved
  WHERE counted.tag_id = moved.tag_id;
  RETURN NULL;
END $$;

CREATE FUNCTION claims_list_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE claims_claimlistrevision SET revision = revision + 1, changed_at = now();
  RETURN NULL;
END $$;

CREATE TRIGGER claims_tag_counts_linked AFTER INSERT ON claims_claim_tags
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION claims_tag_counts_linked();
CREATE TRIGGER claims_tag_counts_unlinked AFTER DELETE ON claims_claim_tags
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION claims_tag_counts_unlinked();
CREATE TRIGGER claims_tag_counts_published AFTER UPDATE ON claims_claim
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION claims_tag_counts_published();
CREATE TRIGGER claims_list_revision_removed AFTER DELETE ON claims_claim
  FOR EACH STATEMENT EXECUTE FUNCTION claims_list_revision_bump();
CREATE TRIGGER claims_list_revision_tag_renamed AFTER UPDATE OF name, slug OR DELETE
  ON claims_tag FOR EACH STATEMENT EXECUTE FUNCTION claims_list_revision_bump();

INSERT INTO claims_tagcount (tag_id, claims, published_claims)
SELECT link.tag_id, count(*), count(*) FILTER (WHERE claim.published)
FROM claims_claim_tags link JOIN claims_claim claim ON claim.id = link.claim_id
GROUP BY link.tag_id;
"""

DROP = """
DROP TRIGGER IF EXISTS claims_tag_counts_linked ON claims_claim_tags;
DROP TRIGGER IF EXISTS claims_tag_counts_unlinked ON claims_claim_tags;
DROP TRIGGER IF EXISTS claims_tag_counts_published ON claims_claim;
DROP TRIGGER IF EXISTS claims_list_revision_removed ON claims_claim;
DROP TRIGGER IF EXISTS claims_list_revision_tag_renamed ON claims_tag;
DROP FUNCTION IF EXISTS claims_tag_counts_linked();
DROP FUNCTION IF EXISTS claims_tag_counts_unlinked();
DROP FUNCTION IF EXISTS claims_tag_counts_published();
DROP FUNCTION IF EXISTS claims_list_revision_bump();
"""


def first_revision(apps, schema_editor):
    apps.get_model("claims", "ClaimListRevision").objects.get_or_create(pk=1)


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_claim_search_vector"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimListRevision",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("revision", models.PositiveBigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name="TagCount",
            fields=[
                (
                    "tag",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="count",
                        serialize=False,
                        to="claims.tag",
                    ),
                ),
                ("claims", models.PositiveIntegerField(default=0)),
                ("published_claims", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(first_revision, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

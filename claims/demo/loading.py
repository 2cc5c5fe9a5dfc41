"""A bulk load's table work set aside while it runs and done once after it, on PostgreSQL.

Per row, PostgreSQL would update every plain index, queue a foreign-key check for every
reference (run at commit) and count tags in a trigger for each COPY. After the load, one
CREATE INDEX per index, one validating join per foreign key and one count per tag do the
same far faster. Everything set aside is put back exactly as it was (the definitions are
read from the catalogue), so the database ends as the normal path would leave it. Unique
indexes stay throughout, and keep guarding the rows.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

# The tables a load fills.
LOADED_TABLES = (
    "claims_claim",
    "claims_claim_tags",
    "claims_evidence",
    "claims_claimevent",
    "claims_verdictchange",
    "claims_firmnesspoint",
    "sources_source",
)
# Counted per statement by claims/migrations/0007: off during the load, recounted after.
TAG_COUNT_TRIGGER = ("claims_claim_tags", "claims_tag_counts_linked")
TAG_RECOUNT = """
INSERT INTO claims_tagcount AS counted (tag_id, claims, published_claims)
SELECT link.tag_id, count(*), count(*) FILTER (WHERE claim.published)
FROM claims_claim_tags link JOIN claims_claim claim ON claim.id = link.claim_id
GROUP BY link.tag_id
ON CONFLICT (tag_id) DO UPDATE SET
  claims = EXCLUDED.claims, published_claims = EXCLUDED.published_claims
"""
INDEX_MEMORY = "256MB"
# Connections building indexes at once: a GIN index takes one core for the whole build.
INDEX_BUILDERS = 2


@dataclass(frozen=True)
class ForeignKey:
    table: str
    name: str
    definition: str
    column: str
    target: str
    target_column: str


@dataclass
class SetAside:
    indexes: list[str] = field(default_factory=list)  # CREATE INDEX statements
    foreign_keys: list[ForeignKey] = field(default_factory=list)


@contextmanager
def bulk_load(say: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Plain indexes, foreign keys and the tag-count trigger of the loaded tables are off
    inside; after, all are back and the tag counts are right. A failed load first removes
    the rows whose referenced row was not written (its writers commit independently)."""
    aside = set_aside()
    failed = False
    try:
        yield
    except BaseException:
        failed = True
        raise
    finally:
        say(f"Rebuilding {len(aside.indexes)} indexes and {len(aside.foreign_keys)} foreign keys…")
        put_back(aside, without_orphans=failed)


def set_aside() -> SetAside:
    aside = SetAside(indexes=plain_indexes(), foreign_keys=foreign_keys())
    table, trigger = TAG_COUNT_TRIGGER
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:  # all of it or none
        for key in aside.foreign_keys:
            cursor.execute(f"ALTER TABLE {key.table} DROP CONSTRAINT {quote(key.name)}")
        for definition in aside.indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {index_name(definition)}")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    return aside


def put_back(aside: SetAside, *, without_orphans: bool) -> None:
    table, trigger = TAG_COUNT_TRIGGER
    quote = connection.ops.quote_name
    indexes_built(aside.indexes)
    with connection.cursor() as cursor:
        for key in aside.foreign_keys if without_orphans else []:
            cursor.execute(orphans_deleted(key))
        # The trigger first: should a key not go back, the counts still do.
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        cursor.execute(TAG_RECOUNT)
        for key in aside.foreign_keys:
            added = f"ADD CONSTRAINT {quote(key.name)} {key.definition}"
            cursor.execute(f"ALTER TABLE {key.table} {added}")
        cursor.execute(f"ANALYZE {', '.join(LOADED_TABLES)}")


def indexes_built(definitions: list[str]) -> None:
    """CREATE INDEX on a few connections of their own, the slow (GIN) ones first, so that
    they are not left for last on one connection."""
    waiting: queue.SimpleQueue[str] = queue.SimpleQueue()
    for definition in sorted(definitions, key=lambda d: " USING gin " not in d):
        waiting.put(definition)
    errors: list[BaseException] = []

    def build() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET maintenance_work_mem = '{INDEX_MEMORY}'")
                while not errors:
                    try:
                        cursor.execute(waiting.get_nowait())
                    except queue.Empty:
                        return
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    builders = [threading.Thread(target=build) for _ in range(INDEX_BUILDERS)]
    for builder in builders:
        builder.start()
    for builder in builders:
        builder.join()
    if errors:
        raise errors[0]


def plain_indexes() -> list[str]:
    """The loaded tables' plain (not unique) indexes' definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique"
            " AND NOT i.indisprimary ORDER BY i.indexrelid",
            [list(LOADED_TABLES)],
        )
        return [definition for (definition,) in cursor.fetchall()]


def index_name(definition: str) -> str:
    # "CREATE INDEX name ON ..." as pg_get_indexdef writes it.
    return definition.split(" ON ", 1)[0].rsplit(" ", 1)[-1]


def foreign_keys() -> list[ForeignKey]:
    """The loaded tables' foreign keys (Django's are all of one column)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid),"
            " a.attname, c.confrelid::regclass::text, t.attname"
            " FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute t ON t.attrelid = c.confrelid AND t.attnum = c.confkey[1]"
            " WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)"
            " ORDER BY c.oid",
            [list(LOADED_TABLES)],
        )
        return [ForeignKey(*row) for row in cursor.fetchall()]


def orphans_deleted(key: ForeignKey) -> str:
    quote = connection.ops.quote_name
    column, target_column = quote(key.column), quote(key.target_column)
    return (
        f"DELETE FROM {key.table} linked WHERE linked.{column} IS NOT NULL AND NOT EXISTS"
        f" (SELECT 1 FROM {key.target} linked_to WHERE linked_to.{target_column} = linked.{column})"
    )

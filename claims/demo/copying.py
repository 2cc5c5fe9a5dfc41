"""Rows into PostgreSQL by COPY (psycopg 3), for data sets of millions of rows.

A model's rows are given as tuples of the fields the caller names; every other column gets
what Django would have written (its default, NULL, or now for auto_now fields). Ids are
reserved from the table's sequence in one statement, so rows can refer to each other
before any is written.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin


class CopyTable:
    """The COPY statement and the constant tail of every row for one model."""

    def __init__(self, model: type[models.Model], given: Sequence[str], now: datetime.datetime):
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        by_name = {f.name: f for f in fields}
        # An id not given is the sequence's to give.
        rest = [f for f in fields if f.name not in given and not isinstance(f, AutoFieldMixin)]
        self.table = model._meta.db_table
        self.columns = [by_name[name].column for name in given] + [f.column for f in rest]
        self.tail = tuple(_column_default(f, now) for f in rest)

    def sql(self) -> str:
        quoted = ", ".join(connection.ops.quote_name(str(column)) for column in self.columns)
        return f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        written = 0
        tail = self.tail
        with connection.cursor() as cursor, cursor.cursor.copy(self.sql()) as copy:
            for row in rows:
                copy.write_row(row + tail)
                written += 1
        return written


def _column_default(field: models.Field, now: datetime.datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return value


def reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of `count` consecutive ids no other row will take (the sequence is moved
    past them in one statement)."""
    if count < 1:
        raise ValueError("reserve at least one id")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        (last,) = cursor.fetchone()
    return int(last) - count + 1

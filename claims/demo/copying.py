"""Rows into PostgreSQL by COPY (psycopg 3), for data sets of millions of rows.

Rows are written as COPY text: the caller joins each row's given fields into a line (plain
f-strings, far cheaper than psycopg adapting a tuple per row), and every other column gets
what Django would have written (its default, NULL, or now for auto_now fields), formatted
once per table. Ids are reserved from the table's sequence in one statement, so rows can
refer to each other before any is written.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin

# COPY text's own characters, escaped (PostgreSQL docs, "COPY: Text Format").
_SPECIAL = ("\\", "\t", "\n", "\r")


def copy_escape(text: str) -> str:
    """A string as a COPY text field."""
    if any(char in text for char in _SPECIAL):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


def copy_value(value: Any) -> str:
    """Any value Django's fields hold here, as a COPY text field."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return copy_escape(json.dumps(value))
    return copy_escape(str(value))


class CopyTable:
    """The COPY statement and the constant tail of every line for one model. A line is the
    given fields joined by tabs, then `tail` (which ends the line)."""

    def __init__(self, model: type[models.Model], given: Sequence[str], now: datetime.datetime):
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        by_name = {f.name: f for f in fields}
        # An id not given is the sequence's to give.
        rest = [f for f in fields if f.name not in given and not isinstance(f, AutoFieldMixin)]
        self.table = model._meta.db_table
        self.columns = [by_name[name].column for name in given] + [f.column for f in rest]
        self.tail = "".join("\t" + copy_value(_column_default(f, now)) for f in rest) + "\n"

    def sql(self) -> str:
        quoted = ", ".join(connection.ops.quote_name(str(column)) for column in self.columns)
        return f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"


def _column_default(field: models.Field, now: datetime.datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return value


def copy_text(cursor: Any, sql: str, text: str) -> None:
    """One COPY of lines already in COPY text format, on a psycopg 3 cursor."""
    with cursor.copy(sql) as copy:
        copy.write(text)


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

"""A worker's database connection outlives its tasks, as a web process's outlives its
requests, and one the server dropped is replaced rather than failing the next task."""

from __future__ import annotations

from types import SimpleNamespace

import psycopg
import pytest
from celery.fixups.django import DjangoWorkerFixup  # type: ignore[attr-defined]  # not in the stubs
from celery.signals import task_postrun, task_prerun
from django.db import connection

from factcheck.celery import app
from tests.conftest import on_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not on_postgresql(), reason="a PostgreSQL backend to drop"),
]


class QueuedTask:
    """A task as the worker's signals see it: taken from the broker, not run eagerly."""

    request = SimpleNamespace(is_eager=False)


def run_task_signals(fixup: DjangoWorkerFixup) -> None:
    """What a worker does around one task: Celery's fixup, then ours, before and after."""
    sender = QueuedTask()
    fixup.on_task_prerun(sender=sender)
    task_prerun.send(sender=sender)
    fixup.on_task_postrun(sender=sender)
    task_postrun.send(sender=sender)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def drop_backend(pid: int) -> None:
    """The server ends the backend, as a restart or an idle timeout would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_worker_keeps_its_database_connection_from_one_task_to_the_next() -> None:
    fixup = DjangoWorkerFixup(app)
    first = backend_pid()
    for _ in range(20):
        run_task_signals(fixup)
        assert backend_pid() == first


def test_a_connection_the_server_dropped_between_tasks_is_replaced_before_the_next() -> None:
    fixup = DjangoWorkerFixup(app)
    first = backend_pid()
    drop_backend(first)
    run_task_signals(fixup)
    assert backend_pid() != first  # a health check found it dead, and a new one answered


def test_a_connection_broken_during_a_task_is_closed_after_it() -> None:
    fixup = DjangoWorkerFixup(app)
    first = backend_pid()
    drop_backend(first)
    with pytest.raises(Exception):  # noqa: B017 - psycopg's or Django's, as it happens
        backend_pid()
    run_task_signals(fixup)
    assert backend_pid() != first

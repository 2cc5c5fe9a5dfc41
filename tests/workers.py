"""A real Celery worker for end-to-end tests, on the broker the suite runs against."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from celery.contrib.testing.worker import start_worker

from factcheck.celery import app


@contextmanager
def real_worker(*queues: str, purge: bool = True) -> Iterator[None]:
    """A solo worker consuming `queues` (the default queue alone when none are named), after
    emptying them of what an interrupted run left behind (unless told not to: a test may
    leave work in a queue for the worker it starts next)."""
    names = list(queues) or ["celery"]
    with app.connection_for_write() as connection:
        for queue in names if purge else []:
            cast(Any, connection.default_channel).queue_purge(queue)
    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=20, queues=names
    ):
        yield


def queued_messages(queue: str) -> int:
    """How many messages wait in `queue` on the broker."""
    with app.connection_for_write() as connection:
        return int(cast(Any, connection.default_channel).client.llen(queue))

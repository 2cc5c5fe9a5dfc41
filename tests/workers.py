"""A real Celery worker for end-to-end tests, on the broker the suite runs against."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from celery.contrib.testing.worker import start_worker

from factcheck.celery import app


@contextmanager
def real_worker(*queues: str) -> Iterator[None]:
    """A solo worker consuming `queues` (the default queue alone when none are named), after
    emptying them of what an interrupted run left behind."""
    names = list(queues) or ["celery"]
    with app.connection_for_write() as connection:
        for queue in names:
            cast(Any, connection.default_channel).queue_purge(queue)
    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=20, queues=names
    ):
        yield

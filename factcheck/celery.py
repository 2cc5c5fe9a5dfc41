"""The Celery app. The beat schedule lives here, in one place."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Built once Celery reads its configuration, not on import: a settings module that
    imports ours (bench/settings.py) imports this package before its own settings exist."""
    return {
        "flag-overdue-expectations": {
            "task": "claims.tasks.flag_overdue_expectations",
            "schedule": crontab(minute=0, hour=settings.FACTCHECK_EXPECTED_BY_HOUR),
        },
        # Every publisher's track record from the verdicts as they stand (a verdict change
        # recomputes its own claim's publishers at once; this catches evidence added since).
        "recompute-track-records": {
            "task": "claims.tasks.recompute_all_track_records",
            "schedule": crontab(minute=15, hour=settings.FACTCHECK_TRACK_RECORD_HOUR),
        },
        # Leases a batch of due sources and queues their checks on the `fetch` queue. A tick
        # that waited over a minute is dropped: the next one leases the same sources.
        "enqueue-due-sources": {
            "task": "sources.tasks.enqueue_due_sources",
            "schedule": 60.0,
            "options": {"expires": 55},
        },
        # Webhook deliveries whose time has come and that no message is on its way for (a
        # broker outage, a retry too far off for a countdown): the outbox's safety net.
        "requeue-due-webhook-deliveries": {
            "task": "webhooks.tasks.requeue_due_deliveries",
            "schedule": 30.0,
            "options": {"expires": 25},
        },
        "prune-webhook-deliveries": {
            "task": "webhooks.tasks.prune_deliveries",
            "schedule": crontab(minute=30, hour=3),
        },
    }


@app.on_after_configure.connect
def _set_beat_schedule(sender: Celery, **kwargs: Any) -> None:
    sender.conf.beat_schedule = beat_schedule()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(sender: Any = None, **kwargs: Any) -> None:
    """What Django does around a request, around each task: a connection past CONN_MAX_AGE,
    or left unusable by an error, is closed, and the next query opens a new one. Not for a
    task run eagerly, inside its caller's transaction."""
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()

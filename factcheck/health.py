"""Liveness of the service's dependencies, for /healthz."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from factcheck.celery import app as celery_app

logger = logging.getLogger(__name__)


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("healthz: database unavailable: %s", exc)
        return f"{type(exc).__name__}: {exc}"
    return None


def check_broker() -> str | None:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".healthz"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            return f"broker folder {folder} is not writable: {exc}"
        return None
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        logger.warning("healthz: broker unavailable: %s", exc)
        return f"{type(exc).__name__}: {exc}"
    return None


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    problems = {"database": check_database(), "broker": check_broker()}
    body = {
        name: ("ok" if problem is None else f"down: {problem}")
        for name, problem in problems.items()
    }
    healthy = all(problem is None for problem in problems.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": body}, status=200 if healthy else 503
    )

"""Liveness of the service's dependencies, for /healthz.

Each part is asked at the same time, in a thread of its own, and the answer waits at most
HEALTH_BUDGET seconds in all: a database or Redis that hangs is named as hanging, and the
check itself never hangs with it (a load balancer's probe must get an answer).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from factcheck.api.throttling import failed_open
from factcheck.celery import app as celery_app
from outbox.models import OutboxMessage
from sources.fetch.politeness import redis_client

logger = logging.getLogger(__name__)

HEALTH_BUDGET = 2.5  # seconds for every part together
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="healthz")


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("healthz: database unavailable: %s", exc)
        return f"{type(exc).__name__}: {exc}"
    finally:
        connection.close()  # this thread's own connection
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
    timeout = settings.FACTCHECK_SERVICE_TIMEOUT
    try:
        if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
            # PING, not just connect: a paused Redis takes connections and answers nothing.
            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_timeout=timeout, socket_connect_timeout=timeout
            )
            with client:
                client.ping()
        else:
            with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
                conn.ensure_connection(max_retries=1, timeout=max(1, round(timeout)))
    except Exception as exc:
        logger.warning("healthz: broker unavailable: %s", exc)
        return f"{type(exc).__name__}: {exc}"
    return None


def check_cache() -> str | None:
    from django.core.cache import cache

    try:
        cache.get("factcheck:healthz")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def check_politeness() -> str | None:
    client = redis_client()
    try:
        if client is not None:
            client.ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def check_outbox() -> str | None:
    """Tasks promised but not yet taken by the broker: a backlog says the relay is stuck."""
    try:
        pending = OutboxMessage.objects.pending().count()
    finally:
        connection.close()
    return None if pending < OUTBOX_BACKLOG else f"{pending} tasks wait for the broker"


OUTBOX_BACKLOG = 1000
PARTS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "broker": check_broker,
    "cache": check_cache,
    "politeness": check_politeness,
    "outbox": check_outbox,
}


def answers(parts: dict[str, Callable[[], str | None]]) -> dict[str, str | None]:
    """Each part's problem (None: fine), asked together, within HEALTH_BUDGET seconds."""
    futures: dict[str, Future[str | None]] = {
        name: _pool.submit(ask) for name, ask in parts.items()
    }
    wait(futures.values(), timeout=HEALTH_BUDGET)
    found: dict[str, str | None] = {}
    for name, future in futures.items():
        if not future.done():
            found[name] = f"no answer within {HEALTH_BUDGET} s: it hangs"
        elif future.exception() is not None:
            found[name] = f"{type(future.exception()).__name__}: {future.exception()}"
        else:
            found[name] = future.result()
    return found


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    problems = answers(PARTS)
    body = {
        name: ("ok" if problem is None else f"down: {problem}")
        for name, problem in problems.items()
    }
    healthy = all(problem is None for problem in problems.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "down",
            "checks": body,
            "throttled_open": failed_open.count,
        },
        status=200 if healthy else 503,
    )

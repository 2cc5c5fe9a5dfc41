"""The readings that checks promise through the outbox (claims.tasks.read_source_version, on
the `assess` queue), run here as the reader would run them: a test's transaction never
commits, so nothing is published from it."""

from __future__ import annotations

from django.utils import timezone

from claims.services.reading import READ_TASK
from claims.tasks import read_source_version
from outbox.models import OutboxMessage


def read_promised_versions() -> int:
    """Run every reading promised and not yet sent, oldest first; how many were run."""
    pending = list(OutboxMessage.objects.pending().filter(task=READ_TASK).order_by("id"))
    for message in pending:
        read_source_version(*message.args, **message.kwargs)
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now())
    return len(pending)

"""`python manage.py publisher_track_record`: every publisher's track record, recomputed.

The same work as the nightly task: each publisher's words on the claims the desk has
settled are counted again, its learned reliability stored, and the firmness of the claims
citing a publisher whose reliability moved recomputed (docs/firmness.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from claims.services.track_record import track_records_recompute_all
from sources.models import Publisher


class Command(BaseCommand):
    help = "Recompute every publisher's track record and learned reliability."

    def handle(self, *args: Any, **options: Any) -> None:
        rescored = track_records_recompute_all()
        self.stdout.write(
            f"{Publisher.objects.count()} publisher(s) recomputed; {rescored} claim(s) rescored."
        )

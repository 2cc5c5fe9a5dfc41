"""Signals through which `claims` tells the rest of the service what happened.

`claims` never imports `webhooks`: it sends `claim_event_recorded`, and WebhooksConfig.ready()
connects the receiver. Receivers run inside the sender's transaction, so what they write
commits or rolls back with the event itself.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: event (the ClaimEvent just created; its claim is `event.claim`).
claim_event_recorded = Signal()

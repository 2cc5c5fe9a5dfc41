"""Signals through which `sources` tells the rest of the service what happened.

`sources` never imports `claims`; `claims` connects receivers to these in its
AppConfig.ready(). Receivers run inside the sender's transaction.
"""

from django.dispatch import Signal

# kwargs: source, change (a SourceChange value), snapshot (or None), detail (str)
source_changed = Signal()

# kwargs: publisher, fields (the names of the fields that changed)
publisher_changed = Signal()

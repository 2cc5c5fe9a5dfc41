"""Signed webhooks: editors subscribe a URL to what happens to claims, evidence and sources,
and workers POST each event there, signed, in order, with retries (docs/webhooks.md)."""

"""The webhooks' face in the API: subscriptions and their delivery log, for editors."""

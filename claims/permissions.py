"""The `editors` group: what the desk may do. Nothing here deletes; evidence is deprecated."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from factcheck.users import has_perm

EDITORS_GROUP = "editors"
# Seeing a claim that is not published: the API, the public pages and the changes feed ask.
SEE_UNPUBLISHED = "claims.view_claim"

# app label → model → actions; "delete" is deliberately absent except for domain aliases.
EDITOR_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "claims": {
        "claim": ("view", "add", "change"),
        "evidence": ("view", "add", "change"),
        "tag": ("view", "add", "change"),
        "verdictchange": ("view", "add"),
        "firmnesspoint": ("view",),
        "claimevent": ("view",),
        "linkoffer": ("view", "change"),
    },
    "sources": {
        "publisher": ("view", "add", "change"),
        "publisherdomain": ("view", "add", "change", "delete"),
        "source": ("view", "add", "change"),
        "sourcesnapshot": ("view", "add"),
    },
    # Webhooks are the desk's: editors manage subscriptions and read the delivery log.
    "webhooks": {
        "subscription": ("view", "add", "change", "delete"),
        "webhookevent": ("view",),
        "delivery": ("view", "change"),
        "deliveryattempt": ("view",),
    },
    "authtoken": {"tokenproxy": ("view",)},
}


def editor_permission_query() -> Q:
    query = Q(pk__in=[])
    for app_label, models in EDITOR_PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return query


def ensure_editors_group(**kwargs: Any) -> Group:
    """Create or repair the group; runs after every migrate, so new models' permissions join it."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(editor_permission_query()))
    return group


def sees_unpublished(user: Any) -> bool:
    """The one rule of who sees unpublished claims, their events and the desk's feed: the
    editors (and anyone else an administrator gave the view permission)."""
    return has_perm(user, SEE_UNPUBLISHED)

"""The `editors` group: what the desk may do. Nothing here deletes; evidence is deprecated."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS_GROUP = "editors"

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


def is_editor(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS_GROUP).exists()

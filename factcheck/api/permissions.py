"""Who may do what through the API: anyone reads what they may see; editors write. Some
endpoints (webhooks) are the desk's business alone: editors read them too."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from factcheck.users import has_perm


class EditorsWrite(BasePermission):
    """Anyone may read; writing needs the view's `write_permission` (editors have it)."""

    message = "Only editors may change this."
    anonymous_reads = True  # the schema marks GETs as needing no credentials

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        method = (request.method or "").lower()
        if method not in view.http_method_names or not hasattr(view, method):
            return True  # the view answers 405 for a method it does not offer, to anyone
        needed: str | None = getattr(view, "write_permission", None)
        return needed is not None and has_perm(request.user, needed)


class EditorsOnly(EditorsWrite):
    """Reading needs the view's `read_permission` too: nothing here is for the public."""

    anonymous_reads = False

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            needed: str | None = getattr(view, "read_permission", None)
            return needed is not None and has_perm(request.user, needed)
        return super().has_permission(request, view)

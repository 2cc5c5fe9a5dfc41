"""Filters that every list shares: an ordering that refuses fields it does not offer."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` with a field we do not offer is a 400, not silently ignored."""

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw:
            fields = [part.strip() for part in raw.split(",") if part.strip()]
            allowed = {
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            }
            unknown = [f for f in fields if f.lstrip("-") not in allowed]
            if unknown:
                offered = ", ".join(sorted(allowed))
                raise exceptions.ValidationError({"ordering": [f"Order by one of: {offered}."]})
        return super().get_ordering(request, queryset, view)

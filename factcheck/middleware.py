"""Refuse addresses no page or API endpoint can answer, before any view or query runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

# NUL and the other C0 control characters, and DEL: no slug, tag, cursor or search holds one,
# and PostgreSQL refuses a NUL in a query outright (a 500 where a 400 belongs).
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SAID = "The address holds a control character (such as NUL), which nothing here can have."


class RefuseControlCharacters:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = unquote(request.META.get("QUERY_STRING", ""))
        if CONTROL.search(request.path_info) or CONTROL.search(query):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": SAID}, status=400)
            return HttpResponseBadRequest(SAID, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
